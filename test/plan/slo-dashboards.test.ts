import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { configSchema } from "../../src/model/config.js";
import type { TeamInput } from "../../src/model/define.js";
import { serviceSchema, type ServiceInput } from "../../src/model/service.js";
import { sloSchema, type SloInput } from "../../src/model/slo.js";
import { teamSchema } from "../../src/model/team.js";
import { emitGrafana } from "../../src/emit/grafana.js";
import { plan } from "../../src/plan/plan.js";
import { sloDashboard, teamSloDashboard } from "../../src/plan/slo-dashboards.js";
import type { DashboardPlan, PanelPlan } from "../../src/plan/types.js";
import { planSlo, SLO_SERIES, type SloContext, type SloPlan } from "../../src/slo/rules.js";
import { checkRules, testRules } from "../../src/tools/promtool.js";
import type { Model } from "../../src/validate/validate.js";

const context = (service = "checkout", team = "payments"): SloContext => ({
  service,
  team,
  serviceLabels: {},
  defaults: configSchema.parse({}).slo,
  runbookBaseUrl: undefined,
  grafanaUrl: undefined,
  escalation: [],
});

const sloPlan = (input: SloInput, ctx = context()): SloPlan => planSlo(sloSchema.parse(input), ctx);

/** A raw SLI over the default 30d period with the SRE Workbook's four tiers. */
const availability = sloPlan({ name: "availability", objective: 99.9, sli: { errorRatio: "1 - avg_over_time(probe_success[{{window}}])" } });

/** Per route, 28d, two declared tiers, one alert per tier, a low-traffic guard. */
const routes = sloPlan({
  name: "routes",
  objective: 99.5,
  period: "28d",
  groupBy: ["route"],
  minEvents: 100,
  sli: {
    errors: 'sum by (route) (rate(http_requests_total{service="checkout", code=~"5.."}[{{window}}]))',
    total: 'sum by (route) (rate(http_requests_total{service="checkout"}[{{window}}]))',
  },
  alerting: {
    per: "tier",
    tiers: [
      { severity: "page", long: "1h", short: "5m", budgetConsumed: 2 },
      { severity: "ticket", long: "1d", short: "2h", budgetConsumed: 10 },
    ],
  },
});

type Declarative = Extract<DashboardPlan, { kind: "declarative" }>;
const declarative = (d: DashboardPlan): Declarative => {
  if (d.kind !== "declarative") throw new Error(`${d.uid} is not declarative`);
  return d;
};
const panels = (d: DashboardPlan) => declarative(d).rows.flatMap((r) => r.panels);
const panel = (d: DashboardPlan, title: string): PanelPlan => {
  const found = panels(d).find((p) => p.title === title);
  if (!found) throw new Error(`no panel "${title}" in ${d.uid}: ${panels(d).map((p) => p.title).join(", ")}`);
  return found;
};

describe("per-SLO dashboard", () => {
  const dashboard = sloDashboard(availability);

  it("has the SLO's uid, a title naming service and SLO, and the slo, team and service tags", () => {
    expect(dashboard.uid).toBe(availability.dashboardUid);
    expect(dashboard.uid).toBe("slo-checkout-availability");
    expect(dashboard.title).toBe("checkout availability SLO");
    expect(declarative(dashboard).tags).toEqual(expect.arrayContaining(["slo", "payments", "checkout"]));
    expect(declarative(dashboard).variables).toBeUndefined();
  });

  it("shows SLI, objective, budget remaining and burn rate now as stats", () => {
    const stats = panels(dashboard).filter((p) => p.type === "stat");
    expect(stats.map((p) => [p.title, p.queries.map((q) => q.expr), p.unit])).toEqual([
      ["SLI over 30d", ['1 - slo:sli_error:ratio_rate30d{slo="availability", service="checkout"}'], "percentunit"],
      ["Objective", ['slo:objective:ratio{slo="availability", service="checkout"}'], "percentunit"],
      ["Error budget remaining (30d)", ['slo:period_error_budget_remaining:ratio{slo="availability", service="checkout"}'], "percentunit"],
      ["Burn rate now", ['slo:current_burn_rate:ratio{slo="availability", service="checkout"}'], "none"],
    ]);
    expect(panel(dashboard, "Error budget remaining (30d)").thresholds).toEqual([
      { color: "red", value: null },
      { color: "yellow", value: 0 },
      { color: "green", value: 0.25 },
    ]);
    expect(panel(dashboard, "SLI over 30d").thresholds).toEqual([{ color: "red", value: null }, { color: "green", value: 0.999 }]);
  });

  it("graphs the budget remaining over time with its thresholds", () => {
    const budget = panels(dashboard).find((p) => p.type === "timeseries" && p.title.startsWith("Error budget remaining"))!;
    expect(budget.queries).toEqual([{ expr: 'slo:period_error_budget_remaining:ratio{slo="availability", service="checkout"}', legend: "remaining" }]);
    expect(budget.thresholds?.map((t) => t.value)).toEqual([null, 0, 0.25]);
  });

  it("graphs the burn rate of every window, legend the window", () => {
    const burn = panel(dashboard, "Burn rate per window");
    expect(availability.windows).toEqual(["5m", "30m", "1h", "2h", "6h", "1d", "3d"]);
    const perWindow = burn.queries.filter((q) => q.expr.startsWith("slo:sli_error:"));
    expect(perWindow).toEqual(
      availability.windows.map((w) => ({ expr: `slo:sli_error:ratio_rate${w}{slo="availability", service="checkout"} / 0.001`, legend: w })),
    );
  });

  it("draws each tier's burn-rate factor as a constant series", () => {
    const thresholds = panel(dashboard, "Burn rate per window").queries.filter((q) => q.expr.startsWith("vector("));
    expect(thresholds).toEqual([
      { expr: "vector(14.4)", legend: "page 1h/5m threshold" },
      { expr: "vector(6)", legend: "page 6h/30m threshold" },
      { expr: "vector(3)", legend: "ticket 1d/2h threshold" },
      { expr: "vector(1)", legend: "ticket 3d/6h threshold" },
    ]);
    expect(thresholds.map((q) => q.expr)).toEqual(availability.tiers.map((t) => `vector(${t.factorText})`));
  });

  it("lists the SLO's firing alerts", () => {
    const alerts = panel(dashboard, "Firing alerts");
    expect(alerts.type).toBe("table");
    expect(alerts.queries).toEqual([{ expr: 'ALERTS{slo="availability", service="checkout", alertstate="firing"}', instant: true, format: "table" }]);
  });
});

describe("per-SLO dashboard of a grouped SLO", () => {
  const dashboard = sloDashboard(routes);

  it("has a multi-value query variable per groupBy label, All included", () => {
    expect(declarative(dashboard).variables).toEqual([{
      name: "route",
      label: "route",
      query: 'label_values(slo:sli_error:ratio_rate5m{slo="routes", service="checkout"}, route)',
      multi: true,
      includeAll: true,
      allValue: ".*",
    }]);
  });

  it("filters every grouped series by the variable and shows the group in legends", () => {
    const grouped = panels(dashboard).flatMap((p) => p.queries).filter((q) => q.expr.includes("slo:") && !q.expr.startsWith(SLO_SERIES.objective));
    expect(grouped.length).toBeGreaterThan(8);
    for (const q of grouped) {
      expect(q.expr).toContain('{slo="routes", service="checkout", route=~"$route"}');
      expect(q.legend).toMatch(/^\{\{route\}\}/);
    }
    // The objective has no route label: filtering it would hide it for any one route.
    expect(panel(dashboard, "Objective").queries[0]!.expr).toBe('slo:objective:ratio{slo="routes", service="checkout"}');
    expect(panel(dashboard, "Firing alerts").queries[0]!.expr).toBe('ALERTS{slo="routes", service="checkout", alertstate="firing", route=~"$route"}');
  });

  it("graphs each window per route against each declared tier", () => {
    const burn = panel(dashboard, "Burn rate per window");
    expect(routes.windows).toEqual(["5m", "1h", "2h", "1d"]);
    expect(burn.queries).toEqual([
      ...routes.windows.map((w) => ({ expr: `slo:sli_error:ratio_rate${w}{slo="routes", service="checkout", route=~"$route"} / 0.005`, legend: `{{route}} ${w}` })),
      { expr: `vector(${routes.tiers[0]!.factorText})`, legend: "page 1h/5m threshold" },
      { expr: `vector(${routes.tiers[1]!.factorText})`, legend: "ticket 1d/2h threshold" },
    ]);
    expect(routes.tiers.map((t) => t.factorText)).toEqual(["13.44", "2.8"]);
  });
});

describe("team SLO overview", () => {
  const checkoutRoutes = routes;
  const search = sloPlan({ name: "availability", objective: 99.95, sli: { errorRatio: "1 - avg_over_time(up[{{window}}])" } }, context("search"));
  const dashboard = teamSloDashboard("payments", [availability, checkoutRoutes, search]);
  const [table] = panels(dashboard);

  it("is one table in the team's dashboard", () => {
    expect(dashboard.uid).toBe("payments-slos");
    expect(dashboard.title).toBe("payments SLOs");
    expect(declarative(dashboard).tags).toEqual(["slo", "payments"]);
    expect(panels(dashboard)).toHaveLength(1);
    expect(table!.type).toBe("table");
  });

  it("has one instant table query per measure, filtered by team", () => {
    const measures = [SLO_SERIES.info, SLO_SERIES.objective, "slo:sli_error:ratio_rate", SLO_SERIES.budgetRemaining];
    expect(table!.queries).toHaveLength(4);
    table!.queries.forEach((q, i) => {
      expect(q.instant).toBe(true);
      expect(q.format).toBe("table");
      expect(q.expr).toContain(`${measures[i]}`);
      for (const selector of q.expr.match(/slo:[a-z_:]+(?:\d+[smhdw])?\{[^}]*\}/g) ?? []) expect(selector).toContain('team="payments"');
    });
    // Periods differ: each SLO's SLI over its own period.
    expect(table!.queries[2]!.expr).toContain('slo:sli_error:ratio_rate28d{team="payments"} and on (service, slo) slo:info{team="payments", period="28d"}');
    expect(table!.queries[2]!.expr).toContain('slo:sli_error:ratio_rate30d{team="payments"} and on (service, slo) slo:info{team="payments", period="30d"}');
  });

  it("reduces every query to service, slo and the groupBy labels, so that merge makes one row per SLO and group", () => {
    for (const q of table!.queries) expect(q.expr).toMatch(/^max by \(service, slo, route(, period, sli)?\) \(/);
    expect(table!.transformations?.[0]).toEqual({ id: "merge", options: {} });
    expect(table!.transformations?.[1]?.id).toBe("organize");
  });

  it("gives one row per SLO and group with the same labels from all four queries (evaluated by promtool)", async () => {
    const labels = (slo: string, route?: string, team = "payments") =>
      `{slo="${slo}", service="checkout", team="${team}"${route ? `, route="${route}"` : ""}}`;
    const info = (slo: string, period: string, team = "payments") =>
      `slo:info{slo="${slo}", service="checkout", team="${team}", objective="99", period="${period}", sli="ratio"}`;
    const input = [
      [info("availability", "30d"), 1],
      [info("routes", "28d"), 1],
      [info("other", "30d", "search"), 1],
      [`slo:objective:ratio${labels("availability")}`, 0.999],
      [`slo:objective:ratio${labels("routes")}`, 0.995],
      [`slo:sli_error:ratio_rate30d${labels("availability")}`, 0.25],
      [`slo:sli_error:ratio_rate28d${labels("routes", "a")}`, 0.125],
      [`slo:sli_error:ratio_rate28d${labels("routes", "b")}`, 0.0625],
      // A 30d window of the 28d SLO would not be its SLI.
      [`slo:sli_error:ratio_rate30d${labels("routes", "a")}`, 0.5],
      [`slo:sli_error:ratio_rate30d${labels("other", undefined, "search")}`, 0.5],
      [`slo:period_error_budget_remaining:ratio${labels("availability")}`, 0.5],
      [`slo:period_error_budget_remaining:ratio${labels("routes", "a")}`, 0.75],
      [`slo:period_error_budget_remaining:ratio${labels("routes", "b")}`, -0.25],
      [`slo:period_error_budget_remaining:ratio${labels("other", undefined, "search")}`, 0.5],
    ] as const;
    const [a, b, c, d] = table!.queries.map((q) => q.expr);
    const row = (slo: string, route?: string) => `{service="checkout", slo="${slo}"${route ? `, route="${route}"` : ""}}`;
    const samples = (values: [string, number][]) => values.map(([l, value]) => ({ labels: l, value }));
    const tests = {
      rule_files: [],
      tests: [{
        interval: "1m",
        input_series: input.map(([series, value]) => ({ series, values: `${value}x5` })),
        promql_expr_test: [
          { expr: a, eval_time: "2m", exp_samples: samples([
            ['{service="checkout", slo="availability", period="30d", sli="ratio"}', 1],
            ['{service="checkout", slo="routes", route="a", period="28d", sli="ratio"}', 1],
            ['{service="checkout", slo="routes", route="b", period="28d", sli="ratio"}', 1],
          ]) },
          { expr: b, eval_time: "2m", exp_samples: samples([[row("availability"), 0.999], [row("routes", "a"), 0.995], [row("routes", "b"), 0.995]]) },
          { expr: c, eval_time: "2m", exp_samples: samples([[row("availability"), 0.75], [row("routes", "a"), 0.875], [row("routes", "b"), 0.9375]]) },
          { expr: d, eval_time: "2m", exp_samples: samples([[row("availability"), 0.5], [row("routes", "a"), 0.75], [row("routes", "b"), -0.25]]) },
        ],
      }],
    };
    const dir = await mkdtemp(path.join(tmpdir(), "vigil-slo-table-"));
    try {
      const file = path.join(dir, "table.test.yaml");
      await writeFile(file, stringify(tests));
      const tested = await testRules([file]);
      expect(tested.code, tested.stdout + tested.stderr).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("is made only for teams with an SLO, and adds each SLO's dashboard to its service", () => {
    const team = (name: string): TeamInput => ({ name, receivers: { page: { webhook: { url: "http://127.0.0.1:1/" } } } });
    const slo: SloInput = { name: "availability", objective: 99.9, sli: { errorRatio: "1 - avg_over_time(up[{{window}}])" } };
    const p = plan(model([team("a"), team("b")], [{ name: "api", team: "a", slos: [slo] }, { name: "web", team: "b" }]));
    // Every team has its overview; only teams with an SLO have an SLO table.
    expect(p.teamDashboards.filter((t) => t.dashboard.uid.endsWith("-slos")).map((t) => [t.team, t.dashboard.uid, t.sources])).toEqual([["a", "a-slos", ["monitors/a.ts", "monitors/api.ts"]]]);
    expect(p.teamDashboards.filter((t) => t.dashboard.uid.startsWith("team-")).map((t) => t.dashboard.uid)).toEqual(["team-a", "team-b"]);
    expect(p.services.map((s) => s.dashboards.map((d) => d.uid))).toEqual([["api-overview", "slo-api-availability"], ["web-overview"]]);
    const files = emitGrafana(p).map((f) => f.path);
    expect(files).toContain("grafana/dashboards/a/a-slos.json");
    expect(files).toContain("grafana/dashboards/a/slo-api-availability.json");
    expect(files.filter((f) => f.startsWith("grafana/dashboards/b/")).sort()).toEqual(["grafana/dashboards/b/team-b.json", "grafana/dashboards/b/web-overview.json"]);
  });
});

function model(teams: TeamInput[], services: ServiceInput[]): Model {
  const origin = (file: string) => ({ value: {}, location: { file, line: 1, column: 1 } });
  return {
    config: configSchema.parse({}),
    configFile: "vigil.config.ts",
    teams: teams.map((t) => ({ ...teamSchema.parse(t), origin: origin(`monitors/${t.name}.ts`) })),
    services: services.map((s) => {
      const parsed = serviceSchema.parse(s);
      return { ...parsed, team: parsed.team as string, dashboards: [], origin: origin(`monitors/${s.name}.ts`) };
    }),
  };
}

type PanelJson = { id: number; type: string; panels?: PanelJson[]; targets?: { refId?: string; expr?: string; datasource?: unknown }[] };
type DashboardJson = { panels: PanelJson[]; templating: { list: { type: string; query?: unknown }[] } };

describe("emitted SLO dashboards", () => {
  const team = (name: string): TeamInput => ({ name, receivers: { page: { webhook: { url: "http://127.0.0.1:1/" } } } });
  const slos: SloInput[] = [
    { name: "availability", objective: 99.9, sli: { errorRatio: "1 - avg_over_time(probe_success[{{window}}])" } },
    {
      name: "routes",
      objective: 99.5,
      period: "28d",
      groupBy: ["route", "method"],
      sli: { good: 'sum by (route, method) (rate(ok_total[{{window}}]))', total: 'sum by (route, method) (rate(all_total[{{window}}]))' },
    },
  ];
  const p = plan(model([team("payments")], [{ name: "checkout", team: "payments", slos }]));
  const files = emitGrafana(p).filter((f) => /grafana\/dashboards\/payments\/(slo-|payments-slos)/.test(f.path));
  const dashboards = files.map((f) => [f.path, JSON.parse(f.content) as DashboardJson] as const);

  it("writes the two SLO dashboards and the team overview into the team's folder", () => {
    expect(files.map((f) => f.path).sort()).toEqual([
      "grafana/dashboards/payments/payments-slos.json",
      "grafana/dashboards/payments/slo-checkout-availability.json",
      "grafana/dashboards/payments/slo-checkout-routes.json",
    ]);
  });

  it("gives unique panel ids, unique refIds and a datasource on every target", () => {
    for (const [file, dashboard] of dashboards) {
      const all = dashboard.panels.flatMap((x) => [x, ...(x.panels ?? [])]);
      expect(new Set(all.map((x) => x.id)).size, file).toBe(all.length);
      for (const x of all.filter((x) => x.type !== "row")) {
        const refIds = x.targets!.map((t) => t.refId);
        expect(new Set(refIds).size, file).toBe(refIds.length);
        for (const t of x.targets!) expect(t.datasource, file).toBeDefined();
      }
    }
    const routesDashboard = dashboards.find(([f]) => f.endsWith("slo-checkout-routes.json"))![1];
    expect(routesDashboard.templating.list.map((v) => v.type)).toEqual(["datasource", "query", "query"]);
  });

  it("holds only PromQL that promtool accepts, variables filled in", async () => {
    const concrete = (expr: string) => expr.replaceAll("$__rate_interval", "5m").replace(/\$\{?(\w+)\}?/g, ".*");
    const exprs = dashboards.flatMap(([, d]) => [
      ...d.panels.flatMap((x) => [x, ...(x.panels ?? [])]).flatMap((x) => x.targets ?? []).map((t) => t.expr!),
      // A query variable's label_values(selector, label): the selector is PromQL.
      ...d.templating.list.filter((v) => v.type === "query").map((v) => /^label_values\((.*), \w+\)$/s.exec(String(v.query))![1]!),
    ]);
    expect(exprs.length).toBeGreaterThan(30);
    const dir = await mkdtemp(path.join(tmpdir(), "vigil-slo-dashboards-"));
    try {
      const file = path.join(dir, "dashboards.rules.yaml");
      const rules = exprs.map((expr, i) => ({ record: `dashboard:query_${i}:value`, expr: concrete(expr) }));
      await writeFile(file, stringify({ groups: [{ name: "dashboards", rules }] }));
      const checked = await checkRules([file]);
      expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
