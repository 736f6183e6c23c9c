/**
 * Prometheus' alerting state machine (rules/alerting.go, AlertingRule.Eval, as of 2.42) replayed
 * over the results of a range query, one label set at a time. Pure: no I/O.
 *
 * What Eval does at each evaluation timestamp `ts`, per label set:
 * - the expression returns the series: an inactive (or unknown) alert becomes pending with
 *   `activeAt = ts`; a pending or firing one stays, and its keep-firing clock is reset;
 * - a pending alert fires at the first evaluation with `ts - activeAt >= for` (so `for: 0`
 *   fires on the evaluation that made it pending);
 * - the expression does not return the series: a pending alert is dropped; a firing one is
 *   resolved at `ts`, unless `keep_firing_for` is set: then the clock starts at this `ts` (the
 *   first evaluation that missed it) and the alert keeps firing while `ts - since < keep_firing_for`.
 *
 * Label sets are independent in Eval, so the replay runs each series on its own.
 */

/** One label set the expression returned, with the evaluation times it returned it at. */
export interface Series {
  /** Labels as the alert would carry them (no `__name__`). */
  labels: Record<string, string>;
  /** Evaluation times (Unix ms) at which the expression returned this series, ascending. */
  timestamps: number[];
  /** The value at each of `timestamps` (not used by the replay). */
  values: number[];
}

export interface ReplayOptions {
  /** The alert's `for`, ms. */
  forMs: number;
  /** The alert's `keep_firing_for`, ms (0: none). */
  keepFiringForMs: number;
  /** The group's evaluation interval, ms: the step between evaluation timestamps. */
  intervalMs: number;
  /** First evaluation time, Unix ms. */
  startMs: number;
  /** Last evaluation time at most this, Unix ms. */
  endMs: number;
}

/** One time an alert instance went to firing, until it was resolved (or the range ended). */
export interface Episode {
  labels: Record<string, string>;
  /** When it became pending (Prometheus' `activeAt`). */
  activeAt: number;
  /** The evaluation that fired it. */
  firedAt: number;
  /** The evaluation that resolved it; undefined when it was still firing at the end of the range. */
  resolvedAt?: number;
  /**
   * Firing evaluations times the interval: `resolvedAt - firedAt` for a resolved episode; for one
   * still firing at the end, up to one interval past the last evaluation.
   */
  durationMs: number;
  /**
   * How long the condition held without a break from `activeAt` (last evaluation of that run
   * minus `activeAt`): any `for` longer than this would have kept the episode pending.
   */
  heldMs: number;
}

/** The evaluation timestamps of a replay: `startMs`, then every interval up to `endMs`. */
export function evaluationCount(options: Pick<ReplayOptions, "startMs" | "endMs" | "intervalMs">): number {
  return options.endMs < options.startMs ? 0 : Math.floor((options.endMs - options.startMs) / options.intervalMs) + 1;
}

/** The firing episodes of every series, ordered by series (as given) then time. */
export function replayAlert(series: readonly Series[], options: ReplayOptions): Episode[] {
  if (!(options.intervalMs > 0)) throw new Error(`replayAlert: intervalMs must be > 0, got ${options.intervalMs}`);
  return series.flatMap((s) => replaySeries(s, options));
}

type State = "inactive" | "pending" | "firing";

function replaySeries(series: Series, options: ReplayOptions): Episode[] {
  const { forMs, keepFiringForMs, intervalMs, startMs } = options;
  const count = evaluationCount(options);
  const times = series.timestamps;
  const episodes: Episode[] = [];
  let next = 0; // index of the first sample not yet consumed
  let state: State = "inactive";
  let activeAt = 0;
  let firedAt = 0;
  let heldUntil = 0;
  let unbroken = false; // still in the run of presence that started at activeAt
  let keepSince: number | undefined;

  for (let i = 0; i < count; i++) {
    const ts = startMs + i * intervalMs;
    while (next < times.length && times[next]! < ts) next++;
    const present = next < times.length && times[next] === ts;
    if (present) {
      if (state === "inactive") {
        state = "pending";
        activeAt = ts;
        unbroken = true;
      }
      if (unbroken) heldUntil = ts;
      keepSince = undefined;
      if (state === "pending" && ts - activeAt >= forMs) {
        state = "firing";
        firedAt = ts;
      }
      continue;
    }
    unbroken = false;
    if (state === "pending") {
      state = "inactive";
    } else if (state === "firing") {
      if (keepFiringForMs > 0) {
        keepSince ??= ts;
        if (ts - keepSince < keepFiringForMs) continue;
      }
      episodes.push({ labels: series.labels, activeAt, firedAt, resolvedAt: ts, durationMs: ts - firedAt, heldMs: heldUntil - activeAt });
      state = "inactive";
      keepSince = undefined;
    }
  }
  if (state === "firing") {
    const last = startMs + (count - 1) * intervalMs;
    episodes.push({ labels: series.labels, activeAt, firedAt, durationMs: last + intervalMs - firedAt, heldMs: heldUntil - activeAt });
  }
  return episodes;
}
