import { counter, defineService, promql } from "vigil";

// Label matchers are RE2 regular expressions: no lookaround, no backreferences, balanced groups.
const logins = counter("logins_total", { labels: ["method", "result"] });

export default defineService({
  name: "identity",
  team: "payments",
  metrics: [logins],
  recordingRules: [
    { record: "route:http_requests:v1_rate5m", expr: 'sum by (route) (rate(http_requests_total{route=~"/api/(v1|v2"}[5m]))' },
    //                                                                                                ^ invalid-regex
    { record: "route:http_requests:nonhealth_rate5m", expr: 'sum by (route) (rate(http_requests_total{route!~"(?!/health).*"}[5m]))' },
    //                                                                                                       ^ invalid-regex
    { record: "code:http_requests:rate5m", expr: 'sum by (code) (rate(http_requests_total{code=~"5**"}[5m]))' },
    //                                                                                          ^ invalid-regex
    { record: "queue:queue_depth:last", expr: 'max by (queue) (queue_depth{queue=~"[z-a]+"})' },
    //                                                                            ^ invalid-regex
    { record: "method:logins:rate5m", expr: promql`sum by (method) (rate(${logins.where({ method: /(?<=oauth)-google/ })}[5m]))` },
    //                                                                   ^ invalid-regex
    { record: "job:up:relabelled", expr: 'label_replace(up, "1host", "$1", "instance", "(.*):.*")' },
    //                                                      ^ invalid-label-name
    { record: "job:up:joined", expr: 'label_join(up, "", ",", "job")' },
    //                                               ^ invalid-label-name
    { record: "job:up:joined_hosts", expr: 'label_join(up, "hosts", ",", "instance", "host-name")' },
    //                                                                               ^ invalid-label-name
  ],
  alerts: [
    {
      name: "IdentityLoginsFailing",
      expr: 'sum(rate(logins_total{result=~"fail(ed|ure"}[5m])) > 1',
      //                                   ^ invalid-regex
      severity: "ticket",
      summary: "Logins fail.",
      description: "{{ $value }} logins fail per second.",
    },
  ],
});
