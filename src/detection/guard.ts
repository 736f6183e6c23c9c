import { formatDuration } from "../model/duration.js";
import { unparen, type Expr } from "../promql/ast.js";
import { splitCondition } from "./condition.js";
import { counterRateOf, pastName, readsNow } from "./counter.js";
import type { StepModel } from "./threshold.js";

/**
 * Conditions that filter an alert rather than trigger it: the right side of `and` ("and last
 * week's traffic was over 0.05/s"), the left side of `unless` a counter ("a queue holds
 * messages"). The detection time is the main condition's while they hold, which the runbook
 * states; a guard that reads the very counter the failure stops or drops may stop holding
 * because of it, so that is not assumed but left unknown.
 */

/** `a and b and c` as [a, b, c]; `and` is left-associative. */
export function andParts(node: Expr): Expr[] {
  const top = unparen(node);
  return top.type === "binary" && top.op === "and" ? [...andParts(top.lhs), top.rhs] : [top];
}

const WORDS: Record<string, string> = { ">": "over", ">=": "at least", "<": "under", "<=": "at most", "==": "equal to", "!=": "other than" };

/** Inline code that holds any text, backticks included (CommonMark: a longer fence, padded). */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return longest ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

/**
 * The guard in words: a rate in the past against a number as "last week's rate over 0.05/s",
 * anything else as its own text.
 */
export function guardText(guard: Expr, text: string): string {
  const condition = splitCondition(guard);
  const rate = "signal" in condition ? counterRateOf(condition.signal) : undefined;
  if ("signal" in condition && rate && rate.offsetMs > 0) {
    return `${pastName(rate.offsetMs, rate.fn)} ${WORDS[condition.op]} ${condition.threshold}${rate.fn === "rate" ? "/s" : ` per ${formatDuration(rate.windowMs)}`}`;
  }
  return `${code(text.slice(guard.from, guard.to).trim())} holding`;
}

/** The model with its guards taken to hold, in order, or why one cannot be. */
export function withGuards(model: StepModel | { reason: string }, guards: readonly Expr[], text: string, role: string): StepModel | { reason: string } {
  if ("reason" in model) return model;
  const assuming = [...(model.assuming ?? [])];
  for (const guard of guards) {
    const source = code(text.slice(guard.from, guard.to).trim());
    if (model.stops && readsNow(guard, model.stops)) return { reason: `${role} ${source} reads ${model.stops}, which the failure stops: it cannot be taken to hold` };
    assuming.push(`${guardText(guard, text)} (${role})`);
  }
  return { ...model, assuming };
}
