import { afterAll, describe, expect, it } from "vitest";
import { positionOf } from "../helpers/position.js";
import { compile } from "../helpers/vigil.js";
import { BASE_FILES, makeProject, removeProject } from "../helpers/project.js";

/**
 * Broken monitors, each as a user would write it, with the diagnostic code we expect and
 * the text it must point at: the location is the first character of `at` in `file`.
 */
interface BrokenCase {
  name: string;
  files: Record<string, string>;
  code: string;
  file: string;
  at: string;
  /** When several places hold `at`, the occurrence to point at (0-based). */
  occurrence?: number;
  /** Characters after the start of `at`. */
  shift?: number;
}

const service = (body: string, imports = "counter, defineService") => `import { ${imports} } from "vigil";
import { payments } from "./teams";
const requests = counter("http_requests_total", { labels: ["service", "code"] });
export default defineService({
  name: "checkout",
  team: payments,
  metrics: [requests],
${body}
});
`;

/** A paging alert that passes every lint rule (a \`for\`, a runbook using the metric), unless \`fields\` set their own. */
const RUNBOOK = `      runbook: { triage: [{ step: "See what fails.", query: 'sum(rate(http_requests_total{code=~"5.."}[5m]))' }], mitigation: ["Roll back."] },\n`;
const alert = (fields: string) => `  alerts: [
    {
      name: "CheckoutDown",
      expr: 'up{job="checkout"} == 0',
${/\bfor:/.test(fields) ? "" : '      for: "5m",\n'}      severity: "page",
      summary: "Checkout is down.",
      description: "{{ $labels.instance }} is down.",
${/\brunbook:/.test(fields) ? "" : RUNBOOK}${fields}
    },
  ],`;

const sloService = (slos: string) => `import { counter, defineService, gauge, histogram } from "vigil";
import { payments } from "./teams";
const requests = counter("http_requests_total", { labels: ["service", "code"] });
const latency = histogram("http_request_duration_seconds", { labels: ["service"], buckets: [0.1, 0.3, 1] });
const inflight = gauge("http_requests_in_flight");
const RATIO = { errors: requests.where({ code: /5../ }), total: requests.where({}) };
export default defineService({
  name: "checkout",
  team: payments,
  metrics: [requests, latency, inflight],
  slos: [${slos}],
});
`;

const cases: BrokenCase[] = [
  {
    name: "a latency SLO threshold that is not a bucket",
    files: { "monitors/checkout.ts": sloService(`{ name: "latency", objective: 99, sli: { latency: latency.where({ service: "checkout" }), threshold: 0.4 } }`) },
    code: "slo-threshold-not-bucket",
    file: "monitors/checkout.ts",
    at: `0.4 }`,
  },
  {
    name: "a declared SLO tier that burns below 1x",
    files: { "monitors/checkout.ts": sloService(`{ name: "availability", objective: 99.9, period: "7d", sli: RATIO, alerting: { tiers: [{ severity: "ticket", long: "1d", short: "2h", budgetConsumed: 10 }] } }`) },
    code: "slo-burn-rate-below-one",
    file: "monitors/checkout.ts",
    at: `{ severity: "ticket", long: "1d"`,
  },
  {
    name: "an SLO tier window longer than the period",
    files: { "monitors/checkout.ts": sloService(`{ name: "availability", objective: 99.9, period: "7d", sli: RATIO, alerting: { tiers: [{ severity: "page", long: "8d", short: "1h", budgetConsumed: 100 }] } }`) },
    code: "slo-window-exceeds-period",
    file: "monitors/checkout.ts",
    at: `{ severity: "page", long: "8d"`,
  },
  {
    name: "an SLI query without {{window}}",
    files: { "monitors/checkout.ts": sloService(`{ name: "availability", objective: 99.9, sli: { errors: 'sum(rate(http_requests_total{code=~"5.."}[5m]))', total: RATIO.total } }`) },
    code: "slo-missing-window",
    file: "monitors/checkout.ts",
    at: `'sum(rate(http_requests_total{code=~"5.."}[5m]))'`,
  },
  {
    name: "a PromQL error inside an SLI query",
    files: { "monitors/checkout.ts": sloService(`{ name: "availability", objective: 99.9, sli: { errorRatio: "1 - avg_over_time(up[{{window}}]) by (job)" } }`) },
    code: "promql-syntax",
    file: "monitors/checkout.ts",
    at: `by (job)"`,
  },
  {
    name: "an objective of 100%",
    files: { "monitors/checkout.ts": sloService(`{ name: "availability", objective: 100, sli: RATIO }`) },
    code: "invalid-objective",
    file: "monitors/checkout.ts",
    at: `100, sli`,
  },
  {
    name: "an SLO period in hours",
    files: { "monitors/checkout.ts": sloService(`{ name: "availability", objective: 99.9, period: "36h", sli: RATIO }`) },
    code: "invalid-slo-period",
    file: "monitors/checkout.ts",
    at: `"36h"`,
  },
  {
    name: "a low-traffic guard on a probe SLI",
    files: { "monitors/checkout.ts": sloService(`{ name: "probe", objective: 99.9, sli: { probe: "probe_success" }, minEvents: 10 }`) },
    code: "slo-min-events-unsupported",
    file: "monitors/checkout.ts",
    at: `10 }`,
  },
  {
    name: "a ratio SLI over a gauge",
    files: { "monitors/checkout.ts": sloService(`{ name: "availability", objective: 99.9, sli: { errors: inflight.where({}), total: RATIO.total } }`) },
    code: "slo-sli-metric-kind",
    file: "monitors/checkout.ts",
    at: `inflight.where({})`,
  },
  {
    name: "an SLO name used twice in a service",
    files: { "monitors/checkout.ts": sloService(`{ name: "availability", objective: 99.9, sli: RATIO }, { name: "availability", objective: 99, sli: RATIO }`) },
    code: "duplicate-slo",
    file: "monitors/checkout.ts",
    at: `"availability"`,
    occurrence: 1,
  },
  {
    name: "a TypeScript syntax error",
    files: { "monitors/checkout.ts": service(alert(`      for: "5m",,`)) },
    code: "syntax-error",
    file: "monitors/checkout.ts",
    at: `,,`,
    shift: 1,
  },
  {
    name: "a copied service file (duplicate name)",
    files: { "monitors/checkout-copy.ts": BASE_FILES["monitors/checkout.ts"]! },
    code: "duplicate-service",
    file: "monitors/checkout.ts",
    at: `"checkout",`,
  },
  {
    name: "a duration written in words",
    files: { "monitors/checkout.ts": service(alert(`      for: "ten minutes",`)) },
    code: "invalid-duration",
    file: "monitors/checkout.ts",
    at: `"ten minutes"`,
  },
  {
    name: "a misspelt field",
    files: { "monitors/checkout.ts": service(alert(`      sumary: "typo",`)) },
    code: "unknown-field",
    file: "monitors/checkout.ts",
    at: `sumary`,
  },
  {
    name: "a missing required field",
    files: {
      "monitors/checkout.ts": service(`  alerts: [{ name: "CheckoutDown", expr: "up == 0", severity: "page", description: "d" }],`),
    },
    code: "missing-field",
    file: "monitors/checkout.ts",
    at: `{ name: "CheckoutDown"`,
  },
  {
    name: "an unknown team",
    files: { "monitors/checkout.ts": service(alert("")).replace("team: payments", 'team: "paymnets"') },
    code: "unknown-team",
    file: "monitors/checkout.ts",
    at: `"paymnets"`,
  },
  {
    name: "a severity outside the configured set",
    files: { "monitors/checkout.ts": service(alert("")).replace('severity: "page"', 'severity: "critical"') },
    code: "unknown-severity",
    file: "monitors/checkout.ts",
    at: `"critical"`,
  },
  {
    name: "a bad label name",
    files: { "monitors/checkout.ts": service(alert(`      labels: { "runbook-id": "42" },`)) },
    code: "invalid-label-name",
    file: "monitors/checkout.ts",
    at: `"runbook-id"`,
  },
  {
    name: "a bad metric name",
    files: { "monitors/checkout.ts": service(alert("")).replace('counter("http_requests_total"', 'counter("http-requests-total"') },
    code: "invalid-metric-name",
    file: "monitors/checkout.ts",
    at: `counter("http-requests-total"`,
  },
  {
    name: "a PromQL syntax error in a string",
    files: { "monitors/checkout.ts": service(alert("")).replace(`'up{job="checkout"} == 0'`, `'rate(http_requests_total[5m]) by (code) > 1'`) },
    code: "promql-syntax",
    file: "monitors/checkout.ts",
    at: `by (code) > 1'`,
  },
  {
    name: "a PromQL syntax error inside a promql template",
    files: {
      "monitors/checkout.ts": service(alert(""), "counter, defineService, promql").replace(
        `'up{job="checkout"} == 0'`,
        "promql`sum(rate(${requests.where({ code: /5../ })}[5m])) >> 1`",
      ),
    },
    code: "promql-syntax",
    file: "monitors/checkout.ts",
    at: `> 1\``,
  },
  {
    name: "the same alert name in two services",
    files: {
      "monitors/cart.ts": service(alert(`      for: "5m",`)).replace('name: "checkout"', 'name: "cart"'),
    },
    code: "duplicate-alert",
    file: "monitors/checkout.ts",
    at: `"CheckoutDown"`,
  },
  {
    name: "the same alert name and severity twice in one service",
    files: {
      "monitors/checkout.ts": service(`  alerts: [
    { name: "CheckoutDown", expr: "up == 0", severity: "page", summary: "Down.", description: "d" },
    { name: "CheckoutDown", expr: "up == 0", severity: "page", summary: "Down.", description: "d" },
  ],`),
    },
    code: "duplicate-alert",
    file: "monitors/checkout.ts",
    at: `"CheckoutDown"`,
    occurrence: 1,
  },
  {
    name: "the same recording rule twice",
    files: {
      "monitors/checkout.ts": service(`  recordingRules: [
    { record: "job:http_requests:rate5m", expr: "sum by (job) (rate(http_requests_total[5m]))" },
    { record: "job:http_requests:rate5m", expr: "sum by (job) (rate(http_requests_total[1m]))" },
  ],`),
    },
    code: "duplicate-recording-rule",
    file: "monitors/checkout.ts",
    at: `"job:http_requests:rate5m"`,
    occurrence: 1,
  },
  {
    name: "a dashboard uid used twice",
    files: {
      "monitors/checkout.ts": service(`  dashboards: [
    { uid: "checkout-main", title: "Checkout", rows: [{ title: "Traffic", panels: [{ title: "RPS", queries: ["sum(rate(http_requests_total[5m]))"] }] }] },
    { uid: "checkout-main", title: "Checkout 2", rows: [{ title: "Traffic", panels: [{ title: "RPS", queries: ["sum(rate(http_requests_total[5m]))"] }] }] },
  ],`),
    },
    code: "duplicate-dashboard-uid",
    file: "monitors/checkout.ts",
    at: `{ uid: "checkout-main", title: "Checkout 2"`,
  },
  {
    name: "a dashboard taking the uid of a generated SLO dashboard",
    files: {
      "monitors/checkout.ts": sloService(`{ name: "availability", objective: 99.9, sli: RATIO }`).replace(
        "slos: [",
        'dashboards: [{ uid: "slo-checkout-availability", title: "Mine", rows: [{ title: "r", panels: [{ title: "p", queries: ["up"] }] }] }],\n  slos: [',
      ),
    },
    code: "duplicate-dashboard-uid",
    file: "monitors/checkout.ts",
    at: `{ uid: "slo-checkout-availability"`,
  },
  {
    name: "an alert test that expects a firing alert without its value",
    files: { "monitors/checkout.ts": service(alert(`      tests: [{ series: { 'up{job="checkout"}': "0x10" }, at: "5m", fires: [{ labels: { job: "checkout" } }] }],`)).replace('"{{ $labels.instance }} is down."', '"Up is {{ $value }}."') },
    code: "alert-test-needs-value",
    file: "monitors/checkout.ts",
    at: `{ labels: { job: "checkout" } }`,
  },
  {
    name: "an alert test whose annotation template Vigil cannot evaluate",
    files: { "monitors/checkout.ts": service(alert(`      tests: [{ series: { 'up{job="checkout"}': "0x10" }, at: "5m", fires: [{ value: 0 }] }],`)).replace('"{{ $labels.instance }} is down."', '"{{ $value | humanize1024 }} is down."') },
    code: "alert-test-annotation-unknown",
    file: "monitors/checkout.ts",
    at: `{ value: 0 }`,
  },
  {
    name: "a Slack webhook URL written in a monitor",
    files: { "monitors/teams.ts": `import { defineTeam } from "vigil";
export const payments = defineTeam({
  name: "payments",
  receivers: { page: { webhook: { url: "https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX" } } },
});
` },
    code: "literal-secret",
    file: "monitors/teams.ts",
    at: `"https://hooks.slack.com/services/`,
  },
  {
    name: "a token in an alert annotation",
    files: { "monitors/checkout.ts": service(alert(`      annotations: { api: "https://status.example.com/api?token=abcdef123456" },`)) },
    code: "literal-secret",
    file: "monitors/checkout.ts",
    at: `"https://status.example.com/api?token=`,
  },
  {
    name: "a time interval that is not declared",
    files: { "monitors/teams.ts": `import { defineTeam } from "vigil";
export const payments = defineTeam({
  name: "payments",
  receivers: { page: { webhook: { url: "http://127.0.0.1:9/hook" } } },
  muteDuring: ["maintenance"],
});
` },
    code: "unknown-time-interval",
    file: "monitors/teams.ts",
    at: `"maintenance"`,
  },
  {
    name: "a route to a receiver that does not exist",
    files: { "monitors/teams.ts": `import { defineTeam } from "vigil";
export const payments = defineTeam({
  name: "payments",
  receivers: { page: { webhook: { url: "http://127.0.0.1:9/hook" } } },
  routes: [{ match: { env: "staging" }, receiver: "payments-quiet" }],
});
` },
    code: "unknown-receiver",
    file: "monitors/teams.ts",
    at: `"payments-quiet"`,
  },
  {
    name: "a dependency on a service that does not exist",
    files: { "monitors/checkout.ts": BASE_FILES["monitors/checkout.ts"]!.replace("metrics: [requests],", 'metrics: [requests],\n  dependsOn: ["orders-db"],') },
    code: "unknown-service",
    file: "monitors/checkout.ts",
    at: `"orders-db"`,
  },
  {
    name: "an MS Teams receiver on Alertmanager 0.25",
    files: { "monitors/teams.ts": `import { defineTeam } from "vigil";
export const payments = defineTeam({
  name: "payments",
  receivers: { page: { msteams: { webhookUrlFile: "/etc/alertmanager/secrets/teams" } } },
});
` },
    code: "needs-newer-alertmanager",
    file: "monitors/teams.ts",
    at: `{ msteams:`,
  },
  {
    name: "two dashboards with one title in a team's folder",
    files: {
      "monitors/checkout.ts": service(`  dashboards: [
    { uid: "checkout-a", title: "Checkout", rows: [{ title: "r", panels: [{ title: "p", queries: ["up"] }] }] },
    { uid: "checkout-b", title: "Checkout", rows: [{ title: "r", panels: [{ title: "p", queries: ["up"] }] }] },
  ],`),
    },
    code: "duplicate-dashboard-title",
    file: "monitors/checkout.ts",
    at: `{ uid: "checkout-b"`,
  },
  {
    name: "a monitor file that throws",
    files: {
      "monitors/checkout.ts": `import { defineService } from "vigil";
const owners: Record<string, string> = {};
export default defineService({ name: "checkout", team: owners.checkout!.toString() });
`,
    },
    code: "monitor-threw",
    file: "monitors/checkout.ts",
    at: `toString()`,
  },
  {
    name: "an import of a file that does not exist",
    files: { "monitors/checkout.ts": `import { payments } from "./teamz";\n${BASE_FILES["monitors/checkout.ts"]!.replace('import { payments } from "./teams";\n', "")}` },
    code: "import-not-found",
    file: "monitors/checkout.ts",
    at: `"./teamz"`,
  },
  {
    name: "a secret written in place of its file",
    files: {
      "monitors/teams.ts": `import { defineTeam } from "vigil";
export const payments = defineTeam({
  name: "payments",
  receivers: { page: { pagerduty: { routingKeyFile: "R0UT1NGK3Y0123456789" } } },
});
`,
    },
    code: "secret-not-file",
    file: "monitors/teams.ts",
    at: `"R0UT1NGK3Y0123456789"`,
  },
  {
    name: "a label Vigil sets itself",
    files: { "monitors/checkout.ts": service(alert(`      labels: { team: "other" },`)) },
    code: "reserved-label",
    file: "monitors/checkout.ts",
    at: `team: "other"`,
  },
  {
    name: "an e-mail receiver without SMTP settings",
    files: {
      "monitors/teams.ts": `import { defineTeam } from "vigil";
export const payments = defineTeam({
  name: "payments",
  receivers: { page: { email: { to: "oncall@example.com" } } },
});
`,
    },
    code: "missing-smtp",
    file: "monitors/teams.ts",
    at: `{ to: "oncall@example.com" }`,
  },
  {
    name: "an SDK dashboard without a uid",
    files: {
      "monitors/checkout.ts": `import { defineService } from "vigil";
import { DashboardBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { payments } from "./teams";
export default defineService({
  name: "checkout",
  team: payments,
  dashboards: [new DashboardBuilder("Checkout")],
});
`,
    },
    code: "invalid-dashboard-uid",
    file: "monitors/checkout.ts",
    at: `new DashboardBuilder`,
  },
  {
    name: "a receiver for a severity that does not exist",
    files: {
      "monitors/teams.ts": `import { defineTeam } from "vigil";
export const payments = defineTeam({
  name: "payments",
  receivers: { page: { webhook: { url: "http://127.0.0.1:9/hook" } }, urgent: { webhook: { url: "http://127.0.0.1:9/u" } } },
});
`,
    },
    code: "unknown-severity",
    file: "monitors/teams.ts",
    at: `urgent:`,
  },
  {
    name: "a misspelt config field",
    files: { "vigil.config.ts": `import { defineConfig } from "vigil";\nexport default defineConfig({ monitors: "monitors/**/*.ts", outdir: "out" });\n` },
    code: "unknown-field",
    file: "vigil.config.ts",
    at: `outdir`,
  },
  {
    name: "a service name that cannot be a file name",
    files: { "monitors/checkout.ts": BASE_FILES["monitors/checkout.ts"]!.replace('name: "checkout"', 'name: "Checkout Service"') },
    code: "invalid-name",
    file: "monitors/checkout.ts",
    at: `"Checkout Service"`,
  },
  {
    name: "a bad duration on a service's evaluation interval",
    files: { "monitors/checkout.ts": BASE_FILES["monitors/checkout.ts"]!.replace("metrics: [requests],", 'metrics: [requests],\n  interval: "1 minute",') },
    code: "invalid-duration",
    file: "monitors/checkout.ts",
    at: `"1 minute"`,
  },
];

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeProject)));

describe("broken monitors", () => {
  it("has at least 15 distinct cases", () => {
    expect(new Set(cases.map((c) => c.name)).size).toBeGreaterThanOrEqual(15);
  });

  it.each(cases)("reports $name as $code at the exact place", async (c) => {
    const files = { ...BASE_FILES, ...c.files };
    const dir = await makeProject(files);
    dirs.push(dir);
    const result = await compile({ cwd: dir });
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    const expected = { file: c.file, ...positionOf(files[c.file]!, c.at, c.occurrence, c.shift) };
    expect(errors.map((d) => ({ code: d.code, ...d.location }))).toContainEqual({ code: c.code, ...expected });
    expect(result.files).toEqual([]);
    for (const d of errors) {
      expect(d.message.length).toBeGreaterThan(10);
      expect(d.code).toMatch(/^[a-z]+(-[a-z0-9]+)*$/);
    }
  });

  it("accepts one alert name at two severities in one service (tiers)", async () => {
    const dir = await makeProject({
      ...BASE_FILES,
      "monitors/checkout.ts": service(`  alerts: [
    { name: "CheckoutErrors", expr: "up == 0", severity: "ticket", summary: "Errors.", description: "{{ $labels.job }} is down." },
    { name: "CheckoutErrors", expr: "up == 0", for: "5m", severity: "page", summary: "Errors.", description: "{{ $labels.job }} is down.", runbook: { triage: ["Look."], mitigation: ["Restart it."] } },
  ],`).replace("metrics: [requests],", ""),
    });
    dirs.push(dir);
    const result = await compile({ cwd: dir });
    // The team has no ticket receiver: a warning, not an error.
    expect(result.diagnostics.map((d) => d.code).sort()).toEqual(["alert-unrouted"]);
    const anchors = result.plan!.services[0]!.alerts.map((a) => a.anchor);
    expect(anchors).toEqual(["checkouterrors-ticket", "checkouterrors-page"]);
  });

  it("reports a paging alert whose runbook has no triage or mitigation", async () => {
    const content = service(alert(`      runbook: { triage: ["Look at the logs."] },`)).replace("metrics: [requests],", "");
    const dir = await makeProject({ ...BASE_FILES, "monitors/checkout.ts": content });
    dirs.push(dir);
    const result = await compile({ cwd: dir });
    expect(result.diagnostics.map((d) => [d.severity, d.code, d.message])).toEqual([
      ["error", "runbook-missing-steps", "paging alert CheckoutDown has no mitigation steps in its runbook"],
    ]);
    expect(result.diagnostics[0]!.location).toEqual({ file: "monitors/checkout.ts", ...positionOf(content, "{ triage:") });
  });

  it("warns about an alert that only the catch-all receiver would get", async () => {
    const dir = await makeProject({ ...BASE_FILES, "monitors/checkout.ts": service(alert("")).replace('severity: "page"', 'severity: "ticket"') });
    dirs.push(dir);
    const result = await compile({ cwd: dir });
    const content = service(alert("")).replace('severity: "page"', 'severity: "ticket"');
    expect(result.diagnostics.map((d) => [d.severity, d.code, d.location?.line, d.location?.column])).toEqual([
      ["warning", "alert-unrouted", ...Object.values(positionOf(content, '"ticket"'))],
    ]);
  });

  it("reports every problem of every file in one run", async () => {
    const files = {
      ...BASE_FILES,
      "monitors/checkout.ts": service(alert(`      for: "ten minutes",\n      sumary: "x",`)),
      "monitors/cart.ts": service(alert("")).replace('name: "checkout"', 'name: "cart"').replace('severity: "page"', 'severity: "urgent"'),
    };
    const dir = await makeProject(files);
    dirs.push(dir);
    const result = await compile({ cwd: dir });
    const codes = result.diagnostics.map((d) => `${d.location?.file}:${d.code}`).sort();
    expect(codes).toEqual([
      "monitors/cart.ts:unknown-severity",
      "monitors/checkout.ts:invalid-duration",
      "monitors/checkout.ts:unknown-field",
    ]);
  });
});
