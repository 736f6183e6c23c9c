import { formatDuration } from "../model/duration.js";
import { COMPARISON_OPS, unparen, walk, type Expr, type Span } from "../promql/ast.js";
import { canonicalText } from "../promql/canonical.js";
import { compare, div, integer, mul, sub, toDecimal, type Rational } from "../slo/decimal.js";
import { MIRROR, numberOf } from "./condition.js";
import { counterRateOf, pastName, type CounterRate } from "./counter.js";
import { fewestSamples, stepRate, windowSamples } from "./rate.js";
import type { StepModel } from "./threshold.js";
import { exact, firstEvaluation, holdsExactly, type Clock, type Comparison } from "./timing.js";

/**
 * A counter's rate now against its rate in the past (`offset`): "completed orders under half of
 * last week's". The failure: at a rule evaluation the rate steps from the past's level (the past
 * being steady) to 0, a full stop (or, for a rise, far over it); and, as the bound for any step
 * past the threshold however close, to just past it, which shows once the whole window is past
 * the step. Both sides are the rate of the same series over the same window, so the counter's
 * level cancels out: each is computed as Prometheus does (rate.ts) for a counter growing one unit
 * a scrape until the step.
 */

/** `now op factor x past`, both the same counter's rate. */
export interface Relation {
  now: CounterRate;
  past: CounterRate;
  op: Comparison;
  factor: Rational;
}

interface Scaled {
  rate: CounterRate;
  node: Expr;
  factor: Rational;
}

const ONE = integer(1);

/** `r`, `k * r`, `r * k` or `r / k`: a counter's rate times a positive constant. */
function scaled(node: Expr): Scaled | undefined {
  const inner = unparen(node);
  if (inner.type === "binary" && !inner.bool && (inner.op === "*" || inner.op === "/")) {
    const [left, right] = [numberOf(inner.lhs), numberOf(inner.rhs)];
    const k = right ?? left;
    const side = right !== undefined ? scaled(inner.lhs) : left !== undefined && inner.op === "*" ? scaled(inner.rhs) : undefined;
    if (!side || k === undefined || !(k > 0)) return undefined;
    return { ...side, factor: inner.op === "*" ? mul(side.factor, exact(k)) : div(side.factor, exact(k)) };
  }
  const rate = counterRateOf(inner);
  return rate && { rate, node: inner, factor: ONE };
}

/** The expression without its offsets, as canonical text: equal for the same series read now and in the past. */
function seriesText(node: Expr, text: string): string {
  const copy = structuredClone(node);
  walk(copy, (n) => {
    if ("offset" in n) delete n.offset;
  });
  return canonicalText(copy, (span: Span) => text.slice(span.from, span.to));
}

/** The two sides as now and past, with `a x now op b x past` turned into `now op (b / a) x past`. */
function relate(a: Scaled, op: string, b: Scaled, text: string): Relation | { reason: string } {
  const [now, past, cmp] = a.rate.offsetMs === 0 ? [a, b, op] : [b, a, MIRROR[op]!];
  if (now.rate.offsetMs !== 0 || past.rate.offsetMs <= 0) return { reason: "a comparison of two rates that is not of now with the past" };
  if (seriesText(now.node, text) !== seriesText(past.node, text)) return { reason: "a comparison with the past of other series, or over another window" };
  if (!["<", "<=", ">", ">="].includes(cmp)) return { reason: `"${cmp}" against the past is not modelled` };
  return { now: now.rate, past: past.rate, op: cmp as Comparison, factor: div(past.factor, now.factor) };
}

/**
 * The comparison as a Relation: `now op k x past` (either way round), or `now / past op k`
 * (the past being steady traffic, never 0).
 */
export function relation(node: Expr, text: string): Relation | { reason: string } {
  const top = unparen(node);
  if (top.type !== "binary" || !COMPARISON_OPS.has(top.op) || top.bool) return { reason: "an offset outside a comparison of a rate with its past" };
  const [left, right] = [numberOf(top.lhs), numberOf(top.rhs)];
  if (left === undefined && right === undefined) {
    const [a, b] = [scaled(top.lhs), scaled(top.rhs)];
    return a && b ? relate(a, top.op, b, text) : { reason: "a comparison with the past of something other than a counter's rate" };
  }
  const [ratio, op, k] = right !== undefined ? [unparen(top.lhs), top.op, right] : [unparen(top.rhs), MIRROR[top.op]!, left!];
  if (ratio.type !== "binary" || ratio.op !== "/" || ratio.bool) return { reason: "a comparison of the past with a number" };
  const [a, b] = [scaled(ratio.lhs), scaled(ratio.rhs)];
  if (!a || !b || a.rate.offsetMs !== 0) return { reason: "a ratio to the past of something other than a counter's rate" };
  // now / past op k is now op k x past: past > 0.
  return relate(a, op, { ...b, factor: mul(b.factor, exact(k)) }, text);
}

/** The failures a Relation is measured against, from a clock. */
export function relativeModel(node: Expr, text: string, clock: Clock): StepModel | { reason: string } {
  const rel = relation(node, text);
  if ("reason" in rel) return rel;
  const { now, past, op, factor } = rel;
  const w = now.windowMs;
  const s = clock.scrapeMs;
  const window = formatDuration(w);
  const before = pastName(past.offsetMs, past.fn);
  const k = toDecimal(factor, 12);
  const fn = `${now.fn}()`;
  if (fewestSamples(w, clock) < 2) return { reason: `${fn} over ${window} holds fewer than two samples (one every ${formatDuration(s)}) at some evaluations` };
  if (holdsExactly(ONE, op, factor)) return { reason: `a rate equal to ${before} is already ${op} ${k}x it, with no failure at all` };
  const drop = op === "<" || op === "<=";
  const first = (holds: (at: number) => boolean) => firstEvaluation(holds, clock.evaluationMs, w);
  // The past, steady; the whole window past the step: a step to just past the threshold shows then.
  const pastRate = (at: number) => stepRate(ONE, ONE, at - past.offsetMs, w, s);
  const whole = (at: number) => windowSamples(at, w, s).first >= 0;
  const change = drop ? "drop" : "rise";
  const boundFailure = `a ${drop ? "drop to just under" : "rise to just over"} ${k}x ${before}`;
  const bound = { failure: boundFailure, pendingMs: first(whole), how: `once its whole ${window} window is past the ${change}`, never: `${boundFailure} never shows` };
  const assuming = [`${before} steady, and the rate at its level until the ${change}`];
  if (drop) {
    const holds = (at: number) => {
      const [nowRate, then] = [stepRate(ONE, integer(0), at, w, s), pastRate(at)];
      return nowRate !== undefined && then !== undefined && holdsExactly(nowRate, op, mul(factor, then));
    };
    const share = toDecimal(mul(sub(ONE, factor), integer(100)), 12);
    const failure = `a full stop (from ${before} to 0)`;
    return {
      failure,
      pendingMs: first(holds),
      how: `${fn} over ${window} falls ${op === "<" ? "under" : "to"} ${k}x ${before} once ${op === "<" ? "more than " : ""}${share}% of its window is past the stop`,
      never: `${failure} never takes it ${op === "<" ? "under" : "to"} ${k}x ${before}`,
      // Under 0x the past nothing is: no drop is just under it.
      ...(compare(factor, integer(0)) > 0 && { also: bound }),
      assuming,
      ...(now.metric && { stops: now.metric }),
    };
  }
  // Far over: the first growth after the step, a scrape later, outweighs the rest of the window.
  const failure = `a spike far over ${k}x ${before}`;
  return {
    failure,
    pendingMs: first((at) => windowSamples(at, w, s).last >= 1 && pastRate(at) !== undefined),
    how: `${fn} shows it one scrape (${formatDuration(s)}) after the step`,
    never: `${failure} never shows`,
    also: bound,
    assuming,
  };
}
