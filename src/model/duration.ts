import { z } from "zod";

// Prometheus' own duration grammar (model.ParseDuration): units from largest to smallest,
// each at most once, integers only.
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];

/** Milliseconds in a Prometheus duration such as "1h30m", or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  if (text === "" || text === "0") return text === "0" ? 0 : undefined;
  const match = DURATION.exec(text);
  if (!match) return undefined;
  return UNIT_MS.reduce((total, unit, i) => total + Number(match[i + 1] ?? 0) * unit, 0);
}

/** The shortest Prometheus spelling of a number of milliseconds ("90m" becomes "1h30m"). */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  const units: [string, number][] = [["y", UNIT_MS[0]!], ["w", UNIT_MS[1]!], ["d", UNIT_MS[2]!], ["h", UNIT_MS[3]!], ["m", UNIT_MS[4]!], ["s", UNIT_MS[5]!], ["ms", 1]];
  let rest = ms;
  let text = "";
  for (const [name, size] of units) {
    const count = Math.floor(rest / size);
    if (count > 0) text += `${count}${name}`;
    rest -= count * size;
  }
  return text;
}

/** A Prometheus duration string: "30s", "5m", "1h30m", "7d". */
export const durationSchema = z.string().refine((text) => parseDuration(text) !== undefined, {
  params: { code: "invalid-duration" },
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not a duration: write a number and a unit (ms, s, m, h, d, w, y), e.g. "5m" or "1h30m"`,
});

export type Duration = z.infer<typeof durationSchema>;
