/**
 * An alert expression as "what is measured" and "the line it must not cross": the top-level
 * comparison of an expression with a number (`<lhs> > 0.05`, or `0.05 < <lhs>`). Pure.
 */
import { unparen, type Expr } from "../promql/ast.js";
import { parsePromQL } from "../promql/parser.js";

/** The direction an alert watches: values above the threshold, or below it. */
export type ThresholdOp = ">" | ">=" | "<" | "<=";

export interface Comparison {
  /** The measured expression, as written. */
  lhs: string;
  op: ThresholdOp;
  threshold: number;
}

const FLIPPED: Record<ThresholdOp, ThresholdOp> = { ">": "<", ">=": "<=", "<": ">", "<=": ">=" };

/** The number a side stands for: a literal, maybe signed and parenthesised. */
function numberOf(node: Expr): number | undefined {
  const inner = unparen(node);
  if (inner.type === "number") return inner.value;
  if (inner.type === "unary") {
    const value = numberOf(inner.expr);
    return value === undefined ? undefined : inner.op === "-" ? -value : value;
  }
  return undefined;
}

export function splitComparison(expr: string): Comparison | { error: string } {
  const parsed = parsePromQL(expr);
  if (!parsed.expr) return { error: `the expression does not parse: ${parsed.findings[0]?.message ?? "syntax error"}` };
  const top = unparen(parsed.expr);
  if (top.type !== "binary" || !(top.op in FLIPPED) || top.bool) {
    return { error: "the expression is not one comparison of a measured value with a number (e.g. `<expr> > 0.05`)" };
  }
  const op = top.op as ThresholdOp;
  const right = numberOf(top.rhs);
  const left = numberOf(top.lhs);
  if (right !== undefined && left === undefined) return { lhs: expr.slice(top.lhs.from, top.lhs.to).trim(), op, threshold: right };
  if (left !== undefined && right === undefined) return { lhs: expr.slice(top.rhs.from, top.rhs.to).trim(), op: FLIPPED[op], threshold: left };
  return { error: "the comparison is not between a measured value and a number" };
}

/** Whether `value` crosses the line, as the comparison filters it. */
export function crosses(value: number, op: ThresholdOp, threshold: number): boolean {
  switch (op) {
    case ">":
      return value > threshold;
    case ">=":
      return value >= threshold;
    case "<":
      return value < threshold;
    case "<=":
      return value <= threshold;
  }
}
