import { z } from "zod";
import { durationSchema } from "./duration.js";
import { labelNameSchema, slugSchema } from "./names.js";

/** Notification timing of a route. */
export const timingSchema = z.strictObject({
  /** Labels that group alerts into one notification. */
  groupBy: z.array(labelNameSchema).optional(),
  /** Wait before the first notification of a new group. */
  groupWait: durationSchema.optional(),
  /** Wait before notifying about alerts added to a group. */
  groupInterval: durationSchema.optional(),
  /** Wait before repeating a notification that is still firing. */
  repeatInterval: durationSchema.optional(),
});

/** One stretch of time, as Alertmanager's time_intervals take it. */
export const timeRangeSchema = z.strictObject({
  /** Times of day, e.g. [{ start: "09:00", end: "17:00" }]. */
  times: z.array(z.strictObject({ start: z.string().regex(/^\d\d:\d\d$/), end: z.string().regex(/^\d\d:\d\d$/) })).optional(),
  /** Days of the week, e.g. ["monday:friday"]. */
  weekdays: z.array(z.string().regex(/^[a-z]+(:[a-z]+)?$/)).optional(),
  /** Days of the month, e.g. ["1:5", "-1"]. */
  daysOfMonth: z.array(z.string()).optional(),
  /** Months, e.g. ["december"] or ["1:3"]. */
  months: z.array(z.string()).optional(),
  /** Years, e.g. ["2026"]. */
  years: z.array(z.string()).optional(),
  /** Time zone, e.g. "Europe/Berlin" (default UTC). */
  location: z.string().optional(),
});

/** A named time interval: business hours, a maintenance window. */
export const timeIntervalsSchema = z.record(slugSchema, z.array(timeRangeSchema).min(1));

/** Label values to match: a string for `=`, a RegExp for `=~`. */
export const matchSchema = z.record(labelNameSchema, z.union([z.string(), z.instanceof(RegExp)]));

/** An expectation checked by amtool: these labels reach exactly these receivers. */
export const routeTestSchema = z.strictObject({
  /** Labels of an alert, e.g. { team: "payments", severity: "page", env: "staging" }. */
  labels: z.record(labelNameSchema, z.string()),
  /** Receivers it must reach, e.g. ["payments-page"]. */
  receivers: z.array(z.string().min(1)).min(1),
});

/** A route ahead of the usual ones: alerts matching it go to another receiver. */
export const routeOverrideSchema = z.strictObject({
  /** Which alerts, e.g. { env: "staging" }. */
  match: matchSchema,
  /** Receiver name: a team's ("payments-ticket") or a named one from `alertmanager.receivers`. */
  receiver: z.string().min(1),
  /** Keep routing after this route matched (default false: it takes the alert). */
  continue: z.boolean().default(false),
});

/** An inhibition: while a source alert fires, matching target alerts are silent. */
export const inhibitRuleSchema = z.strictObject({
  source: matchSchema,
  target: matchSchema,
  /** Labels whose values must be equal in source and target. */
  equal: z.array(labelNameSchema).default([]),
});

/** One level of a team's escalation: who, and after how long unacknowledged. */
export const escalationLevelSchema = z.union([
  z.string().min(1),
  z.strictObject({
    /** Person, rotation or team: "payments-oncall". */
    who: z.string().min(1),
    /** How long the previous level has to acknowledge before this one is called, e.g. "15m". */
    after: durationSchema.optional(),
  }),
]);

export type Timing = z.infer<typeof timingSchema>;
export type TimeRange = z.infer<typeof timeRangeSchema>;
export type RouteOverride = z.infer<typeof routeOverrideSchema>;
export type InhibitRule = z.infer<typeof inhibitRuleSchema>;
export type RouteTest = z.infer<typeof routeTestSchema>;
export type EscalationLevel = z.infer<typeof escalationLevelSchema>;
