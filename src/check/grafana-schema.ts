/**
 * Schema conformance checks for the Grafana dashboard JSON (dashboard v1,
 * "classic" JSON model) that Vigil emits.
 *
 * The schemas are written by hand from the types of
 * @grafana/grafana-foundation-sdk (dist/dashboard, dist/common, dist/prometheus
 * and the panel plugins' types.gen.d.ts) and from Grafana's JSON model
 * documentation. Objects are strict (unknown keys rejected) where Grafana's
 * schema is closed, which for the dashboard kind, the panel plugins' options
 * and the Prometheus query is everywhere except the free-form bags typed `any`
 * (`options` of a transformation or matcher, the value of an override property).
 *
 * Two requirements are stricter than the SDK's optional fields, on purpose:
 * - a panel (and a row) must have a `gridPos`: without one Grafana lays the
 *   panel out at a default size and position, never what was intended;
 * - a query must have a `refId`: `common.DataQuery` requires it, and Grafana
 *   matches results, transformations and overrides to queries by it.
 *
 * Not a schema matter, so not checked here: unique panel ids, overlapping grid
 * positions, PromQL syntax, whether referenced variables exist.
 */
import { z } from "zod";

export interface SchemaViolation {
  /** JSON Pointer (RFC 6901) into the dashboard, e.g. "/panels/3/gridPos". */
  path: string;
  message: string;
}

// ---------------------------------------------------------------- common ---

const num = z.number();
const str = z.string();
const bool = z.boolean();
const strArray = z.array(str);

/** common.DataSourceRef */
const DataSourceRef = z.strictObject({
  type: str.optional(),
  uid: str.optional(),
});

/** common.VizOrientation */
const VizOrientation = z.enum(["auto", "vertical", "horizontal"]);
/** common.VisibilityMode */
const VisibilityMode = z.enum(["auto", "never", "always"]);
/** common.AxisPlacement */
const AxisPlacement = z.enum(["auto", "top", "right", "bottom", "left", "hidden"]);
/** common.AxisColorMode */
const AxisColorMode = z.enum(["text", "series"]);
/** common.TooltipDisplayMode */
const TooltipDisplayMode = z.enum(["single", "multi", "none"]);
/** common.SortOrder */
const SortOrder = z.enum(["asc", "desc", "none"]);
/** common.GraphDrawStyle */
const GraphDrawStyle = z.enum(["line", "bars", "points"]);
/** common.GraphGradientMode */
const GraphGradientMode = z.enum(["none", "opacity", "hue", "scheme"]);
/** common.GraphTransform */
const GraphTransform = z.enum(["constant", "negative-Y"]);
/** common.LineInterpolation */
const LineInterpolation = z.enum(["linear", "smooth", "stepBefore", "stepAfter"]);
/** common.BarAlignment */
const BarAlignment = z.union([z.literal(-1), z.literal(0), z.literal(1)]);
/** common.BarGaugeDisplayMode */
const BarGaugeDisplayMode = z.enum(["basic", "lcd", "gradient"]);
/** common.BarGaugeValueMode */
const BarGaugeValueMode = z.enum(["color", "text", "hidden"]);
/** common.BarGaugeNamePlacement */
const BarGaugeNamePlacement = z.enum(["auto", "top", "left", "hidden"]);
/** common.BarGaugeSizing */
const BarGaugeSizing = z.enum(["auto", "manual"]);

/** common.ScaleDistributionConfig */
const ScaleDistributionConfig = z.strictObject({
  type: z.enum(["linear", "log", "ordinal", "symlog"]),
  log: num.optional(),
  linearThreshold: num.optional(),
});

/** common.LineStyle */
const LineStyle = z.strictObject({
  fill: z.enum(["solid", "dash", "dot", "square"]).optional(),
  dash: z.array(num).optional(),
});

/** common.HideSeriesConfig */
const HideSeriesConfig = z.strictObject({
  tooltip: bool,
  legend: bool,
  viz: bool,
});

/** common.StackingConfig */
const StackingConfig = z.strictObject({
  mode: z.enum(["none", "normal", "percent"]).optional(),
  group: str.optional(),
});

/** common.GraphThresholdsStyleConfig */
const GraphThresholdsStyleConfig = z.strictObject({
  mode: z.enum(["off", "line", "dashed", "area", "line+area", "dashed+area", "series"]),
});

/** The fields common.GraphFieldConfig and common.TableSparklineCellOptions share. */
const graphFieldShape = {
  drawStyle: GraphDrawStyle.optional(),
  gradientMode: GraphGradientMode.optional(),
  thresholdsStyle: GraphThresholdsStyleConfig.optional(),
  transform: GraphTransform.optional(),
  lineColor: str.optional(),
  lineWidth: num.optional(),
  lineInterpolation: LineInterpolation.optional(),
  lineStyle: LineStyle.optional(),
  fillColor: str.optional(),
  fillOpacity: num.optional(),
  showPoints: VisibilityMode.optional(),
  pointSize: num.optional(),
  pointColor: str.optional(),
  axisPlacement: AxisPlacement.optional(),
  axisColorMode: AxisColorMode.optional(),
  axisLabel: str.optional(),
  axisWidth: num.optional(),
  axisSoftMin: num.optional(),
  axisSoftMax: num.optional(),
  axisGridShow: bool.optional(),
  scaleDistribution: ScaleDistributionConfig.optional(),
  axisCenteredZero: bool.optional(),
  barAlignment: BarAlignment.optional(),
  barWidthFactor: num.optional(),
  stacking: StackingConfig.optional(),
  hideFrom: HideSeriesConfig.optional(),
  insertNulls: z.union([bool, num]).optional(),
  spanNulls: z.union([bool, num]).optional(),
  fillBelowTo: str.optional(),
  pointSymbol: str.optional(),
  axisBorderShow: bool.optional(),
  barMaxWidth: num.optional(),
};

/** common.GraphFieldConfig (= timeseries.FieldConfig) */
const GraphFieldConfig = z.strictObject(graphFieldShape);

/** common.VizLegendOptions */
const VizLegendOptions = z.strictObject({
  displayMode: z.enum(["list", "table", "hidden"]),
  placement: z.enum(["bottom", "right"]),
  showLegend: bool,
  asTable: bool.optional(),
  isVisible: bool.optional(),
  sortBy: str.optional(),
  sortDesc: bool.optional(),
  width: num.optional(),
  calcs: strArray,
});

/** common.VizTooltipOptions */
const VizTooltipOptions = z.strictObject({
  mode: TooltipDisplayMode,
  sort: SortOrder,
  maxWidth: num.optional(),
  maxHeight: num.optional(),
  hideZeros: bool.optional(),
});

/** common.ReduceDataOptions */
const ReduceDataOptions = z.strictObject({
  values: bool.optional(),
  limit: num.optional(),
  calcs: strArray,
  fields: str.optional(),
});

/** common.VizTextDisplayOptions */
const VizTextDisplayOptions = z.strictObject({
  titleSize: num.optional(),
  valueSize: num.optional(),
  percentSize: num.optional(),
});

/** common.TableSortByFieldState */
const TableSortByFieldState = z.strictObject({
  displayName: str,
  desc: bool.optional(),
});

/** common.TableFooterOptions */
const TableFooterOptions = z.strictObject({
  show: bool,
  reducer: strArray,
  fields: strArray.optional(),
  enablePagination: bool.optional(),
  countRows: bool.optional(),
});

/** common.TableCellOptions */
const TableCellOptions = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("auto"), wrapText: bool.optional() }),
  z.strictObject({ type: z.literal("sparkline"), ...graphFieldShape, hideValue: bool.optional() }),
  z.strictObject({ type: z.literal("gauge"), mode: BarGaugeDisplayMode.optional(), valueDisplayMode: BarGaugeValueMode.optional() }),
  z.strictObject({
    type: z.literal("color-background"),
    mode: z.enum(["basic", "gradient"]).optional(),
    applyToRow: bool.optional(),
    wrapText: bool.optional(),
  }),
  z.strictObject({ type: z.literal("color-text"), wrapText: bool.optional() }),
  z.strictObject({ type: z.literal("image"), alt: str.optional(), title: str.optional() }),
  z.strictObject({ type: z.literal("data-links") }),
  z.strictObject({ type: z.literal("actions") }),
  z.strictObject({ type: z.literal("json-view") }),
]);

/** common.TableFieldOptions (= table.FieldConfig) */
const TableFieldOptions = z.strictObject({
  width: num.optional(),
  minWidth: num.optional(),
  align: z.enum(["auto", "left", "right", "center"]),
  displayMode: z
    .enum([
      "auto",
      "color-text",
      "color-background",
      "color-background-solid",
      "gradient-gauge",
      "lcd-gauge",
      "json-view",
      "basic",
      "image",
      "gauge",
      "sparkline",
      "data-links",
      "custom",
      "actions",
    ])
    .optional(),
  cellOptions: TableCellOptions.optional(),
  hidden: bool.optional(),
  inspect: bool,
  filterable: bool.optional(),
  hideHeader: bool.optional(),
});

// --------------------------------------------------------- panel plugins ---

/** timeseries.Options */
const TimeseriesOptions = z.strictObject({
  timezone: strArray.optional(),
  legend: VizLegendOptions,
  tooltip: VizTooltipOptions,
  orientation: VizOrientation.optional(),
});

/** stat.Options */
const StatOptions = z.strictObject({
  graphMode: z.enum(["none", "line", "area"]),
  colorMode: z.enum(["value", "background", "background_solid", "none"]),
  justifyMode: z.enum(["auto", "center"]),
  textMode: z.enum(["auto", "value", "value_and_name", "name", "none"]),
  wideLayout: bool,
  showPercentChange: bool,
  reduceOptions: ReduceDataOptions,
  text: VizTextDisplayOptions.optional(),
  percentChangeColorMode: z.enum(["standard", "inverted", "same_as_value"]),
  orientation: VizOrientation,
});

/** gauge.Options */
const GaugeOptions = z.strictObject({
  showThresholdLabels: bool,
  showThresholdMarkers: bool,
  sizing: BarGaugeSizing,
  minVizWidth: num,
  reduceOptions: ReduceDataOptions,
  text: VizTextDisplayOptions.optional(),
  minVizHeight: num,
  orientation: VizOrientation,
});

/** bargauge.Options */
const BarGaugeOptions = z.strictObject({
  displayMode: BarGaugeDisplayMode,
  valueMode: BarGaugeValueMode,
  namePlacement: BarGaugeNamePlacement,
  showUnfilled: bool,
  sizing: BarGaugeSizing,
  minVizWidth: num,
  minVizHeight: num,
  legend: VizLegendOptions,
  reduceOptions: ReduceDataOptions,
  text: VizTextDisplayOptions.optional(),
  maxVizHeight: num,
  orientation: VizOrientation,
});

/** table.Options */
const TableOptions = z.strictObject({
  frameIndex: num,
  showHeader: bool,
  showTypeIcons: bool.optional(),
  sortBy: z.array(TableSortByFieldState).optional(),
  footer: TableFooterOptions.optional(),
  cellHeight: z.enum(["sm", "md", "lg", "auto"]).optional(),
});

/** common.HeatmapCalculationBucketConfig */
const HeatmapCalculationBucketConfig = z.strictObject({
  mode: z.enum(["size", "count"]).optional(),
  value: str.optional(),
  scale: ScaleDistributionConfig.optional(),
});

/** heatmap.Options */
const HeatmapOptions = z.strictObject({
  calculate: bool.optional(),
  calculation: z
    .strictObject({
      xBuckets: HeatmapCalculationBucketConfig.optional(),
      yBuckets: HeatmapCalculationBucketConfig.optional(),
    })
    .optional(),
  color: z.strictObject({
    mode: z.enum(["opacity", "scheme"]).optional(),
    scheme: str,
    fill: str,
    scale: z.enum(["linear", "exponential"]).optional(),
    exponent: num,
    steps: num,
    reverse: bool,
    min: num.optional(),
    max: num.optional(),
  }),
  filterValues: z.strictObject({ le: num.optional(), ge: num.optional() }).optional(),
  rowsFrame: z
    .strictObject({
      value: str.optional(),
      layout: z.enum(["le", "ge", "unknown", "auto"]).optional(),
    })
    .optional(),
  showValue: VisibilityMode,
  cellGap: num.optional(),
  cellRadius: num.optional(),
  cellValues: z.strictObject({ unit: str.optional(), decimals: num.optional() }).optional(),
  yAxis: z.strictObject({
    unit: str.optional(),
    reverse: bool.optional(),
    decimals: num.optional(),
    min: num.optional(),
    axisPlacement: AxisPlacement.optional(),
    axisColorMode: AxisColorMode.optional(),
    axisLabel: str.optional(),
    axisWidth: num.optional(),
    axisSoftMin: num.optional(),
    axisSoftMax: num.optional(),
    axisGridShow: bool.optional(),
    scaleDistribution: ScaleDistributionConfig.optional(),
    axisCenteredZero: bool.optional(),
    max: num.optional(),
    axisBorderShow: bool.optional(),
  }),
  legend: z.strictObject({ show: bool }),
  tooltip: z.strictObject({
    mode: TooltipDisplayMode,
    maxHeight: num.optional(),
    maxWidth: num.optional(),
    yHistogram: bool.optional(),
    showColorScale: bool.optional(),
  }),
  exemplars: z.strictObject({ color: str }),
  selectionMode: z.enum(["x", "y", "xy"]).optional(),
});

/** heatmap.FieldConfig */
const HeatmapFieldConfig = z.strictObject({
  scaleDistribution: ScaleDistributionConfig.optional(),
  hideFrom: HideSeriesConfig.optional(),
});

/** Per panel type: the schema of `options` and of `fieldConfig.defaults.custom`. */
const PANEL_KINDS: Record<string, { options: z.ZodType; custom?: z.ZodType }> = {
  timeseries: { options: TimeseriesOptions, custom: GraphFieldConfig },
  stat: { options: StatOptions },
  gauge: { options: GaugeOptions },
  bargauge: { options: BarGaugeOptions },
  table: { options: TableOptions, custom: TableFieldOptions },
  heatmap: { options: HeatmapOptions, custom: HeatmapFieldConfig },
};

// ------------------------------------------------------------ prometheus ---

/** prometheus.Dataquery, with refId required as in common.DataQuery. */
const PrometheusQuery = z.strictObject({
  adhocFilters: z
    .array(z.strictObject({ key: str, operator: str, value: str, values: strArray.optional() }))
    .optional(),
  datasource: DataSourceRef.optional(),
  editorMode: z.enum(["builder", "code"]).optional(),
  exemplar: bool.optional(),
  expr: str,
  format: z.enum(["time_series", "table", "heatmap"]).optional(),
  groupByKeys: strArray.optional(),
  hide: bool.optional(),
  instant: bool.optional(),
  intervalFactor: num.optional(),
  intervalMs: num.optional(),
  legendFormat: str.optional(),
  maxDataPoints: num.optional(),
  queryType: str.optional(),
  range: bool.optional(),
  refId: str,
  resultAssertions: z
    .strictObject({
      maxFrames: num.optional(),
      type: z
        .enum([
          "",
          "timeseries-wide",
          "timeseries-long",
          "timeseries-many",
          "timeseries-multi",
          "directory-listing",
          "table",
          "numeric-wide",
          "numeric-multi",
          "numeric-long",
          "log-lines",
        ])
        .optional(),
      typeVersion: z.array(num),
    })
    .optional(),
  scopes: z
    .array(
      z.strictObject({
        defaultPath: strArray.optional(),
        filters: z
          .array(z.strictObject({ key: str, operator: str, value: str, values: strArray.optional() }))
          .optional(),
        title: str,
      }),
    )
    .optional(),
  timeRange: z.strictObject({ from: str, to: str }).optional(),
  interval: str.optional(),
});

// ------------------------------------------------------------- dashboard ---

/** dashboard.GridPos */
const GridPos = z.strictObject({
  h: num,
  w: num,
  x: num,
  y: num,
  static: bool.optional(),
});

/** dashboard.DashboardLink */
const DashboardLink = z.strictObject({
  title: str,
  type: z.enum(["link", "dashboards"]),
  icon: str,
  tooltip: str,
  url: str.optional(),
  tags: strArray,
  asDropdown: bool,
  placement: z.literal("inControlsMenu").optional(),
  targetBlank: bool,
  includeVars: bool,
  keepTime: bool,
});

/** dashboard.MatcherConfig */
const MatcherConfig = z.strictObject({
  id: str,
  options: z.unknown().optional(),
});

/** dashboard.DataTransformerConfig */
const DataTransformerConfig = z.strictObject({
  id: str,
  disabled: bool.optional(),
  filter: MatcherConfig.optional(),
  topic: z.enum(["series", "annotations", "alertStates"]).optional(),
  options: z.unknown(),
});

/** dashboard.ValueMappingResult */
const ValueMappingResult = z.strictObject({
  text: str.optional(),
  color: str.optional(),
  icon: str.optional(),
  index: num.optional(),
});

/** dashboard.ValueMapping */
const ValueMapping = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("value"), options: z.record(str, ValueMappingResult) }),
  z.strictObject({
    type: z.literal("range"),
    options: z.strictObject({ from: num.nullable(), to: num.nullable(), result: ValueMappingResult }),
  }),
  z.strictObject({
    type: z.literal("regex"),
    options: z.strictObject({ pattern: str, result: ValueMappingResult }),
  }),
  z.strictObject({
    type: z.literal("special"),
    options: z.strictObject({
      match: z.enum(["true", "false", "null", "nan", "null+nan", "empty"]),
      result: ValueMappingResult,
    }),
  }),
]);

/** dashboard.Threshold */
const Threshold = z.strictObject({
  value: num.nullable(),
  color: str,
});

/** dashboard.ThresholdsConfig */
const ThresholdsConfig = z.strictObject({
  mode: z.enum(["absolute", "percentage"]),
  steps: z.array(Threshold),
});

/** dashboard.FieldColor */
const FieldColor = z.strictObject({
  mode: z.enum([
    "thresholds",
    "palette-classic",
    "palette-classic-by-name",
    "continuous-GrYlRd",
    "continuous-RdYlGr",
    "continuous-BlYlRd",
    "continuous-YlRd",
    "continuous-BlPu",
    "continuous-YlBl",
    "continuous-blues",
    "continuous-reds",
    "continuous-greens",
    "continuous-purples",
    "fixed",
    "shades",
  ]),
  fixedColor: str.optional(),
  seriesBy: z.enum(["min", "max", "last"]).optional(),
});

const HttpRequestMethod = z.enum(["GET", "PUT", "POST", "DELETE", "PATCH"]);

/** dashboard.Action */
const Action = z.strictObject({
  type: z.enum(["fetch", "infinity"]),
  title: str,
  fetch: z
    .strictObject({
      method: HttpRequestMethod,
      url: str,
      body: str.optional(),
      queryParams: z.array(strArray).optional(),
      headers: z.array(strArray).optional(),
    })
    .optional(),
  infinity: z
    .strictObject({
      method: HttpRequestMethod,
      url: str,
      body: str.optional(),
      queryParams: z.array(strArray).optional(),
      headers: z.array(strArray).optional(),
      datasourceUid: str,
    })
    .optional(),
  confirmation: str.optional(),
  oneClick: bool.optional(),
  variables: z.array(z.strictObject({ key: str, name: str, type: z.literal("string") })).optional(),
  style: z.strictObject({ backgroundColor: str.optional() }).optional(),
});

/** dashboard.FieldConfig; `custom` is checked per panel type. */
const FieldConfig = z.strictObject({
  displayName: str.optional(),
  displayNameFromDS: str.optional(),
  description: str.optional(),
  path: str.optional(),
  writeable: bool.optional(),
  filterable: bool.optional(),
  unit: str.optional(),
  decimals: num.optional(),
  min: num.optional(),
  max: num.optional(),
  mappings: z.array(ValueMapping).optional(),
  thresholds: ThresholdsConfig.optional(),
  color: FieldColor.optional(),
  links: z.array(DashboardLink).optional(),
  actions: z.array(Action).optional(),
  noValue: str.optional(),
  custom: z.record(str, z.unknown()).optional(),
  fieldMinMax: bool.optional(),
});

/** dashboard.FieldConfigSource */
const FieldConfigSource = z.strictObject({
  defaults: FieldConfig,
  overrides: z.array(
    z.strictObject({
      __systemRef: str.optional(),
      matcher: MatcherConfig,
      properties: z.array(z.strictObject({ id: str, value: z.unknown().optional() })),
    }),
  ),
});

/** dashboard.Panel; `options` and `targets` are checked per panel type and datasource. */
const Panel = z.strictObject({
  type: str,
  id: num.optional(),
  pluginVersion: str.optional(),
  targets: z.array(z.record(str, z.unknown())).optional(),
  title: str.optional(),
  description: str.optional(),
  transparent: bool.optional(),
  datasource: DataSourceRef.optional(),
  gridPos: GridPos,
  links: z.array(DashboardLink).optional(),
  repeat: str.optional(),
  repeatDirection: z.enum(["h", "v"]).optional(),
  maxPerRow: num.optional(),
  maxDataPoints: num.optional(),
  transformations: z.array(DataTransformerConfig).optional(),
  interval: str.optional(),
  timeFrom: str.optional(),
  timeShift: str.optional(),
  hideTimeOverride: bool.optional(),
  timeCompare: str.optional(),
  libraryPanel: z.strictObject({ name: str, uid: str }).optional(),
  cacheTimeout: str.optional(),
  queryCachingTTL: num.optional(),
  options: z.record(str, z.unknown()).optional(),
  fieldConfig: FieldConfigSource.optional(),
});

/** dashboard.RowPanel */
const RowPanel = z.strictObject({
  type: z.literal("row"),
  collapsed: bool,
  title: str.optional(),
  datasource: DataSourceRef.optional(),
  gridPos: GridPos,
  id: num,
  panels: z.array(Panel),
  repeat: str.optional(),
});

/** dashboard.VariableOption */
const VariableOption = z.strictObject({
  selected: bool.optional(),
  text: z.union([str, strArray]),
  value: z.union([str, strArray]),
});

/** dashboard.VariableModel */
const VariableModel = z.strictObject({
  type: z.enum(["query", "adhoc", "groupby", "constant", "datasource", "interval", "textbox", "custom", "system", "snapshot", "switch"]),
  name: str,
  label: str.optional(),
  hide: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).optional(),
  skipUrlSync: bool.optional(),
  description: str.optional(),
  query: z.union([str, z.record(str, z.unknown())]).optional(),
  datasource: DataSourceRef.optional(),
  current: VariableOption.optional(),
  multi: bool.optional(),
  allowCustomValue: bool.optional(),
  options: z.array(VariableOption).optional(),
  refresh: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
  sort: z.number().int().min(0).max(8).optional(),
  includeAll: bool.optional(),
  allValue: str.optional(),
  regex: str.optional(),
  staticOptions: z.array(VariableOption).optional(),
  staticOptionsOrder: z.enum(["before", "after", "sorted"]).optional(),
  auto: bool.optional(),
  auto_min: str.optional(),
  auto_count: num.optional(),
  definition: str.optional(),
});

/** dashboard.AnnotationQuery */
const AnnotationQuery = z.strictObject({
  name: str,
  datasource: DataSourceRef.optional(),
  enable: bool,
  hide: bool.optional(),
  iconColor: str,
  filter: z.strictObject({ exclude: bool.optional(), ids: z.array(num) }).optional(),
  target: z.record(str, z.unknown()).optional(),
  type: str.optional(),
  builtIn: num.optional(),
  placement: z.literal("inControlsMenu").optional(),
  expr: str.optional(),
  textFormat: str.optional(),
  titleFormat: str.optional(),
  tagKeys: str.optional(),
  step: str.optional(),
  useValueForTime: bool.optional(),
  mappings: z
    .record(
      str,
      z.strictObject({
        source: z.enum(["field", "text", "skip"]).optional(),
        value: str.optional(),
        regex: str.optional(),
      }),
    )
    .optional(),
});

/** dashboard.Dashboard */
const Dashboard = z.strictObject({
  id: num.nullable().optional(),
  uid: str.optional(),
  title: str.optional(),
  description: str.optional(),
  revision: num.optional(),
  gnetId: str.optional(),
  tags: strArray.optional(),
  timezone: str.optional(),
  editable: bool.optional(),
  graphTooltip: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
  time: z.strictObject({ from: str, to: str }).optional(),
  timepicker: z
    .strictObject({
      hidden: bool.optional(),
      refresh_intervals: strArray.optional(),
      quick_ranges: z.array(z.strictObject({ display: str, from: str, to: str })).optional(),
      nowDelay: str.optional(),
    })
    .optional(),
  fiscalYearStartMonth: z.number().int().min(0).max(11).optional(),
  liveNow: bool.optional(),
  weekStart: str.optional(),
  refresh: str.optional(),
  schemaVersion: num,
  version: num.optional(),
  // Each panel is checked as a RowPanel or a Panel, by its type, in checkDashboard.
  panels: z.array(z.unknown()).optional(),
  templating: z.strictObject({ list: z.array(VariableModel).optional() }),
  annotations: z.strictObject({ list: z.array(AnnotationQuery).optional() }),
  links: z.array(DashboardLink).optional(),
  // dashboard.Snapshot is only present in snapshots, which Vigil never emits.
  snapshot: z.record(str, z.unknown()).optional(),
  preload: bool.optional(),
});

// ----------------------------------------------------------------- check ---

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function pointer(path: readonly PropertyKey[]): string {
  return path.length === 0 ? "/" : path.map((p) => "/" + String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

function collect(schema: z.ZodType, value: unknown, base: readonly PropertyKey[], out: SchemaViolation[]): void {
  const result = schema.safeParse(value);
  if (result.success) return;
  for (const issue of result.error.issues) {
    const at = [...base, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) out.push({ path: pointer([...at, key]), message: `unknown property "${key}"` });
    } else if (issue.code === "invalid_union" && issue.errors.length > 0 && "discriminator" in issue && issue.discriminator) {
      out.push({ path: pointer([...at, String(issue.discriminator)]), message: issue.message });
    } else {
      out.push({ path: pointer(at), message: issue.message });
    }
  }
}

/** The datasource type a query runs against: its own, else its panel's. */
function queryDatasourceType(target: Record<string, unknown>, panel: Record<string, unknown>): string | undefined {
  const own = isRecord(target["datasource"]) ? target["datasource"]["type"] : undefined;
  if (typeof own === "string") return own;
  const inherited = isRecord(panel["datasource"]) ? panel["datasource"]["type"] : undefined;
  return typeof inherited === "string" ? inherited : undefined;
}

/** Checks a panel's own contents: per-type options and custom field config, and its queries. */
function checkPanelContents(panel: unknown, base: readonly PropertyKey[], out: SchemaViolation[]): void {
  if (!isRecord(panel)) return;
  const type = panel["type"];
  if (type === "row") {
    const children = panel["panels"];
    if (Array.isArray(children)) children.forEach((child, j) => checkPanelContents(child, [...base, "panels", j], out));
    return;
  }
  const kind = typeof type === "string" ? PANEL_KINDS[type] : undefined;
  if (kind) {
    // Grafana fills in defaults for a panel without options; present options must be whole.
    if (panel["options"] !== undefined) collect(kind.options, panel["options"], [...base, "options"], out);
    const fieldConfig = panel["fieldConfig"];
    const custom = isRecord(fieldConfig) && isRecord(fieldConfig["defaults"]) ? fieldConfig["defaults"]["custom"] : undefined;
    if (kind.custom && custom !== undefined) collect(kind.custom, custom, [...base, "fieldConfig", "defaults", "custom"], out);
  }
  const targets = panel["targets"];
  if (Array.isArray(targets)) {
    targets.forEach((target, k) => {
      if (!isRecord(target)) return;
      const ds = queryDatasourceType(target, panel);
      if (ds === undefined || ds === "prometheus") collect(PrometheusQuery, target, [...base, "targets", k], out);
    });
  }
}

/**
 * Checks one dashboard's JSON against Grafana's dashboard schema, the options
 * and field config of its timeseries, stat, gauge, bargauge, table and heatmap
 * panels, and the Prometheus schema of its queries. Returns the violations,
 * none when the dashboard conforms.
 */
export function checkDashboard(json: unknown): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  collect(Dashboard, json, [], out);
  if (isRecord(json) && Array.isArray(json["panels"])) {
    json["panels"].forEach((panel, i) => {
      // A dashboard's panels are (Panel | RowPanel)[]; a row's panels are Panel[] (checked by RowPanel).
      const schema = isRecord(panel) && panel["type"] === "row" ? RowPanel : Panel;
      collect(schema, panel, ["panels", i], out);
      checkPanelContents(panel, ["panels", i], out);
    });
  }
  return out;
}
