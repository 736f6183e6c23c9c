import { unparen, walk, type Expr } from "../promql/ast.js";
import { formatDuration } from "../model/duration.js";

/** An expression that is one counter's rate() or increase() over a window, now or in the past. */
export interface CounterRate {
  fn: "rate" | "increase";
  windowMs: number;
  /** The range selector's `offset`; 0 without one. */
  offsetMs: number;
  /** The counter's metric name, when written as one. */
  metric: string | undefined;
}

// When every series of the counter stops, or drops to the same share of its past, so do their
// sum, average, maximum and minimum.
const FOLLOWING = new Set(["sum", "avg", "max", "min"]);

/** `rate(x[w])` or `increase(x[w])`, with `offset` or not, under sum/avg/max/min; undefined for anything else. */
export function counterRateOf(node: Expr): CounterRate | undefined {
  const inner = unparen(node);
  if (inner.type === "aggregate") return FOLLOWING.has(inner.op) ? counterRateOf(inner.args.at(-1)!) : undefined;
  if (inner.type !== "call" || (inner.name !== "rate" && inner.name !== "increase")) return undefined;
  const range = unparen(inner.args[0]!);
  if (range.type !== "matrix" || range.range.variable || range.at) return undefined;
  const selector = unparen(range.selector);
  if (selector.type !== "selector" || selector.offset || selector.at) return undefined;
  return { fn: inner.name, windowMs: range.range.ms, offsetMs: range.offset?.ms ?? 0, metric: selector.variableName ? undefined : selector.name };
}

/** True when some selector, range or subquery of the expression reads the past (or the future) through `offset`. */
export function hasOffset(node: Expr): boolean {
  let found = false;
  walk(node, (n) => {
    if ((n.type === "selector" || n.type === "matrix" || n.type === "subquery") && n.offset) found = true;
  });
  return found;
}

/** True when the expression reads series of `metric` as they are now (not through `offset`). */
export function readsNow(node: Expr, metric: string): boolean {
  let found = false;
  walk(node, (n, ancestors) => {
    if (n.type !== "selector" || n.name !== metric || n.offset) return;
    const shifted = ancestors.some((a) => (a.type === "matrix" || a.type === "subquery") && a.offset);
    if (!shifted) found = true;
  });
  return found;
}

const DAY = 24 * 3600 * 1000;
const NAMED: Record<number, string> = { [DAY]: "yesterday's", [7 * DAY]: "last week's" };

/** How the runbook names a rate `offsetMs` ago: "last week's rate", "the rate 2h earlier". */
export function pastName(offsetMs: number, fn: CounterRate["fn"]): string {
  const noun = fn === "rate" ? "rate" : "increase";
  const named = NAMED[offsetMs];
  return named ? `${named} ${noun}` : `the ${noun} ${formatDuration(offsetMs)} earlier`;
}
