import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkDashboard } from "../../src/check/grafana-schema.js";

const DASHBOARD_DIRS = [
  new URL("../../generated/grafana/dashboards/", import.meta.url),
  new URL("../fixtures/basic/generated/grafana/dashboards/", import.meta.url),
].map((url) => fileURLToPath(url));

function dashboardFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => path.join(dir, f));
}

const FILES = DASHBOARD_DIRS.flatMap(dashboardFiles);

type Json = Record<string, any>;

function load(file: string): Json {
  return JSON.parse(readFileSync(file, "utf8")) as Json;
}

/** Every [path, panel] of a dashboard, rows' nested panels included. */
function panelsOf(dashboard: Json): [string, Json][] {
  return (dashboard["panels"] as Json[]).flatMap((p, i) => [
    [`/panels/${i}`, p] as [string, Json],
    ...((p["panels"] ?? []) as Json[]).map((c, j) => [`/panels/${i}/panels/${j}`, c] as [string, Json]),
  ]);
}

/** A generated dashboard holding a panel of the given type (with targets), and that panel's path. */
function withPanel(type: string): { dashboard: Json; at: string; panel: Json } {
  for (const file of FILES) {
    const dashboard = load(file);
    const found = panelsOf(dashboard).find(([, p]) => p["type"] === type && (p["targets"]?.length ?? 0) > 0);
    if (found) return { dashboard, at: found[0], panel: found[1] };
  }
  throw new Error(`no generated dashboard has a ${type} panel`);
}

function withVariable(): { dashboard: Json; at: string; variable: Json } {
  for (const file of FILES) {
    const dashboard = load(file);
    const list = dashboard["templating"]?.["list"] as Json[] | undefined;
    if (list && list.length > 0) return { dashboard, at: "/templating/list/0", variable: list[0]! };
  }
  throw new Error("no generated dashboard has a variable");
}

const paths = (dashboard: unknown) => checkDashboard(dashboard).map((v) => v.path);

describe("generated dashboards conform to Grafana's schema", () => {
  it("finds the generated dashboards", () => {
    expect(FILES.length).toBeGreaterThan(5);
    for (const dir of DASHBOARD_DIRS) expect(dashboardFiles(dir).length).toBeGreaterThan(0);
  });

  it.each(FILES.map((f) => [path.relative(fileURLToPath(new URL("../../", import.meta.url)), f), f]))("%s", (_name, file) => {
    expect(checkDashboard(load(file))).toEqual([]);
  });
});

describe("schema violations are reported at their path", () => {
  it("a panel without gridPos", () => {
    const { dashboard, at, panel } = withPanel("stat");
    delete panel["gridPos"];
    expect(paths(dashboard)).toEqual([`${at}/gridPos`]);
  });

  it("a row without gridPos", () => {
    const dashboard = load(FILES[0]!);
    const i = (dashboard["panels"] as Json[]).findIndex((p) => p["type"] === "row");
    expect(i).toBeGreaterThanOrEqual(0);
    delete dashboard["panels"][i]["gridPos"];
    expect(paths(dashboard)).toEqual([`/panels/${i}/gridPos`]);
  });

  it("a gridPos with a string coordinate", () => {
    const { dashboard, at, panel } = withPanel("timeseries");
    panel["gridPos"]["x"] = "0";
    expect(paths(dashboard)).toEqual([`${at}/gridPos/x`]);
  });

  it("a target without refId", () => {
    const { dashboard, at, panel } = withPanel("timeseries");
    delete panel["targets"][0]["refId"];
    expect(paths(dashboard)).toEqual([`${at}/targets/0/refId`]);
  });

  it("a target whose expr is not a string", () => {
    const { dashboard, at, panel } = withPanel("stat");
    panel["targets"][0]["expr"] = 42;
    const violations = checkDashboard(dashboard);
    expect(violations.map((v) => v.path)).toEqual([`${at}/targets/0/expr`]);
    expect(violations[0]!.message).toMatch(/string/);
  });

  it("a target without expr, with an unknown format, or an unknown key", () => {
    const { dashboard, at, panel } = withPanel("table");
    delete panel["targets"][0]["expr"];
    panel["targets"][0]["format"] = "csv";
    panel["targets"][0]["exprs"] = "up";
    expect(paths(dashboard).sort()).toEqual([`${at}/targets/0/expr`, `${at}/targets/0/exprs`, `${at}/targets/0/format`].sort());
  });

  it("an unknown legend displayMode", () => {
    const { dashboard, at, panel } = withPanel("timeseries");
    panel["options"]["legend"]["displayMode"] = "compact";
    const violations = checkDashboard(dashboard);
    expect(violations.map((v) => v.path)).toEqual([`${at}/options/legend/displayMode`]);
    expect(violations[0]!.message).toMatch(/list|table|hidden/);
  });

  it("an unknown legend placement and tooltip mode", () => {
    const { dashboard, at, panel } = withPanel("timeseries");
    panel["options"]["legend"]["placement"] = "top";
    panel["options"]["tooltip"]["mode"] = "all";
    expect(paths(dashboard).sort()).toEqual([`${at}/options/legend/placement`, `${at}/options/tooltip/mode`]);
  });

  it("an unknown key in a timeseries options object", () => {
    const { dashboard, at, panel } = withPanel("timeseries");
    panel["options"]["legendMode"] = "list";
    const violations = checkDashboard(dashboard);
    expect(violations.map((v) => v.path)).toEqual([`${at}/options/legendMode`]);
    expect(violations[0]!.message).toMatch(/unknown property "legendMode"/);
  });

  it("a timeseries options object without its required legend", () => {
    const { dashboard, at, panel } = withPanel("timeseries");
    delete panel["options"]["legend"];
    expect(paths(dashboard)).toEqual([`${at}/options/legend`]);
  });

  it("an unknown key in timeseries custom field config", () => {
    const { dashboard, at, panel } = withPanel("timeseries");
    panel["fieldConfig"]["defaults"]["custom"] = { ...(panel["fieldConfig"]["defaults"]["custom"] ?? {}), lineWidthPx: 2 };
    expect(paths(dashboard)).toEqual([`${at}/fieldConfig/defaults/custom/lineWidthPx`]);
  });

  it("an unknown stat colorMode and a missing stat reduceOptions.calcs", () => {
    const { dashboard, at, panel } = withPanel("stat");
    panel["options"]["colorMode"] = "rainbow";
    delete panel["options"]["reduceOptions"]["calcs"];
    expect(paths(dashboard).sort()).toEqual([`${at}/options/colorMode`, `${at}/options/reduceOptions/calcs`]);
  });

  it("a table options object without showHeader", () => {
    const { dashboard, at, panel } = withPanel("table");
    delete panel["options"]["showHeader"];
    expect(paths(dashboard)).toEqual([`${at}/options/showHeader`]);
  });

  it("a threshold step with a string value", () => {
    const { dashboard, at, panel } = withPanel("stat");
    panel["fieldConfig"]["defaults"]["thresholds"] = {
      mode: "absolute",
      steps: [
        { color: "green", value: null },
        { color: "red", value: "80" },
      ],
    };
    const violations = checkDashboard(dashboard);
    expect(violations.map((v) => v.path)).toEqual([`${at}/fieldConfig/defaults/thresholds/steps/1/value`]);
  });

  it("an unknown threshold mode", () => {
    const { dashboard, at, panel } = withPanel("stat");
    panel["fieldConfig"]["defaults"]["thresholds"] = { mode: "relative", steps: [{ color: "green", value: null }] };
    expect(paths(dashboard)).toEqual([`${at}/fieldConfig/defaults/thresholds/mode`]);
  });

  it("a variable with an unknown type", () => {
    const { dashboard, at, variable } = withVariable();
    variable["type"] = "dropdown";
    const violations = checkDashboard(dashboard);
    expect(violations.map((v) => v.path)).toEqual([`${at}/type`]);
    expect(violations[0]!.message).toMatch(/query/);
  });

  it("a dashboard link with an unknown type", () => {
    const dashboard = load(FILES[0]!);
    dashboard["links"] = [
      { title: "Runbook", type: "url", icon: "doc", tooltip: "", tags: [], asDropdown: false, targetBlank: true, includeVars: false, keepTime: false },
    ];
    expect(paths(dashboard)).toEqual(["/links/0/type"]);
  });

  it("missing required dashboard fields and an unknown top-level key", () => {
    const dashboard = load(FILES[0]!);
    delete dashboard["schemaVersion"];
    delete dashboard["templating"];
    dashboard["rows"] = [];
    expect(paths(dashboard).sort()).toEqual(["/rows", "/schemaVersion", "/templating"]);
  });

  it("a duplicate panel id is not a schema matter", () => {
    const dashboard = load(FILES[0]!);
    const panels = dashboard["panels"] as Json[];
    expect(panels.length).toBeGreaterThan(1);
    panels[1]!["id"] = panels[0]!["id"];
    expect(checkDashboard(dashboard)).toEqual([]);
  });

  it("a non-object is reported at the root", () => {
    expect(paths(null)).toEqual(["/"]);
    expect(paths([])).toEqual(["/"]);
  });
});
