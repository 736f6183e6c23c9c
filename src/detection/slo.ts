import { compare, integer, mul, toDecimal, type Rational } from "../slo/decimal.js";
import type { SliKind } from "../slo/sli.js";
import type { ResolvedTier } from "../slo/tiers.js";
import { firingTime, firstEvaluation, holdsExactly, rampShare, sampleShare, type Clock } from "./timing.js";

/** When a failure makes the alert fire, or why it never does. */
export type Outcome =
  | {
      fires: true;
      /** ms after the failure started. */
      ms: number;
      /** ms until the expression first returned a series (pending); `ms` adds `for`. */
      pendingMs: number;
      /** What caught it: a tier's windows ("1h/5m"), or how the signal moves. */
      via: string;
    }
  | { fires: false; why: string };

/** The two failures an SLO's burn alert is measured against. */
export interface SloDetection {
  kind: "slo";
  clock: Clock;
  forMs: number;
  /** Every event fails. */
  outage: Outcome;
  /** 10x the error budget fails: (1 - objective) x 10, e.g. 1% for 99.9%. */
  tenfold: Outcome;
  /** That ratio as a percentage, "1%". */
  tenfoldText: string;
}

/**
 * The error ratio a window reports `elapsedMs` after the SLI's error ratio stepped from 0 to
 * `ratio`: counters through rate() ramp with the share of the window since the step; a probe's
 * avg_over_time() with the share of its samples. A raw SLI is assumed to average over its window
 * like rate().
 */
export function windowRatio(kind: SliKind, ratio: Rational, elapsedMs: number, windowMs: number, clock: Clock): Rational {
  const share = kind === "probe" ? sampleShare(elapsedMs, windowMs, clock.scrapeMs) : rampShare(elapsedMs, windowMs, clock.scrapeMs);
  return mul(ratio, share);
}

/**
 * The first evaluation at which a tier's condition holds: both windows' error ratios above
 * its threshold (`>`, as the rule writes it); undefined when the ratio never gets there.
 */
export function tierPending(tier: ResolvedTier, kind: SliKind, ratio: Rational, clock: Clock): number | undefined {
  const above = (windowMs: number, at: number) => holdsExactly(windowRatio(kind, ratio, at, windowMs, clock), ">", tier.threshold);
  return firstEvaluation((at) => above(tier.longMs, at) && above(tier.shortMs, at), clock.evaluationMs, Math.max(tier.longMs, tier.shortMs));
}

/** The fastest of an alert's tiers for a failure of error ratio `ratio`, plus the rule's `for`. */
export function sloOutcome(tiers: readonly ResolvedTier[], kind: SliKind, ratio: Rational, forMs: number, clock: Clock): Outcome {
  const pending = tiers
    .map((tier) => ({ tier, at: tierPending(tier, kind, ratio, clock) }))
    .filter((p): p is { tier: ResolvedTier; at: number } => p.at !== undefined)
    .sort((a, b) => a.at - b.at)[0];
  if (!pending) {
    const lowest = [...tiers].sort((a, b) => compare(a.threshold, b.threshold))[0];
    return { fires: false, why: `an error ratio of ${toDecimal(ratio, 12)} stays at or under the lowest threshold, ${lowest ? toDecimal(lowest.threshold, 12) : "of no tier"}` };
  }
  return { fires: true, ms: firingTime(pending.at, forMs, clock.evaluationMs), pendingMs: pending.at, via: `${pending.tier.long}/${pending.tier.short}` };
}

/** Detection times of one SLO burn alert: a full outage, and 10x the budget. */
export function sloDetection(tiers: readonly ResolvedTier[], kind: SliKind, budget: Rational, forMs: number, clock: Clock): SloDetection {
  // At objectives of 90% and under, ten budgets are every event.
  const tenfold = [mul(budget, integer(10)), integer(1)].sort(compare)[0]!;
  return {
    kind: "slo",
    clock,
    forMs,
    outage: sloOutcome(tiers, kind, integer(1), forMs, clock),
    tenfold: sloOutcome(tiers, kind, tenfold, forMs, clock),
    tenfoldText: `${toDecimal(mul(tenfold, integer(100)), 12)}%`,
  };
}
