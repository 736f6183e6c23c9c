import { z } from "zod";
import { durationSchema, parseDuration } from "./duration.js";
import { isSelector, type Selector } from "./metric.js";
import { labelNameSchema, labelsSchema, slugSchema } from "./names.js";
import { isPromQL, type PromQL } from "./promql.js";
import { runbookSchema } from "./runbook.js";
import { suppressSchema } from "./suppress.js";

const DAY = 86_400_000;

/** An SLO period: whole days or weeks, e.g. "7d", "28d", "30d", "4w", "90d". */
export const periodSchema = z.string().refine((text) => {
  const ms = parseDuration(text);
  return ms !== undefined && ms > 0 && ms % DAY === 0 && /^\d+[dw]$/.test(text);
}, {
  params: { code: "invalid-slo-period" },
  error: (issue) => `${JSON.stringify(issue.input)} is not an SLO period: use whole days or weeks, e.g. "28d", "30d" or "4w"`,
});

/** Objective in percent, above 0 and below 100, at most 5 decimals: 99.9, 99.95, 99.999. */
export const objectiveSchema = z.number().refine((value) => value > 0 && value < 100 && /^\d+(\.\d{1,5})?$/.test(String(value)), {
  params: { code: "invalid-objective" },
  error: (issue) => `objective ${String(issue.input)} is not a percentage above 0 and below 100 with at most 5 decimals, e.g. 99.9`,
});

/** A metric selector (`requests.where({...})`), or PromQL with `{{window}}` where the range goes. */
const eventsSchema = z.union([
  z.custom<Selector>(isSelector),
  z.string().min(1),
  z.custom<PromQL>(isPromQL),
]);

/** errors / total: the share of events that failed. */
export const errorsRatioSliSchema = z.strictObject({
  /** Failed events: a counter selector, or PromQL with `{{window}}`, e.g. sum(rate(x{code=~"5.."}[{{window}}])). */
  errors: eventsSchema,
  /** All events: a counter selector, or PromQL with `{{window}}`. */
  total: eventsSchema,
});

/** 1 - good / total: the share of events that were not good. */
export const goodRatioSliSchema = z.strictObject({
  /** Good events: a counter selector, or PromQL with `{{window}}`. */
  good: eventsSchema,
  /** All events: a counter selector, or PromQL with `{{window}}`. */
  total: eventsSchema,
});

/** Requests slower than a histogram bucket: the threshold must be one of the histogram's buckets. */
export const latencySliSchema = z.strictObject({
  /** The histogram, e.g. `latency.where({ service: "checkout" })`. */
  latency: z.custom<Selector>(isSelector, { error: "latency takes a histogram selector: histogram(...).where({...})" }),
  /** Requests at or under this many seconds are good; must equal a declared bucket. */
  threshold: z.number().positive(),
});

/** The error ratio itself, as PromQL with `{{window}}`. */
export const rawSliSchema = z.strictObject({
  /** An error ratio between 0 and 1, e.g. 1 - avg_over_time(x[{{window}}]). */
  errorRatio: z.union([z.string().min(1), z.custom<PromQL>(isPromQL)]),
});

/** Availability from a 0/1 gauge such as `probe_success` or `up`: 1 is good. */
export const probeSliSchema = z.strictObject({
  /** The 0/1 gauge, e.g. `probeSuccess.where({ job: "blackbox-stripe" })` or PromQL without a range. */
  probe: z.union([z.custom<Selector>(isSelector), z.string().min(1), z.custom<PromQL>(isPromQL)]),
});

export const sliSchema = z.union([errorsRatioSliSchema, goodRatioSliSchema, latencySliSchema, rawSliSchema, probeSliSchema]);

/** One multiwindow burn-rate tier: fires when both windows burn budget faster than its factor. */
export const tierSchema = z.strictObject({
  /** "page" or "ticket" (any configured severity). */
  severity: z.string().min(1),
  /** Long window, e.g. "1h". */
  long: durationSchema,
  /** Short window, e.g. "5m" (a twelfth of the long one in the SRE Workbook). */
  short: durationSchema,
  /** Share of the period's error budget this tier lets burn in its long window, in percent (2 for 2%). */
  budgetConsumed: z.number().positive().max(100),
  /** How long both windows must burn before the alert fires. */
  for: durationSchema.optional(),
});

/** How an SLO alerts. Every field may also be set for all SLOs in the config's `slo` section. */
export const sloAlertingSchema = z.strictObject({
  /** Tiers; default: the SRE Workbook's (page 1h/5m at 2% and 6h/30m at 5%, ticket 1d/2h and 3d/6h at 10%). */
  tiers: z.array(tierSchema).min(1).optional(),
  /** false: no page alerts for this SLO. */
  page: z.boolean().optional(),
  /** false: no ticket alerts for this SLO. */
  ticket: z.boolean().optional(),
  /** Alert name; default "<Service><Slo>ErrorBudgetBurn". Per-severity names win over it. */
  name: z.string().min(1).optional(),
  /** Alert name per severity, e.g. { page: "CheckoutBurnFast", ticket: "CheckoutBurnSlow" }. */
  names: z.record(z.string(), z.string().min(1)).optional(),
  /** "severity": one alert per severity, its tiers or-ed (default); "tier": one alert per tier. */
  per: z.enum(["severity", "tier"]).optional(),
  /** `for` of every tier that sets none. */
  for: durationSchema.optional(),
  /** Labels added to the burn alerts. */
  labels: labelsSchema.optional(),
  /** Annotations added to the burn alerts. */
  annotations: z.record(labelNameSchema, z.string()).optional(),
});

/** A service level objective. */
export const sloSchema = z.strictObject({
  /** SLO name, unique in its service: "availability", "latency". */
  name: slugSchema,
  /** Target, in percent: 99.9 means 99.9% of events are good. */
  objective: objectiveSchema,
  /** Rolling period the objective covers; default "30d". */
  period: periodSchema.default("30d"),
  /** What the SLO promises, in words, for dashboards and runbooks. */
  description: z.string().optional(),
  /** Labels on every series and alert of this SLO. */
  labels: labelsSchema.optional(),
  /** How good and bad events are counted. */
  sli: sliSchema,
  /** One SLO per value of these labels (per route, per tenant), carried through rules, alerts and dashboards. */
  groupBy: z.array(labelNameSchema).default([]),
  /** Low-traffic guard: a tier fires only when its long window saw at least this many events. */
  minEvents: z.number().int().positive().optional(),
  /** Burn-rate alerting: tiers, names, severities. */
  alerting: sloAlertingSchema.default({}),
  /** What to do when it burns, added to the generated runbook section (triage, mitigation...). */
  runbook: runbookSchema.optional(),
  /** Lint rules waived for this SLO (its SLI queries), each with its reason. */
  suppress: suppressSchema.optional(),
});

export type Slo = z.infer<typeof sloSchema>;
export type SloInput = z.input<typeof sloSchema>;
export type Sli = z.infer<typeof sliSchema>;
export type Tier = z.infer<typeof tierSchema>;
export type SloAlerting = z.infer<typeof sloAlertingSchema>;
