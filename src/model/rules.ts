import { z } from "zod";
import { durationSchema } from "./duration.js";
import { labelNameSchema, labelsSchema, metricNameSchema } from "./names.js";
import { exprSchema } from "./promql.js";
import { runbookSchema } from "./runbook.js";

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
});

/** A recording rule: precomputes `expr` under the name `record`. */
export const recordingRuleSchema = z.strictObject({
  /** Name of the new series, `level:metric:operations`, e.g. "job:http_requests:rate5m". */
  record: metricNameSchema,
  /** PromQL to evaluate. */
  expr: exprSchema,
  /** Labels added to the recorded series. */
  labels: labelsSchema.optional(),
});

export type Alert = z.infer<typeof alertSchema>;
export type RecordingRule = z.infer<typeof recordingRuleSchema>;
