import { describe, expect, it } from "vitest";
import { burnDownRange, burnDownStep, eventBurnDown, groupKey, ratioBurnDown } from "../../src/status/burndown.js";
import type { RangeSeries } from "../../src/status/client.js";

const series = (labels: Record<string, string>, values: [number, number][]): RangeSeries => ({ labels, points: values });

describe("burn-down steps", () => {
  it("takes whole minutes, about 240 steps per period, tiling the period exactly up to `at`", () => {
    expect(burnDownStep(7 * 86_400)).toBe(2520);
    expect(burnDownStep(30 * 86_400)).toBe(10_800);
    expect(burnDownStep(3600)).toBe(60);
    const range = burnDownRange(1_000_000, 7 * 86_400);
    expect(range).toEqual({ start: 1_000_000 - 239 * 2520, end: 1_000_000, step: 2520 });
    // The first step covers the period's first 2520 s: (at - 7d, at - 7d + step].
    expect(range.start - range.step).toBe(1_000_000 - 7 * 86_400);
  });
});

describe("eventBurnDown", () => {
  it("spends the budget as errors accumulate, against all the period's events", () => {
    // 4 steps of 100 events; 1, 0, 2 and 1 errors; budget 1% of 400 = 4 errors.
    const total = [series({}, [[1, 100], [2, 100], [3, 100], [4, 100]])];
    const errors = [series({}, [[1, 1], [2, 0], [3, 2], [4, 1]])];
    expect(eventBurnDown(errors, total, [], 0.01).get(groupKey({}, []))).toEqual([
      { t: 1, remaining: 0.75 },
      { t: 2, remaining: 0.75 },
      { t: 3, remaining: 0.25 },
      { t: 4, remaining: 0 },
    ]);
  });

  it("keeps groups apart, adds up several series of one group, and reads missing errors as none", () => {
    const total = [series({ route: "/a", code: "200" }, [[1, 50], [2, 50]]), series({ route: "/a", code: "500" }, [[1, 50], [2, 50]]), series({ route: "/b" }, [[1, 10], [2, 10]])];
    const errors = [series({ route: "/a" }, [[2, 2]])];
    const out = eventBurnDown(errors, total, ["route"], 0.01);
    // /a: 200 events, budget 2 errors, 2 spent in the second step.
    expect(out.get(groupKey({ route: "/a" }, ["route"]))).toEqual([{ t: 1, remaining: 1 }, { t: 2, remaining: 0 }]);
    expect(out.get(groupKey({ route: "/b" }, ["route"]))).toEqual([{ t: 1, remaining: 1 }, { t: 2, remaining: 1 }]);
  });

  it("goes below zero when the budget is overspent, and skips groups without events", () => {
    const out = eventBurnDown([series({}, [[1, 3]])], [series({}, [[1, 100]])], [], 0.01);
    expect(out.get(groupKey({}, []))).toEqual([{ t: 1, remaining: -2 }]);
    expect(eventBurnDown([series({}, [[1, 3]])], [series({}, [[1, 0]])], [], 0.01).size).toBe(0);
    // NaN steps (0/0 in a user's PromQL) count as nothing.
    expect(eventBurnDown([], [series({}, [[1, NaN], [2, 10]])], [], 0.1).get(groupKey({}, []))).toEqual([{ t: 2, remaining: 1 }]);
  });
});

describe("ratioBurnDown", () => {
  it("weighs every step the same and takes the worst of several series in a group", () => {
    const ratios = [series({ probe: "a" }, [[1, 0.02], [2, 0], [3, 0.01], [4, 0.01]]), series({ probe: "b" }, [[1, 0.01], [2, 0.01]])];
    // Worst per step: 0.02, 0.01, 0.01, 0.01 = 0.05 over 4 steps against a 2% budget (0.08).
    expect(ratioBurnDown(ratios, [], 0.02).get(groupKey({}, []))!.map((p) => Number(p.remaining.toFixed(6)))).toEqual([0.75, 0.625, 0.5, 0.375]);
  });
});
