import { counter, defineDashboard, defineService, gauge } from "vigil";

// Rules silenced on purpose: each `suppress` gives its reason, and the service is otherwise
// clean. No diagnostics here (lint.rules in vigil.config.ts is covered by the config corpus).
const sessions = counter("legacy_sessions_total", { labels: ["result"] });
const exported = gauge("legacy_sessions_active", { help: "Read by the billing team's dashboards" });

const overview = defineDashboard({
  title: "Legacy sessions",
  suppress: { "unknown-metric": "the old exporter's series, gone with the migration in Q3" },
  rows: [{ title: "Sessions", panels: [{ title: "Old sessions", queries: ["sum(rate(sessions_v0_total[5m]))"] }] }],
});

export default defineService({
  name: "legacy-sessions",
  team: "payments",
  suppress: { "unused-metric": "legacy_sessions_active is read by the billing team's dashboards" },
  metrics: [sessions, exported],
  recordingRules: [
    {
      record: "legacy_sessions_rate5m",
      expr: "sum(rate(legacy_sessions_total[5m]))",
      suppress: { "recording-rule-name": "dashboards of other teams query this name" },
    },
  ],
  alerts: [
    {
      name: "legacy_sessions_failing",
      expr: 'legacy_sessions_total{result="failed"} > 1000',
      severity: "ticket",
      summary: "legacy sessions fail",
      description: "Legacy sessions fail.",
      suppress: { "alert-name-camelcase": "pagers match on this name", "alert-summary-style": "the old status page matches on it", "alert-description-templated": "the old status page shows it verbatim", "counter-without-rate": "the exporter resets it every hour" },
    },
  ],
  slos: [
    {
      name: "sessions",
      // 99.9%: the Workbook's fast tier catches a full outage in 1m (at 99% it would take 9m: detection-time).
      objective: 99.9,
      suppress: { "unknown-metric": "legacy_errors_total comes from the old load balancer, not declared here" },
      sli: { errorRatio: "sum(rate(legacy_errors_total[{{window}}])) / sum(rate(legacy_sessions_total[{{window}}]))" },
    },
  ],
  dashboards: [overview],
});
