import { FUNCTIONS, NOT_FUNCTION_NAMES, unknownFunction } from "./functions.js";
import { promqlTree } from "./tree.js";

/** A syntax error in a PromQL expression; `offset` is where it starts in the expression text. */
export interface PromQLSyntaxError {
  offset: number;
  /** Length of the unexpected token (0 when the expression ends too early). */
  length: number;
  message: string;
  hint?: string;
}

/** Only whitespace and comments: what may sit between a function's name and its "(". */
const GAP = /^(?:\s|#[^\n]*)*$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Syntax errors of an expression, as found by Prometheus' own lezer grammar (2.42). */
export function promqlSyntaxErrors(text: string): PromQLSyntaxError[] {
  const errors: PromQLSyntaxError[] = [];
  /** The last token before the current node, comments aside. */
  let previous: { name: string; from: number; to: number } | undefined;
  promqlTree(text).iterate({
    enter(node) {
      if (!node.type.isError) {
        if (node.name !== "LineComment") previous = { name: node.name, from: node.from, to: node.to };
        return;
      }
      if (errors.some((e) => e.offset === node.from)) return;
      const call = misspeltCall(text, node.from, previous);
      if (call) {
        if (errors.every((e) => e.offset < call.offset)) errors.push(call);
        return;
      }
      // The whole token at the error: a word, a number or a run of operator characters.
      const found = /^(?:[\w.:]+|[^\s\w]+)/.exec(text.slice(node.from))?.[0] ?? "";
      const atEnd = node.from >= text.trimEnd().length;
      const message = atEnd
        ? "PromQL syntax error: the expression ends too early (an operand, a bracket or a brace is missing)"
        : `PromQL syntax error: unexpected ${JSON.stringify(found || text.charAt(node.from))}`;
      errors.push({ offset: node.from, length: atEnd ? 0 : Math.max(1, found.length), message });
    },
  });
  return errors;
}

/**
 * lezer-promql parses only the names of known functions as calls, so `rat(x)` fails at its "(";
 * Prometheus reads any name before "(" as a call and says the function is unknown. So does this,
 * at the name.
 */
function misspeltCall(text: string, at: number, previous: { name: string; from: number; to: number } | undefined): PromQLSyntaxError | undefined {
  if (text.charAt(at) !== "(" || previous?.name !== "Identifier" || previous.to > at || !GAP.test(text.slice(previous.to, at))) return undefined;
  const name = text.slice(previous.from, previous.to);
  // Names with a colon are metric names to Prometheus' lexer, never functions.
  if (!IDENTIFIER.test(name) || NOT_FUNCTION_NAMES.has(name.toLowerCase()) || FUNCTIONS.has(name)) return undefined;
  return { offset: previous.from, length: name.length, ...unknownFunction(name) };
}
