import { parseDuration } from "../model/duration.js";
import type { Slo, SloAlerting, Tier } from "../model/slo.js";
import { compare, div, fromNumber, integer, mul, sub, toDecimal, type Rational } from "./decimal.js";

/** The SRE Workbook's multiwindow, multi-burn-rate tiers ("Alerting on SLOs", Table 5-8). */
export const WORKBOOK_TIERS: readonly Tier[] = [
  { severity: "page", long: "1h", short: "5m", budgetConsumed: 2 },
  { severity: "page", long: "6h", short: "30m", budgetConsumed: 5 },
  { severity: "ticket", long: "1d", short: "2h", budgetConsumed: 10 },
  { severity: "ticket", long: "3d", short: "6h", budgetConsumed: 10 },
];

export interface ResolvedTier extends Tier {
  /** Burn rate: budget consumed x period / long window. */
  factor: Rational;
  factorText: string;
  /** factor x error budget: the error ratio both windows must exceed. */
  threshold: Rational;
  /** The threshold as a reviewer reads it: "(14.4 * 0.001)". */
  thresholdText: string;
  longMs: number;
  shortMs: number;
  /** Where the tier came from, for diagnostics. */
  origin: "default" | "config" | "slo";
  index: number;
}

export interface TierProblem {
  code: string;
  message: string;
  hint: string;
  origin: ResolvedTier["origin"];
  index: number;
  /** Shown at the SLO's objective rather than at the tier: tiers nobody declared for this SLO. */
  atObjective?: boolean;
}

/** 1 - objective, exactly: 99.9 gives 0.001. */
export function errorBudget(objective: number): Rational {
  return div(sub(integer(100), fromNumber(objective)), integer(100));
}

export function burnFactor(budgetConsumed: number, period: string, long: string): Rational {
  return mul(div(fromNumber(budgetConsumed), integer(100)), div(integer(parseDuration(period)!), integer(parseDuration(long)!)));
}

type Resolved = { tiers: ResolvedTier[]; problems: TierProblem[] };

// Exact rationals cost about 0.2 ms an SLO, and a large repository has thousands of SLOs with a
// handful of distinct objectives, periods and tier settings. Results are data nobody mutates.
const resolved = new Map<string, Resolved>();
const RESOLVED_LIMIT = 1_000;

/** The tiers an SLO alerts with: its own, else the config's, else the Workbook's; filtered by page/ticket. */
export function resolveTiers(slo: Slo, defaults: SloAlerting): Resolved {
  const key = JSON.stringify([slo.objective, slo.period, slo.alerting, defaults]);
  const hit = resolved.get(key);
  if (hit) return hit;
  if (resolved.size >= RESOLVED_LIMIT) resolved.clear();
  const result = computeTiers(slo, defaults);
  resolved.set(key, result);
  return result;
}

function computeTiers(slo: Slo, defaults: SloAlerting): Resolved {
  const origin: ResolvedTier["origin"] = slo.alerting.tiers ? "slo" : defaults.tiers ? "config" : "default";
  const declared = slo.alerting.tiers ?? defaults.tiers ?? WORKBOOK_TIERS;
  const page = slo.alerting.page ?? defaults.page ?? true;
  const ticket = slo.alerting.ticket ?? defaults.ticket ?? true;
  const forAll = slo.alerting.for ?? defaults.for;
  const budget = errorBudget(slo.objective);
  const budgetText = toDecimal(budget, 12);
  const periodMs = parseDuration(slo.period)!;
  const problems: TierProblem[] = [];
  const unreachable: ResolvedTier[] = [];
  const tiers = declared.flatMap((tier, index): ResolvedTier[] => {
    if ((tier.severity === "page" && !page) || (tier.severity === "ticket" && !ticket)) return [];
    const longMs = parseDuration(tier.long)!;
    const shortMs = parseDuration(tier.short)!;
    const factor = burnFactor(tier.budgetConsumed, slo.period, tier.long);
    const factorText = toDecimal(factor);
    const where = `tier ${tier.severity} ${tier.long}/${tier.short}`;
    if (longMs > periodMs) {
      problems.push({ code: "slo-window-exceeds-period", message: `${where}: the long window is longer than the SLO period ${slo.period}`, hint: `use a long window of at most ${slo.period}, or declare tiers that fit the period`, origin, index });
    }
    if (shortMs >= longMs) {
      problems.push({ code: "slo-short-window-not-shorter", message: `${where}: the short window must be shorter than the long one`, hint: "the Workbook uses a short window of 1/12 of the long one", origin, index });
    }
    // The Workbook's own fourth tier is 0.933x on a 28-day period; only tiers people declare are held to >= 1.
    if (origin !== "default" && compare(factor, integer(1)) < 0) {
      problems.push({
        code: "slo-burn-rate-below-one",
        message: `${where}: burn rate ${factorText} is below 1, so it fires while the budget would last the whole ${slo.period}`,
        hint: `raise budgetConsumed to at least ${toDecimal(div(mul(integer(100), integer(longMs)), integer(periodMs)))}% or shorten the long window`,
        origin,
        index,
      });
    }
    const forValue = tier.for ?? forAll;
    const resolvedTier: ResolvedTier = {
      ...tier,
      ...(forValue && { for: forValue }),
      factor,
      factorText,
      threshold: mul(fromNumber(Number(factorText)), budget),
      thresholdText: `(${factorText} * ${budgetText})`,
      longMs,
      shortMs,
      origin,
      index,
    };
    // An error ratio never exceeds 1: such a tier never fires, and its generated test would
    // need a negative count of good events (promtool cannot parse it).
    if (compare(resolvedTier.threshold, integer(1)) >= 0) unreachable.push(resolvedTier);
    return [resolvedTier];
  });
  problems.push(...unreachableProblems(unreachable, budget, origin));
  return { tiers, problems };
}

/**
 * One problem per tier the SLO declares (shown at the tier); one for the config's or the
 * Workbook's tiers (shown at the objective, which is what is wrong for this SLO).
 */
function unreachableProblems(tiers: ResolvedTier[], budget: Rational, origin: ResolvedTier["origin"]): TierProblem[] {
  if (tiers.length === 0) return [];
  const budgetText = `${toDecimal(mul(budget, integer(100)), 12)}%`;
  const message = (tier: ResolvedTier) =>
    `the ${tier.severity} tier ${tier.long}/${tier.short} burns ${tier.factorText}x a ${budgetText} budget: an error ratio above ${toDecimal(tier.threshold)} would be needed, and an error ratio is at most 1, so it can never fire`;
  const hint = (tier: ResolvedTier) =>
    `objective is a percentage (99.9 means 99.9%); lower the burn rate (budgetConsumed, or a longer long window) or raise the objective above ${toDecimal(sub(integer(100), div(integer(100), tier.factor)))}`;
  const problem = (tier: ResolvedTier, more: number): TierProblem => ({
    code: "slo-threshold-unreachable",
    message: more > 0 ? `${message(tier)} (nor can ${more} more tier${more > 1 ? "s" : ""})` : message(tier),
    hint: hint(tier),
    origin,
    index: tier.index,
    ...(origin !== "slo" && { atObjective: true }),
  });
  if (origin === "slo") return tiers.map((tier) => problem(tier, 0));
  const steepest = tiers.reduce((a, b) => (compare(b.factor, a.factor) > 0 ? b : a));
  return [problem(steepest, tiers.length - 1)];
}

/** How long the whole budget lasts at a burn rate: period / factor, e.g. 30d at 14.4x is 2d2h (in days, hours, minutes). */
export function timeToExhaustion(period: string, factor: Rational): string {
  const minutes = Math.round(parseDuration(period)! / 60_000 / (Number(factor.num) / Number(factor.den)));
  const parts: [number, string][] = [[Math.floor(minutes / 1440), "d"], [Math.floor((minutes % 1440) / 60), "h"], [minutes % 60, "m"]];
  return parts.filter(([n]) => n > 0).map(([n, unit]) => `${n}${unit}`).join("") || "0m";
}
