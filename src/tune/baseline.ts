/**
 * Baseline statistics of a measured value: quartiles, outliers removed by Tukey's fences (1.5
 * times the interquartile range beyond the quartiles), then mean, standard deviation and
 * percentiles of what remains, and a stability score. Pure.
 *
 * Percentiles interpolate linearly between the two nearest ranks (the rank of p among n sorted
 * values is p * (n - 1), counted from 0: NumPy's and R's default, type 7). The standard deviation
 * is the population one (divided by n): the range is all the history there is, not a sample.
 *
 * Stability, 0 to 100: `100 * (1 - outliers / samples) * max(0, 1 - stddev / |mean|)`, rounded.
 * A constant series scores 100; one whose deviation reaches its mean (or whose mean is 0 while
 * it moves) scores 0; outliers lower it in proportion. Fixed thresholds suit stable series; a
 * low score says a threshold relative to a baseline (or an SLO) may serve better.
 */

export interface Baseline {
  /** Finite values read (NaN and infinities are left out). */
  samples: number;
  /** Values outside the fences, left out of everything below. */
  outliers: number;
  q1: number;
  q3: number;
  lowerFence: number;
  upperFence: number;
  mean: number;
  stddev: number;
  min: number;
  max: number;
  p1: number;
  p5: number;
  p50: number;
  p95: number;
  p99: number;
  stability: number;
}

/** The p-quantile (0..1) of ascending `sorted`, interpolated linearly between ranks. */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = p * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const a = sorted[low]!;
  const b = sorted[high]!;
  return low === high || a === b ? a : a + (rank - low) * (b - a);
}

export function stabilityScore(outliers: number, samples: number, mean: number, stddev: number): number {
  if (samples === 0) return 0;
  const variation = stddev === 0 ? 0 : mean === 0 ? Infinity : stddev / Math.abs(mean);
  return Math.round(100 * (1 - outliers / samples) * Math.max(0, 1 - variation));
}

/** Undefined when there is no finite value to describe. */
export function baseline(values: Iterable<number>): Baseline | undefined {
  const all = [...values].filter(Number.isFinite).sort((a, b) => a - b);
  if (all.length === 0) return undefined;
  const q1 = quantile(all, 0.25);
  const q3 = quantile(all, 0.75);
  const spread = 1.5 * (q3 - q1);
  const lowerFence = q1 - spread;
  const upperFence = q3 + spread;
  const kept = all.filter((v) => v >= lowerFence && v <= upperFence);
  const n = kept.length;
  const mean = kept.reduce((s, v) => s + v, 0) / n;
  const stddev = Math.sqrt(kept.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
  const outliers = all.length - n;
  return {
    samples: all.length,
    outliers,
    q1,
    q3,
    lowerFence,
    upperFence,
    mean,
    stddev,
    min: kept[0]!,
    max: kept[n - 1]!,
    p1: quantile(kept, 0.01),
    p5: quantile(kept, 0.05),
    p50: quantile(kept, 0.5),
    p95: quantile(kept, 0.95),
    p99: quantile(kept, 0.99),
    stability: stabilityScore(outliers, all.length, mean, stddev),
  };
}
