import { formatDuration, parseDuration } from "../model/duration.js";
import { isSelector, type LabelMatch, type Selector } from "../model/metric.js";
import type { Slo } from "../model/slo.js";
import { fromNumber, integer, mul, toDecimal, toNumber, type Rational } from "./decimal.js";
import { formatFixed, humanizePercentage } from "../template/gofmt.js";
import { sloDescription, SLO_SERIES, type SloAlert, type SloPlan } from "./rules.js";
import type { ResolvedTier } from "./tiers.js";

/** A promtool unit-test group. */
export interface TestGroup {
  name: string;
  interval: string;
  input_series: { series: string; values: string }[];
  alert_rule_test: { eval_time: string; alertname: string; exp_alerts: { exp_labels: Record<string, string>; exp_annotations: Record<string, string> }[] }[];
}

/**
 * Rules are evaluated every 15m, and each group's samples are as sparse as its tiers allow:
 * promtool's cost grows with samples per window times steps, so a 3-day test at 1m samples
 * and 1m steps takes 13 s, and about 0.2 s this way.
 */
export const EVALUATION_MS = 15 * 60_000;
const SAMPLE_STEPS = [1, 3, 5, 15].map((m) => m * 60_000);

/** The sparsest sampling that still leaves two samples in every window the tiers read. */
function sampleInterval(tiers: readonly ResolvedTier[]): number {
  const shortest = Math.min(...tiers.map((t) => t.shortMs));
  return [...SAMPLE_STEPS].reverse().find((step) => step * 1.5 <= shortest) ?? SAMPLE_STEPS[0]!;
}
/** The 5m window of the burn-rate and budget series in the description has data. */
const FIVE_MINUTES = 5 * 60_000;

const MINUTE = 60_000;
const ceilToGrid = (ms: number) => Math.ceil(ms / EVALUATION_MS) * EVALUATION_MS;

/** Label values that satisfy (or, for one label, fail) a selector's matchers. */
const CANDIDATES = ["500", "503", "200", "404", "5xx", "2xx", "error", "errors", "failed", "failure", "success", "succeeded", "ok", "true", "false", "1", "0", "yes", "no", "timeout", "a", "b", "x"];

function matches(match: LabelMatch, value: string): boolean {
  const negate = typeof match === "object" && !(match instanceof RegExp);
  const inner = negate ? match.not : match;
  const hit = inner instanceof RegExp ? new RegExp(`^(?:${inner.source})$`, inner.flags.replace(/[gy]/g, "")).test(value) : inner === value;
  return negate ? !hit : hit;
}

function candidates(matches: readonly LabelMatch[]): string[] {
  const literal = matches.flatMap((m) => {
    const inner = typeof m === "object" && !(m instanceof RegExp) ? m.not : m;
    return inner instanceof RegExp ? inner.source.replace(/[\^$()]/g, "").split("|") : [inner];
  });
  return [...new Set([...literal, ...CANDIDATES])];
}

/** A value for `label` meeting every `want` matcher and, if given, failing `avoid`. */
function valueFor(want: readonly LabelMatch[], avoid?: LabelMatch): string | undefined {
  return candidates([...want, ...(avoid ? [avoid] : [])]).find((v) => want.every((m) => matches(m, v)) && (!avoid || !matches(avoid, v)));
}

type Matchers = Record<string, LabelMatch>;

function satisfy(selectors: readonly Matchers[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (const label of new Set(selectors.flatMap((s) => Object.keys(s)))) {
    const value = valueFor(selectors.flatMap((s) => (s[label] === undefined ? [] : [s[label]!])));
    if (value === undefined) return undefined;
    labels[label] = value;
  }
  return labels;
}

/** Labels meeting `keep` but failing `fail` on at least one label. */
function satisfyButFail(keep: Matchers, fail: Matchers): Record<string, string> | undefined {
  for (const [label, avoid] of Object.entries(fail)) {
    const base = satisfy([keep, Object.fromEntries(Object.entries(fail).filter(([l]) => l !== label))]);
    const value = valueFor(keep[label] === undefined ? [] : [keep[label]!], avoid);
    if (base && value !== undefined) return { ...base, [label]: value };
  }
  return undefined;
}

const seriesText = (name: string, labels: Record<string, string>) =>
  `${name}{${Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ")}}`;
const counter = (perSample: Rational, samples: number) => `0+${toDecimal(perSample, 6)}x${samples}`;
const gauge = (value: Rational, samples: number) => `${toDecimal(value, 6)}x${samples}`;

/** One counter per kind of event, with a constant error ratio, for `minutes` minutes. */
function syntheticInputs(slo: Slo, plan: SloPlan, ratio: Rational, totalPerMinute: Rational, minutes: number, groups: Record<string, string>): TestGroup["input_series"] | undefined {
  // Counters grow by the events of one sample interval: callers pass per-sample figures.
  const errors = mul(ratio, totalPerMinute);
  const good = { num: totalPerMinute.num * errors.den - errors.num * totalPerMinute.den, den: totalPerMinute.den * errors.den };
  const sli = slo.sli;
  const withGroups = (labels: Record<string, string> | undefined) => labels && { ...groups, ...labels };
  const split = (bad: Selector, all: Selector, badIsGood: boolean) => {
    // Same metric: one series of bad events, one of the rest. Two metrics: each counted as it is.
    if (bad.metric === all.metric) {
      const inBad = withGroups(satisfy([bad.matchers as Matchers, all.matchers as Matchers]));
      const rest = withGroups(satisfyButFail(all.matchers as Matchers, bad.matchers as Matchers));
      if (!inBad || !rest) return undefined;
      return [
        { series: seriesText(bad.metric, inBad), values: counter(badIsGood ? good : errors, minutes) },
        { series: seriesText(all.metric, rest), values: counter(badIsGood ? errors : good, minutes) },
      ];
    }
    const a = withGroups(satisfy([bad.matchers as Matchers]));
    const b = withGroups(satisfy([all.matchers as Matchers]));
    if (!a || !b) return undefined;
    return [
      { series: seriesText(bad.metric, a), values: counter(badIsGood ? good : errors, minutes) },
      { series: seriesText(all.metric, b), values: counter(totalPerMinute, minutes) },
    ];
  };
  if ("errors" in sli && isSelector(sli.errors) && isSelector(sli.total)) return split(sli.errors, sli.total, false);
  if ("good" in sli && isSelector(sli.good) && isSelector(sli.total)) return split(sli.good, sli.total, true);
  if ("latency" in sli) {
    const histogram = sli.latency as Selector;
    const labels = withGroups(satisfy([histogram.matchers as Matchers]));
    if (!labels) return undefined;
    return [
      { series: seriesText(`${histogram.metric}_bucket`, { ...labels, le: String(sli.threshold) }), values: counter(good, minutes) },
      { series: seriesText(`${histogram.metric}_count`, labels), values: counter(totalPerMinute, minutes) },
    ];
  }
  if ("probe" in sli && isSelector(sli.probe)) {
    const labels = withGroups(satisfy([sli.probe.matchers as Matchers]));
    if (!labels) return undefined;
    return [{ series: seriesText(sli.probe.metric, labels), values: gauge({ num: ratio.den - ratio.num, den: ratio.den }, minutes) }];
  }
  // PromQL SLIs cannot be fed generically: feed their recorded error ratios, which tests the tiers.
  return plan.windows.map((window) => ({ series: seriesText(SLO_SERIES.errorRatio(window), { ...plan.labels, ...groups }), values: gauge(ratio, minutes) }));
}

function expected(plan: SloPlan, alert: SloAlert, groups: Record<string, string>, ratio: number, fiveMinuteData: boolean) {
  const burn = ratio / toNumber(fromNumber(Number(plan.budgetText)));
  // Without two samples in 5m, the 5m-based series are absent and `with` prints nothing.
  const description = sloDescription(plan, {
    value: humanizePercentage(ratio),
    burn: fiveMinuteData ? formatFixed(burn, 1) : "",
    remaining: fiveMinuteData ? humanizePercentage(1 - burn) : "",
  });
  const { alertname: _drop, ...labels } = { ...plan.labels, ...groups, ...alert.plan.rule.labels, alertname: "" };
  return { exp_labels: labels, exp_annotations: { ...alert.plan.rule.annotations, description } };
}

/** The SLI is fed with synthetic metric samples (selectors), not with its recorded error ratios. */
function isSynthesized(slo: Slo): boolean {
  const sli = slo.sli;
  if ("latency" in sli) return true;
  if ("probe" in sli) return isSelector(sli.probe);
  if ("errorRatio" in sli) return false;
  return "errors" in sli ? isSelector(sli.errors) && isSelector(sli.total) : isSelector(sli.good) && isSelector(sli.total);
}

/** PromQL that can return a series with no input at all (vector(0), absent()): it would clash with fed ratios. */
const YIELDS_WITHOUT_INPUT = /\b(?:vector|absent|absent_over_time)\s*\(/;

/** Why no tests can be generated for an SLO, or undefined when they can. */
export function untestable(slo: Slo, plan: SloPlan): string | undefined {
  const templated = plan.alerts.some((a) => Object.entries(a.plan.rule.annotations).some(([key, value]) => key !== "description" && value.includes("{{")));
  if (templated) return "its alerts have templated annotations whose text a test cannot predict";
  if (!isSynthesized(slo) && plan.windows.some((w) => YIELDS_WITHOUT_INPUT.test(plan.recording.find((r) => r.record === SLO_SERIES.errorRatio(w))?.expr ?? ""))) {
    return "its SLI query returns a value even without input (vector(), absent()), which would clash with the error ratios a test feeds in";
  }
  return undefined;
}

/** Does this tier's alert fire at `at` for a constant ratio, given the grid and the guard? */
function fires(tier: ResolvedTier, ratio: Rational, at: number, enoughEvents: boolean): boolean {
  const above = ratio.num * tier.threshold.den > tier.threshold.num * ratio.den;
  // The condition first holds at the first evaluation after the start; `for` counts from there.
  return above && enoughEvents && at >= EVALUATION_MS + (tier.for ? parseDuration(tier.for)! : 0);
}

/**
 * promtool tests for an SLO: each tier fires at 1.1x its threshold once its long window is
 * covered; nothing fires at 0.9x the lowest threshold; with minEvents, too little traffic
 * fires nothing even when every event fails.
 */
export function sloTestGroups(slo: Slo, plan: SloPlan): TestGroup[] | undefined {
  if (plan.tiers.length === 0) return [];
  if (untestable(slo, plan)) return undefined;
  const groups = Object.fromEntries(plan.groupBy.map((label) => [label, "test"]));
  const longest = Math.max(...plan.tiers.map((t) => t.longMs));
  const shortestLong = Math.min(...plan.tiers.map((t) => t.longMs));
  const minEvents = plan.minEvents ?? 0;
  // Plenty of traffic: even the shortest long window sees four times minEvents.
  const busy = integer(Math.max(1000, Math.ceil((4 * minEvents) / (shortestLong / MINUTE))));
  const alertnames = [...new Set(plan.alerts.map((a) => a.plan.rule.alert))];

  const group = (name: string, ratio: Rational, perMinute: Rational, evalTimes: number[], enough: boolean, evaluated: readonly ResolvedTier[]): TestGroup | undefined => {
    const end = Math.max(...evalTimes);
    const step = sampleInterval(evaluated);
    const inputs = syntheticInputs(slo, plan, ratio, mul(perMinute, integer(step / MINUTE)), end / step, groups);
    if (!inputs) return undefined;
    // rate() needs two samples in the 5m window; avg_over_time and fed ratios need one, always there.
    const fiveMinuteData = plan.kind === "probe" || !isSynthesized(slo) || step <= FIVE_MINUTES;
    return {
      name,
      interval: formatDuration(step),
      input_series: inputs,
      alert_rule_test: evalTimes.flatMap((at) =>
        alertnames.map((alertname) => ({
          eval_time: formatDuration(at),
          alertname,
          exp_alerts: plan.alerts
            .filter((a) => a.plan.rule.alert === alertname && a.tiers.some((t) => fires(t, ratio, at, enough)))
            .map((a) => expected(plan, a, groups, toNumber(ratio), fiveMinuteData)),
        })),
      ),
    };
  };

  const lowest = plan.tiers.reduce((low, t) => (t.threshold.num * low.threshold.den < low.threshold.num * t.threshold.den ? t : low));
  const tierTimes = plan.tiers.map((t) => ceilToGrid(Math.max(t.longMs, EVALUATION_MS + (t.for ? parseDuration(t.for)! : 0))));
  // A firing test needs data only in the windows of the tiers below its ratio; a silent one in all.
  const below = (ratio: Rational) => plan.tiers.filter((t) => t.threshold.num * ratio.den < ratio.num * t.threshold.den);
  const result = [
    ...plan.tiers.map((tier, i) => {
      const ratio = mul(fromNumber(1.1), tier.threshold);
      return group(`${plan.service}/${plan.name}: ${tier.severity} ${tier.long}/${tier.short} fires at 1.1x its threshold ${tier.thresholdText}`, ratio, busy, [tierTimes[i]!], true, below(ratio));
    }),
    group(`${plan.service}/${plan.name}: nothing fires at 0.9x the lowest threshold ${lowest.thresholdText}`, mul(fromNumber(0.9), lowest.threshold), busy, [...new Set([...tierTimes, ceilToGrid(longest)])].sort((a, b) => a - b), true, plan.tiers),
    ...(plan.minEvents !== undefined
      ? [group(
          `${plan.service}/${plan.name}: fewer than ${minEvents} events in every long window fire nothing, even at a 50% error ratio`,
          fromNumber(0.5),
          { num: BigInt(minEvents), den: BigInt(Math.ceil((2 * longest) / MINUTE)) },
          [ceilToGrid(longest)],
          false,
          plan.tiers,
        )]
      : []),
  ];
  return result.some((g) => g === undefined) ? undefined : (result as TestGroup[]);
}
