import { z } from "zod";
import { durationSchema } from "./duration.js";
import { labelNameSchema, labelsSchema, metricNameSchema } from "./names.js";
import { exprSchema } from "./promql.js";
import { runbookSchema } from "./runbook.js";
import { suppressSchema } from "./suppress.js";

/** An alert that a test expects to fire. */
export const firingSchema = z.strictObject({
  /** Labels of the series it fires for (its rule labels, team, service and severity are added). */
  labels: z.record(labelNameSchema, z.string()).default({}),
  /** Its $value, needed when an annotation prints it. */
  value: z.number().optional(),
  /** Annotations as Prometheus will expand them, for templates Vigil cannot evaluate itself. */
  annotations: z.record(labelNameSchema, z.string()).optional(),
});

/** A promtool unit test of one alert: input series, a time, and what fires then. */
export const alertTestSchema = z.strictObject({
  /** What the test shows, e.g. "fires when 1200 messages wait". */
  name: z.string().min(1).optional(),
  /** Time between input samples; default "1m". */
  interval: durationSchema.default("1m"),
  /** Input series in promtool's notation: { 'queue_depth{queue="checkout"}': "0+100x20" }. */
  series: z.record(z.string().min(1), z.string().min(1)),
  /** When to look, counted from the first sample, e.g. "15m". */
  at: durationSchema,
  /** false: nothing fires; true: one alert with no series labels; or the alerts that fire. */
  fires: z.union([z.boolean(), z.array(firingSchema).min(1)]),
});

/** An alerting rule. Vigil adds `team`, `service` and `severity` labels and a `runbook_url`. */
export const alertSchema = z.strictObject({
  /** Alert name, CamelCase, unique in the repository: "CheckoutHighErrorRate". */
  name: z.string().min(1),
  /** PromQL condition; every series it returns is an alert. */
  expr: exprSchema,
  /** How long the condition must hold before the alert fires, e.g. "5m". */
  for: durationSchema.optional(),
  /** How long the alert keeps firing after the condition clears, e.g. "10m". */
  keepFiringFor: durationSchema.optional(),
  /** Severity, one of the config's `severities`; it picks the route ("page", "ticket", ...). */
  severity: z.string().min(1),
  /** Extra labels on the alert. */
  labels: labelsSchema.optional(),
  /** One static sentence saying what is wrong. */
  summary: z.string().min(1),
  /** Details, templated: "{{ $value | humanizePercentage }} of requests fail." */
  description: z.string().min(1),
  /** Extra annotations. */
  annotations: z.record(labelNameSchema, z.string()).optional(),
  /** What to do when it fires; becomes a section of the service's runbook page. */
  runbook: runbookSchema.optional(),
  /** This alert means the whole service is down: it inhibits the alerts of services that depend on it. */
  serviceDown: z.boolean().default(false),
  /** promtool unit tests: input series, a time, and whether (and how) the alert fires. */
  tests: z.array(alertTestSchema).default([]),
  /** Lint rules waived for this alert, each with its reason: { "alert-name-camelcase": "pagers match on this name" }. */
  suppress: suppressSchema.optional(),
});

/** A recording rule: precomputes `expr` under the name `record`. */
export const recordingRuleSchema = z.strictObject({
  /** Name of the new series, `level:metric:operations`, e.g. "job:http_requests:rate5m". */
  record: metricNameSchema,
  /** PromQL to evaluate. */
  expr: exprSchema,
  /** Labels added to the recorded series. */
  labels: labelsSchema.optional(),
  /** Lint rules waived for this rule, each with its reason. */
  suppress: suppressSchema.optional(),
});

export type Alert = z.infer<typeof alertSchema>;
export type AlertTest = z.infer<typeof alertTestSchema>;
export type RecordingRule = z.infer<typeof recordingRuleSchema>;
