import { z } from "zod";
import * as sdkUnits from "@grafana/grafana-foundation-sdk/units";
import { panelExprSchema as exprSchema } from "./promql.js";
import { suppressSchema } from "./suppress.js";
import { editDistance } from "../check/closest.js";

/** A Grafana dashboard uid: at most 40 letters, digits, "-" or "_". */
export const dashboardUidSchema = z.string().refine((uid) => /^[a-zA-Z0-9_-]{1,40}$/.test(uid), {
  params: { code: "invalid-dashboard-uid" },
  error: (issue) => `${JSON.stringify(issue.input)} is not a Grafana uid: use at most 40 letters, digits, "-" or "_"`,
});

/** A query of a panel: an expression, or one with a legend such as "{{route}}". */
export const panelQuerySchema = z.union([
  exprSchema,
  z.strictObject({
    /** PromQL to plot. */
    expr: exprSchema,
    /** Legend template, e.g. "{{code}}". */
    legend: z.string().optional(),
  }),
]);

/** Every unit id the foundation SDK knows (Grafana's unit list), sorted. */
export const KNOWN_UNITS: readonly string[] = [...new Set((Object.values(sdkUnits) as unknown[]).filter((v): v is string => typeof v === "string"))].sort();
const knownUnits = new Set(KNOWN_UNITS);
/** Grafana's custom units: "suffix:req", "prefix:$", "si:B", "count:jobs", "currency:EUR", "time:HH:mm". */
const CUSTOM_UNIT = /^(suffix|prefix|si|count|currency|time):.+$/;

/** Up to three known units closest to `unit`, closest first (ties in alphabetical order). */
export function closeUnits(unit: string): string[] {
  const a = unit.toLowerCase();
  const score = (known: string) => {
    const b = known.toLowerCase();
    const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
    if (shorter.length >= 3 && longer.includes(shorter)) return 1 + (longer.length - shorter.length) / 100;
    let prefix = 0;
    while (prefix < shorter.length && a[prefix] === b[prefix]) prefix++;
    return editDistance(a, b) - prefix / 2;
  };
  return KNOWN_UNITS.map((u) => ({ u, d: score(u) }))
    .sort((x, y) => x.d - y.d || (x.u < y.u ? -1 : x.u > y.u ? 1 : 0))
    .slice(0, 3)
    .map((x) => x.u);
}

/** A Grafana unit id from the SDK's list (e.g. "reqps", "s", "percentunit", "bytes"), or a custom unit such as "suffix:req". */
export const unitSchema = z.string().refine((unit) => knownUnits.has(unit) || CUSTOM_UNIT.test(unit), {
  params: { code: "unknown-unit" },
  error: (issue) =>
    `unknown unit ${JSON.stringify(issue.input)}; did you mean ${closeUnits(String(issue.input)).map((u) => JSON.stringify(u)).join(", ")}? (or a custom unit such as "suffix:${String(issue.input)}")`,
});

/** One colour step of the thresholds. */
export const thresholdStepSchema = z.strictObject({
  /** Where the step starts; leave it out on the first step, the base that applies below all others. */
  value: z.number().optional(),
  /** A Grafana colour name ("green", "orange", "red", "text") or "#rrggbb". */
  color: z.string().min(1),
});

/** Colour steps, lowest first: the first has no value (the base), the others ascending values. */
export const thresholdsSchema = z
  .array(thresholdStepSchema)
  .min(1)
  .superRefine((steps, ctx) => {
    steps.forEach((step, i) => {
      if (i === 0 && step.value !== undefined) {
        ctx.addIssue({ code: "custom", path: [0, "value"], params: { code: "invalid-thresholds" }, message: "the first threshold step is the base: leave out its value" });
      }
      if (i > 0 && step.value === undefined) {
        ctx.addIssue({ code: "custom", path: [i, "value"], params: { code: "invalid-thresholds" }, message: "every threshold step but the first needs a value" });
      }
      const before = steps[i - 1]?.value;
      if (i > 1 && step.value !== undefined && before !== undefined && step.value <= before) {
        ctx.addIssue({ code: "custom", path: [i, "value"], params: { code: "invalid-thresholds" }, message: `threshold values must ascend: ${step.value} comes after ${before}` });
      }
    });
  });

/** A panel of a declarative dashboard. */
export const panelSchema = z
  .strictObject({
    /** Panel title, shown on top of it. */
    title: z.string().min(1),
    /**
     * "timeseries" (a graph over time), "stat" (one big number), "gauge" (a dial), "bargauge"
     * (one bar per series), "table" (one row per series, with its labels as columns; instant
     * queries) or "heatmap" (a Prometheus histogram's buckets over time; queries in heatmap format).
     */
    type: z.enum(["timeseries", "stat", "gauge", "bargauge", "table", "heatmap"]).default("timeseries"),
    /** One or more PromQL queries. */
    queries: z.array(panelQuerySchema).min(1),
    /** Grafana unit id, e.g. "reqps", "s", "percentunit", "bytes"; for a heatmap, the unit of its buckets (y axis). */
    unit: unitSchema.optional(),
    /** Colour steps, e.g. `[{ color: "green" }, { value: 0.8, color: "orange" }, { value: 0.95, color: "red" }]`. */
    thresholds: thresholdsSchema.optional(),
    /** Lowest value of the scale (gauges, bars, axes); Grafana works it out when absent. */
    min: z.number().optional(),
    /** Highest value of the scale (gauges, bars, axes); Grafana works it out when absent. */
    max: z.number().optional(),
    /** Digits after the decimal point (0 to 10); Grafana chooses when absent. */
    decimals: z.number().int().min(0).max(10).optional(),
    /** Shown as the panel's tooltip. */
    description: z.string().optional(),
    /** Width in grid columns (1 to 24). */
    width: z.number().int().min(1).max(24).default(12),
    /** Height in grid rows. */
    height: z.number().int().min(1).max(40).default(8),
  })
  .superRefine((panel, ctx) => {
    if (panel.min !== undefined && panel.max !== undefined && panel.min >= panel.max) {
      ctx.addIssue({ code: "custom", path: ["max"], params: { code: "invalid-range" }, message: `max (${panel.max}) must be greater than min (${panel.min})` });
    }
  });

/** A variable whose values come from Prometheus, e.g. `label_values(http_requests_total, route)`. */
export const queryVariableSchema = z.strictObject({
  /** Name used in queries as `$name`. */
  name: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/),
  /** Shown in front of the picker; the name when absent. */
  label: z.string().min(1).optional(),
  /** A Prometheus variable query, e.g. "label_values(metric, label)". */
  query: z.string().min(1),
  /** Several values can be picked at once. */
  multi: z.boolean().default(false),
  /** Offer "All". */
  includeAll: z.boolean().default(false),
});

/** A variable with a fixed list of values. */
export const customVariableSchema = z.strictObject({
  /** Name used in queries as `$name`. */
  name: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/),
  /** Shown in front of the picker; the name when absent. */
  label: z.string().min(1).optional(),
  /** The values to pick from, in this order; the first is picked at first. */
  values: z.array(z.string().min(1)).min(1),
  /** Several values can be picked at once. */
  multi: z.boolean().default(false),
  /** Offer "All". */
  includeAll: z.boolean().default(false),
});

/** A dashboard variable: a Prometheus query one or a custom list. */
export const variableSchema = z.union([queryVariableSchema, customVariableSchema]);

/** A link in the dashboard's header: to a URL, or to the dashboards with some tags. */
export const dashboardLinkSchema = z.union([
  z.strictObject({
    /** Text of the link. */
    title: z.string().min(1),
    /** Where it goes, e.g. "https://wiki.example.com/checkout". */
    url: z.string().min(1),
  }),
  z.strictObject({
    /** Text of the dropdown. */
    title: z.string().min(1),
    /** Grafana lists the dashboards that have all these tags. */
    tags: z.array(z.string().min(1)).min(1),
  }),
]);

/** A dashboard written as data: rows of panels, laid out left to right. */
export const declarativeDashboardSchema = z.strictObject({
  /** Stable Grafana uid; defaults to "<service>-<title as slug>". */
  uid: dashboardUidSchema.optional(),
  /** Dashboard title. */
  title: z.string().min(1),
  /** Shown under the title in dashboard lists. */
  description: z.string().optional(),
  /** Tags for search; Vigil adds "vigil", the team and the service. */
  tags: z.array(z.string()).default([]),
  /** Variables shown on top, after the data source; their names must be unique and not "datasource". */
  variables: z
    .array(variableSchema)
    .default([])
    .superRefine((variables, ctx) => {
      const seen = new Set<string>(["datasource"]);
      variables.forEach((v, i) => {
        if (seen.has(v.name)) {
          ctx.addIssue({ code: "custom", path: [i, "name"], params: { code: "duplicate-variable" }, message: `variable name ${JSON.stringify(v.name)} is already taken` });
        }
        seen.add(v.name);
      });
    }),
  /** Links in the dashboard's header, in this order. */
  links: z.array(dashboardLinkSchema).default([]),
  /** Rows of panels, top to bottom. */
  rows: z
    .array(
      z.strictObject({
        /** Row title. */
        title: z.string().min(1),
        /** Panels of the row, left to right, wrapping at 24 columns. */
        panels: z.array(panelSchema).min(1),
      }),
    )
    .min(1),
  /** Lint rules waived for this dashboard's queries, each with its reason. */
  suppress: suppressSchema.optional(),
});

/** A dashboard made with the Grafana foundation SDK: anything with a `build()` method. */
export interface DashboardBuilderLike {
  build(): unknown;
}

export const sdkDashboardSchema = z.custom<DashboardBuilderLike>(
  (value) => typeof value === "object" && value !== null && typeof (value as DashboardBuilderLike).build === "function",
);

/** A dashboard: a foundation-SDK `DashboardBuilder`, or a declarative object. */
export const dashboardSchema = z.union([sdkDashboardSchema, declarativeDashboardSchema]);

export type DeclarativeDashboard = z.infer<typeof declarativeDashboardSchema>;
export type Panel = z.infer<typeof panelSchema>;
export type DashboardVariable = z.infer<typeof variableSchema>;
export type DashboardLink = z.infer<typeof dashboardLinkSchema>;
export type DashboardInput = z.input<typeof dashboardSchema>;
