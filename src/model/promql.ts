import { z } from "zod";
import { captureCallSite, type RawCallSite, CALL_SITE } from "./location.js";
import { isSelector, type Selector } from "./metric.js";
import { promqlSyntaxErrors } from "../promql/syntax.js";

const PROMQL = Symbol.for("vigil.promql");

/** A PromQL expression written with the `promql` tag: it knows where it was written. */
export interface PromQL {
  readonly [PROMQL]: true;
  readonly text: string;
  /** Offsets in `text` where each literal chunk of the template starts, to map errors back. */
  readonly chunks: readonly { offset: number; length: number }[];
  toString(): string;
}

/**
 * Tag for PromQL expressions: promql`sum(rate(${requests.where({ code: /5../ })}[5m]))`.
 * Interpolated values are rendered as they are (metric selectors render as `name{...}`).
 * The expression is parsed and checked at compile time, and errors point inside it.
 */
export function promql(strings: TemplateStringsArray, ...values: unknown[]): PromQL {
  let text = "";
  const chunks: { offset: number; length: number }[] = [];
  strings.raw.forEach((raw, i) => {
    const chunk = strings[i] ?? raw;
    chunks.push({ offset: text.length, length: chunk.length });
    text += chunk;
    if (i < values.length) text += String(values[i]);
  });
  const expr: PromQL = { [PROMQL]: true, text, chunks, toString: () => text };
  const site = captureCallSite();
  if (site) Object.defineProperty(expr, CALL_SITE, { value: site, enumerable: false });
  return expr;
}

export function isPromQL(value: unknown): value is PromQL {
  return typeof value === "object" && value !== null && (value as { [PROMQL]?: unknown })[PROMQL] === true;
}

export function promqlSite(value: PromQL): RawCallSite | undefined {
  return (value as unknown as { [CALL_SITE]?: RawCallSite })[CALL_SITE];
}

const anyExprSchema = z.union([
  z.string().min(1, { error: "the expression is empty" }),
  z.custom<PromQL>(isPromQL, { error: "expected a PromQL expression: a string or a promql`...` template" }),
  z.custom<Selector>(isSelector),
]);

export type ExprInput = z.input<typeof anyExprSchema>;

let syntaxChecking = true;

/**
 * Parses with the syntax check off: a service whose only schema problems are PromQL syntax errors
 * is still cross-checked and linted (its syntax errors reported once), so one typo does not hide
 * the rest of what is wrong with it.
 */
export function withoutSyntaxCheck<T>(run: () => T): T {
  syntaxChecking = false;
  try {
    return run();
  } finally {
    syntaxChecking = true;
  }
}

function syntaxChecked(skip: (text: string) => boolean) {
  return anyExprSchema.superRefine((value, ctx) => {
    if (!syntaxChecking) return;
    const text = exprText(value);
    if (text.trim() === "" || skip(text)) return;
    for (const problem of promqlSyntaxErrors(text).slice(0, 1)) {
      ctx.addIssue({ code: "custom", message: problem.message, params: { code: "promql-syntax", offset: problem.offset, ...(problem.hint && { hint: problem.hint }) } });
    }
  });
}

/** A PromQL expression: a plain string, a `promql` template, or a metric selector. Syntax-checked. */
export const exprSchema = syntaxChecked(() => false);

/**
 * A dashboard query: PromQL that may hold Grafana variables ($service, $__rate_interval),
 * which are not PromQL until Grafana expands them; those are left to Grafana.
 */
export const panelExprSchema = syntaxChecked((text) => text.includes("$"));

export function exprText(value: ExprInput): string {
  if (typeof value === "string") return value;
  return isPromQL(value) ? value.text : value.render();
}
