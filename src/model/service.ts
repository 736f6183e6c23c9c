import { z } from "zod";
import { durationSchema } from "./duration.js";
import { labelNameSchema, labelsSchema, slugSchema } from "./names.js";
import { metricSchema } from "./metric.js";
import { alertSchema, recordingRuleSchema } from "./rules.js";
import { dashboardSchema } from "./dashboard.js";
import { teamRefSchema } from "./team.js";
import { sloSchema } from "./slo.js";
import { suppressSchema } from "./suppress.js";

/** A service: what it exposes, how it is alerted on, its dashboards and runbook. */
export const serviceSchema = z.strictObject({
  /** Service name, unique in the repository: lowercase, digits and "-". */
  name: slugSchema,
  /** The owning team: a `defineTeam` object or its name. */
  team: teamRefSchema,
  /** One or two sentences: what the service does and who depends on it. */
  description: z.string().optional(),
  /** Metrics the service exposes, made with counter(), gauge(), histogram(), summary(). */
  metrics: z.array(metricSchema).default([]),
  /** Recording rules, evaluated in order (a rule may use the ones before it). */
  recordingRules: z.array(recordingRuleSchema).default([]),
  /** Alerting rules. */
  alerts: z.array(alertSchema).default([]),
  /** Service level objectives: recording rules, burn-rate alerts, their tests, dashboards and runbook sections. */
  slos: z.array(sloSchema).default([]),
  /** Dashboards: foundation-SDK builders or declarative objects. A metrics overview is generated too. */
  dashboards: z.array(dashboardSchema).default([]),
  /**
   * Label values that pick this service's series out of shared metrics, used by the generated
   * dashboards, e.g. `{ job: "session-redis" }`. Default: `service="<name>"` on metrics that
   * have a `service` label.
   */
  selector: z.record(labelNameSchema, z.string()).optional(),
  /** Services this one needs: while one of them is down (an alert with `serviceDown: true`), this service's alerts are inhibited. */
  dependsOn: z.array(slugSchema).default([]),
  /** Labels added to every rule of this service. */
  labels: labelsSchema.optional(),
  /** Rule evaluation interval for this service's groups; defaults to the config's. */
  interval: durationSchema.optional(),
  /** Lint rules waived for the whole service, each with its reason: { "unused-metric": "exported for the billing team" }. */
  suppress: suppressSchema.optional(),
});

export type Service = z.infer<typeof serviceSchema>;
export type ServiceInput = z.input<typeof serviceSchema>;
