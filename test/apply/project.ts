/** Monitors for the Grafana and Mimir apply tests: two teams, rules, declared and generated dashboards. */
export const applyProjectFiles = (apply: string): Record<string, string> => ({
  "vigil.config.ts": `import { defineConfig } from "vigil";
export default defineConfig({ apply: ${apply} });
`,
  "monitors/teams.ts": `import { defineTeam } from "vigil";
export const payments = defineTeam({ name: "payments", receivers: { ticket: { webhook: { url: "http://127.0.0.1:9/hook" } } } });
export const platform = defineTeam({ name: "platform", receivers: { ticket: { webhook: { url: "http://127.0.0.1:9/hook" } } } });
`,
  "monitors/checkout.ts": checkout("5m"),
  "monitors/db.ts": `import { defineService, gauge } from "vigil";
import { platform } from "./teams";
const connections = gauge("db_connections", { labels: ["instance"] });
export default defineService({
  name: "db",
  team: platform,
  metrics: [connections],
  alerts: [{ name: "DbConnectionsHigh", expr: "max(db_connections) > 100", severity: "ticket", summary: "Too many connections.", description: "{{ $value }} connections." }],
});
`,
});

/** The checkout service; `forDuration` lets a test change its alert. */
export const checkout = (forDuration: string) => `import { counter, defineService } from "vigil";
import { payments } from "./teams";
const requests = counter("http_requests_total", { labels: ["service", "code"] });
export default defineService({
  name: "checkout",
  team: payments,
  metrics: [requests],
  recordingRules: [{ record: "service:http_requests:rate5m", expr: 'sum by (service) (rate(http_requests_total{service="checkout"}[5m]))' }],
  alerts: [{ name: "CheckoutErrors", expr: 'sum(rate(http_requests_total{service="checkout", code=~"5.."}[5m])) > 1', for: "${forDuration}", severity: "ticket", summary: "Checkout fails.", description: "{{ $value }} errors per second." }],
  dashboards: [{ uid: "checkout-routes", title: "Checkout routes", rows: [{ title: "Traffic", panels: [{ title: "Requests", queries: [{ expr: 'sum(rate(http_requests_total{service="checkout"}[$__rate_interval]))' }] }] }] }],
});
`;
