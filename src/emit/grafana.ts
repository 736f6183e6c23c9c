import {
  CustomVariableBuilder,
  DashboardBuilder,
  DashboardLinkBuilder,
  DashboardLinkType,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  RowBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  VariableRefresh,
  VariableSort,
  type DynamicConfigValue,
} from "@grafana/grafana-foundation-sdk/dashboard";
import { PanelBuilder as TimeseriesPanel } from "@grafana/grafana-foundation-sdk/timeseries";
import { PanelBuilder as StatPanel } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as TablePanel } from "@grafana/grafana-foundation-sdk/table";
import { PanelBuilder as GaugePanel } from "@grafana/grafana-foundation-sdk/gauge";
import { PanelBuilder as BarGaugePanel } from "@grafana/grafana-foundation-sdk/bargauge";
import { PanelBuilder as HeatmapPanel, YAxisConfigBuilder } from "@grafana/grafana-foundation-sdk/heatmap";
import { DataqueryBuilder, PromQueryFormat } from "@grafana/grafana-foundation-sdk/prometheus";
import {
  AxisPlacement,
  BarGaugeDisplayMode,
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  VizOrientation,
  TableSortByFieldStateBuilder,
  VizLegendOptionsBuilder,
} from "@grafana/grafana-foundation-sdk/common";
import type {
  CustomVariablePlan,
  DashboardLinkPlan,
  DashboardPlan,
  FieldOverride,
  PanelPlan,
  Plan,
  QueryPlan,
  ThresholdStep,
  VariablePlan,
} from "../plan/types.js";
import { stableJson, yamlFile, type OutputFile } from "./output.js";
import type { dashboardManifestV2 } from "./grafana-v2.js";

const DATASOURCE = { type: "prometheus", uid: "${datasource}" };
const GRID_WIDTH = 24;
/** Tag on every dashboard Vigil writes, so that apply prunes only its own. */
export const MANAGED_TAG = "vigil";

const THRESHOLD_STYLES: Record<NonNullable<PanelPlan["thresholdsStyle"]>, GraphThresholdsStyleMode> = {
  line: GraphThresholdsStyleMode.Line,
  dashed: GraphThresholdsStyleMode.Dashed,
  area: GraphThresholdsStyleMode.Area,
  "line+area": GraphThresholdsStyleMode.LineAndArea,
  "dashed+area": GraphThresholdsStyleMode.DashedAndArea,
};

const thresholdsOf = (steps: readonly ThresholdStep[]) =>
  new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps.map((s) => ({ color: s.color, value: s.value })));

/** An override's matcher and properties; every value an object, as Grafana's schema wants. */
function override(o: FieldOverride) {
  const properties: DynamicConfigValue[] = [
    ...(o.color ? [{ id: "color", value: { mode: "fixed", fixedColor: o.color } }] : []),
    ...(o.dashed ? [{ id: "custom.lineStyle", value: { fill: "dash", dash: [10, 10] } }] : []),
    ...(o.thresholds ? [{ id: "thresholds", value: thresholdsOf(o.thresholds).build() }] : []),
    ...(o.cell ? [{ id: "custom.cellOptions", value: { type: o.cell } }] : []),
  ];
  return { matcher: { id: "byNames", options: { mode: "include", names: o.names } }, properties };
}

function panelBuilder(panel: PanelPlan, gridPos: { x: number; y: number; w: number; h: number }) {
  const targets = panel.queries.map((q) => {
    const target = new DataqueryBuilder().expr(q.expr);
    if (q.legend !== undefined) target.legendFormat(q.legend);
    if (q.refId !== undefined) target.refId(q.refId);
    if (q.instant) target.instant();
    if (q.format) target.format(QUERY_FORMATS[q.format]);
    return target;
  });
  let builder: StatPanel | TablePanel | TimeseriesPanel | GaugePanel | BarGaugePanel | HeatmapPanel;
  /** Heatmaps take the unit, decimals and range of their buckets on the y axis. */
  let onAxis = false;
  if (panel.type === "gauge") {
    builder = new GaugePanel().reduceOptions(lastValue()).showThresholdMarkers(true).showThresholdLabels(false);
  } else if (panel.type === "bargauge") {
    builder = new BarGaugePanel()
      .reduceOptions(lastValue())
      .displayMode(BarGaugeDisplayMode.Gradient)
      .orientation(VizOrientation.Horizontal)
      .showUnfilled(true);
  } else if (panel.type === "heatmap") {
    const yAxis = new YAxisConfigBuilder().axisPlacement(AxisPlacement.Left);
    if (panel.unit) yAxis.unit(panel.unit);
    if (panel.decimals !== undefined) yAxis.decimals(panel.decimals);
    if (panel.min !== undefined) yAxis.min(panel.min);
    if (panel.max !== undefined) yAxis.max(panel.max);
    builder = new HeatmapPanel().calculate(false).yAxis(yAxis);
    onAxis = true;
  } else if (panel.type === "stat") {
    const stat = new StatPanel();
    if (panel.reducer) stat.reduceOptions(new ReduceDataOptionsBuilder().values(false).calcs([panel.reducer]));
    builder = stat;
  } else if (panel.type === "table") {
    const table = new TablePanel();
    if (panel.sortBy) table.sortBy([new TableSortByFieldStateBuilder().displayName(panel.sortBy.column).desc(panel.sortBy.desc)]);
    builder = table;
  } else {
    const timeseries = new TimeseriesPanel().legend(
      new VizLegendOptionsBuilder().showLegend(true).displayMode(LegendDisplayMode.List).placement(LegendPlacement.Bottom),
    );
    if (panel.thresholdsStyle) timeseries.thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(THRESHOLD_STYLES[panel.thresholdsStyle]));
    builder = timeseries;
  }
  builder.title(panel.title).datasource(DATASOURCE).gridPos(gridPos);
  if (panel.unit && !onAxis) builder.unit(panel.unit);
  if (panel.description) builder.description(panel.description);
  if (panel.decimals !== undefined && !onAxis) builder.decimals(panel.decimals);
  if (panel.min !== undefined && !onAxis) builder.min(panel.min);
  if (panel.max !== undefined && !onAxis) builder.max(panel.max);
  if (panel.thresholds) builder.thresholds(thresholdsOf(panel.thresholds));
  for (const o of panel.overrides ?? []) builder.withOverride(override(o));
  for (const t of panel.transformations ?? []) builder.withTransformation({ id: t.id, options: t.options });
  for (const target of targets) builder.withTarget(target);
  return builder;
}

const QUERY_FORMATS: Record<NonNullable<QueryPlan["format"]>, PromQueryFormat> = {
  time_series: PromQueryFormat.TimeSeries,
  table: PromQueryFormat.Table,
  heatmap: PromQueryFormat.Heatmap,
};

/** Gauges and bar gauges: each series' last non-null value. */
const lastValue = () => new ReduceDataOptionsBuilder().values(false).calcs(["lastNotNull"]);

/** Grafana's custom-variable query: values joined by commas, a comma inside a value escaped. */
const customQuery = (values: readonly string[]) => values.map((v) => v.replace(/,/g, "\\,")).join(",");

/** A variable with a fixed list of values: "All" (when offered) or the first value is current at first. */
function customVariableBuilder(variable: CustomVariablePlan) {
  const first = variable.includeAll ? { text: "All", value: "$__all" } : { text: variable.values[0]!, value: variable.values[0]! };
  const current = variable.multi ? { selected: true, text: [first.text], value: [first.value] } : { selected: true, ...first };
  const options = [...(variable.includeAll ? [{ text: "All", value: "$__all" }] : []), ...variable.values.map((v) => ({ text: v, value: v }))].map((o) => ({
    ...o,
    selected: o.value === first.value,
  }));
  return new CustomVariableBuilder(variable.name)
    .label(variable.label)
    .values(customQuery(variable.values))
    .multi(variable.multi)
    .includeAll(variable.includeAll)
    .current(current)
    .options(options);
}

/** A header link: to a URL, or a dropdown of the dashboards having all the tags. */
function linkBuilder(link: DashboardLinkPlan) {
  const builder = new DashboardLinkBuilder(link.title).targetBlank(false).includeVars(false);
  if ("url" in link) return builder.type(DashboardLinkType.Link).url(link.url).keepTime(false);
  return builder.type(DashboardLinkType.Dashboards).tags(link.tags).asDropdown(true).keepTime(true);
}

/** A query variable on the dashboard's data source, refreshed with the time range. */
function variableBuilder(variable: VariablePlan) {
  const builder = new QueryVariableBuilder(variable.name)
    .label(variable.label)
    .datasource(DATASOURCE)
    .query(variable.query)
    .definition(variable.query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(variable.multi)
    .includeAll(variable.includeAll);
  if (variable.includeAll) builder.current({ text: ["All"], value: ["$__all"] });
  if (variable.allValue !== undefined) builder.allValue(variable.allValue);
  return builder;
}

/** Builds a declarative dashboard with the foundation SDK, laying panels out left to right. */
function buildDeclarative(dashboard: Extract<DashboardPlan, { kind: "declarative" }>): Record<string, unknown> {
  const builder = new DashboardBuilder(dashboard.title)
    .uid(dashboard.uid)
    .tags([MANAGED_TAG, ...new Set(dashboard.tags)])
    .time({ from: "now-6h", to: "now" })
    .refresh("1m")
    .timezone("browser")
    .withVariable(new DatasourceVariableBuilder("datasource").label("Data source").type("prometheus"));
  for (const variable of dashboard.variables ?? []) {
    builder.withVariable(variable.kind === "custom" ? customVariableBuilder(variable) : variableBuilder(variable));
  }
  for (const link of dashboard.links ?? []) builder.link(linkBuilder(link));
  if (dashboard.description) builder.description(dashboard.description);
  let y = 0;
  for (const row of dashboard.rows) {
    builder.withRow(new RowBuilder(row.title).gridPos({ x: 0, y, w: GRID_WIDTH, h: 1 }));
    y += 1;
    let x = 0;
    let rowHeight = 0;
    for (const panel of row.panels) {
      if (x + panel.width > GRID_WIDTH) {
        y += rowHeight;
        x = 0;
        rowHeight = 0;
      }
      builder.withPanel(panelBuilder(panel, { x, y, w: panel.width, h: panel.height }));
      x += panel.width;
      rowHeight = Math.max(rowHeight, panel.height);
    }
    y += rowHeight;
  }
  return builder.build() as unknown as Record<string, unknown>;
}

type PanelJson = Record<string, unknown> & { panels?: PanelJson[]; targets?: Record<string, unknown>[] };

/**
 * What the SDK leaves out and Grafana wants: unique panel ids (the SDK gives none, and 0 to
 * rows), a refId and datasource on every target, an annotations list, the managed tag.
 */
export function finishDashboard(json: Record<string, unknown>): Record<string, unknown> {
  let nextId = 1;
  const finishPanel = (panel: PanelJson): PanelJson => {
    const targets = panel.targets?.map((target, i) => ({
      ...target,
      refId: target.refId ?? String.fromCharCode(65 + (i % 26)) + (i >= 26 ? String(Math.floor(i / 26)) : ""),
      datasource: target.datasource ?? panel.datasource ?? DATASOURCE,
    }));
    return {
      ...panel,
      id: nextId++,
      ...(panel.type !== "row" && !panel.datasource && { datasource: DATASOURCE }),
      ...(targets && { targets }),
      ...(panel.panels && { panels: panel.panels.map(finishPanel) }),
    };
  };
  const panels = ((json.panels as PanelJson[] | undefined) ?? []).map(finishPanel);
  const templating = (json.templating as { list?: Record<string, unknown>[] } | undefined)?.list ?? [];
  const hasDatasourceVariable = templating.some((v) => v.type === "datasource" && v.name === "datasource");
  const tags = (json.tags as string[] | undefined) ?? [];
  const annotations = json.annotations as { list?: unknown[] } | undefined;
  return {
    ...json,
    id: null,
    tags: tags.includes(MANAGED_TAG) ? tags : [MANAGED_TAG, ...tags],
    annotations: { list: annotations?.list ?? [] },
    templating: {
      list: hasDatasourceVariable
        ? templating
        : [{ type: "datasource", name: "datasource", label: "Data source", query: "prometheus", hide: 0, skipUrlSync: false }, ...templating],
    },
    panels,
  };
}

/** Dashboards as `grafana/dashboards/<team>/<uid>.json`, and the file-provisioning config. */
/**
 * With `grafana.schema: "v2"`, pass the v2 emitter (`emit/grafana-v2.js`): callers load it only
 * then, since its SDK packages take a quarter of a second to import.
 */
export function emitGrafana(plan: Plan, toV2?: typeof dashboardManifestV2): OutputFile[] {
  // Schema v2: declarative dashboards become dashboard.grafana.app/v2 resources (grafana-v2.ts).
  // SDK dashboards are v1 JSON built by users and the SDK has no v1-to-v2 converter: they stay v1.
  const v2 = plan.config.grafana.schema === "v2";
  if (v2 && !toV2) throw new Error("emitGrafana: schema v2 needs the v2 emitter from emit/grafana-v2.js");
  const file = (team: string, sources: string[], dashboard: DashboardPlan): OutputFile => ({
    path: `grafana/dashboards/${team}/${dashboard.uid}.json`,
    sources,
    content: stableJson(
      dashboard.kind === "sdk"
        ? finishDashboard(dashboard.json)
        : v2
          ? toV2!(dashboard)
          : finishDashboard(buildDeclarative(dashboard)),
    ),
  });
  const dashboards = [
    ...plan.services.flatMap((service) => service.dashboards.map((dashboard) => file(service.team, service.sources, dashboard))),
    ...plan.teamDashboards.map((t) => file(t.team, t.sources, t.dashboard)),
  ];
  const provisioning = {
    apiVersion: 1,
    providers: [{
      name: "vigil",
      type: "file",
      disableDeletion: false,
      allowUiUpdates: false,
      updateIntervalSeconds: 60,
      options: { path: plan.config.grafana.dashboardsPath, foldersFromFilesStructure: true },
    }],
  };
  return [
    ...dashboards,
    {
      path: "grafana/provisioning/dashboards.yaml",
      sources: [],
      content: yamlFile(provisioning, "Generated by Vigil. Grafana file provisioning: one folder per team, from the folders under dashboards/."),
    },
  ];
}
