import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeUnits, declarativeDashboardSchema, KNOWN_UNITS } from "../../src/model/dashboard.js";
import { schemaProblems } from "../../src/validate/issues.js";
import { finishDashboard } from "../../src/emit/grafana.js";
import { compile, type CompileResult } from "../helpers/vigil.js";
import { BASE_FILES, makeProject, removeProject } from "../helpers/project.js";

/** A declarative dashboard using every feature: each panel type, thresholds, min/max, decimals, variables, links. */
const EVERYTHING = `import { counter, histogram, defineService } from "vigil";
import { payments } from "./teams";
const requests = counter("http_requests_total", { labels: ["service", "route", "code"] });
const latency = histogram("http_request_duration_seconds", { labels: ["service"], buckets: [0.1, 1] });
const rate = 'sum(rate(http_requests_total{service="checkout"}[5m]))';
const steps = [{ color: "green" }, { value: 0.8, color: "orange" }, { value: 0.95, color: "red" }];
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
            { title: "Number", type: "stat", queries: [rate], unit: "reqps", decimals: 1, thresholds: steps },
            { title: "Dial", type: "gauge", queries: [rate], unit: "percentunit", min: 0, max: 1, decimals: 2, thresholds: steps },
            { title: "Bars", type: "bargauge", queries: [{ expr: 'sum by (route) (rate(http_requests_total{service="checkout"}[5m]))', legend: "{{route}}" }], unit: "reqps", thresholds: steps },
            { title: "Rows", type: "table", queries: [rate, 'sum(rate(http_requests_total{service="checkout", code=~"5.."}[5m]))'], unit: "reqps", thresholds: steps },
            { title: "Buckets", type: "heatmap", queries: ['sum by (le) (rate(http_request_duration_seconds_bucket{service="checkout"}[5m]))'], unit: "s", thresholds: steps },
          ],
        },
      ],
    },
  ],
});
`;

type PanelJson = Record<string, any> & { id: number; type: string; title: string };

describe("declarative dashboards in Grafana JSON", () => {
  let dir: string;
  let result: CompileResult;
  let json: Record<string, any>;
  let content: string;
  const panel = (title: string): PanelJson => (json.panels as PanelJson[]).find((p) => p.title === title)!;

  beforeAll(async () => {
    dir = await makeProject({ ...BASE_FILES, "monitors/checkout.ts": EVERYTHING });
    result = await compile({ cwd: dir });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    content = result.files.find((f) => f.path === "grafana/dashboards/payments/checkout-everything.json")!.content;
    json = JSON.parse(content);
  });
  afterAll(() => removeProject(dir));

  it("builds every panel type with its options", () => {
    expect((json.panels as PanelJson[]).map((p) => p.type)).toEqual(["row", "timeseries", "stat", "gauge", "bargauge", "table", "heatmap"]);
    expect(panel("Dial").options).toMatchObject({ reduceOptions: { values: false, calcs: ["lastNotNull"] }, showThresholdMarkers: true });
    expect(panel("Dial").fieldConfig.defaults).toMatchObject({ unit: "percentunit", min: 0, max: 1, decimals: 2 });
    expect(panel("Bars").options).toMatchObject({ reduceOptions: { calcs: ["lastNotNull"] }, displayMode: "gradient", orientation: "horizontal" });
    expect(panel("Bars").targets[0]).toMatchObject({ legendFormat: "{{route}}", refId: "A" });
    expect(panel("Rows").targets.map((t: any) => [t.refId, t.instant, t.format])).toEqual([["A", true, "table"], ["B", true, "table"]]);
    expect(panel("Rows").transformations).toEqual([{ id: "merge", options: {} }]);
    expect(panel("Buckets").options).toMatchObject({ calculate: false, yAxis: { unit: "s", axisPlacement: "left" } });
    expect(panel("Buckets").targets[0]).toMatchObject({ format: "heatmap", legendFormat: "{{le}}" });
    expect(panel("Number").fieldConfig.defaults).toMatchObject({ unit: "reqps", decimals: 1 });
    expect(panel("Graph").fieldConfig.defaults).toMatchObject({ unit: "reqps", min: 0 });
  });

  it("writes thresholds as Grafana expects, with a null base", () => {
    const expected = { mode: "absolute", steps: [{ color: "green", value: null }, { color: "orange", value: 0.8 }, { color: "red", value: 0.95 }] };
    for (const p of (json.panels as PanelJson[]).filter((p) => p.type !== "row")) expect(p.fieldConfig.defaults.thresholds, p.title).toEqual(expected);
  });

  it("adds the variables after the data source one, and the links", () => {
    const [datasource, route, quantile] = json.templating.list;
    expect(datasource).toMatchObject({ type: "datasource", name: "datasource" });
    expect(route).toMatchObject({
      type: "query", name: "route", label: "Route", query: "label_values(http_requests_total, route)", multi: true, includeAll: true,
      datasource: { type: "prometheus", uid: "${datasource}" },
    });
    expect(quantile).toMatchObject({ type: "custom", name: "quantile", label: "quantile", query: "0.5,0.99", current: { text: "0.5", value: "0.5" } });
    expect(quantile.options.map((o: any) => [o.value, o.selected])).toEqual([["0.5", true], ["0.99", false]]);
    // The declared links first, then Vigil's own: the team overview and the service's other dashboards.
    expect(json.links.slice(0, 2)).toEqual([
      expect.objectContaining({ title: "Wiki", type: "link", url: "https://wiki.example.com/checkout" }),
      expect.objectContaining({ title: "Payments", type: "dashboards", tags: ["payments"], asDropdown: true }),
    ]);
    expect(json.links.slice(2).map((l: { url: string }) => l.url)).toContain("/d/team-payments");
  });

  it("gives unique panel ids and a datasource on every target", () => {
    const ids = (json.panels as PanelJson[]).map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of json.panels as PanelJson[]) for (const t of p.targets ?? []) expect(t.datasource, p.title).toEqual({ type: "prometheus", uid: "${datasource}" });
    expect(finishDashboard(json)).toEqual(json);
  });

  it("is byte-identical on a second render", async () => {
    const again = await compile({ cwd: dir });
    expect(again.files.find((f) => f.path === "grafana/dashboards/payments/checkout-everything.json")!.content).toBe(content);
  });
});

describe("declarative dashboard schema", () => {
  const dashboard = (panel: Record<string, unknown>) => ({ title: "D", rows: [{ title: "R", panels: [{ title: "P", queries: ["up"], ...panel }] }] });

  it("accepts the SDK's units and Grafana's custom ones", () => {
    expect(KNOWN_UNITS).toEqual(expect.arrayContaining(["reqps", "s", "percentunit", "bytes", "short"]));
    for (const unit of ["reqps", "percentunit", "suffix:orders"]) expect(declarativeDashboardSchema.safeParse(dashboard({ unit })).success, unit).toBe(true);
  });

  it("reports an unknown unit as unknown-unit, naming close ones", () => {
    const parsed = declarativeDashboardSchema.safeParse(dashboard({ unit: "percentunits" }));
    expect(parsed.success).toBe(false);
    const problems = schemaProblems(parsed.error!.issues);
    expect(problems).toEqual([expect.objectContaining({ code: "unknown-unit", path: ["rows", 0, "panels", 0, "unit"] })]);
    expect(problems[0]!.message).toContain('"percentunit"');
    expect(closeUnits("reqs")).toContain("reqps");
  });

  it("wants a base step first and ascending values", () => {
    const codes = (thresholds: unknown) => {
      const parsed = declarativeDashboardSchema.safeParse(dashboard({ thresholds }));
      return parsed.success ? [] : schemaProblems(parsed.error.issues).map((p) => p.code);
    };
    expect(codes([{ color: "green" }, { value: 1, color: "red" }])).toEqual([]);
    expect(codes([{ value: 0, color: "green" }])).toEqual(["invalid-thresholds"]);
    expect(codes([{ color: "green" }, { color: "red" }])).toEqual(["invalid-thresholds"]);
    expect(codes([{ color: "green" }, { value: 2, color: "orange" }, { value: 1, color: "red" }])).toEqual(["invalid-thresholds"]);
  });

  it("refuses a second variable of the same name, or one named datasource", () => {
    const parsed = declarativeDashboardSchema.safeParse({
      ...dashboard({}),
      variables: [{ name: "datasource", values: ["a"] }, { name: "x", query: "label_values(up, job)" }, { name: "x", values: ["b"] }],
    });
    expect(parsed.success).toBe(false);
    expect(schemaProblems(parsed.error!.issues).map((p) => [p.code, p.path.join(".")])).toEqual([
      ["duplicate-variable", "variables.0.name"],
      ["duplicate-variable", "variables.2.name"],
    ]);
  });
});
