/**
 * lezer-promql's syntax tree of an expression. The analyzer asks for the same text twice in a row
 * (syntax.ts for lezer's errors, then parser.ts to lower the tree), so the last tree is kept.
 */
import { parser } from "@prometheus-io/lezer-promql";

export type PromQLTree = ReturnType<typeof parser.parse>;
export type SyntaxNode = PromQLTree["topNode"];

let last: { text: string; tree: PromQLTree } | undefined;
let retained: Map<string, PromQLTree> | undefined;

export function promqlTree(text: string): PromQLTree {
  if (last?.text === text) {
    retained?.set(text, last.tree);
    return last.tree;
  }
  let tree = retained?.get(text);
  if (!tree) {
    tree = parser.parse(text);
    retained?.set(text, tree);
  }
  last = { text, tree };
  return tree;
}

/**
 * Keeps every tree parsed until the returned function is called. Validation parses each
 * expression twice otherwise: in its schema (the syntax check) and again in lint's analysis,
 * which at 1,000 services is half a second of parsing. The trees are small (lezer keeps them
 * in typed arrays), and dropped once validation is done.
 */
export function retainTrees(): () => void {
  const previous = retained;
  retained = new Map(previous);
  return () => {
    retained = previous;
  };
}
