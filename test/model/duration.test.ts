import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { durationSchema, formatDuration, parseDuration } from "../../src/model/duration.js";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const YEAR = 365 * DAY;

describe("parseDuration", () => {
  it.each([
    ["5m", 5 * MINUTE],
    ["1h30m", HOUR + 30 * MINUTE],
    ["90s", 90 * SECOND],
    ["1d", DAY],
    ["2w", 2 * WEEK],
    ["1y", YEAR],
    ["100ms", 100],
    ["0", 0],
    ["0s", 0],
    ["30s", 30 * SECOND],
    ["1m500ms", MINUTE + 500],
    ["1y2w3d4h5m6s7ms", YEAR + 2 * WEEK + 3 * DAY + 4 * HOUR + 5 * MINUTE + 6 * SECOND + 7],
  ])("parses %j as %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    "ten minutes",
    "5 m",
    "1.5h",
    "",
    "m5",
    "30m1h",
    "5",
    "5M",
    "1h1h",
    "-5m",
    " 5m",
    "5m ",
    "5min",
    "1s1m",
    "100ms1s",
  ])("rejects %j", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe("formatDuration", () => {
  it("writes 90 minutes as 1h30m", () => {
    expect(formatDuration(90 * MINUTE)).toBe("1h30m");
  });

  it("writes zero as 0s", () => {
    expect(formatDuration(0)).toBe("0s");
  });

  it.each([
    [100, "100ms"],
    [90 * SECOND, "1m30s"],
    [7 * DAY, "1w"],
    [8 * DAY, "1w1d"],
    [366 * DAY, "1y1d"],
    [HOUR + 1, "1h1ms"],
    [YEAR + 2 * WEEK + 3 * DAY + 4 * HOUR + 5 * MINUTE + 6 * SECOND + 7, "1y2w3d4h5m6s7ms"],
  ])("writes %d ms as %j", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each(["5m", "1h30m", "1d", "2w", "1y", "100ms", "0s", "30s", "1m30s", "1w1d", "1y2w3d4h5m6s7ms"])(
    "round-trips the canonical spelling %j",
    (text) => {
      const ms = parseDuration(text);
      expect(ms).toBeTypeOf("number");
      expect(formatDuration(ms!)).toBe(text);
    },
  );

  it("produces text that parses back to the same number of milliseconds (property)", () => {
    fc.assert(
      fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), (ms) => {
        const text = formatDuration(ms);
        expect(parseDuration(text)).toBe(ms);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("durationSchema", () => {
  it("accepts a Prometheus duration", () => {
    expect(durationSchema.safeParse("1h30m")).toEqual({ success: true, data: "1h30m" });
  });

  it("reports a non-duration with params.code invalid-duration and a helpful message", () => {
    const result = durationSchema.safeParse("5 m");
    expect(result.success).toBe(false);
    const issues = result.error!.issues;
    expect(issues).toHaveLength(1);
    const issue = issues[0]!;
    expect(issue.code).toBe("custom");
    expect((issue as { params?: Record<string, unknown> }).params).toEqual({ code: "invalid-duration" });
    expect(issue.message).toContain('"5 m"');
    expect(issue.message).toContain("1h30m");
  });

  it("rejects a non-string without the duration code", () => {
    const result = durationSchema.safeParse(300);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.code).toBe("invalid_type");
  });
});
