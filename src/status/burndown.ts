/**
 * Error budget burn-down over an SLO's period, from range queries of the SLI's own metrics.
 *
 * Why the SLI's metrics and not Vigil's recorded `slo:*` series: recorded series only exist
 * since the rules were loaded, while the counters usually go back the whole period. Each step
 * queries the rate over exactly that step (`rate(x[<step>s])`), so the steps tile the period
 * without gaps or overlap and their sum is the period's count, whatever the step.
 */
import type { RangeSeries } from "./client.js";
import type { BurnDownPoint } from "./report.js";

/** About this many points per chart: smooth enough, and far below the 11,000-points limit. */
const POINTS = 240;

/** The chart's step for a period: a whole number of minutes, at least one. */
export function burnDownStep(periodSeconds: number): number {
  return Math.max(60, Math.ceil(periodSeconds / POINTS / 60) * 60);
}

/** The range query's bounds: steps ending at `at`, the first covering the period's first step. */
export function burnDownRange(at: number, periodSeconds: number): { start: number; end: number; step: number } {
  const step = burnDownStep(periodSeconds);
  const steps = Math.floor(periodSeconds / step);
  return { start: at - (steps - 1) * step, end: at, step };
}

/** A group's key: the values of the groupBy labels, in order. */
export function groupKey(labels: Record<string, string>, groupBy: readonly string[]): string {
  return JSON.stringify(groupBy.map((l) => labels[l] ?? ""));
}

export function groupLabels(labels: Record<string, string>, groupBy: readonly string[]): Record<string, string> {
  return Object.fromEntries(groupBy.map((l) => [l, labels[l] ?? ""]));
}

const finite = (v: number) => Number.isFinite(v);

/** Points per group; several series of one group (PromQL written without `sum by`) combine. */
function byGroup(series: readonly RangeSeries[], groupBy: readonly string[], combine: (a: number, b: number) => number): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (const s of series) {
    const key = groupKey(s.labels, groupBy);
    const points = out.get(key) ?? new Map<number, number>();
    for (const [t, v] of s.points) if (finite(v)) points.set(t, points.has(t) ? combine(points.get(t)!, v) : v);
    out.set(key, points);
  }
  return out;
}

/**
 * Event SLIs (ratio, latency): errors and totals per step. A group with no errors series has had
 * no errors (a selector such as code=~"5.." matches nothing until the first failure); a group
 * with no events at all has no burn-down.
 */
export function eventBurnDown(errors: readonly RangeSeries[], total: readonly RangeSeries[], groupBy: readonly string[], budget: number): Map<string, BurnDownPoint[]> {
  const sum = (a: number, b: number) => a + b;
  const errorsBy = byGroup(errors, groupBy, sum);
  const out = new Map<string, BurnDownPoint[]>();
  for (const [key, totals] of byGroup(total, groupBy, sum)) {
    const all = [...totals.values()].reduce((a, b) => a + b, 0);
    if (!(all > 0)) continue;
    const failed = errorsBy.get(key) ?? new Map<number, number>();
    const times = [...new Set([...totals.keys(), ...failed.keys()])].sort((a, b) => a - b);
    let spent = 0;
    out.set(
      key,
      times.map((t) => {
        spent += failed.get(t) ?? 0;
        return { t, remaining: 1 - spent / (budget * all) };
      }),
    );
  }
  return out;
}

/** Ratio-only SLIs (raw, probe): every step weighs the same; of several series in a group, the worst counts. */
export function ratioBurnDown(ratios: readonly RangeSeries[], groupBy: readonly string[], budget: number): Map<string, BurnDownPoint[]> {
  const out = new Map<string, BurnDownPoint[]>();
  for (const [key, points] of byGroup(ratios, groupBy, Math.max)) {
    const times = [...points.keys()].sort((a, b) => a - b);
    if (times.length === 0) continue;
    let spent = 0;
    out.set(
      key,
      times.map((t) => {
        spent += points.get(t)!;
        return { t, remaining: 1 - spent / (budget * times.length) };
      }),
    );
  }
  return out;
}
