import { describe, expect, it } from "vitest";
import type { Series } from "../../src/backtest/replay.js";
import { candidateThresholds, roundThreshold, tune, type TuneTarget } from "../../src/tune/tune.js";
import { baseline } from "../../src/tune/baseline.js";

const MIN = 60_000;
const series = (values: number[]): Series => ({ labels: { instance: "a" }, timestamps: values.map((_, i) => i * MIN), values });

describe("tune", () => {
  // A day at 1m: 10 most of the time, 20 for 3 minutes at 100 and for 30 minutes from 600.
  const values = Array.from({ length: 1440 }, (_, m) => ((m >= 100 && m < 103) || (m >= 600 && m < 630) ? 20 : 10));
  const target: TuneTarget = { name: "Busy", severity: "page", expr: "load", op: ">", threshold: 15, forMs: MIN, keepFiringForMs: 0, intervalMs: MIN };
  const report = tune({ target, series: [series(values)], startMs: 0, endMs: 1439 * MIN, rangeMs: 1439 * MIN, flapMs: 10 * MIN });

  it("the 33 minutes at 20 are outliers of a constant 10", () => {
    expect(report.baseline).toMatchObject({ samples: 1440, outliers: 33, mean: 10, stddev: 0, p95: 10, stability: Math.round(100 * (1 - 33 / 1440)) });
  });

  it("replays the current threshold: a 2m flap and a 29m episode; for 3m would have kept the flap pending", () => {
    const current = report.candidates.find((c) => c.label === "current")!;
    expect(current.stats).toMatchObject({ episodes: 2, flapping: 1, firingMs: (2 + 29) * MIN, longestMs: 29 * MIN });
    expect(current.forWithoutFlapping).toBe(3 * MIN);
    expect(current.episodesWithThatFor).toBe(1);
    // Scaled from 1439 minutes to a week.
    expect(current.firingsPerWeek).toBeCloseTo((2 * 7 * 1440) / 1439, 12);
  });

  it("candidate thresholds at a deviation of 0 sit on the mean: nothing above 10 but the outliers, which fire", () => {
    expect(report.candidates.map((c) => [c.label, c.threshold, c.stats.episodes])).toEqual([
      ["current", 15, 2],
      ["mean+1σ", 10, 2],
      ["mean+2σ", 10, 2],
      ["mean+3σ", 10, 2],
      ["p95", 10, 2],
      ["p99", 10, 2],
    ]);
  });

  it("below: thresholds under the mean, p5 and p1", () => {
    const b = baseline([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])!;
    expect(candidateThresholds(b, "<").map((c) => c.label)).toEqual(["mean-1σ", "mean-2σ", "mean-3σ", "p5", "p1"]);
    expect(candidateThresholds(b, "<")[0]!.threshold).toBe(roundThreshold(5.5 - Math.sqrt(8.25)));
    expect(roundThreshold(46.66190378)).toBe(46.66);
    expect(roundThreshold(0.000123456)).toBe(0.0001235);
  });

  it("a metric has no current threshold; an empty result has no baseline and no candidates", () => {
    const empty = tune({ target: { ...target, threshold: undefined }, series: [], startMs: 0, endMs: MIN, rangeMs: MIN, flapMs: MIN });
    expect(empty.baseline).toBeUndefined();
    expect(empty.candidates).toEqual([]);
  });
});
