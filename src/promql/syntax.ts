import { promqlTree } from "./tree.js";

/** A syntax error in a PromQL expression; `offset` is where it starts in the expression text. */
export interface PromQLSyntaxError {
  offset: number;
  /** Length of the unexpected token (0 when the expression ends too early). */
  length: number;
  message: string;
}

/** Syntax errors of an expression, as found by Prometheus' own lezer grammar (2.42). */
export function promqlSyntaxErrors(text: string): PromQLSyntaxError[] {
  const errors: PromQLSyntaxError[] = [];
  promqlTree(text).iterate({
    enter(node) {
      if (!node.type.isError) return;
      if (errors.some((e) => e.offset === node.from)) return;
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
