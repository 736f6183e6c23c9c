/**
 * Grafana dashboard schema v2 (`grafana.schema: "v2"`): every declarative dashboard (declared,
 * generated overviews, SLO and team dashboards) as a `dashboard.grafana.app/v2` resource, built
 * with the foundation SDK's dashboardv2 builders and wrapped by its `manifest` helper.
 *
 * The layout is a single grid with the v1 positions: rows take the same one-unit band they take in
 * v1 (a grid layout has no row headers), so panels sit exactly where they do in the v1 JSON. Each
 * panel is the element `panel-<id>`, its id the one v1 gives it (rows count), so names are stable.
 */
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import {
  CustomVariableBuilder,
  DashboardBuilder,
  DashboardLinkBuilder,
  DashboardLinkType,
  DatasourceVariableBuilder,
  GridBuilder,
  GridItemBuilder,
  PanelBuilder,
  QueryGroupBuilder,
  QueryVariableBuilder,
  TargetBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  TimeSettingsBuilder,
  TransformationBuilder,
  VariableRefresh,
  VariableSort,
  manifest,
  type DataQueryKind,
  type DynamicConfigValue,
  type VizConfigKind,
} from "@grafana/grafana-foundation-sdk/dashboardv2";
import { VisualizationV2Builder as TimeseriesViz } from "@grafana/grafana-foundation-sdk/timeseries";
import { VisualizationV2Builder as StatViz } from "@grafana/grafana-foundation-sdk/stat";
import { VisualizationV2Builder as TableViz } from "@grafana/grafana-foundation-sdk/table";
import { VisualizationV2Builder as GaugeViz } from "@grafana/grafana-foundation-sdk/gauge";
import { VisualizationV2Builder as BarGaugeViz } from "@grafana/grafana-foundation-sdk/bargauge";
import { VisualizationV2Builder as HeatmapViz, YAxisConfigBuilder } from "@grafana/grafana-foundation-sdk/heatmap";
import { PromQueryFormat, QueryV2Builder } from "@grafana/grafana-foundation-sdk/prometheus";
import {
  AxisPlacement,
  BarGaugeDisplayMode,
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  TableSortByFieldStateBuilder,
  VizLegendOptionsBuilder,
  VizOrientation,
} from "@grafana/grafana-foundation-sdk/common";
import type {
  CustomVariablePlan,
  DashboardLinkPlan,
  DashboardPlan,
  FieldOverride,
  PanelPlan,
  QueryPlan,
  ThresholdStep,
  VariablePlan,
} from "../plan/types.js";

/** The tag on every dashboard Vigil writes (the same as grafana.ts' MANAGED_TAG; not imported, to avoid an import cycle). */
const MANAGED_TAG = "vigil";
/** A v2 data source reference: the dashboard's `datasource` variable. */
const DATASOURCE = { name: "${datasource}" };
const GRID_WIDTH = 24;

type Declarative = Extract<DashboardPlan, { kind: "declarative" }>;

const THRESHOLD_STYLES: Record<NonNullable<PanelPlan["thresholdsStyle"]>, GraphThresholdsStyleMode> = {
  line: GraphThresholdsStyleMode.Line,
  dashed: GraphThresholdsStyleMode.Dashed,
  area: GraphThresholdsStyleMode.Area,
  "line+area": GraphThresholdsStyleMode.LineAndArea,
  "dashed+area": GraphThresholdsStyleMode.DashedAndArea,
};

const QUERY_FORMATS: Record<NonNullable<QueryPlan["format"]>, PromQueryFormat> = {
  time_series: PromQueryFormat.TimeSeries,
  table: PromQueryFormat.Table,
  heatmap: PromQueryFormat.Heatmap,
};

const thresholdsOf = (steps: readonly ThresholdStep[]) =>
  new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps.map((s) => ({ color: s.color, value: s.value })));

const lastValue = () => new ReduceDataOptionsBuilder().values(false).calcs(["lastNotNull"]);

/** The refId v1's finishDashboard gives a query without one: A, B, ... */
export const refIdAt = (i: number) => String.fromCharCode(65 + (i % 26)) + (i >= 26 ? String(Math.floor(i / 26)) : "");

function override(o: FieldOverride) {
  const properties: DynamicConfigValue[] = [
    ...(o.color ? [{ id: "color", value: { mode: "fixed", fixedColor: o.color } }] : []),
    ...(o.dashed ? [{ id: "custom.lineStyle", value: { fill: "dash", dash: [10, 10] } }] : []),
    ...(o.thresholds ? [{ id: "thresholds", value: thresholdsOf(o.thresholds).build() }] : []),
    ...(o.cell ? [{ id: "custom.cellOptions", value: { type: o.cell } }] : []),
  ];
  return { matcher: { id: "byNames", options: { mode: "include", names: o.names } }, properties };
}

/** The panel's visualization: the same options and field config as the v1 panel. */
/**
 * The v2 twin of `panelBuilder` in grafana.ts: the same options per panel kind, on the SDK's
 * VisualizationV2Builder classes, which share no type with the v1 PanelBuilders. Change both
 * together; test/emit/grafana-v2.test.ts fails when their options or field config differ.
 */
function visualization(panel: PanelPlan): cog.Builder<VizConfigKind> {
  let viz: TimeseriesViz | StatViz | TableViz | GaugeViz | BarGaugeViz | HeatmapViz;
  let onAxis = false;
  if (panel.type === "gauge") {
    viz = new GaugeViz().reduceOptions(lastValue()).showThresholdMarkers(true).showThresholdLabels(false);
  } else if (panel.type === "bargauge") {
    viz = new BarGaugeViz().reduceOptions(lastValue()).displayMode(BarGaugeDisplayMode.Gradient).orientation(VizOrientation.Horizontal).showUnfilled(true);
  } else if (panel.type === "heatmap") {
    const yAxis = new YAxisConfigBuilder().axisPlacement(AxisPlacement.Left);
    if (panel.unit) yAxis.unit(panel.unit);
    if (panel.decimals !== undefined) yAxis.decimals(panel.decimals);
    if (panel.min !== undefined) yAxis.min(panel.min);
    if (panel.max !== undefined) yAxis.max(panel.max);
    viz = new HeatmapViz().calculate(false).yAxis(yAxis);
    onAxis = true;
  } else if (panel.type === "stat") {
    const stat = new StatViz();
    if (panel.reducer) stat.reduceOptions(new ReduceDataOptionsBuilder().values(false).calcs([panel.reducer]));
    viz = stat;
  } else if (panel.type === "table") {
    const table = new TableViz();
    if (panel.sortBy) table.sortBy([new TableSortByFieldStateBuilder().displayName(panel.sortBy.column).desc(panel.sortBy.desc)]);
    viz = table;
  } else {
    const timeseries = new TimeseriesViz().legend(
      new VizLegendOptionsBuilder().showLegend(true).displayMode(LegendDisplayMode.List).placement(LegendPlacement.Bottom),
    );
    if (panel.thresholdsStyle) timeseries.thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(THRESHOLD_STYLES[panel.thresholdsStyle]));
    viz = timeseries;
  }
  if (panel.unit && !onAxis) viz.unit(panel.unit);
  if (panel.decimals !== undefined && !onAxis) viz.decimals(panel.decimals);
  if (panel.min !== undefined && !onAxis) viz.min(panel.min);
  if (panel.max !== undefined && !onAxis) viz.max(panel.max);
  if (panel.thresholds) viz.thresholds(thresholdsOf(panel.thresholds));
  for (const o of panel.overrides ?? []) viz.override(override(o));
  return viz;
}

function panelBuilder(panel: PanelPlan, id: number): PanelBuilder {
  const data = new QueryGroupBuilder();
  panel.queries.forEach((q, i) => {
    const query = new QueryV2Builder().datasource(DATASOURCE).expr(q.expr);
    const refId = q.refId ?? refIdAt(i);
    query.refId(refId);
    if (q.legend !== undefined) query.legendFormat(q.legend);
    if (q.instant) query.instant(true);
    if (q.format) query.format(QUERY_FORMATS[q.format]);
    data.target(new TargetBuilder().query(query).refId(refId).hidden(false));
  });
  for (const t of panel.transformations ?? []) data.transformation(new TransformationBuilder().group(t.id).options(t.options));
  const builder = new PanelBuilder().id(id).title(panel.title).data(data).visualization(visualization(panel));
  if (panel.description) builder.description(panel.description);
  return builder;
}

/** A Prometheus variable query on the dashboard's data source. */
const variableQuery = (query: string): cog.Builder<DataQueryKind> => ({
  build: () => ({
    kind: "DataQuery",
    group: "prometheus",
    version: "v0",
    datasource: DATASOURCE,
    spec: { query, refId: "PrometheusVariableQueryEditor-VariableQuery" },
  }),
});

function variableBuilder(variable: VariablePlan) {
  const builder = new QueryVariableBuilder(variable.name)
    .label(variable.label)
    .query(variableQuery(variable.query))
    .definition(variable.query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(variable.multi)
    .includeAll(variable.includeAll);
  if (variable.includeAll) builder.current({ text: ["All"], value: ["$__all"] });
  if (variable.allValue !== undefined) builder.allValue(variable.allValue);
  return builder;
}

const customQuery = (values: readonly string[]) => values.map((v) => v.replace(/,/g, "\\,")).join(",");

function customVariableBuilder(variable: CustomVariablePlan) {
  const first = variable.includeAll ? { text: "All", value: "$__all" } : { text: variable.values[0]!, value: variable.values[0]! };
  const current = variable.multi ? { selected: true, text: [first.text], value: [first.value] } : { selected: true, ...first };
  const options = [...(variable.includeAll ? [{ text: "All", value: "$__all" }] : []), ...variable.values.map((v) => ({ text: v, value: v }))].map((o) => ({
    ...o,
    selected: o.value === first.value,
  }));
  return new CustomVariableBuilder(variable.name)
    .label(variable.label)
    .query(customQuery(variable.values))
    .multi(variable.multi)
    .includeAll(variable.includeAll)
    .current(current)
    .options(options);
}

function linkBuilder(link: DashboardLinkPlan) {
  const builder = new DashboardLinkBuilder().title(link.title).targetBlank(false).includeVars(false);
  if ("url" in link) return builder.type(DashboardLinkType.Link).url(link.url).keepTime(false);
  return builder.type(DashboardLinkType.Dashboards).tags(link.tags).asDropdown(true).keepTime(true);
}

/** The v2 spec builder of a declarative dashboard. */
export function buildDashboardV2(dashboard: Declarative): DashboardBuilder {
  const builder = new DashboardBuilder(dashboard.title)
    .tags([MANAGED_TAG, ...new Set(dashboard.tags.filter((t) => t !== MANAGED_TAG))])
    .timeSettings(new TimeSettingsBuilder().from("now-6h").to("now").autoRefresh("1m").timezone("browser"))
    .variable(new DatasourceVariableBuilder("datasource").label("Data source").pluginId("prometheus"));
  for (const variable of dashboard.variables ?? []) {
    builder.variable(variable.kind === "custom" ? customVariableBuilder(variable) : variableBuilder(variable));
  }
  if (dashboard.links?.length) builder.links(dashboard.links.map(linkBuilder));
  if (dashboard.description) builder.description(dashboard.description);
  const grid = new GridBuilder();
  let id = 1;
  let y = 0;
  for (const row of dashboard.rows) {
    id += 1; // v1 gives the row this id; its panels follow
    y += 1;
    let x = 0;
    let rowHeight = 0;
    for (const panel of row.panels) {
      if (x + panel.width > GRID_WIDTH) {
        y += rowHeight;
        x = 0;
        rowHeight = 0;
      }
      const name = `panel-${id}`;
      builder.element(name, panelBuilder(panel, id));
      grid.item(new GridItemBuilder().name(name).x(x).y(y).width(panel.width).height(panel.height));
      id += 1;
      x += panel.width;
      rowHeight = Math.max(rowHeight, panel.height);
    }
    y += rowHeight;
  }
  return builder.layout(grid);
}

/**
 * A dashboard as a v2 resource: `{ apiVersion: "dashboard.grafana.app/v2", kind: "Dashboard",
 * metadata: { name: <uid> }, spec }`, from the SDK's dashboardv2 `manifest` helper.
 */
export function dashboardManifestV2(dashboard: Declarative): Record<string, unknown> {
  return manifest(dashboard.uid, buildDashboardV2(dashboard)).build() as unknown as Record<string, unknown>;
}
