/**
 * The analyzer's AST (ast.ts) lowered from lezer-promql 0.42's syntax tree, shaped the way
 * Prometheus 2.42's own parser (promql/parser/generated_parser.y) shapes it.
 *
 * lezer's tree differs from Prometheus' where postfix operators and signs meet binary operators;
 * types computed on lezer's shape would be wrong, so the lowering rotates those subtrees:
 * - a range [5m], a subquery [5m:1m], offset and @ bind tighter than any operator in Prometheus,
 *   but lezer applies them to everything on their left: `up > -b[5m:1m]` is a subquery of the
 *   comparison in lezer and `up > -(b[5m:1m])` in Prometheus. The postfix moves onto the rightmost
 *   operand, and the operators after it re-associate by precedence (`a + b offset 1m * c` is
 *   `a + ((b offset 1m) * c)`, not lezer's `(a + b offset 1m) * c`).
 * - lezer reads the sign of `-1` as part of the number; Prometheus reads a unary minus, which
 *   binds looser than "^" and postfix operators: `-1 ^ 2` is -(1 ^ 2).
 * lezer also accepts expressions Prometheus rejects while parsing, so the checks Prometheus makes
 * are made here on the nodes' text: escapes, unterminated strings, durations, numbers, modifier
 * placement and repetition, "ranges only allowed for vector selectors", selectors matching every
 * series, a metric name set twice, keywords used as names, unknown functions, regexes.
 */
import type {
  AggregateExpr, AtModifier, BinaryExpr, Duration, Expr, Grouping, MatchOp, Matcher, Span, UnaryExpr, VectorMatching,
  VectorSelector,
} from "./ast.js";
import { parseDuration } from "./duration.js";
import { finding, type Finding } from "./finding.js";
import { FUNCTIONS, unknownFunction } from "./functions.js";
import { numberValue } from "./literals.js";
import { compileAnchored, matchesEmpty } from "./regex.js";
import { decodeString, isTerminated } from "./strings.js";
import { promqlSyntaxErrors } from "./syntax.js";
import { promqlTree, type PromQLTree, type SyntaxNode } from "./tree.js";

export interface ParseResult {
  expr?: Expr;
  findings: Finding[];
}

const PRECEDENCE: Record<string, number> = {
  or: 1, and: 2, unless: 2, "==": 3, "!=": 3, "<=": 3, "<": 3, ">=": 3, ">": 3, "+": 4, "-": 4, "*": 5, "/": 5, "%": 5, atan2: 5, "^": 6,
};
/** Unary + and - bind like "*" (generated_parser.y: %prec MUL): only "^" binds tighter. */
const UNARY_PRECEDENCE = PRECEDENCE["*"]!;
const WITH_PARAM = new Set(["topk", "bottomk", "quantile", "count_values"]);
/** Keywords of Prometheus' lexer that cannot name a metric; lezer reads "atan2" as a name. */
const NOT_METRIC_NAMES = new Set(["atan2", "bool", "group_left", "group_right", "ignoring", "on"]);
/** A sign, and whitespace or comments after it, in front of a number. */
const SIGN = /^([+-])(?:\s|#[^\n]*)*/;
const WORD_CHARACTER = /^[A-Za-z0-9_]$/;
const MAX_INT64 = 2 ** 63;

type BinaryOperator = Pick<BinaryExpr, "op" | "opSpan" | "bool" | "matching">;

class SyntaxFailure extends Error {
  constructor(readonly finding: Finding) {
    super(finding.message);
  }
}

/**
 * Parses `text`. `variables` maps the start offsets of Grafana variables substituted by
 * placeholders to the variables as written: they parse as values of any type.
 */
export function parsePromQL(text: string, variables: ReadonlyMap<number, string> = new Map()): ParseResult {
  const tree = promqlTree(text);
  const before = problemBeforeParsing(tree, text);
  if (before) return { findings: [before] };
  const findings: Finding[] = [];
  /** Whether any sign was read: only then is there anything for foldSigns() to do. */
  let signs = false;
  const source = (span: Span) => text.slice(span.from, span.to);
  const report = (code: string, span: Span, message: string, hint?: string) => findings.push(finding(code, span, message, hint));
  const fail = (span: Span, message: string): never => {
    throw new SyntaxFailure(finding("promql-syntax", span, `PromQL syntax error: ${message}`));
  };

  function lower(node: SyntaxNode): Expr {
    switch (node.name) {
      case "ParenExpr":
        return { type: "paren", expr: lower(kids(node)[0]!), from: node.from, to: node.to };
      case "NumberLiteral":
        return numberLiteral(node);
      case "StringLiteral":
        return { type: "string", value: checkedString(node).value, from: node.from, to: node.to };
      case "VectorSelector":
        return vectorSelector(node);
      case "FunctionCall":
        return call(node);
      case "AggregateExpr":
        return aggregate(node);
      case "BinaryExpr":
        return binaryExpr(node);
      case "UnaryExpr": {
        const [op, operand] = kids(node);
        signs = true;
        return unary(source(op!) as UnaryExpr["op"], lower(operand!), node.from);
      }
      case "MatrixSelector":
      case "SubqueryExpr":
        return range(node);
      case "OffsetExpr":
        return offset(node);
      case "StepInvariantExpr":
        return at(node);
      default:
        return fail(node, `unexpected ${JSON.stringify(source(node))}`);
    }
  }

  /** Children that carry meaning: comments may sit between any two tokens. */
  function kids(node: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let child = node.firstChild; child; child = child.nextSibling) if (child.name !== "LineComment") out.push(child);
    return out;
  }

  /** The sign as a unary operator: lezer's NumberLiteral includes it, Prometheus' grammar does not. */
  function numberLiteral(node: SyntaxNode): Expr {
    const sign = SIGN.exec(source(node));
    const from = node.from + (sign?.[0].length ?? 0);
    const digits = text.slice(from, node.to);
    const value = numberValue(digits);
    if (value === undefined) report("promql-syntax", { from, to: node.to }, `PromQL syntax error: "${digits}" is not a valid number`);
    const number: Expr = { type: "number", value: value ?? 0, from, to: node.to };
    if (sign) signs = true;
    return sign ? { type: "unary", op: sign[1] as UnaryExpr["op"], expr: number, from: node.from, to: node.to } : number;
  }

  function checkedString(node: SyntaxNode) {
    const decoded = decodeString(source(node));
    if (decoded.problem) {
      const { at, length, message } = decoded.problem;
      report("promql-syntax", { from: node.from + at, to: node.from + at + length }, `PromQL syntax error: ${message}`,
        'Valid escapes are \\a \\b \\f \\n \\r \\t \\v \\\\ \\" (\\\' in single quotes), \\NNN (octal), \\xNN, \\uNNNN, \\UNNNNNNNN; or use a `raw string`.');
    }
    return decoded;
  }

  function duration(node: SyntaxNode): Duration {
    const span = { from: node.from, to: node.to };
    if (variables.has(node.from)) return { ...span, ms: 0, variable: true };
    const parsed = parseDuration(source(node));
    if ("error" in parsed) {
      report("promql-syntax", span, `PromQL syntax error: ${parsed.error}`, "Durations look like 30s, 5m, 1h30m, 7d.");
      return { ...span, ms: 0, variable: false };
    }
    return { ...span, ms: parsed.ms, variable: false };
  }

  function groupingLabels(node: SyntaxNode): string[] {
    return kids(node).map((label) => {
      const name = source(label);
      // Prometheus' lexer reads these as numbers, even where a label name is expected.
      if (name.toLowerCase() === "inf" || name.toLowerCase() === "nan") fail(label, `unexpected ${JSON.stringify(name)}, expected a label name`);
      return variables.get(label.from) ?? name;
    });
  }

  function vectorSelector(node: SyntaxNode): Expr {
    let name: SyntaxNode | undefined;
    let braces: SyntaxNode | undefined;
    for (const child of kids(node)) {
      if (child.name === "Identifier") name = child;
      else braces = child;
    }
    if (name && NOT_METRIC_NAMES.has(source(name).toLowerCase())) fail(name, `unexpected ${JSON.stringify(source(name))}`);
    const variableName = name !== undefined && variables.has(name.from);
    // A variable standing alone is a value; one before {..}, [..], offset or @ names a metric (see postfix()).
    if (variableName && !braces) return { type: "variable", from: node.from, to: node.to };
    const matchers = braces ? kids(braces).map(matcher) : [];
    const selector: VectorSelector = {
      type: "selector", matchers, variableName, from: node.from, to: node.to,
      ...(name && { name: source(name), nameSpan: { from: name.from, to: name.to } }),
    };
    if (name && !variableName) {
      const second = matchers.find((m) => m.label === "__name__");
      if (second) report("promql-syntax", second.labelSpan, `the metric name is set twice: "${selector.name}" and __name__`, `Keep one: either ${selector.name}{...} or {__name__=...}.`);
    } else if (!name) {
      const selective = matchers.some((m) => matchesEmpty(m.op, m.value) === false || (m.op.includes("~") && !compileAnchored(m.value).ok));
      if (!selective) {
        report("promql-syntax", selector, "this selector matches every series: it needs a metric name or at least one matcher that does not match the empty string",
          'Add a metric name or a matcher such as job="api" or __name__=~"job:.+".');
      }
    }
    return selector;
  }

  function matcher(node: SyntaxNode): Matcher {
    const [label, op, value] = kids(node) as [SyntaxNode, SyntaxNode, SyntaxNode];
    const decoded = checkedString(value);
    const m: Matcher = {
      label: source(label), labelSpan: { from: label.from, to: label.to }, op: source(op) as MatchOp, value: decoded.value,
      valueSpan: { from: value.from, to: value.to }, from: node.from, to: node.to,
    };
    if ((m.op === "=~" || m.op === "!~") && !decoded.problem) {
      const compiled = decoded.invalidUtf8 ? { ok: false as const, error: "invalid UTF-8" } : compileAnchored(m.value);
      if (!compiled.ok) {
        report("invalid-regex", m.valueSpan, `invalid regular expression: ${compiled.error}`, "Prometheus uses RE2 syntax (no lookaround, no backreferences), anchored at both ends.");
      }
    }
    return m;
  }

  function call(node: SyntaxNode): Expr {
    const [identifier, body] = kids(node) as [SyntaxNode, SyntaxNode];
    const name = source(identifier);
    // lezer parses only known names as calls (syntax.ts reports the others); kept as a guard.
    if (!FUNCTIONS.has(name)) {
      const { message, hint } = unknownFunction(name);
      report("promql-syntax", identifier, message, hint);
    }
    return { type: "call", name, nameSpan: { from: identifier.from, to: identifier.to }, args: kids(body).map(lower), from: node.from, to: node.to };
  }

  function aggregate(node: SyntaxNode): Expr {
    let op: SyntaxNode | undefined;
    let args: Expr[] = [];
    let grouping: Grouping | undefined;
    for (const child of kids(node)) {
      if (child.name === "AggregateOp") op = child;
      else if (child.name === "FunctionCallBody") args = kids(child).map(lower);
      else {
        const [keyword, labels] = kids(child) as [SyntaxNode, SyntaxNode];
        grouping = { without: keyword.name === "Without", labels: groupingLabels(labels), from: child.from, to: child.to };
      }
    }
    const result: AggregateExpr = {
      type: "aggregate", op: source(op!).toLowerCase(), opSpan: { from: op!.from, to: op!.to }, args, ...(grouping && { grouping }),
      from: node.from, to: node.to,
    };
    const wanted = WITH_PARAM.has(result.op) ? 2 : 1;
    if (args.length !== wanted) {
      report("promql-type", result.opSpan, args.length === 0
        ? `"${result.op}" needs an expression to aggregate`
        : `"${result.op}" takes ${wanted} argument${wanted > 1 ? "s" : ""}, got ${args.length}`,
        WITH_PARAM.has(result.op) ? `Write ${result.op}(${result.op === "count_values" ? '"label"' : "N"}, expression).` : `Write ${result.op}(expression); use "by (...)" or "without (...)" to group.`);
    }
    return result;
  }

  function binaryExpr(node: SyntaxNode): Expr {
    const [lhsNode, opNode, ...rest] = kids(node) as [SyntaxNode, SyntaxNode, ...SyntaxNode[]];
    const lhs = lower(lhsNode);
    const operator: BinaryOperator = { op: source(opNode).toLowerCase(), opSpan: { from: opNode.from, to: opNode.to }, bool: false };
    for (const child of rest.slice(0, -1)) {
      if (child.name === "BoolModifier") operator.bool = true;
      else operator.matching = vectorMatching(child);
    }
    return binary(operator, lhs, lower(rest[rest.length - 1]!));
  }

  function vectorMatching(node: SyntaxNode): VectorMatching {
    const [on, labels, group, include] = kids(node) as [SyntaxNode, SyntaxNode, SyntaxNode?, SyntaxNode?];
    return {
      on: on.name === "On",
      labels: groupingLabels(labels),
      card: group === undefined ? "one-to-one" : group.name === "GroupLeft" ? "many-to-one" : "one-to-many",
      include: include ? groupingLabels(include) : [],
    };
  }

  /** Where the "[" of a range or subquery is: the first token after its operand. */
  function openingBracket(operand: SyntaxNode): number {
    let i = operand.to;
    for (;;) {
      const c = text.charAt(i);
      if (c === "#") while (i < text.length && text.charAt(i) !== "\n") i++;
      else if (c === " " || c === "\t" || c === "\n" || c === "\r") i++;
      else return i;
    }
  }

  function range(node: SyntaxNode): Expr {
    const [operandNode, rangeNode, stepNode] = kids(node) as [SyntaxNode, SyntaxNode, SyntaxNode?];
    const operand = lower(operandNode);
    const length = duration(rangeNode);
    const step = stepNode && duration(stepNode);
    if (node.name === "SubqueryExpr") {
      return postfix(operand, (expr) => ({ type: "subquery", expr, range: length, ...(step && { step }), from: expr.from, to: node.to }));
    }
    const brackets = { from: openingBracket(operandNode), to: node.to };
    const written = source(length);
    return postfix(operand, (expr) => {
      if (expr.type !== "selector") {
        report("promql-type", brackets, "a range [..] can only follow a metric selector",
          `To evaluate an expression over a range, use a subquery: (...)[${written}:1m].`);
      } else if (expr.offset) {
        report("promql-type", brackets, "the offset must come after the range", `Write x[${written}] offset ..., not x offset ...[${written}].`);
      } else if (expr.at) {
        report("promql-type", brackets, "the @ modifier must come after the range", `Write x[${written}] @ ..., not x @ ...[${written}].`);
      }
      return { type: "matrix", selector: expr, range: length, from: expr.from, to: node.to };
    });
  }

  function modifiable(expr: Expr, clause: Span, what: string): expr is Expr & { type: "selector" | "matrix" | "subquery" } {
    if (expr.type === "selector" || expr.type === "matrix" || expr.type === "subquery") return true;
    report("promql-type", clause, `the ${what} modifier must follow a metric selector, a range selector or a subquery`,
      `Move it next to the selector inside, e.g. rate(x[5m] ${what === "@" ? "@ end()" : "offset 1h"}).`);
    return false;
  }

  function offset(node: SyntaxNode): Expr {
    const children = kids(node);
    const operand = lower(children[0]!);
    const keyword = children[1]!;
    const negative = children[2]!.name === "Sub";
    const length = duration(children[children.length - 1]!);
    const clause = { from: keyword.from, to: length.to };
    return postfix(operand, (expr) => {
      if (!modifiable(expr, clause, "offset")) return expr;
      if (expr.offset) {
        report("promql-type", clause, "the offset is set twice", "Keep one offset, with the total duration.");
        return expr;
      }
      return { ...expr, offset: { ...clause, ms: negative ? -length.ms : length.ms, duration: length }, to: clause.to };
    });
  }

  function at(node: SyntaxNode): Expr {
    const [operandNode, sign, argument] = kids(node) as [SyntaxNode, SyntaxNode, SyntaxNode];
    const operand = lower(operandNode);
    let modifier: AtModifier;
    if (argument.name === "AtModifierPreprocessors") {
      modifier = { preprocessor: source(argument).toLowerCase() as "start" | "end", from: sign.from, to: node.to };
    } else {
      const signed = SIGN.exec(source(argument));
      const digits = text.slice(argument.from + (signed?.[0].length ?? 0), argument.to);
      const magnitude = numberValue(digits);
      if (magnitude === undefined) report("promql-syntax", argument, `PromQL syntax error: "${digits}" is not a valid number`);
      const value = (magnitude ?? 0) * (signed?.[1] === "-" ? -1 : 1);
      modifier = { timestamp: value, from: sign.from, to: argument.to };
      if (!Number.isFinite(value) || value >= MAX_INT64 || value <= -MAX_INT64) {
        report("promql-type", modifier, `the @ timestamp ${digits} is out of bounds`, "Use a Unix timestamp in seconds, e.g. @ 1609746000.");
      }
    }
    return postfix(operand, (expr) => {
      if (!modifiable(expr, modifier, "@")) return expr;
      if (expr.at) {
        report("promql-type", modifier, "the @ modifier is set twice", "Keep one @ modifier.");
        return expr;
      }
      return { ...expr, at: modifier, to: modifier.to };
    });
  }

  /**
   * Applies a postfix operator (range, subquery, offset, @) the way Prometheus binds it: to the
   * rightmost operand of what lezer gave it. A Grafana variable it applies to names a metric.
   */
  function postfix(operand: Expr, apply: (target: Expr) => Expr): Expr {
    if (operand.type === "binary") {
      const rhs = postfix(operand.rhs, apply);
      return { ...operand, rhs, to: rhs.to };
    }
    if (operand.type === "unary") {
      const inner = postfix(operand.expr, apply);
      return { ...operand, expr: inner, to: inner.to };
    }
    if (operand.type !== "variable") return apply(operand);
    const span = { from: operand.from, to: operand.to };
    return apply({ type: "selector", name: source(span), nameSpan: span, variableName: true, matchers: [], ...span });
  }

  try {
    const top = kids(tree.topNode);
    if (top.length !== 1) fail(top[1] ?? { from: 0, to: 0 }, "expected one expression");
    const expr = lower(top[0]!);
    return { expr: signs ? foldSigns(expr) : expr, findings };
  } catch (failure) {
    if (failure instanceof SyntaxFailure) return { findings: [...findings, failure.finding] };
    throw failure;
  }
}

/**
 * The first syntax error lezer finds; else the first token Prometheus' lexer rejects although
 * lezer reads it: an unterminated string (`"abc` is a string to the end of the line in lezer)
 * or a number or duration run into a word (`5mand` is "5m and" in lezer, a bad duration in Prometheus).
 */
function problemBeforeParsing(tree: PromQLTree, text: string): Finding | undefined {
  let lezer = false;
  let lexical: Finding | undefined;
  tree.iterate({
    enter(node) {
      if (lezer) return false;
      if (node.type.isError) {
        lezer = true;
        return false;
      }
      if (lexical) return undefined;
      if (node.name === "StringLiteral" && !isTerminated(text.slice(node.from, node.to))) {
        lexical = finding("promql-syntax", node, "PromQL syntax error: the quoted string is not terminated");
      } else if ((node.name === "NumberLiteral" || node.name === "Duration") && WORD_CHARACTER.test(text.charAt(node.to))) {
        const from = node.from + (SIGN.exec(text.slice(node.from, node.to))?.[0].length ?? 0);
        let to = node.to;
        while (WORD_CHARACTER.test(text.charAt(to))) to++;
        lexical = finding("promql-syntax", { from, to }, `PromQL syntax error: "${text.slice(from, to)}" is neither a number nor a duration`);
      }
      return undefined;
    },
  });
  if (!lezer) return lexical;
  const first = promqlSyntaxErrors(text)[0]!;
  return finding("promql-syntax", { from: first.offset, to: first.offset + first.length }, first.message, first.hint);
}

/**
 * `lhs op rhs` with Prometheus' precedence, given operands that are each right on their own:
 * an operand whose top operator binds looser than `op` (lezer's shape after a postfix rotation)
 * gives its nearer operand to `op`.
 */
function binary(operator: BinaryOperator, lhs: Expr, rhs: Expr): Expr {
  const precedence = PRECEDENCE[operator.op]!;
  if (lhs.type === "binary") {
    const left = PRECEDENCE[lhs.op]!;
    // "^" is right-associative: a ^ b ^ c is a ^ (b ^ c).
    if (left < precedence || (left === precedence && operator.op === "^")) return binary(operatorOf(lhs), lhs.lhs, binary(operator, lhs.rhs, rhs));
  }
  if (lhs.type === "unary" && precedence > UNARY_PRECEDENCE) return unary(lhs.op, binary(operator, lhs.expr, rhs), lhs.from);
  if (rhs.type === "binary") {
    const right = PRECEDENCE[rhs.op]!;
    if (right < precedence || (right === precedence && operator.op !== "^")) return binary(operatorOf(rhs), binary(operator, lhs, rhs.lhs), rhs.rhs);
  }
  return { type: "binary", ...operator, lhs, rhs, from: lhs.from, to: rhs.to };
}

/** `op expr` with Prometheus' precedence: the sign takes the nearest operand of a looser operator. */
function unary(op: UnaryExpr["op"], expr: Expr, from: number): Expr {
  if (expr.type === "binary" && PRECEDENCE[expr.op]! <= UNARY_PRECEDENCE) return binary(operatorOf(expr), unary(op, expr.lhs, from), expr.rhs);
  return { type: "unary", op, expr, from, to: expr.to };
}

function operatorOf(node: BinaryExpr): BinaryOperator {
  return { op: node.op, opSpan: node.opSpan, bool: node.bool, ...(node.matching && { matching: node.matching }) };
}

/**
 * A sign in front of a number literal becomes part of it, as in Prometheus' grammar. Done last,
 * once the rotations have decided what each sign applies to (-1 ^ 2 keeps its unary minus).
 */
function foldSigns(node: Expr): Expr {
  switch (node.type) {
    case "unary": {
      const expr = foldSigns(node.expr);
      if (expr.type === "number") return { ...expr, value: node.op === "-" ? -expr.value : expr.value, from: node.from };
      return { ...node, expr };
    }
    case "binary":
      return { ...node, lhs: foldSigns(node.lhs), rhs: foldSigns(node.rhs) };
    case "paren":
    case "subquery":
      return { ...node, expr: foldSigns(node.expr) };
    case "matrix":
      return { ...node, selector: foldSigns(node.selector) };
    case "call":
    case "aggregate":
      return { ...node, args: node.args.map(foldSigns) };
    default:
      return node;
  }
}
