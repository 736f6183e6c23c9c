import { compare, fromNumber, integer, type Rational } from "../slo/decimal.js";

/**
 * Prometheus' clock as detection sees it. The failure starts at a rule evaluation (t0); rules are
 * evaluated every `evaluationMs` from then on and targets scraped every `scrapeMs`, a sample
 * falling on an evaluation being seen by it (what promtool does; a real server may see it one
 * scrape later).
 */
export interface Clock {
  evaluationMs: number;
  scrapeMs: number;
}

/**
 * The first evaluation, in ms after the failure started, at which `holds` is true; undefined
 * when it is not by `horizonMs` (after which nothing the condition reads changes any more).
 */
export function firstEvaluation(holds: (elapsedMs: number) => boolean, evaluationMs: number, horizonMs: number): number | undefined {
  for (let at = 0; at <= horizonMs + evaluationMs; at += evaluationMs) if (holds(at)) return at;
  return undefined;
}

/**
 * When the alert fires: Prometheus marks it pending at the first evaluation where its
 * expression returns a series, and firing at the first evaluation at least `for` after that
 * (rules/alerting.go: `ts.Sub(a.ActiveAt) >= r.holdDuration`), so a `for` that is not a
 * multiple of the interval rounds up.
 */
export function firingTime(pendingMs: number, forMs: number, evaluationMs: number): number {
  return pendingMs + Math.ceil(forMs / evaluationMs) * evaluationMs;
}

/** The time of the last sample at or before `elapsedMs` after the failure, counted from the failure. */
export const lastSample = (elapsedMs: number, scrapeMs: number) => Math.floor(elapsedMs / scrapeMs) * scrapeMs;

/**
 * The share of a `windowMs` range that lies after the failure, as rate() and increase() see it
 * over evenly spaced samples: the counter's growth since the failure over its growth in the window.
 */
export function rampShare(elapsedMs: number, windowMs: number, scrapeMs: number): Rational {
  return { num: BigInt(Math.min(lastSample(elapsedMs, scrapeMs), windowMs)), den: BigInt(windowMs) };
}

/**
 * The share of a window's samples taken after the failure started, as avg_over_time() sees it:
 * the range holds both ends (Prometheus 2.x), so a full window of `w` has w/scrape + 1 samples
 * and the first failing one is the sample at the failure itself.
 */
export function sampleShare(elapsedMs: number, windowMs: number, scrapeMs: number): Rational {
  const total = Math.floor(windowMs / scrapeMs) + 1;
  const failing = Math.min(Math.floor(elapsedMs / scrapeMs) + 1, total);
  return { num: BigInt(failing), den: BigInt(total) };
}

/** A threshold as an exact rational; numbers JavaScript writes with an exponent are rounded to 1e-15. */
export function exact(value: number): Rational {
  try {
    return fromNumber(value);
  } catch {
    return { num: BigInt(Math.round(value * 1e15)), den: 10n ** 15n };
  }
}

export type Comparison = ">" | ">=" | "<" | "<=";

/** `a op b`, exactly. */
export function holdsExactly(a: Rational, op: Comparison, b: Rational): boolean {
  const c = compare(a, b);
  return op === ">" ? c > 0 : op === ">=" ? c >= 0 : op === "<" ? c < 0 : c <= 0;
}

export const ONE = integer(1);
