import { defineService } from "vigil";

// Operands and arguments of the wrong type: Prometheus parses these and refuses them when it
// loads the rules. The caret is on the argument of the wrong type.
export default defineService({
  name: "types",
  team: "payments",
  recordingRules: [
    { record: "route:http_requests:rate", expr: "sum by (route) (rate(http_requests_total))" },
    //                                                                ^ promql-type
    { record: "queue:queue_depth:max5m", expr: "max by (queue) (queue_depth[5m])" },
    //                                                          ^ promql-type
    { record: "le:http_request_duration_seconds:p99", expr: 'histogram_quantile("0.99", sum by (le) (rate(http_request_duration_seconds_bucket[5m])))' },
    //                                                                          ^ promql-type
    { record: "queue:queue_depth:abs", expr: "abs(queue_depth[10m])" },
    //                                            ^ promql-type
    { record: "queue:queue_depth:delta", expr: "delta(queue_depth)" },
    //                                                ^ promql-type
    { record: "queue:queue_depth:round", expr: 'round(queue_depth, "10")' },
    //                                                             ^ promql-type
  ],
  alerts: [
    {
      name: "TypesQueueTooLong",
      expr: 'max by (queue) (queue_depth) > "1000"',
      //                                    ^ promql-type
      severity: "ticket",
      summary: "A queue holds more than 1000 messages.",
      description: "{{ $value }} messages wait in {{ $labels.queue }}.",
    },
  ],
});
