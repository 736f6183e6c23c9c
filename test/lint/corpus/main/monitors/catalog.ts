import { counter, defineService, gauge, histogram, promql, summary } from "vigil";

// The metric catalog: every selector names a declared metric, a recorded series or an allowed
// name, with labels the metric has (plus the target labels job and instance).
const requests = counter("http_requests_total", { help: "Requests served", labels: ["service", "route", "code"] });
const latency = histogram("http_request_duration_seconds", { labels: ["service", "route"], buckets: [0.1, 0.3, 1, 3] });
const depth = gauge("queue_depth", { help: "Messages waiting", labels: ["queue"] });
const rpc = summary("rpc_duration_seconds", { labels: ["method"] });

export default defineService({
  name: "checkout",
  team: "payments",
  description: "Takes orders and charges cards.",
  metrics: [requests, latency, depth, rpc],
  recordingRules: [
    { record: "service:http_requests:rate5m", expr: promql`sum by (service) (rate(${requests.where({ service: "checkout" })}[5m]))` },
    { record: "route:http_request_duration_seconds:p99", expr: "histogram_quantile(0.99, sum by (route, le) (rate(http_request_duration_seconds_bucket[5m])))" },
    { record: "method:rpc_duration_seconds:mean5m", expr: "sum by (method) (rate(rpc_duration_seconds_sum[5m])) / sum by (method) (rate(rpc_duration_seconds_count[5m]))" },
    { record: "queue:queue_depth:max", expr: 'max by (queue) (queue_depth{job="worker", instance=~"worker-.*"})' },
    { record: "service:http_requests:rate1m", expr: "sum by (service) (rate(http_request_total[1m]))" },
    //                                                                      ^ unknown-metric
    { record: "job:queue_depth:sum", expr: "sum by (job) (queue_depths)" },
    //                                                    ^ unknown-metric
    { record: "queue:queue_depth_bucket:sum", expr: "sum by (queue) (queue_depth_bucket)" },
    //                                                               ^ unknown-metric
    { record: "service:http_requests:ratio_rate5m", expr: "service:http_requests:rate10m / ignoring(code) service:http_requests:rate5m" },
    //                                                     ^ unknown-metric
    { record: "method:rpc_duration_seconds:count5m", expr: "sum by (method) (rate(rpc_duration_seconds_total[5m]))" },
    //                                                                            ^ unknown-metric
    { record: "route:http_requests:errors5m", expr: 'sum by (route) (rate(http_requests_total{status=~"5.."}[5m]))' },
    //                                                                                        ^ unknown-label
    { record: "queue:queue_depth:min", expr: 'min by (queue) (queue_depth{queue="orders", name="emails"})' },
    //                                                                                    ^ unknown-label
    { record: "le:http_request_duration_seconds_bucket:rate5m", expr: 'sum by (le) (rate(http_request_duration_seconds_bucket{code="500"}[5m]))' },
    //                                                                                                                        ^ unknown-label
    { record: "queue:queue_depth:avg", expr: 'avg by (queue) (queue_depth{cluster="eu-west-1"})' },
    //                                                                    ^ unknown-label
  ],
  alerts: [
    {
      name: "CheckoutHighErrorRate",
      expr: promql`sum(rate(${requests.where({ code: /5../ })}[5m])) / sum(rate(http_requests_totals[5m])) > 0.05`,
      //                                                                        ^ unknown-metric
      severity: "ticket",
      summary: "Checkout fails more than 5% of requests.",
      description: "{{ $value | humanizePercentage }} of checkout requests fail.",
      runbook: {
        triage: [
          { step: "Which routes fail?", query: 'sum by (route) (rate(http_requests_total{service="checkout", cod=~"5.."}[5m]))' },
          //                                                                                                 ^ unknown-label
          { step: "Is the queue backing up?", query: "max(queue_depht)" },
          //                                              ^ unknown-metric
        ],
      },
    },
  ],
  dashboards: [
    {
      title: "Checkout routes",
      variables: [{ name: "route", query: "label_values(http_requests_total, route)" }],
      rows: [
        {
          title: "Traffic",
          panels: [
            { title: "Requests", unit: "reqps", queries: [{ expr: 'sum by (route) (rate(http_requests_total{service="checkout", rout=~"$route"}[$__rate_interval]))', legend: "{{route}}" }] },
            //                                                                                                                  ^ unknown-label
            { title: "Latency", unit: "s", queries: ['histogram_quantile(0.9, sum by (le) (rate(http_request_duration_second_bucket{route=~"$route"}[$__rate_interval])))'] },
            //                                                                                  ^ unknown-metric
          ],
        },
      ],
    },
  ],
});
