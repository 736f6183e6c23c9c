/**
 * lezer-promql's syntax tree of an expression. The analyzer asks for the same text twice in a row
 * (syntax.ts for lezer's errors, then parser.ts to lower the tree), so the last tree is kept.
 */
import { parser } from "@prometheus-io/lezer-promql";

export type PromQLTree = ReturnType<typeof parser.parse>;
export type SyntaxNode = PromQLTree["topNode"];

let last: { text: string; tree: PromQLTree } | undefined;

export function promqlTree(text: string): PromQLTree {
  if (last?.text !== text) last = { text, tree: parser.parse(text) };
  return last.tree;
}
