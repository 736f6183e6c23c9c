import { describe, expect, it } from "vitest";
import { baseline, quantile, stabilityScore } from "../../src/tune/baseline.js";

describe("quantile: linear between ranks p * (n - 1)", () => {
  it("interpolates, and hits values at whole ranks", () => {
    const sorted = [10, 20, 30, 40, 50];
    expect(quantile(sorted, 0)).toBe(10);
    expect(quantile(sorted, 0.5)).toBe(30);
    expect(quantile(sorted, 0.1)).toBe(14); // rank 0.4
    expect(quantile(sorted, 0.95)).toBe(48); // rank 3.8
    expect(quantile(sorted, 1)).toBe(50);
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe("baseline", () => {
  it("removes outliers beyond 1.5 IQR, then describes the rest", () => {
    // 1..8 and 100: Q1 = 3 (rank 2), Q3 = 7 (rank 6), fences -3 and 13: 100 is out.
    const b = baseline([5, 100, 1, 2, 3, 4, 6, 7, 8])!;
    expect(b).toMatchObject({ samples: 9, outliers: 1, q1: 3, q3: 7, lowerFence: -3, upperFence: 13, min: 1, max: 8, mean: 4.5 });
    // Population deviation of 1..8: sqrt(sum((x - 4.5)^2) / 8) = sqrt(42 / 8).
    expect(b.stddev).toBeCloseTo(Math.sqrt(42 / 8), 12);
    expect(b.p50).toBe(4.5);
    expect(b.p95).toBeCloseTo(1 + 0.95 * 7 * 1, 12); // rank 6.65 of 1..8: 7.65
    expect(b.p99).toBeCloseTo(7.93, 12);
    // 100 * (1 - 1/9) * (1 - sqrt(5.25) / 4.5)
    expect(b.stability).toBe(Math.round(100 * (8 / 9) * (1 - Math.sqrt(5.25) / 4.5)));
  });

  it("leaves NaN and infinities out, and has nothing to say about no values", () => {
    expect(baseline([NaN, Infinity])).toBeUndefined();
    expect(baseline([2, NaN, 2])).toMatchObject({ samples: 2, mean: 2, stddev: 0, stability: 100 });
  });

  it("stability: 100 when constant, 0 when the deviation reaches the mean or the mean is 0", () => {
    expect(stabilityScore(0, 10, 5, 0)).toBe(100);
    expect(stabilityScore(0, 10, 5, 5)).toBe(0);
    expect(stabilityScore(0, 10, 0, 1)).toBe(0);
    expect(stabilityScore(1, 10, -10, 2)).toBe(72); // 100 * 0.9 * 0.8
  });
});
