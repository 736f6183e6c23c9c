import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../../src/plan/types.js";
import { PrometheusError, type PrometheusClient, type PromAlertingRule, type PromRuleAlert, type RangeSeries, type Sample } from "../../src/status/client.js";
import { collectStatus } from "../../src/status/collect.js";
import type { Model } from "../../src/validate/validate.js";
import { makeProject, removeProject } from "../helpers/project.js";
import { compile } from "../helpers/vigil.js";

/**
 * collectStatus on a compiled plan and a scripted Prometheus: what it asks, and how it turns the
 * answers into a report. (The real server is in test/e2e/status.test.ts.)
 */
const FILES = {
  "monitors/teams.ts": `import { defineTeam } from "vigil";
export const shop = defineTeam({ name: "shop", receivers: { page: { webhook: { url: "http://127.0.0.1:9/page" } }, ticket: { webhook: { url: "http://127.0.0.1:9/ticket" } } } });
`,
  "monitors/api.ts": `import { counter, defineService, gauge, promql } from "vigil";
import { shop } from "./teams";
const requests = counter("http_requests_total", { labels: ["service", "route", "code"] });
const probe = gauge("probe_success", { labels: ["job"] });
const runbook = { summary: "Slow.", impact: "Users wait.", triage: ["Look."], mitigation: ["Scale up."] };
const expr = (n: number) => promql\`sum(rate(\${requests.where({ service: "api" })}[5m])) > \${n}\`;
export default defineService({
  name: "api",
  team: shop,
  metrics: [requests, probe],
  alerts: [
    { name: "ApiBusy", expr: expr(100), for: "5m", severity: "page", summary: "Very busy.", description: "{{ $value }} rps.", runbook },
    { name: "ApiBusy", expr: expr(50), severity: "ticket", summary: "Busy.", description: "{{ $value }} rps.", runbook },
  ],
  slos: [
    { name: "routes", objective: 99.9, period: "7d", groupBy: ["route"], sli: { errors: requests.where({ service: "api", code: /5../ }), total: requests.where({ service: "api" }) } },
    { name: "probe", objective: 99, period: "28d", sli: { probe: probe.where({ job: "api" }) } },
  ],
});
`,
};

let project: string;
let plan: Plan;
let model: Model;
beforeAll(async () => {
  project = await makeProject(FILES);
  const result = await compile({ cwd: project });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  // The built compiler's plan: the same shapes as src/ (tests load monitors through dist, see vitest.config.ts).
  plan = result.plan as unknown as Plan;
  model = result.model as unknown as Model;
});
afterAll(() => removeProject(project));

const AT = 1_714_986_000;

interface Script {
  query?: (expr: string) => Sample[];
  range?: (expr: string) => RangeSeries[];
  rules?: () => PromAlertingRule[];
}

/** A client that answers from a script and records every request. */
function scripted(script: Script): PrometheusClient & { asked: string[] } {
  const asked: string[] = [];
  return {
    url: "http://prometheus.test",
    asked,
    async query(expr, at) {
      asked.push(`query@${at} ${expr}`);
      return script.query?.(expr) ?? [];
    },
    async queryRange(expr, start, end, step) {
      asked.push(`range ${start}..${end}/${step} ${expr}`);
      return script.range?.(expr) ?? [];
    },
    async alertingRules() {
      asked.push("rules");
      return script.rules?.() ?? [];
    },
    async alerts(): Promise<PromRuleAlert[]> {
      asked.push("alerts");
      return [
        { labels: { alertname: "ApiBusy", service: "api", severity: "ticket", team: "shop" }, state: "firing", activeAt: "2024-05-06T08:00:00Z", value: "72" },
        { labels: { alertname: "ApiBusy", service: "api", severity: "page", team: "shop" }, state: "pending", activeAt: "2024-05-06T08:59:00Z", value: "101" },
        { labels: { alertname: "Watchdog" }, state: "firing", activeAt: "2024-05-01T00:00:00Z", value: "1" },
      ];
    },
  };
}

describe("collectStatus", () => {
  it("asks for the recorded ratios of every window and the period, the budget left, and the SLI per step", async () => {
    const client = scripted({});
    await collectStatus({ plan, model, client, at: AT });
    const routes = client.asked.filter((q) => q.includes('slo="routes"') || q.includes("[2520s]"));
    expect(routes).toEqual([
      `query@${AT} {__name__=~"slo:sli_error:ratio_rate(?:5m|30m|1h|2h|6h|1d|3d|7d)", slo="routes", service="api"}`,
      `query@${AT} slo:period_error_budget_remaining:ratio{slo="routes", service="api"}`,
      // Errors are 0, not absent, in a step with traffic and no error series (the rules' own fallback).
      `range ${AT - 239 * 2520}..${AT}/2520 sum by (route) (rate(http_requests_total{service="api", code=~"5.."}[2520s])) or 0 * sum by (route) (rate(http_requests_total{service="api"}[2520s]))`,
      `range ${AT - 239 * 2520}..${AT}/2520 sum by (route) (rate(http_requests_total{service="api"}[2520s]))`,
    ]);
    // A probe SLI has no events: its chart comes from the error ratio per step (28d: 10080 s steps).
    expect(client.asked).toContain(`range ${AT - 239 * 10_080}..${AT}/10080 1 - avg (avg_over_time(probe_success{job="api"}[10080s]))`);
  });

  it("turns the answers into SLIs, budgets and burn rates per group", async () => {
    const ratio = (window: string, route: string, value: number): Sample => ({ labels: { __name__: `slo:sli_error:ratio_rate${window}`, route, service: "api", slo: "routes" }, value });
    const client = scripted({
      query: (expr) =>
        expr.startsWith("{__name__") && expr.includes("routes")
          ? [ratio("5m", "/pay", 0.002), ratio("1h", "/pay", 0.0015), ratio("7d", "/pay", 0.0012), ratio("7d", "/list", 0)]
          : expr.startsWith("slo:period_error_budget_remaining") && expr.includes("routes")
            ? [{ labels: { route: "/pay", slo: "routes" }, value: -0.2 }, { labels: { route: "/list", slo: "routes" }, value: 1 }]
            : [],
      range: (expr) =>
        expr.includes('code=~"5.."')
          ? [{ labels: { route: "/pay" }, points: [[AT - 2520, 1], [AT, 1]] }]
          : expr.includes("http_requests_total")
            ? [{ labels: { route: "/pay" }, points: [[AT - 2520, 500], [AT, 500]] }, { labels: { route: "/new" }, points: [[AT, 10]] }]
            : [],
    });
    const report = await collectStatus({ plan, model, client, at: AT });
    const routes = report.slos.find((s) => s.name === "routes")!;
    expect(routes).toMatchObject({ service: "api", team: "shop", objective: 99.9, period: "7d", budget: 0.001, kind: "ratio", groupBy: ["route"], burnDownStep: 2520, alerts: ["ApiRoutesErrorBudgetBurn"] });
    // Groups from any answer, sorted: /new only has traffic in the chart.
    expect(routes.groups.map((g) => g.labels.route)).toEqual(["/list", "/new", "/pay"]);
    const pay = routes.groups[2]!;
    expect(pay.sli).toBeCloseTo(0.9988, 12);
    expect(pay.budgetRemaining).toBe(-0.2);
    expect(pay.burnRates.find((b) => b.window === "5m")!.rate).toBeCloseTo(2, 12);
    expect(pay.burnRates.find((b) => b.window === "1h")!.rate).toBeCloseTo(1.5, 12);
    // No series, no number: never a made-up zero.
    expect(pay.burnRates.find((b) => b.window === "30m")).toEqual({ window: "30m" });
    // 2 errors of 1000 events against a 0.1% budget (1 error): 1 - 1/1, then 1 - 2/1.
    expect(pay.burnDown).toEqual([{ t: AT - 2520, remaining: 0 }, { t: AT, remaining: -1 }]);
    expect(routes.groups[0]).toMatchObject({ labels: { route: "/list" }, sli: 1, budgetRemaining: 1, burnDown: [] });
    expect(routes.groups[1]).toEqual({ labels: { route: "/new" }, burnRates: routes.groups[1]!.burnRates.map((b) => ({ window: b.window })), burnDown: [{ t: AT, remaining: 1 }] });
    // An SLO without any series still shows, as one group with nothing known.
    expect(report.slos.find((s) => s.name === "probe")!.groups).toEqual([{ labels: {}, burnRates: ["5m", "30m", "1h", "2h", "6h", "1d", "3d"].map((window) => ({ window })), burnDown: [] }]);
  });

  it("tells alerts apart by severity, and marks those Prometheus does not have as not loaded", async () => {
    const rule = (severity: string, state: string, alerts: PromAlertingRule["alerts"], lastError?: string): PromAlertingRule => ({
      name: "ApiBusy", state, health: lastError ? "err" : "ok", labels: { service: "api", severity, team: "shop" }, alerts, ...(lastError && { lastError }),
    });
    const client = scripted({
      rules: () => [
        rule("ticket", "firing", [{ labels: {}, state: "firing", activeAt: "2024-05-06T08:00:00Z" }, { labels: {}, state: "firing", activeAt: "2024-05-06T07:00:00Z" }]),
        rule("page", "pending", [{ labels: {}, state: "pending", activeAt: "2024-05-06T08:59:00Z" }], "query timed out"),
      ],
    });
    const report = await collectStatus({ plan, model, client, at: AT });
    expect(report.alerts.map((a) => [a.name, a.severity, a.state, a.firingCount, a.pendingCount, a.activeSince, a.error])).toEqual([
      ["ApiBusy", "page", "pending", 0, 1, AT - 60, "query timed out"],
      ["ApiBusy", "ticket", "firing", 2, 0, AT - 2 * 3600, undefined],
      ["ApiProbeErrorBudgetBurn", "page", "not-loaded", 0, 0, undefined, undefined],
      ["ApiProbeErrorBudgetBurn", "ticket", "not-loaded", 0, 0, undefined, undefined],
      ["ApiRoutesErrorBudgetBurn", "page", "not-loaded", 0, 0, undefined, undefined],
      ["ApiRoutesErrorBudgetBurn", "ticket", "not-loaded", 0, 0, undefined, undefined],
    ]);
    expect(report.alerts.find((a) => a.name === "ApiRoutesErrorBudgetBurn")!.origin).toBe("slo");
    expect(report.alerts[0]!.origin).toBe("alert");
    expect(report.firing).toEqual([
      { name: "ApiBusy", labels: { service: "api", severity: "ticket", team: "shop" }, activeSince: AT - 3600, value: 72, vigil: true },
      { name: "Watchdog", labels: {}, activeSince: 1_714_521_600, value: 1, vigil: false },
    ]);
  });

  it("collects failed queries as problems and reports the rest", async () => {
    const client = scripted({
      query: (expr) => {
        if (expr.includes("probe")) throw new PrometheusError(`Prometheus at http://prometheus.test: GET /api/v1/query (${expr}) answered HTTP 422: too slow`);
        return [];
      },
      rules: () => {
        throw new PrometheusError("Prometheus at http://prometheus.test: GET /api/v1/rules answered HTTP 503");
      },
    });
    const report = await collectStatus({ plan, model, client, at: AT });
    expect(report.problems).toHaveLength(3);
    expect(report.problems[0]).toBe("Prometheus at http://prometheus.test: GET /api/v1/rules answered HTTP 503");
    expect(report.problems.slice(1).every((p) => p.includes('slo="probe"') && p.endsWith("too slow"))).toBe(true);
    // Without the rules, no alert can be said to be loaded; the SLOs are still there.
    expect(report.alerts.every((a) => a.state === "not-loaded")).toBe(true);
    expect(report.slos.map((s) => s.name)).toEqual(["probe", "routes"]);
    // A grouped SLO without any series is one row, not a group with empty labels.
    expect(report.slos[1]!.groups.map((g) => g.labels)).toEqual([{}]);
  });

  it("rethrows what is not a Prometheus answer: a bug must not pass for a problem", async () => {
    const client = scripted({ query: () => { throw new TypeError("boom"); } });
    await expect(collectStatus({ plan, model, client, at: AT })).rejects.toThrow("boom");
  });
});
