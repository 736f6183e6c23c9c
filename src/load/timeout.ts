import { parseDuration } from "../model/duration.js";

/**
 * The value of `--timeout`: a duration ("90s", "2m") or a number of seconds ("90"), in
 * milliseconds; undefined when it is neither or not positive.
 */
export function parseTimeout(text: string): number | undefined {
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : parseDuration(text);
  return ms !== undefined && ms > 0 ? ms : undefined;
}
