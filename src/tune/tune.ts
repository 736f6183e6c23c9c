/**
 * `vigil tune` without its I/O: the baseline of a measured expression over a range, candidate
 * thresholds from it, and for each candidate what the alert would have done over that range
 * (the backtest replay of `<expr> <op> <threshold>` with the alert's `for`, `keep_firing_for` and
 * interval), scaled to a week. Pure: the range query's result is given.
 */
import { replayAlert, type Series } from "../backtest/replay.js";
import { episodeStats, forWithoutFlapping, type EpisodeStats } from "../backtest/stats.js";
import { baseline, type Baseline } from "./baseline.js";
import { crosses, type ThresholdOp } from "./threshold.js";

const WEEK_MS = 7 * 86_400_000;

export interface TuneTarget {
  /** The alert's name, or the expression when tuning a metric. */
  name: string;
  /** The alert's severity, when tuning an alert. */
  severity?: string;
  /** The measured expression: an alert's left-hand side, or the one given. */
  expr: string;
  op: ThresholdOp;
  /** The alert's current threshold; undefined when tuning a metric. */
  threshold?: number;
  forMs: number;
  keepFiringForMs: number;
  intervalMs: number;
}

export interface Candidate {
  /** "current", "mean+1σ" ... "mean+3σ", "p95", "p99" (below: "mean-1σ", "p5", "p1"). */
  label: string;
  threshold: number;
  stats: EpisodeStats;
  /** Episodes and firing time scaled to seven days of the range. */
  firingsPerWeek: number;
  firingMsPerWeek: number;
  /** The shortest `for` that would have kept every flapping episode pending (none when nothing flapped). */
  forWithoutFlapping?: number;
  /** Episodes left with that `for`. */
  episodesWithThatFor?: number;
}

export interface TuneReport {
  target: TuneTarget;
  startMs: number;
  endMs: number;
  rangeMs: number;
  flapMs: number;
  seriesReturned: number;
  /** Undefined when the expression returned no finite value over the range. */
  baseline?: Baseline;
  candidates: Candidate[];
}

/** Four significant digits: thresholds a person writes, and the ones the firings are computed for. */
export function roundThreshold(value: number): number {
  return Number.isFinite(value) && value !== 0 ? Number(value.toPrecision(4)) : value;
}

/** Candidate thresholds on the side the alert watches. */
export function candidateThresholds(stats: Baseline, op: ThresholdOp): { label: string; threshold: number }[] {
  const above = op === ">" || op === ">=";
  const sign = above ? 1 : -1;
  const sigma = (k: number) => ({ label: `mean${above ? "+" : "-"}${k}σ`, threshold: roundThreshold(stats.mean + sign * k * stats.stddev) });
  return [sigma(1), sigma(2), sigma(3), ...(above ? [{ label: "p95", threshold: roundThreshold(stats.p95) }, { label: "p99", threshold: roundThreshold(stats.p99) }] : [{ label: "p5", threshold: roundThreshold(stats.p5) }, { label: "p1", threshold: roundThreshold(stats.p1) }])];
}

export interface TuneInput {
  target: TuneTarget;
  /** The measured expression over the range, at the target's interval. */
  series: readonly Series[];
  startMs: number;
  endMs: number;
  rangeMs: number;
  flapMs: number;
}

export function tune(input: TuneInput): TuneReport {
  const { target, series, startMs, endMs, flapMs, rangeMs } = input;
  const stats = baseline(series.flatMap((s) => s.values));
  const scale = WEEK_MS / rangeMs;
  const replay = (threshold: number, forMs: number) => {
    const crossing = series.map((s) => {
      const kept = s.values.map((v, i) => [v, i] as const).filter(([v]) => crosses(v, target.op, threshold));
      return { labels: s.labels, timestamps: kept.map(([, i]) => s.timestamps[i]!), values: kept.map(([v]) => v) };
    });
    return replayAlert(crossing, { forMs, keepFiringForMs: target.keepFiringForMs, intervalMs: target.intervalMs, startMs, endMs });
  };
  const evaluate = (label: string, threshold: number): Candidate => {
    const episodes = replay(threshold, target.forMs);
    const summary = episodeStats(episodes, flapMs);
    const candidate: Candidate = { label, threshold, stats: summary, firingsPerWeek: summary.episodes * scale, firingMsPerWeek: summary.firingMs * scale };
    const suggested = forWithoutFlapping(episodes, flapMs, target.intervalMs, target.forMs);
    if (suggested !== undefined) {
      candidate.forWithoutFlapping = suggested;
      candidate.episodesWithThatFor = replay(threshold, suggested).length;
    }
    return candidate;
  };
  const candidates = [
    ...(target.threshold !== undefined ? [evaluate("current", target.threshold)] : []),
    ...(stats ? candidateThresholds(stats, target.op).map((c) => evaluate(c.label, c.threshold)) : []),
  ];
  return { target, startMs, endMs, rangeMs, flapMs, seriesReturned: series.length, baseline: stats, candidates };
}
