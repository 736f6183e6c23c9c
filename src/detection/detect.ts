import { parseDuration } from "../model/duration.js";
import type { AlertPlan, Plan, ServicePlan } from "../plan/types.js";
import type { Rational } from "../slo/decimal.js";
import type { SliKind } from "../slo/sli.js";
import { errorBudget, type ResolvedTier } from "../slo/tiers.js";
import { sloDetection, type Outcome, type SloDetection } from "./slo.js";
import { thresholdDetection, type ThresholdDetection, type UnknownDetection } from "./threshold.js";
import type { Clock } from "./timing.js";

/** How long an alert takes to fire after a failure starts, for the failures its kind is measured against. */
export type Detection = SloDetection | ThresholdDetection | UnknownDetection;

export interface AlertInput {
  expr: string;
  /** The rule's `for`. */
  for: string | undefined;
  clock: Clock;
  /** Set for an SLO's burn alert: its tiers, SLI kind and error budget. */
  slo?: { tiers: readonly ResolvedTier[]; kind: SliKind; budget: Rational };
}

// Lint (the detection-time rule) and the runbooks ask for the same alerts' detections; each
// costs a PromQL parse or an SLO's tier walk. Bounded: watch mode lives long.
const byExpression = new Map<string, Detection>();
const byTiers = new WeakMap<readonly ResolvedTier[], Map<string, Detection>>();
const MEMO_LIMIT = 50_000;

/** Detection of one alert: an SLO burn alert from its tiers, any other from its expression. */
export function detect(alert: AlertInput): Detection {
  const forMs = alert.for ? (parseDuration(alert.for) ?? 0) : 0;
  const clockKey = `${forMs} ${alert.clock.evaluationMs} ${alert.clock.scrapeMs}`;
  if (alert.slo) {
    const { tiers, kind, budget } = alert.slo;
    const memo = byTiers.get(tiers) ?? new Map<string, Detection>();
    byTiers.set(tiers, memo);
    const key = `${clockKey} ${kind} ${budget.num}/${budget.den}`;
    const found = memo.get(key) ?? sloDetection(tiers, kind, budget, forMs, alert.clock);
    memo.set(key, found);
    return found;
  }
  const key = `${clockKey}\n${alert.expr}`;
  const found = byExpression.get(key);
  if (found) return found;
  if (byExpression.size >= MEMO_LIMIT) byExpression.clear();
  const computed = thresholdDetection(alert.expr, forMs, alert.clock);
  byExpression.set(key, computed);
  return computed;
}

/** The outcome a lint bound compares: a full outage for SLO alerts, a step for threshold alerts. */
export function headline(detection: Detection): Outcome | undefined {
  if (detection.kind === "slo") return detection.outage;
  if (detection.kind === "threshold") return detection.step;
  return undefined;
}

/** The evaluation interval of the rule group an alert is in; the config's default when not found. */
function evaluationOf(plan: Plan, service: ServicePlan, alert: AlertPlan): number {
  const group = [...service.ruleGroups, ...service.sloRuleGroups].find((g) => g.rules.includes(alert.rule));
  return parseDuration(group?.interval ?? plan.config.prometheus.evaluationInterval)!;
}

/** Detection of an alert of the plan, as its runbook section states it. */
export function planDetection(plan: Plan, service: ServicePlan, alert: AlertPlan): Detection {
  const clock: Clock = { evaluationMs: evaluationOf(plan, service, alert), scrapeMs: parseDuration(plan.config.prometheus.scrapeInterval)! };
  const slo = service.slos.find((s) => s.alerts.some((a) => a.plan === alert));
  const tiers = slo?.alerts.find((a) => a.plan === alert)?.tiers;
  return detect({
    expr: alert.rule.expr,
    for: alert.rule.for,
    clock,
    ...(slo && tiers && { slo: { tiers, kind: slo.kind, budget: errorBudget(slo.objective) } }),
  });
}
