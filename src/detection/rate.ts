import { add, compare, div, integer, mul, type Rational } from "../slo/decimal.js";
import type { Clock } from "./timing.js";

/**
 * rate() and increase() of a counter as Prometheus 2.42 computes them (promql/functions.go,
 * extrapolatedRate), exactly, over samples taken every scrape: sample k at k x scrape after the
 * failure (k <= 0 before it, k = 0 at it). Used where the answer turns on a window's edges (a
 * counter that stops, a rate that drops), which the shares of timing.ts round off.
 */

/**
 * The first and last sample a range selector holds at `elapsedMs`. Prometheus 2.x keeps both
 * ends, [t - range, t] (3.0 leaves the start out, which would make a stop show a scrape sooner).
 */
export function windowSamples(elapsedMs: number, windowMs: number, scrapeMs: number): { first: number; last: number } {
  return { first: Math.ceil((elapsedMs - windowMs) / scrapeMs), last: Math.floor(elapsedMs / scrapeMs) };
}

/** What extrapolatedRate reads of a window: its samples' span and count, and the counter's growth over them. */
export interface WindowGrowth {
  growth: Rational;
  firstMs: number;
  lastMs: number;
  count: number;
}

/**
 * extrapolatedRate: the growth between the first and the last sample, stretched to each edge of
 * the range that a sample lies within 1.1 average intervals of (by half an interval otherwise),
 * per second for rate(); no result from fewer than two samples. No growth stays 0 whatever the
 * stretch: that is why a stopped counter's rate is exactly 0, not small. The counter is taken to
 * have run for longer than a scrape before the range, where the clamp to its zero point
 * (durationToZero) never applies.
 */
export function extrapolatedRate(w: WindowGrowth, rangeStartMs: number, rangeEndMs: number, perSecond: boolean): Rational | undefined {
  if (w.count < 2) return undefined;
  const sampled = integer(w.lastMs - w.firstMs);
  const average = div(sampled, integer(w.count - 1));
  const threshold = mul(average, { num: 11n, den: 10n });
  const edge = (ms: number) => (compare(integer(ms), threshold) < 0 ? integer(ms) : div(average, integer(2)));
  const stretched = add(add(sampled, edge(w.firstMs - rangeStartMs)), edge(rangeEndMs - w.lastMs));
  const value = div(mul(w.growth, stretched), sampled);
  return perSecond ? div(value, { num: BigInt(rangeEndMs - rangeStartMs), den: 1000n }) : value;
}

/**
 * rate() over `windowMs`, `elapsedMs` after the failure, of a counter that grew by `before` from
 * one scrape to the next up to the sample at the failure and by `after` from then on.
 */
export function stepRate(before: Rational, after: Rational, elapsedMs: number, windowMs: number, scrapeMs: number): Rational | undefined {
  const { first, last } = windowSamples(elapsedMs, windowMs, scrapeMs);
  const steps = last - first;
  // The growth into sample k is `before` up to k = 0, `after` from k = 1.
  const old = Math.max(0, Math.min(last, 0) - first);
  const growth = add(mul(before, integer(old)), mul(after, integer(steps - old)));
  return extrapolatedRate({ growth, firstMs: first * scrapeMs, lastMs: last * scrapeMs, count: steps + 1 }, elapsedMs - windowMs, elapsedMs, true);
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * The fewest samples a window holds at any rule evaluation. Which samples it holds depends only
 * on where the evaluation falls between two scrapes, and evaluations fall every gcd(evaluation,
 * scrape) of that: a window under two scrapes can hold one, and then rate() returns nothing.
 */
export function fewestSamples(windowMs: number, clock: Clock): number {
  const step = gcd(clock.evaluationMs, clock.scrapeMs);
  let fewest = Infinity;
  for (let phase = 0; phase < clock.scrapeMs; phase += step) {
    const { first, last } = windowSamples(phase, windowMs, clock.scrapeMs);
    fewest = Math.min(fewest, last - first + 1);
  }
  return fewest;
}
