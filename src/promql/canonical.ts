/**
 * One spelling per meaning, for duplicate detection: whitespace, comments, keyword case, the
 * place of "by (...)", label order in matchers and groupings, number and duration spellings,
 * and quote styles do not change it. Parentheses are kept as written.
 */
import type { Duration, Expr, Modifiers, Span } from "./ast.js";
import { formatDuration } from "./duration.js";
import { quoteString } from "./strings.js";

/** `original` gives the analysed text of a span, to print Grafana variables as they were written. */
export function canonicalText(root: Expr, original: (span: Span) => string): string {
  const duration = (d: Duration) => (d.variable ? original(d) : formatDuration(d.ms));
  const labels = (names: readonly string[]) => `(${[...names].sort().join(", ")})`;
  const modifiers = (node: Modifiers) => {
    let out = "";
    if (node.at) out += node.at.preprocessor ? ` @ ${node.at.preprocessor}()` : ` @ ${number(node.at.timestamp!)}`;
    if (node.offset) out += ` offset ${node.offset.ms < 0 ? "-" : ""}${duration(node.offset.duration)}`;
    return out;
  };

  function print(node: Expr): string {
    switch (node.type) {
      case "number":
        return number(node.value);
      case "string":
        return quoteString(node.value);
      case "variable":
        return original(node);
      case "selector": {
        const name = node.name === undefined ? "" : node.variableName ? original(node.nameSpan!) : node.name;
        const matchers = node.matchers.map((m) => `${m.label}${m.op}${quoteString(m.value)}`).sort();
        return `${name}${matchers.length > 0 || !name ? `{${matchers.join(", ")}}` : ""}${modifiers(node)}`;
      }
      case "matrix":
        return `${print(node.selector)}[${duration(node.range)}]${modifiers(node)}`;
      case "subquery":
        return `${print(node.expr)}[${duration(node.range)}:${node.step ? duration(node.step) : ""}]${modifiers(node)}`;
      case "call":
        return `${node.name}(${node.args.map(print).join(", ")})`;
      case "aggregate": {
        const grouping = node.grouping ? ` ${node.grouping.without ? "without" : "by"} ${labels(node.grouping.labels)}` : "";
        return `${node.op}${grouping}${grouping ? " " : ""}(${node.args.map(print).join(", ")})`;
      }
      case "binary": {
        let modifier = node.bool ? "bool " : "";
        const m = node.matching;
        if (m) {
          modifier += `${m.on ? "on" : "ignoring"}${labels(m.labels)} `;
          if (m.card !== "one-to-one") modifier += `${m.card === "many-to-one" ? "group_left" : "group_right"}${labels(m.include)} `;
        }
        return `${print(node.lhs)} ${node.op} ${modifier}${print(node.rhs)}`;
      }
      case "unary":
        return `${node.op}${print(node.expr)}`;
      case "paren":
        return `(${print(node.expr)})`;
    }
  }

  return print(root);
}

function number(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}
