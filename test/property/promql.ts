import { code, type Src } from "./source.js";

/** A declared metric of a generated service, with the variable that holds its handle. */
export interface MetricSpec {
  variable: string;
  kind: "counter" | "gauge" | "histogram" | "summary";
  name: string;
  labels: string[];
  buckets?: number[];
  help?: string;
  /** A gauge that is 0 or 1 (probe_success-like): usable as a probe SLI. */
  probe?: boolean;
}

export type Match = { op: "=" | "!=" | "=~" | "!~"; value: string };

/** A selector inside an expression: a metric, an optional series suffix, matchers in order. */
export interface SelectorPart {
  metric: MetricSpec;
  suffix?: "_bucket" | "_sum" | "_count";
  matchers: [string, Match][];
}

/** An expression: text around selectors, written as a plain string or as a `promql` template. */
export interface ExprSpec {
  parts: (string | SelectorPart)[];
  style: "string" | "template";
}

const renderMatch = ([label, m]: [string, Match]) => `${label}${m.op}${JSON.stringify(m.value)}`;

export function selectorText(s: SelectorPart): string {
  const name = s.metric.name + (s.suffix ?? "");
  return s.matchers.length ? `${name}{${s.matchers.map(renderMatch).join(", ")}}` : name;
}

/** The PromQL Vigil writes for the expression. */
export const exprText = (e: ExprSpec): string => e.parts.map((p) => (typeof p === "string" ? p : selectorText(p))).join("");

/** A matcher as `where()` takes it: a string, a RegExp, or `{ not: ... }`. */
function whereValue(m: Match): string {
  // JavaScript has no inline flags: "(?i)get" is written /get/i, which Vigil renders back as (?i)get.
  const insensitive = m.value.startsWith("(?i)");
  const regex = insensitive ? `new RegExp(${JSON.stringify(m.value.slice(4))}, "i")` : `new RegExp(${JSON.stringify(m.value)})`;
  const value = m.op.includes("~") ? regex : JSON.stringify(m.value);
  return m.op.startsWith("!") ? `{ not: ${value} }` : value;
}

function selectorCode(s: SelectorPart, bare = true): string {
  if (bare && s.matchers.length === 0 && !s.suffix) return s.metric.variable;
  const where = `${s.metric.variable}.where({ ${s.matchers.map(([l, m]) => `${l}: ${whereValue(m)}`).join(", ")} })`;
  return s.suffix ? `${where}.render(${JSON.stringify(s.suffix)})` : where;
}

const templateText = (text: string) => text.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/\$\{/g, "\\${");

/** The expression as monitor source: a string literal or a promql`...` template with `${selector}`s. */
export function exprSource(e: ExprSpec): Src {
  if (e.style === "string") return exprText(e);
  return code(`promql\`${e.parts.map((p) => (typeof p === "string" ? templateText(p) : `\${${selectorCode(p)}}`)).join("")}\``);
}

/** A selector alone (SLIs take selectors): the handle's `where()`, never a template. */
export const selectorSource = (s: Omit<SelectorPart, "suffix">): Src => code(selectorCode(s, false));
