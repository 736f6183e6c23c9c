import { z } from "zod";
import { panelExprSchema as exprSchema } from "./promql.js";

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

/** A panel of a declarative dashboard. */
export const panelSchema = z.strictObject({
  /** Panel title, shown on top of it. */
  title: z.string().min(1),
  /** "timeseries" (a graph over time) or "stat" (one big number). */
  type: z.enum(["timeseries", "stat"]).default("timeseries"),
  /** One or more PromQL queries. */
  queries: z.array(panelQuerySchema).min(1),
  /** Grafana unit id, e.g. "reqps", "s", "percentunit", "bytes". */
  unit: z.string().optional(),
  /** Shown as the panel's tooltip. */
  description: z.string().optional(),
  /** Width in grid columns (1 to 24). */
  width: z.number().int().min(1).max(24).default(12),
  /** Height in grid rows. */
  height: z.number().int().min(1).max(40).default(8),
});

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
  /** Rows of panels, top to bottom. */
  rows: z.array(z.strictObject({ title: z.string().min(1), panels: z.array(panelSchema).min(1) })).min(1),
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
export type DashboardInput = z.input<typeof dashboardSchema>;
