import { describe, expect, it } from "vitest";
import { parsePositiveDuration, parseTime } from "../../src/backtest/time.js";

describe("parseTime (--end)", () => {
  const now = 1_767_225_600_000;
  it("reads now, Unix seconds and RFC 3339 with a zone", () => {
    expect(parseTime("now", now)).toEqual({ value: now });
    expect(parseTime("1767225600", now)).toEqual({ value: 1_767_225_600_000 });
    expect(parseTime("1767225600.25", now)).toEqual({ value: 1_767_225_600_250 });
    expect(parseTime("2026-01-01T00:00:00Z", now)).toEqual({ value: 1_767_225_600_000 });
    expect(parseTime("2026-01-01T01:00:00+01:00", now)).toEqual({ value: 1_767_225_600_000 });
  });

  it("refuses what is no time, and Unix seconds past what a date can hold (was an internal error)", () => {
    for (const text of ["yesterday", "2026-01-01", "2026-01-01T00:00:00", "99999999999999", "-5"]) {
      expect(parseTime(text, now), text).toEqual({ error: expect.stringContaining(`--end ${JSON.stringify(text)} is not a time`) });
    }
  });
});

describe("parsePositiveDuration", () => {
  it("reads Prometheus durations above zero", () => {
    expect(parsePositiveDuration("1h30m", "--range")).toEqual({ value: 5_400_000 });
    expect(parsePositiveDuration("0s", "--range")).toEqual({ error: expect.stringContaining('--range "0s" is not a duration') });
  });
});
