import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emitGrafana } from "../../src/emit/grafana.js";
import { dashboardManifestV2 } from "../../src/emit/grafana-v2.js";
import type { DashboardPlan, Plan } from "../../src/plan/types.js";
import { compile, type CompileResult } from "../helpers/vigil.js";
import { BASE_FILES, makeProject, removeProject } from "../helpers/project.js";

const BASIC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/basic");

type Json = Record<string, any>;

const withSchema = (plan: Plan, schema: "v1" | "v2"): Plan => ({ ...plan, config: { ...plan.config, grafana: { ...plan.config.grafana, schema } } });

const dashboardsOf = (plan: Plan): { team: string; dashboard: DashboardPlan }[] => [
  ...plan.services.flatMap((s) => s.dashboards.map((dashboard) => ({ team: s.team, dashboard }))),
  ...plan.teamDashboards.map((t) => ({ team: t.team, dashboard: t.dashboard })),
];

describe("Grafana dashboards as schema v2 resources", () => {
  let result: CompileResult;
  let plan: Plan;
  let v1: Map<string, string>;
  let v2: Map<string, string>;

  beforeAll(async () => {
    result = await compile({ cwd: BASIC });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    plan = result.plan!;
    v1 = new Map(emitGrafana(withSchema(plan, "v1")).map((f) => [f.path, f.content]));
    v2 = new Map(emitGrafana(withSchema(plan, "v2"), dashboardManifestV2).map((f) => [f.path, f.content]));
  });

  it("covers declarative, SLO and team dashboards", () => {
    const kinds = dashboardsOf(plan).map((d) => d.dashboard.kind);
    expect(kinds.filter((k) => k === "declarative").length).toBeGreaterThan(2);
    expect(plan.teamDashboards.length).toBeGreaterThan(0);
    expect([...v2.keys()].sort()).toEqual([...v1.keys()].sort());
  });

  it("writes every declarative dashboard as a dashboard.grafana.app/v2 manifest with v1's queries and positions", () => {
    for (const { team, dashboard } of dashboardsOf(plan)) {
      if (dashboard.kind !== "declarative") continue;
      const file = `grafana/dashboards/${team}/${dashboard.uid}.json`;
      const manifest: Json = JSON.parse(v2.get(file)!);
      const old: Json = JSON.parse(v1.get(file)!);
      expect(manifest.apiVersion, file).toBe("dashboard.grafana.app/v2");
      expect(manifest.kind).toBe("Dashboard");
      expect(manifest.metadata).toEqual({ name: dashboard.uid });
      const spec = manifest.spec;
      expect(spec.title).toBe(dashboard.title);
      expect(spec.title).toBe(old.title);
      expect(spec.tags).toEqual(old.tags);
      expect(spec.tags).toContain("vigil");
      expect(spec.timeSettings).toMatchObject({ from: "now-6h", to: "now", autoRefresh: "1m", timezone: "browser" });
      expect(spec.variables[0]).toMatchObject({ kind: "DatasourceVariable", spec: { name: "datasource", pluginId: "prometheus" } });
      expect(spec.variables.map((v: Json) => v.spec.name)).toEqual(old.templating.list.map((v: Json) => v.name));

      // Elements: unique names, each placed once on the grid.
      expect(spec.layout.kind).toBe("GridLayout");
      const items: Json[] = spec.layout.spec.items;
      const names = items.map((i) => i.spec.element.name);
      expect(new Set(names).size, file).toBe(names.length);
      expect([...names].sort()).toEqual(Object.keys(spec.elements).sort());

      // The same panels, queries and positions as v1, matched by v1's panel id.
      const panels = (old.panels as Json[]).filter((p) => p.type !== "row");
      expect(items.length).toBe(panels.length);
      for (const item of items) {
        const element = spec.elements[item.spec.element.name];
        const panel = panels.find((p) => p.id === element.spec.id)!;
        expect(panel, item.spec.element.name).toBeDefined();
        expect(element.spec.title).toBe(panel.title);
        expect(element.spec.vizConfig.group).toBe(panel.type);
        expect({ x: item.spec.x, y: item.spec.y, w: item.spec.width, h: item.spec.height }).toEqual(panel.gridPos);
        const queries: Json[] = element.spec.data.spec.queries;
        expect(queries.map((q) => q.spec.query.spec.expr)).toEqual(panel.targets.map((t: Json) => t.expr));
        expect(queries.map((q) => q.spec.refId)).toEqual(panel.targets.map((t: Json) => t.refId));
        for (const q of queries) expect(q.spec.query).toMatchObject({ kind: "DataQuery", group: "prometheus", datasource: { name: "${datasource}" } });
        expect(element.spec.vizConfig.spec.fieldConfig.defaults.unit).toBe(panel.fieldConfig.defaults.unit);
      }
    }
  });

  it("keeps SDK dashboards as v1 JSON", () => {
    const sdk = dashboardsOf(plan).filter((d) => d.dashboard.kind === "sdk");
    expect(sdk.length).toBeGreaterThan(0);
    for (const { team, dashboard } of sdk) {
      const file = `grafana/dashboards/${team}/${dashboard.uid}.json`;
      expect(v2.get(file)).toBe(v1.get(file));
      expect(JSON.parse(v2.get(file)!).apiVersion).toBeUndefined();
    }
  });

  it("is byte-identical across renders, with sorted keys", () => {
    const again = new Map(emitGrafana(withSchema(plan, "v2"), dashboardManifestV2).map((f) => [f.path, f.content]));
    expect(again).toEqual(v2);
    const declarative = dashboardsOf(plan).find((d) => d.dashboard.kind === "declarative")!.dashboard;
    if (declarative.kind !== "declarative") throw new Error("unreachable");
    expect(dashboardManifestV2(declarative)).toEqual(dashboardManifestV2(declarative));
    const content = v2.get(`grafana/dashboards/${dashboardsOf(plan).find((d) => d.dashboard === declarative)!.team}/${declarative.uid}.json`)!;
    expect(Object.keys(JSON.parse(content))).toEqual(["apiVersion", "kind", "metadata", "spec"]);
  });

  it("leaves v1 output unchanged when the schema is v1", () => {
    expect(plan.config.grafana.schema).toBe("v1");
    const compiled = new Map(result.files.filter((f) => f.path.startsWith("grafana/")).map((f) => [f.path, f.content]));
    expect(compiled).toEqual(v1);
    expect(emitGrafana(plan).map((f) => f.content)).toEqual([...v1.values()]);
    for (const [file, content] of v1) if (file.endsWith(".json")) expect(JSON.parse(content).apiVersion, file).toBeUndefined();
  });
});

/** Every panel type, both kinds of variable, and both kinds of link. */
const EVERYTHING = `import { counter, histogram, defineService } from "vigil";
import { payments } from "./teams";
const requests = counter("http_requests_total", { labels: ["service", "route", "code"] });
const latency = histogram("http_request_duration_seconds", { labels: ["service"], buckets: [0.1, 1] });
const rate = 'sum(rate(http_requests_total{service="checkout"}[5m]))';
const steps = [{ color: "green" }, { value: 0.8, color: "red" }];
export default defineService({
  name: "checkout",
  team: payments,
  metrics: [requests, latency],
  dashboards: [
    {
      title: "Everything",
      variables: [
        { name: "route", label: "Route", query: "label_values(http_requests_total, route)", multi: true, includeAll: true },
        { name: "quantile", values: ["0.5", "0.99"] },
      ],
      links: [
        { title: "Wiki", url: "https://wiki.example.com/checkout" },
        { title: "Payments", tags: ["payments"] },
      ],
      rows: [
        {
          title: "Panels",
          panels: [
            { title: "Graph", queries: [rate], unit: "reqps", thresholds: steps, min: 0 },
            { title: "Number", type: "stat", queries: [rate], unit: "reqps", decimals: 1 },
            { title: "Dial", type: "gauge", queries: [rate], unit: "percentunit", min: 0, max: 1, thresholds: steps },
            { title: "Bars", type: "bargauge", queries: [{ expr: rate, legend: "{{route}}" }], unit: "reqps" },
            { title: "Rows", type: "table", queries: [rate, 'sum(rate(http_requests_total{service="checkout", code=~"5.."}[5m]))'] },
            { title: "Buckets", type: "heatmap", queries: ['sum by (le) (rate(http_request_duration_seconds_bucket{service="checkout"}[5m]))'], unit: "s" },
          ],
        },
      ],
    },
  ],
});
`;

describe("schema v2 with every panel type", () => {
  let dir: string;
  let spec: Json;
  let old: Json;

  beforeAll(async () => {
    dir = await makeProject({ ...BASE_FILES, "monitors/checkout.ts": EVERYTHING });
    const result = await compile({ cwd: dir });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const file = "grafana/dashboards/payments/checkout-everything.json";
    old = JSON.parse(result.files.find((f) => f.path === file)!.content);
    spec = JSON.parse(emitGrafana(withSchema(result.plan!, "v2"), dashboardManifestV2).find((f) => f.path === file)!.content).spec;
  });
  afterAll(() => removeProject(dir));

  const element = (title: string): Json => Object.values(spec.elements as Record<string, Json>).find((e) => e.spec.title === title)!;

  it("builds each panel type's visualization with v1's options and field config", () => {
    for (const panel of (old.panels as Json[]).filter((p) => p.type !== "row")) {
      const viz = element(panel.title).spec.vizConfig;
      expect(viz.group, panel.title).toBe(panel.type);
      expect(viz.spec.options, panel.title).toEqual(panel.options);
      expect(viz.spec.fieldConfig, panel.title).toEqual(panel.fieldConfig);
    }
    expect(element("Rows").spec.data.spec.transformations).toEqual([{ kind: "Transformation", group: "merge", spec: { options: {} } }]);
    expect(element("Rows").spec.data.spec.queries.map((q: Json) => [q.spec.refId, q.spec.query.spec.instant, q.spec.query.spec.format])).toEqual([["A", true, "table"], ["B", true, "table"]]);
  });

  it("writes the variables and links", () => {
    const [datasource, route, quantile] = spec.variables;
    expect(datasource.kind).toBe("DatasourceVariable");
    expect(route).toMatchObject({
      kind: "QueryVariable",
      spec: { name: "route", label: "Route", definition: "label_values(http_requests_total, route)", multi: true, includeAll: true },
    });
    expect(route.spec.query).toMatchObject({ group: "prometheus", datasource: { name: "${datasource}" }, spec: { query: "label_values(http_requests_total, route)" } });
    expect(quantile).toMatchObject({ kind: "CustomVariable", spec: { name: "quantile", query: "0.5,0.99", current: { text: "0.5", value: "0.5" } } });
    expect(spec.links.slice(0, 2)).toEqual([
      expect.objectContaining({ title: "Wiki", type: "link", url: "https://wiki.example.com/checkout" }),
      expect.objectContaining({ title: "Payments", type: "dashboards", tags: ["payments"], asDropdown: true }),
    ]);
    const fields = (l: Json) => [l.title, l.type, l.url, l.tags, l.asDropdown, l.keepTime, l.includeVars, l.targetBlank];
    expect(spec.links.map(fields)).toEqual(old.links.map(fields));
  });
});
