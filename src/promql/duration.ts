/** PromQL durations as Prometheus 2.42 reads them (model.ParseDuration plus "greater than 0"). */

const UNITS: readonly (readonly [string, bigint])[] = [
  ["y", 365n * 24n * 3600n * 1000n],
  ["w", 7n * 24n * 3600n * 1000n],
  ["d", 24n * 3600n * 1000n],
  ["h", 3600n * 1000n],
  ["m", 60n * 1000n],
  ["s", 1000n],
  ["ms", 1n],
];

// Each unit at most once, largest first: "1h30m" is valid, "30m1h" and "1.5h" are not.
const PATTERN = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
// Prometheus turns the milliseconds into a Go time.Duration: int64 nanoseconds, about 292 years.
const MAX = (2n ** 63n - 1n) / 1_000_000n;

export type ParsedDuration = { ms: number } | { error: string };

export function parseDuration(text: string): ParsedDuration {
  const match = PATTERN.exec(text);
  if (!match || text === "") return { error: `"${text}" is not a valid duration: use units y, w, d, h, m, s, ms from largest to smallest, each once, whole numbers only (e.g. 1h30m)` };
  let total = 0n;
  for (let i = 0; i < UNITS.length; i++) {
    const digits = match[i + 1];
    if (digits === undefined) continue;
    total += BigInt(digits) * UNITS[i]![1];
    if (total > MAX) return { error: `duration "${text}" is out of range` };
  }
  if (total === 0n) return { error: "a duration must be greater than 0" };
  return { ms: Number(total) };
}

/** The shortest spelling of a duration, as Prometheus prints it ("90m" -> "1h30m"). */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  let rest = BigInt(ms);
  let out = "";
  for (const [unit, size] of UNITS) {
    if (rest >= size) {
      out += `${rest / size}${unit}`;
      rest %= size;
    }
  }
  return out;
}
