import { formatDuration } from "../model/duration.js";
import { unparen, type Expr } from "../promql/ast.js";
import { parsePromQL } from "../promql/parser.js";
import { add, compare, div, integer, mul, sub, toDecimal, toNumber, type Rational } from "../slo/decimal.js";
import { numberOf, splitCondition } from "./condition.js";
import { hasOffset } from "./counter.js";
import { andParts, withGuards } from "./guard.js";
import { relativeModel } from "./relative.js";
import type { Outcome } from "./slo.js";
import { stoppedModel } from "./stopped.js";
import { exact, firingTime, firstEvaluation, holdsExactly, rampShare, sampleShare, type Clock, type Comparison } from "./timing.js";

/**
 * How fast a threshold alert's expression follows a step in the series it reads. The model:
 * every input series steps at once, at a rule evaluation, to a value far past the threshold
 * (or, for a ratio of two rates, all the way: every event failing); then
 * - an instant selector, and arithmetic on instant selectors, show it in the sample at the step;
 * - rate(), increase() and irate() of a counter show it one scrape later (the first increase);
 * - max_over_time() going up (min_over_time() going down), avg_over_time(), sum_over_time() and
 *   last_over_time() going up show it at once (a far sample dominates); min_over_time() going up
 *   (max_over_time() going down) once the whole window is past the step;
 * - a ratio of two rates over one window ramps linearly with the share of the window past the
 *   step, as an SLO's error ratio does;
 * - histogram_quantile(q, rate(...)) passes once more than 1 - q of the window's events are slow;
 * - avg_over_time() under a threshold between 0 and 1 is taken for a 0/1 series (up,
 *   probe_success) falling from 1 to 0, counted in samples;
 * - `time() - <timestamp>` grows a second a second once the timestamp stops, current until then.
 * `A or B` fires with the faster side; an absent() side answers another failure (series gone)
 * and is left out. `A and B` is A while B holds (guard.ts); `A unless <counter's rate> > 0` is
 * the counter stopping (stopped.ts); a rate against its own past (`offset`) a drop or rise
 * relative to it (relative.ts). Anything else (other `unless`, subqueries, other functions, drops
 * in a rate against a number) is unknown.
 */
export type Signal =
  | { kind: "level" }
  | { kind: "rate"; windowMs: number; fn: string }
  | { kind: "over-time"; windowMs: number; fn: "avg" | "sum" | "max" | "min" | "last" }
  /** a x share + b, share being the part of the window after the step, from 0 to 1. */
  | { kind: "fraction"; windowMs: number; a: Rational; b: Rational }
  | { kind: "quantile"; windowMs: number; q: number }
  /** a x seconds since the failure + b: `time() - <timestamp>` once the timestamp stops advancing. */
  | { kind: "age"; a: Rational; b: Rational };

type Classified = Signal | { kind: "unknown"; reason: string };

const unknown = (reason: string): Classified => ({ kind: "unknown", reason });

function rangeOf(node: Expr): number | Classified {
  const inner = unparen(node);
  if (inner.type !== "matrix") return unknown("a range function over something other than a range selector");
  if (inner.range.variable) return unknown("a range that is a variable");
  if (inner.offset || inner.at || unparen(inner.selector).type !== "selector") return unknown("a range selector with offset or @");
  return inner.range.ms;
}

const RATES = new Set(["rate", "increase", "irate"]);
const OVER_TIME = new Set(["avg_over_time", "sum_over_time", "max_over_time", "min_over_time", "last_over_time"]);
const FOLLOWING = new Set(["sum", "avg", "max", "min"]);

function classifyCall(node: Extract<Expr, { type: "call" }>): Classified {
  if (RATES.has(node.name) || OVER_TIME.has(node.name)) {
    const range = rangeOf(node.args[0]!);
    if (typeof range !== "number") return range;
    return RATES.has(node.name)
      ? { kind: "rate", windowMs: range, fn: node.name }
      : { kind: "over-time", windowMs: range, fn: node.name.replace("_over_time", "") as "avg" };
  }
  if (node.name === "histogram_quantile") {
    const q = numberOf(node.args[0]!);
    const inner = classify(node.args[1]!);
    if (q === undefined || !(q > 0 && q < 1)) return unknown("histogram_quantile() with a quantile that is not a number between 0 and 1");
    if (inner.kind !== "rate") return unknown("histogram_quantile() over something other than the rate of buckets");
    return { kind: "quantile", windowMs: inner.windowMs, q };
  }
  return unknown(`${node.name}() is not modelled`);
}

/** `signal op number` or `number op signal`, for + - * / by a constant. */
function withConstant(signal: Signal, op: string, value: number, constantFirst: boolean): Classified {
  if (signal.kind === "level") return signal;
  const c = exact(value);
  if (signal.kind === "fraction" || signal.kind === "age") {
    const { a, b } = signal;
    const affine = (na: Rational, nb: Rational): Classified => ({ ...signal, a: na, b: nb });
    if (op === "*") return affine(mul(a, c), mul(b, c));
    if (op === "/" && !constantFirst && value !== 0) return affine(div(a, c), div(b, c));
    if (op === "+") return affine(a, add(b, c));
    if (op === "-") return constantFirst ? affine(mul(a, integer(-1)), sub(c, b)) : affine(a, sub(b, c));
    return unknown(`${signal.kind === "age" ? "an age" : "a ratio"} under ${op} by a constant`);
  }
  // Far steps stay far under positive scaling and shifts; anything that turns them around is not modelled.
  const increasing = op === "+" || (op === "-" && !constantFirst) || ((op === "*" || (op === "/" && !constantFirst)) && value > 0);
  return increasing ? signal : unknown(`${op} by a constant that turns the signal around`);
}

function classifyBinary(node: Extract<Expr, { type: "binary" }>): Classified {
  if (!["+", "-", "*", "/"].includes(node.op)) return unknown(`a nested "${node.op}"`);
  const left = numberOf(node.lhs);
  const right = numberOf(node.rhs);
  if (left !== undefined && right !== undefined) return unknown("arithmetic on constants only");
  if (right !== undefined || left !== undefined) {
    const signal = classify(right !== undefined ? node.lhs : node.rhs);
    return signal.kind === "unknown" ? signal : withConstant(signal, node.op, (right ?? left)!, left !== undefined);
  }
  const rhs = classify(node.rhs);
  const now = unparen(node.lhs);
  if (node.op === "-" && now.type === "call" && now.name === "time" && rhs.kind === "level") return { kind: "age", a: integer(1), b: integer(0) };
  const lhs = classify(node.lhs);
  if (lhs.kind === "unknown") return lhs;
  if (rhs.kind === "unknown") return rhs;
  if (lhs.kind === "level" && rhs.kind === "level") return lhs;
  if (node.op === "/" && lhs.kind === "rate" && rhs.kind === "rate" && lhs.windowMs === rhs.windowMs) {
    return { kind: "fraction", windowMs: lhs.windowMs, a: integer(1), b: integer(0) };
  }
  return unknown(`"${node.op}" between ${lhs.kind} and ${rhs.kind} signals`);
}

/** What kind of signal an expression is; see Signal. */
export function classify(node: Expr): Classified {
  switch (node.type) {
    case "paren":
      return classify(node.expr);
    case "selector":
      return node.offset || node.at ? unknown("a selector with offset or @") : { kind: "level" };
    case "call":
      return classifyCall(node);
    case "aggregate": {
      if (!FOLLOWING.has(node.op)) return unknown(`${node.op}() is not modelled`);
      const inner = classify(node.args.at(-1)!);
      if ((inner.kind === "fraction" || inner.kind === "age") && node.op === "sum") return unknown(`a sum of ${inner.kind === "age" ? "ages" : "ratios"}`);
      return inner;
    }
    case "binary":
      return classifyBinary(node);
    case "unary": {
      const inner = classify(node.expr);
      if (node.op === "+" || inner.kind === "unknown" || inner.kind === "level") return inner;
      return inner.kind === "fraction" || inner.kind === "age" ? { ...inner, a: mul(inner.a, integer(-1)), b: mul(inner.b, integer(-1)) } : unknown("a negated signal");
    }
    default:
      return unknown(`a ${node.type} is not modelled`);
  }
}

/** The operands of top-level `or`s, in order. */
function orSides(node: Expr): Expr[] {
  const top = unparen(node);
  return top.type === "binary" && top.op === "or" ? [...orSides(top.lhs), ...orSides(top.rhs)] : [top];
}

const isAbsent = (node: Expr) => node.type === "call" && (node.name === "absent" || node.name === "absent_over_time");

/** One failure, and when the expression first returns a series for it. */
export interface FailureModel {
  /** The failure, in words: "a step far over the threshold". */
  failure: string;
  /** The first evaluation at which the expression returns a series, ms after the failure started; undefined: never. */
  pendingMs: number | undefined;
  /** How the signal gets there: "rate() shows it one scrape (15s) after the step". */
  how: string;
  /** Why it never does, when pendingMs is undefined. */
  never: string;
}

/** What a failure looks like from the alert's side of the threshold. */
export interface StepModel extends FailureModel {
  /** A slower failure the alert is also measured against: a drop to just under a relative threshold. */
  also?: FailureModel;
  /** What the figures take to hold besides the failure: guards, the traffic before it. */
  assuming?: string[];
  /** The metric whose current series the failure stops: a guard that reads it cannot be taken to hold. */
  stops?: string;
}

function stepModel(signal: Signal, op: string, threshold: number, clock: Clock): Omit<FailureModel, "never"> | { reason: string } {
  const up = op === ">" || op === ">=";
  const down = op === "<" || op === "<=";
  const far = up ? "a step far over the threshold" : down ? "a step far under the threshold" : `a step to ${threshold}`;
  const scrape = formatDuration(clock.scrapeMs);
  const window = "windowMs" in signal ? formatDuration(signal.windowMs) : "";
  const first = (holds: (at: number) => boolean, horizon: number) => firstEvaluation(holds, clock.evaluationMs, horizon);
  switch (signal.kind) {
    case "level":
      return op === "!=" ? { reason: `"!=" is not modelled` } : { failure: far, pendingMs: 0, how: "the sample at the step crosses it" };
    case "rate":
      if (!up) return { reason: `a drop in ${signal.fn}() shows over its window at a pace that depends on the rate before it` };
      return { failure: far, pendingMs: first((at) => at >= clock.scrapeMs, clock.scrapeMs), how: `${signal.fn}() shows it one scrape (${scrape}) after the step` };
    case "over-time": {
      const at = `${signal.fn}_over_time()`;
      if (!up && !down) return { reason: `"${op}" on ${at} is not modelled` };
      const atOnce = up ? signal.fn !== "min" : signal.fn === "min" || signal.fn === "last";
      const whole = up ? signal.fn === "min" : signal.fn === "max";
      if (atOnce) return { failure: far, pendingMs: 0, how: `${at} shows the sample at the step` };
      if (whole) return { failure: far, pendingMs: first((t) => t >= signal.windowMs, signal.windowMs), how: `${at} needs its whole ${window} window past the step` };
      if (down && signal.fn === "avg" && threshold > 0 && threshold <= 1) {
        const limit = exact(threshold);
        const holds = (t: number) => holdsExactly(sub(integer(1), sampleShare(t, signal.windowMs, clock.scrapeMs)), op as Comparison, limit);
        return {
          failure: "a 0/1 series (up, probe_success) falling from 1 to 0",
          pendingMs: first(holds, signal.windowMs),
          how: `${at} over ${window} falls with the share of its samples (one every ${scrape}) taken since`,
        };
      }
      return { reason: `a drop in ${at} shows at a pace that depends on the value before it` };
    }
    case "quantile": {
      if (!up && !down) return { reason: `"${op}" on histogram_quantile() is not modelled` };
      // Every event slow: the rank q x count leaves the fast buckets once more than 1 - q of them are slow.
      const bound = up ? sub(integer(1), exact(signal.q)) : exact(signal.q);
      const holds = (at: number) => holdsExactly(rampShare(at, signal.windowMs, clock.scrapeMs), up ? ">" : ">=", bound);
      return {
        failure: up ? "every request far over the threshold" : "every request far under the threshold",
        pendingMs: first(holds, signal.windowMs),
        how: `the ${signal.q} quantile over ${window} passes once ${up ? "more than " : ""}${toDecimal(mul(bound, integer(100)))}% of the window's requests are ${up ? "slow" : "fast"}`,
      };
    }
    case "age": {
      if (!up || compare(signal.a, integer(0)) <= 0) return { reason: `"${op}" on time() minus a timestamp is not modelled` };
      const limit = exact(threshold);
      const value = (at: number) => add(mul(signal.a, { num: BigInt(at), den: 1000n }), signal.b);
      const horizon = Math.max(0, toNumber(div(sub(limit, signal.b), signal.a)) * 1000);
      return {
        failure: "a timestamp that stops advancing (current until then)",
        pendingMs: first((at) => holdsExactly(value(at), op as Comparison, limit), horizon),
        how: "time() minus it grows by a second every second",
      };
    }
    case "fraction": {
      if (!up && !down) return { reason: `"${op}" on a ratio is not modelled` };
      const ends = [signal.b, add(signal.a, signal.b)].sort(compare);
      const [from, to] = up ? [ends[0]!, ends[1]!] : [ends[1]!, ends[0]!];
      const value = (share: Rational) => sub(from, mul(sub(from, to), share));
      const limit = exact(threshold);
      const cmp = op as Comparison;
      if (holdsExactly(from, cmp, limit)) return { reason: `the ratio already crosses ${threshold} with no failure at all` };
      const holds = (at: number) => holdsExactly(value(rampShare(at, signal.windowMs, clock.scrapeMs)), cmp, limit);
      return {
        failure: `a full outage (the ratio going from ${toDecimal(from, 12)} to ${toDecimal(to, 12)})`,
        pendingMs: holdsExactly(to, cmp, limit) ? first(holds, signal.windowMs) : undefined,
        how: `the ratio over ${window} moves with the share of its window past the step`,
      };
    }
  }
}

export interface ThresholdDetection {
  kind: "threshold";
  clock: Clock;
  forMs: number;
  /** The failure modelled, in words. */
  failure: string;
  step: Outcome;
  /** A slower failure it is also measured against: a drop to just under a relative threshold. */
  also?: { failure: string; outcome: Outcome };
  /** What the figures take to hold besides the failure, in words: guards, the traffic before it. */
  assuming?: string[];
}

export interface UnknownDetection {
  kind: "unknown";
  reason: string;
}

function modelCondition(condition: Expr, text: string, clock: Clock): StepModel | { reason: string } {
  if (hasOffset(condition)) return relativeModel(condition, text, clock);
  const split = splitCondition(condition);
  if ("reason" in split) return split;
  const signal = classify(split.signal);
  if (signal.kind === "unknown") return { reason: signal.reason };
  const model = stepModel(signal, split.op, split.threshold, clock);
  return "reason" in model ? model : { ...model, never: `${model.failure} never crosses ${split.threshold}` };
}

/** One side of the top-level `or`s: a condition, with guards (`and`) or the stop of a counter (`unless`). */
function modelSide(side: Expr, text: string, clock: Clock): StepModel | { reason: string } {
  const top = unparen(side);
  if (top.type === "binary" && top.op === "and") return withGuards(modelSide(top.lhs, text, clock), [top.rhs], text, "the `and` guard");
  // `unless` a counter's rate: its stop is the failure, and every part of the left side a guard.
  if (top.type === "binary" && top.op === "unless") return withGuards(stoppedModel(top.rhs, clock), andParts(top.lhs), text, "the side `unless` keeps");
  return modelCondition(top, text, clock);
}

function outcomeOf(model: FailureModel, forMs: number, clock: Clock): Outcome {
  return model.pendingMs === undefined
    ? { fires: false, why: model.never }
    : { fires: true, ms: firingTime(model.pendingMs, forMs, clock.evaluationMs), pendingMs: model.pendingMs, via: model.how };
}

/** How long a threshold alert takes to fire after a step over its threshold, or why that is unknown. */
export function thresholdDetection(expr: string, forMs: number, clock: Clock): ThresholdDetection | UnknownDetection {
  const parsed = parsePromQL(expr);
  if (!parsed.expr) return { kind: "unknown", reason: "the expression does not parse" };
  const sides = orSides(parsed.expr).filter((side) => !isAbsent(side));
  if (sides.length === 0) return { kind: "unknown", reason: "the alert fires on missing series (absent()), not on a value" };
  const models: StepModel[] = [];
  for (const side of sides) {
    const model = modelSide(side, expr, clock);
    if ("reason" in model) return { kind: "unknown", reason: model.reason };
    models.push(model);
  }
  // `or`: the first side to return a series makes the alert pending.
  const model = [...models].sort((a, b) => (a.pendingMs ?? Infinity) - (b.pendingMs ?? Infinity))[0]!;
  return {
    kind: "threshold",
    clock,
    forMs,
    failure: model.failure,
    step: outcomeOf(model, forMs, clock),
    ...(model.also && { also: { failure: model.also.failure, outcome: outcomeOf(model.also, forMs, clock) } }),
    ...(model.assuming && model.assuming.length > 0 && { assuming: model.assuming }),
  };
}
