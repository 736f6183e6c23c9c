import { defineService, promql } from "vigil";

// A syntax error fails the service's schema, which hides its other problems: this service holds
// nothing but expressions that do not parse.
export default defineService({
  name: "syntax",
  team: "payments",
  recordingRules: [
    { record: "job:up:sum", expr: 'sum by (job) (up' },
    //                                             ^ promql-syntax
    { record: "job:up:max", expr: 'max by (job) (up{job="api")' },
    //                                                       ^ promql-syntax
    { record: "job:up:min", expr: "min by (job) (up) > > 0" },
    //                                                 ^ promql-syntax
    { record: "job:up:avg", expr: promql`avg by (job) (up) and on() ` },
    //                                                              ^ promql-syntax
    // A misspelt function is reported at its name, as Prometheus does.
    { record: "job:x:rate5m", expr: "sum by (job) (rat(x_total[5m]))" },
    //                                             ^ promql-syntax
  ],
  alerts: [
    {
      name: "SyntaxBadDuration",
      expr: "avg_over_time(up[5 m]) < 0.5",
      //                      ^ promql-syntax
      severity: "ticket",
      summary: "Targets are flapping.",
      description: "{{ $labels.job }} is up {{ $value | humanizePercentage }} of the time.",
      runbook: {
        triage: [{ step: "Which targets?", query: "count by (job) (up == 0" }],
        //                                                                ^ promql-syntax
      },
    },
  ],
  dashboards: [
    {
      title: "Syntax",
      rows: [{ title: "Targets", panels: [{ title: "Up", queries: ["sum(up) by job"] }] }],
      //                                                                       ^ promql-syntax
    },
  ],
});
