/** Reading `--range`, `--end` and `--flap`: Prometheus durations, and times as RFC 3339 or Unix seconds. */
import { parseDuration } from "../model/duration.js";

export type Parsed<T> = { value: T } | { error: string };

/** A duration greater than zero, e.g. "7d", "1h30m". */
export function parsePositiveDuration(text: string, option: string): Parsed<number> {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) return { error: `${option} ${JSON.stringify(text)} is not a duration: write a number and a unit (s, m, h, d, w), e.g. "7d" or "90m"` };
  return { value: ms };
}

/** "now", Unix seconds ("1767225600", decimals allowed) or an RFC 3339 time ("2026-01-01T00:00:00Z"). */
export function parseTime(text: string, now: number): Parsed<number> {
  if (text === "now") return { value: now };
  // Past year 275760 a Date cannot hold it.
  if (/^\d+(\.\d+)?$/.test(text) && !Number.isNaN(new Date(Number(text) * 1000).getTime())) return { value: Math.round(Number(text) * 1000) };
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const ms = Date.parse(text);
    if (Number.isFinite(ms)) return { value: ms };
  }
  return { error: `--end ${JSON.stringify(text)} is not a time: write "now", Unix seconds, or RFC 3339 with a zone (2026-01-01T00:00:00Z)` };
}
