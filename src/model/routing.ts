import { z } from "zod";
import { durationSchema } from "./duration.js";
import { labelNameSchema, slugSchema } from "./names.js";

/**
 * Labels of a route below the root that group alerts into one notification. Not empty: to
 * Alertmanager an empty `group_by` is no `group_by`, and the route inherits its parent's.
 */
export const routeGroupBySchema = z.array(labelNameSchema).refine((labels) => labels.length > 0, {
  params: { code: "empty-group-by", hint: "leave groupBy out to group as the parent route does, or name the labels to group by" },
  error: "an empty groupBy does not stop grouping: Alertmanager reads it as unset, and the route groups as its parent does",
});

/** Notification timing of a route. */
export const timingSchema = z.strictObject({
  /** Labels that group alerts into one notification (not empty: leave it out to inherit). */
  groupBy: routeGroupBySchema.optional(),
  /** Wait before the first notification of a new group. */
  groupWait: durationSchema.optional(),
  /** Wait before notifying about alerts added to a group. */
  groupInterval: durationSchema.optional(),
  /** Wait before repeating a notification that is still firing. */
  repeatInterval: durationSchema.optional(),
});

/** A problem Alertmanager would refuse the config for, in the words of schema issues. */
interface IntervalProblem {
  code: string;
  message: string;
  hint: string;
}

const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const TIME_OF_DAY = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;

/** A string checked by `check`, which returns what Alertmanager would refuse (with a hint), or nothing. */
const checkedString = (check: (text: string) => IntervalProblem | undefined) =>
  z.string().superRefine((text, ctx) => {
    const problem = check(text);
    if (problem) ctx.addIssue({ code: "custom", message: problem.message, params: { code: problem.code, hint: problem.hint } });
  });

const invalid = (message: string, hint: string): IntervalProblem => ({ code: "invalid-time-interval", message, hint });

/**
 * Alertmanager's ranges (timeinterval.go): one member or "start:end", each member read by
 * `member` (undefined when unknown), start not after end unless `ordered` says otherwise.
 */
function rangeProblem(text: string, what: string, member: (part: string) => number | undefined, hint: string, ordered = (a: number, b: number) => a <= b): IntervalProblem | undefined {
  const parts = text.split(":");
  if (parts.length > 2) return invalid(`${JSON.stringify(text)} is not a ${what} or a range of them`, hint);
  const values = parts.map(member);
  const bad = parts.find((_, i) => values[i] === undefined);
  if (bad !== undefined) return invalid(`${JSON.stringify(bad)} is not a ${what}`, hint);
  const [start, end = start] = values as number[];
  if (!ordered(start!, end!)) return invalid(`${JSON.stringify(text)} ends before it starts`, `${hint}; a range cannot wrap around: write it as two`);
  return undefined;
}

const integerIn = (min: number, max: number) => (part: string) => (/^-?\d+$/.test(part) && Number(part) >= min && Number(part) <= max ? Number(part) : undefined);
// Alertmanager lowercases names before reading them: "Monday" is monday.
const indexIn = (names: string[], offset: number) => (part: string) => (names.includes(part.toLowerCase()) ? names.indexOf(part.toLowerCase()) + offset : undefined);

const weekdaySchema = checkedString((text) => rangeProblem(text, "weekday", indexIn(WEEKDAYS, 0), "use weekday names (sunday to saturday) or a range such as monday:friday; the week starts on sunday"));
const monthSchema = checkedString((text) => {
  const name = indexIn(MONTHS, 1);
  // Alertmanager takes any integer as a month, but one outside 1-12 never matches.
  return rangeProblem(text, "month", (part) => name(part) ?? integerIn(1, 12)(part), "use month names (january to december), numbers 1 to 12, or a range such as march:may");
});
const dayOfMonthSchema = checkedString((text) =>
  rangeProblem(
    text,
    "day of the month",
    (part) => {
      const day = integerIn(-31, 31)(part);
      return day === 0 ? undefined : day;
    },
    "use days 1 to 31, or -31 to -1 counted from the end of the month (-1 is the last day), or a range such as 1:7 or -7:-1",
    // As Alertmanager: a negative start needs a negative end, and a month is at least 28 days long.
    (a, b) => !(a < 0 && b > 0) && (a < 0 ? 28 + a : a) <= (b < 0 ? 28 + b : b),
  ),
);
const yearSchema = checkedString((text) => rangeProblem(text, "year", (part) => (/^\d+$/.test(part) ? Number(part) : undefined), "use years such as 2026, or a range such as 2026:2027"));

const timeOfDaySchema = checkedString((text) =>
  TIME_OF_DAY.test(text) ? undefined : invalid(`${JSON.stringify(text)} is not a time of day`, 'write HH:MM from 00:00 to 23:59, or "24:00" as the end of the day'),
);
const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));

/** Go's time.LoadLocation: an IANA name (case matters), "UTC" or "Local". */
function timeZoneProblem(name: string): IntervalProblem | undefined {
  if (name === "UTC" || name === "Local") return undefined;
  let resolved: string | undefined;
  try {
    resolved = new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    resolved = undefined;
  }
  // Intl ignores case; Alertmanager reads a file of that name, so "europe/berlin" is unknown to it.
  const wrongCase = resolved !== undefined && resolved !== name && resolved.toLowerCase() === name.toLowerCase();
  if (resolved !== undefined && !wrongCase) return undefined;
  const suggestion = wrongCase ? `did you mean ${JSON.stringify(resolved)}? ` : "";
  return { code: "unknown-time-zone", message: `unknown time zone ${JSON.stringify(name)}: Alertmanager would refuse the config`, hint: `${suggestion}use an IANA time zone name as written in the tz database, such as "Europe/Berlin", or "UTC"` };
}

/** One stretch of time, as Alertmanager's time_intervals take it, held to Alertmanager's rules. */
export const timeRangeSchema = z.strictObject({
  /** Times of day, e.g. [{ start: "09:00", end: "17:00" }]. */
  times: z
    .array(
      z.strictObject({ start: timeOfDaySchema, end: timeOfDaySchema }).superRefine((range, ctx) => {
        if (TIME_OF_DAY.test(range.start) && TIME_OF_DAY.test(range.end) && minutes(range.start) >= minutes(range.end)) {
          const hint = `a range cannot cross midnight: split it, e.g. [{ start: "${range.start}", end: "24:00" }, { start: "00:00", end: "${range.end}" }]`;
          ctx.addIssue({ code: "custom", path: ["end"], message: `end ${range.end} is not after start ${range.start}`, params: { code: "invalid-time-interval", hint } });
        }
      }),
    )
    .optional(),
  /** Days of the week, e.g. ["monday:friday"]. */
  weekdays: z.array(weekdaySchema).optional(),
  /** Days of the month, e.g. ["1:5", "-1"]. */
  daysOfMonth: z.array(dayOfMonthSchema).optional(),
  /** Months, e.g. ["december"] or ["1:3"]. */
  months: z.array(monthSchema).optional(),
  /** Years, e.g. ["2026"]. */
  years: z.array(yearSchema).optional(),
  /** Time zone, e.g. "Europe/Berlin" (default UTC). */
  location: checkedString(timeZoneProblem).optional(),
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
