import { counter, defineService, gauge, histogram, promql } from "vigil";

// Functions over the right kind of metric: rate() over counters, histogram_quantile() over
// buckets that keep `le`, ranges of at least 4 scrape intervals (15s by default: 1m).
const jobs = counter("jobs_processed_total", { labels: ["queue", "result"] });
const backlog = gauge("jobs_backlog", { labels: ["queue"] });
const duration = histogram("job_duration_seconds", { labels: ["queue"], buckets: [1, 10, 60] });

export default defineService({
  name: "worker",
  team: "payments",
  metrics: [jobs, backlog, duration],
  recordingRules: [
    { record: "queue:queue_depth:rate5m", expr: "sum by (queue) (rate(queue_depth[5m]))" },
    //                                                                ^ rate-over-non-counter
    { record: "queue:jobs_backlog:increase1h", expr: promql`sum by (queue) (increase(${backlog.where({ queue: "emails" })}[1h]))` },
    //                                                                               ^ rate-over-non-counter
    { record: "queue:queue_depth:irate5m", expr: 'max by (queue) (irate(queue_depth{queue="orders"}[5m]))' },
    //                                                                  ^ rate-over-non-counter
    { record: "method:rpc_duration_seconds:rate5m", expr: "sum by (method) (rate(rpc_duration_seconds[5m]))" },
    //                                                                           ^ rate-over-non-counter
    { record: "route:http_request_duration_seconds:p90", expr: "histogram_quantile(0.9, sum by (route) (rate(http_request_duration_seconds_bucket[5m])))" },
    //                                                                                      ^ histogram-quantile-without-le
    { record: "job:job_duration_seconds:p90", expr: "histogram_quantile(0.9, sum(rate(job_duration_seconds_bucket[5m])))" },
    //                                                                       ^ histogram-quantile-without-le
    { record: "queue:job_duration_seconds:p50", expr: "histogram_quantile(0.5, sum without (le) (rate(job_duration_seconds_bucket[5m])))" },
    //                                                                             ^ histogram-quantile-without-le
    { record: "queue:job_duration_seconds:p99", expr: promql`histogram_quantile(0.99, max by (queue) (rate(${duration.where({})}_bucket[10m])))` },
    //                                                                                    ^ histogram-quantile-without-le
    { record: "service:http_requests:rate30s", expr: "sum by (service) (rate(http_requests_total[30s]))" },
    //                                                                                           ^ warning:range-too-short
    { record: "queue:jobs_processed:increase45s", expr: "sum by (queue) (increase(jobs_processed_total[45s]))" },
    //                                                                                                 ^ warning:range-too-short
    { record: "queue:queue_depth:max15s", expr: "max by (queue) (max_over_time(queue_depth[15s]))" },
    //                                                                                     ^ warning:range-too-short
    { record: "queue:jobs_processed:rate20s", expr: promql`sum by (queue) (rate(${jobs.where({ result: "ok" })}[20s]))` },
    //                                                                                                          ^ warning:range-too-short
  ],
  alerts: [
    {
      name: "WorkerTooManyServerErrors",
      expr: 'http_requests_total{code="500"} > 100',
      //     ^ warning:counter-without-rate
      severity: "ticket",
      summary: "The worker's API returned over 100 server errors.",
      description: "{{ $value }} server errors on {{ $labels.route }}.",
    },
    {
      name: "WorkerJobsFailing",
      expr: promql`${jobs.where({ result: "failed" })} >= 1`,
      //           ^ warning:counter-without-rate
      severity: "ticket",
      summary: "Jobs fail.",
      description: "{{ $value }} jobs failed in queue {{ $labels.queue }}.",
    },
    {
      name: "WorkerJobsRetried",
      expr: 'sum by (queue) (jobs_processed_total{result="retried"}) > 1000',
      //                     ^ warning:counter-without-rate
      severity: "ticket",
      summary: "Jobs are retried often.",
      description: "{{ $value }} retries in queue {{ $labels.queue }}.",
    },
    {
      name: "WorkerSlowJobs",
      expr: promql`histogram_quantile(0.95, sum by (queue) (rate(job_duration_seconds_bucket[5m]))) > 30`,
      //                                        ^ histogram-quantile-without-le
      severity: "ticket",
      summary: "Jobs take longer than 30 seconds.",
      description: "p95 job duration is {{ $value | humanizeDuration }} in queue {{ $labels.queue }}.",
    },
    {
      name: "WorkerBacklogGrowing",
      expr: 'delta(jobs_backlog{queue="emails"}[30s]) > 100',
      //                                        ^ warning:range-too-short
      severity: "ticket",
      summary: "The email backlog grows.",
      description: "The backlog grew by {{ $value }} messages.",
    },
  ],
});
