import { COMPARISON_OPS, unparen, type Expr } from "../promql/ast.js";

/** The value of a number literal, possibly signed and in parentheses, or of arithmetic on such. */
export function numberOf(node: Expr): number | undefined {
  const inner = unparen(node);
  if (inner.type === "number") return inner.value;
  if (inner.type === "unary") {
    const value = numberOf(inner.expr);
    return value === undefined ? undefined : inner.op === "-" ? -value : value;
  }
  if (inner.type === "binary" && !inner.bool) {
    // Constant arithmetic, as Prometheus folds it: `50 * 3600`.
    const [a, b] = [numberOf(inner.lhs), numberOf(inner.rhs)];
    if (a === undefined || b === undefined) return undefined;
    const ops: Record<string, (x: number, y: number) => number> = { "+": (x, y) => x + y, "-": (x, y) => x - y, "*": (x, y) => x * y, "/": (x, y) => x / y, "^": (x, y) => x ** y };
    const value = ops[inner.op]?.(a, b);
    return value !== undefined && Number.isFinite(value) ? value : undefined;
  }
  return undefined;
}

/** The comparison that holds with its operands swapped: `5 < x` is `x > 5`. */
export const MIRROR: Readonly<Record<string, string>> = { ">": "<", "<": ">", ">=": "<=", "<=": ">=", "==": "==", "!=": "!=" };

/** A condition as `signal op threshold`, or why it is not one. */
export function splitCondition(node: Expr): { signal: Expr; op: string; threshold: number } | { reason: string } {
  const top = unparen(node);
  if (top.type !== "binary" || !COMPARISON_OPS.has(top.op)) return { reason: "the expression is not a comparison with a number" };
  if (top.bool) return { reason: "a comparison with bool always returns a series" };
  const right = numberOf(top.rhs);
  const left = numberOf(top.lhs);
  if (right !== undefined && left === undefined) return { signal: top.lhs, op: top.op, threshold: right };
  if (left !== undefined && right === undefined) return { signal: top.rhs, op: MIRROR[top.op]!, threshold: left };
  return { reason: "the expression compares two series, not a series with a number" };
}
