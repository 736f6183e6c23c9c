/**
 * The PromQL syntax tree the analyzer works on, shaped like Prometheus' own (promql/parser/ast.go).
 * Every node keeps its character span in the analysed text so findings can point into it.
 */

export interface Span {
  from: number;
  to: number;
}

export interface Duration extends Span {
  ms: number;
  /** True when the duration stands for a Grafana variable ($__rate_interval): its value is unknown. */
  variable: boolean;
}

export interface OffsetModifier extends Span {
  /** Signed: negative offsets look ahead. */
  ms: number;
  duration: Duration;
}

export interface AtModifier extends Span {
  timestamp?: number;
  preprocessor?: "start" | "end";
}

export interface Modifiers {
  offset?: OffsetModifier;
  at?: AtModifier;
}

export type MatchOp = "=" | "!=" | "=~" | "!~";

export interface Matcher extends Span {
  label: string;
  labelSpan: Span;
  op: MatchOp;
  value: string;
  valueSpan: Span;
}

export interface NumberLiteral extends Span {
  type: "number";
  value: number;
}

export interface StringLiteral extends Span {
  type: "string";
  value: string;
}

export interface VectorSelector extends Span, Modifiers {
  type: "selector";
  /** The metric name written before the braces; undefined for `{__name__=~"..."}` or `{job="a"}`. */
  name?: string;
  nameSpan?: Span;
  /** The name is a Grafana variable ($metric): no catalog check applies. */
  variableName: boolean;
  matchers: Matcher[];
}

export interface MatrixSelector extends Span, Modifiers {
  type: "matrix";
  selector: Expr;
  range: Duration;
}

export interface SubqueryExpr extends Span, Modifiers {
  type: "subquery";
  expr: Expr;
  range: Duration;
  step?: Duration;
}

export interface Call extends Span {
  type: "call";
  name: string;
  nameSpan: Span;
  args: Expr[];
}

export interface Grouping extends Span {
  without: boolean;
  labels: string[];
}

export interface AggregateExpr extends Span {
  type: "aggregate";
  op: string;
  opSpan: Span;
  args: Expr[];
  grouping?: Grouping;
}

export interface VectorMatching {
  on: boolean;
  labels: string[];
  card: "one-to-one" | "many-to-one" | "one-to-many";
  include: string[];
}

export interface BinaryExpr extends Span {
  type: "binary";
  op: string;
  opSpan: Span;
  bool: boolean;
  matching?: VectorMatching;
  lhs: Expr;
  rhs: Expr;
}

export interface UnaryExpr extends Span {
  type: "unary";
  op: "+" | "-";
  expr: Expr;
}

export interface ParenExpr extends Span {
  type: "paren";
  expr: Expr;
}

/** A Grafana variable standing alone ($threshold, $__range_s): any type fits it. */
export interface Variable extends Span {
  type: "variable";
}

export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | SubqueryExpr
  | Call
  | AggregateExpr
  | BinaryExpr
  | UnaryExpr
  | ParenExpr
  | Variable;

export const COMPARISON_OPS: ReadonlySet<string> = new Set(["==", "!=", ">", "<", ">=", "<="]);
export const SET_OPS: ReadonlySet<string> = new Set(["and", "or", "unless"]);

/** Direct children, in source order. */
export function children(node: Expr): Expr[] {
  switch (node.type) {
    case "matrix":
      return [node.selector];
    case "subquery":
    case "unary":
    case "paren":
      return [node.expr];
    case "call":
    case "aggregate":
      return node.args;
    case "binary":
      return [node.lhs, node.rhs];
    default:
      return [];
  }
}

/** Visits every node, parents before children, with the chain of ancestors (nearest last). */
export function walk(node: Expr, visit: (node: Expr, ancestors: readonly Expr[]) => void, ancestors: Expr[] = []): void {
  visit(node, ancestors);
  ancestors.push(node);
  for (const child of children(node)) walk(child, visit, ancestors);
  ancestors.pop();
}

/** The expression inside any number of parentheses. */
export function unparen(node: Expr): Expr {
  while (node.type === "paren") node = node.expr;
  return node;
}
