import type { Span } from "./ast.js";

/** One problem in an expression; offsets are character offsets into the analysed text. */
export interface Finding {
  code: string;
  message: string;
  hint?: string;
  offset: number;
  length: number;
}

export function finding(code: string, span: Span, message: string, hint?: string): Finding {
  return { code, message, ...(hint !== undefined && { hint }), offset: span.from, length: Math.max(0, span.to - span.from) };
}
