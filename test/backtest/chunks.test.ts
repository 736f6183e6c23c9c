import { describe, expect, it } from "vitest";
import { chunkRange, MAX_POINTS } from "../../src/backtest/chunks.js";

describe("chunkRange: pieces Prometheus accepts (at most 11,000 points each)", () => {
  it("keeps a week at a 1m step (10,081 points) in one request", () => {
    const week = 7 * 86_400_000;
    expect(chunkRange(0, week, 60_000)).toEqual([{ startMs: 0, endMs: week, points: 10_081 }]);
  });

  it("splits a week at 30s (20,161 points) into 11,000 + 9,161, back to back on the grid", () => {
    const week = 7 * 86_400_000;
    const chunks = chunkRange(0, week, 30_000);
    expect(chunks).toEqual([
      { startMs: 0, endMs: 10_999 * 30_000, points: 11_000 },
      { startMs: 11_000 * 30_000, endMs: week, points: 9_161 },
    ]);
    expect(MAX_POINTS).toBe(11_000);
  });

  it("with a small limit: every grid point exactly once, none over the limit", () => {
    const chunks = chunkRange(1_000, 1_000 + 9 * 10, 10, 4);
    expect(chunks.map((c) => [c.startMs, c.endMs, c.points])).toEqual([[1_000, 1_030, 4], [1_040, 1_070, 4], [1_080, 1_090, 2]]);
    const points = chunks.flatMap((c) => Array.from({ length: c.points }, (_, i) => c.startMs + i * 10));
    expect(points).toEqual(Array.from({ length: 10 }, (_, i) => 1_000 + i * 10));
  });

  it("drops an end off the grid, and exact multiples make whole chunks", () => {
    expect(chunkRange(0, 95, 10, 5)).toEqual([{ startMs: 0, endMs: 40, points: 5 }, { startMs: 50, endMs: 90, points: 5 }]);
    expect(chunkRange(0, 0, 10)).toEqual([{ startMs: 0, endMs: 0, points: 1 }]);
    expect(chunkRange(10, 0, 10)).toEqual([]);
  });

  it("refuses a step or limit that would never end", () => {
    expect(() => chunkRange(0, 10, 0)).toThrow(/step/);
    expect(() => chunkRange(0, 10, 1, 0)).toThrow(/maxPoints/);
  });
});
