import { formatFixed, formatValue, humanize, humanizeDuration, humanizePercentage } from "./gofmt.js";

/** What an alert's annotation templates see: its labels and its value. */
export interface TemplateData {
  labels: Record<string, string>;
  value: number | undefined;
}

const FUNCTIONS: Record<string, (v: number) => string> = { humanize, humanizeDuration, humanizePercentage };

/** One `{{ ... }}` action, or undefined when it is not in the subset Vigil can evaluate. */
function action(body: string, data: TemplateData): string | undefined {
  const text = body.trim();
  const label = /^\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)$/.exec(text);
  if (label) return data.labels[label[1]!] ?? "";
  if (data.value === undefined) return undefined;
  if (text === "$value") return formatValue(data.value);
  const piped = /^\$value\s*\|\s*(\w+)$/.exec(text) ?? /^(\w+)\s+\$value$/.exec(text);
  if (piped && FUNCTIONS[piped[1]!]) return FUNCTIONS[piped[1]!]!(data.value);
  const printf = /^printf\s+"%\.(\d+)f"\s+\$value$/.exec(text);
  if (printf) return formatFixed(data.value, Number(printf[1]));
  return undefined;
}

/**
 * Expands the subset of Go templates that alert annotations mostly use ($labels.x, $value,
 * humanize, humanizeDuration, humanizePercentage, printf "%.Nf"), as Prometheus 2.42 prints
 * them; undefined when the text uses anything else.
 */
export function renderTemplate(template: string, data: TemplateData): string | undefined {
  let failed = false;
  const out = template.replace(/\{\{-?([\s\S]*?)-?\}\}/g, (_, body: string) => {
    const result = action(body, data);
    if (result === undefined) failed = true;
    return result ?? "";
  });
  return failed ? undefined : out;
}

/** The template reads $value. */
export const usesValue = (template: string) => /\$value\b/.test(template);
