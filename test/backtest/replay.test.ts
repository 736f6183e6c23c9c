import { describe, expect, it } from "vitest";
import { replayAlert, type Series } from "../../src/backtest/replay.js";
import { episodeStats, forWithoutFlapping } from "../../src/backtest/stats.js";

const MIN = 60_000;
/** A series present at the given minutes (evaluation times m * 1 minute). */
const at = (minutes: number[], labels: Record<string, string> = { instance: "a" }): Series => ({ labels, timestamps: minutes.map((m) => m * MIN), values: minutes.map(() => 1) });
const span = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
/** Replays over minutes 0..end with a 1m interval; episodes as [firedAt, resolvedAt] in minutes. */
const replay = (series: Series[], forMin: number, keepMin = 0, end = 100) =>
  replayAlert(series, { forMs: forMin * MIN, keepFiringForMs: keepMin * MIN, intervalMs: MIN, startMs: 0, endMs: end * MIN });
const minutes = (episodes: ReturnType<typeof replay>) => episodes.map((e) => [e.firedAt / MIN, e.resolvedAt === undefined ? undefined : e.resolvedAt / MIN]);

describe("replayAlert: Prometheus' alerting state machine", () => {
  it("fires at the first evaluation where ts - activeAt >= for, and resolves when the series is gone", () => {
    // Present at 10..19: pending at 10, 15 - 10 = 5m >= 5m fires at 15, absent at 20 resolves.
    const episodes = replay([at(span(10, 20))], 5);
    expect(minutes(episodes)).toEqual([[15, 20]]);
    expect(episodes[0]).toMatchObject({ activeAt: 10 * MIN, durationMs: 5 * MIN, heldMs: 9 * MIN });
  });

  it("for: 0 fires on the evaluation that makes the alert pending", () => {
    expect(minutes(replay([at([3])], 0))).toEqual([[3, 4]]);
  });

  it("a condition that clears before `for` never fires; one evaluation short is not enough", () => {
    // Present 10..14: at 14, 14 - 10 = 4m < 5m; gone at 15: the pending alert is dropped.
    expect(replay([at(span(10, 15))], 5)).toEqual([]);
    // One more evaluation and it fires for one interval.
    expect(minutes(replay([at(span(10, 16))], 5))).toEqual([[15, 16]]);
  });

  it("a gap restarts the `for` clock: pending alerts keep no memory", () => {
    // 10..13 present, 14 absent, 15..20 present: pending again at 15, fires at 20.
    expect(minutes(replay([at([...span(10, 14), ...span(15, 21)])], 5))).toEqual([[20, 21]]);
  });

  it("keep_firing_for keeps firing from the first missed evaluation while ts - since < keep_firing_for", () => {
    // Fires at 10 (for 0); gone from 12: kept at 12, 13, 14 (12 + 3 = 15 is not < 3m later), resolved at 15.
    expect(minutes(replay([at([10, 11])], 0, 3))).toEqual([[10, 15]]);
  });

  it("a return within keep_firing_for continues the same episode and resets the clock", () => {
    // Fires at 0 (for 2m: 2 - 0 >= 2), gone at 4, 5 (kept), back 6..9, gone at 10: kept 10, 11, 12, resolved at 13.
    // Then 20, 21 present (pending), 22 gone: dropped.
    const series = at([...span(0, 4), ...span(6, 10), 20, 21]);
    expect(minutes(replay([series], 2, 3))).toEqual([[2, 13]]);
    // Without keep_firing_for the same series flaps twice.
    expect(minutes(replay([series], 2, 0))).toEqual([[2, 4], [8, 10]]);
  });

  it("keep_firing_for does not protect a pending alert", () => {
    expect(replay([at([10, 11])], 5, 10)).toEqual([]);
  });

  it("replays each label set on its own", () => {
    const episodes = replay([at(span(0, 10), { instance: "a" }), at(span(5, 7), { instance: "b" })], 1);
    expect(episodes.map((e) => [e.labels.instance, e.firedAt / MIN, e.resolvedAt! / MIN])).toEqual([["a", 1, 10], ["b", 6, 7]]);
  });

  it("an alert still firing at the end is an ongoing episode, counted up to one interval past the last evaluation", () => {
    const [episode] = replay([at(span(95, 101))], 2);
    expect(episode).toMatchObject({ firedAt: 97 * MIN, durationMs: 4 * MIN });
    expect(episode!.resolvedAt).toBeUndefined();
    expect(episodeStats([episode!], 10 * MIN)).toMatchObject({ episodes: 1, ongoing: 1, flapping: 0 });
  });

  it("ignores samples off the evaluation grid and before the range", () => {
    const series: Series = { labels: {}, timestamps: [-MIN, 30_000, 2 * MIN], values: [1, 1, 1] };
    expect(minutes(replay([series], 0, 0, 10))).toEqual([[2, 3]]);
  });
});

describe("episode statistics", () => {
  it("counts episodes, firing time, the longest, flapping (resolved and shorter than the threshold)", () => {
    const episodes = replay([at([...span(0, 3), ...span(10, 40)], { instance: "a" }), at(span(50, 59), { instance: "b" })], 0);
    expect(minutes(episodes)).toEqual([[0, 3], [10, 40], [50, 59]]);
    expect(episodeStats(episodes, 10 * MIN)).toEqual({ episodes: 3, firingMs: 42 * MIN, longestMs: 30 * MIN, flapping: 2, ongoing: 0, seriesFiring: 2 });
  });

  it("the `for` without flapping is one interval longer than the longest unbroken condition behind a flapping episode", () => {
    // for 2m: runs of 4 and 6 minutes flap (2m and 4m episodes); the 30-minute run does not.
    const series = [at([...span(0, 4), ...span(10, 16), ...span(30, 60)])];
    const episodes = replay(series, 2);
    expect(minutes(episodes)).toEqual([[2, 4], [12, 16], [32, 60]]);
    const suggested = forWithoutFlapping(episodes, 10 * MIN, MIN, 2 * MIN);
    expect(suggested).toBe(6 * MIN);
    // With it, both flapping episodes are gone; with one interval less, the 6-minute run still fires.
    expect(minutes(replay(series, 6))).toEqual([[36, 60]]);
    expect(minutes(replay(series, 5))).toEqual([[15, 16], [35, 60]]);
    expect(forWithoutFlapping(replay(series, 6), 10 * MIN, MIN, 6 * MIN)).toBeUndefined();
  });
});
