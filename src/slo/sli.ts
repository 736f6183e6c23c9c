import { isPromQL } from "../model/promql.js";
import { isSelector, renderSelector, type Selector } from "../model/metric.js";
import type { Sli } from "../model/slo.js";
import { unparen } from "../promql/ast.js";
import { parsePromQL } from "../promql/parser.js";

export type SliKind = "ratio" | "latency" | "raw" | "probe";

/** The PromQL of an SLI for any window: its error ratio and, where it counts events, their rates. */
export interface SliQueries {
  kind: SliKind;
  errorRatio(window: string): string;
  /** Failed and all events per second over a window (ratio and latency SLIs). */
  events?: { errors(window: string): string; total(window: string): string };
}

/** Where the range goes in SLI PromQL: `{{window}}` (Sloth's `{{.window}}` too). */
export const WINDOW_PLACEHOLDER = /\{\{\s*\.?window\s*\}\}/g;

/** The text with `{{window}}` as a valid range of the same length ("5m" and spaces), so offsets into it still hold. */
export function withSameLengthWindow(text: string): string {
  return text.replace(WINDOW_PLACEHOLDER, (placeholder) => "5m".padEnd(placeholder.length, " "));
}

export function fillWindow(text: string, window: string): string {
  return text.replace(WINDOW_PLACEHOLDER, window);
}

export function hasWindow(text: string): boolean {
  return new RegExp(WINDOW_PLACEHOLDER.source).test(text);
}

const sumBy = (groupBy: readonly string[], inner: string) => (groupBy.length ? `sum by (${groupBy.join(", ")}) (${inner})` : `sum(${inner})`);

/** A selector's rate summed by the SLO's groups, or the user's PromQL with the window filled in. */
function eventRate(events: unknown, groupBy: readonly string[]): (window: string) => string {
  if (isSelector(events)) return (window) => sumBy(groupBy, `rate(${events.render()}[${window}])`);
  const text = isPromQL(events) ? events.text : String(events);
  return (window) => fillWindow(text, window);
}

/** Aggregations whose result is labelled with exactly their `by` labels (not topk, count_values...). */
const BY_LABELS_ONLY = new Set(["sum", "avg", "min", "max", "count", "group", "stddev", "stdvar", "quantile"]);

/**
 * The labels events come with, as a key: a selector's are the SLO's groups (it is summed by them);
 * PromQL's are known only when it is one aggregation by labels, e.g. `sum by (a, b) (...)`.
 */
function outputLabels(events: unknown, groupBy: readonly string[]): string | undefined {
  const key = (labels: readonly string[]) => JSON.stringify([...new Set(labels)].sort());
  if (isSelector(events)) return key(groupBy);
  const expr = parsePromQL(withSameLengthWindow(isPromQL(events) ? events.text : String(events))).expr;
  const top = expr && unparen(expr);
  if (top?.type !== "aggregate" || !BY_LABELS_ONLY.has(top.op) || top.grouping?.without) return undefined;
  return key(top.grouping?.labels ?? []);
}

/**
 * The events of one side of a ratio, or 0 for every group of `total` where that side has no
 * series. Client libraries create a labelled series on its first increment, so until a service
 * fails once, http_requests_total{code="500"} does not exist: `errors / total` would be empty,
 * not 0, and so would every series and status built on it. `or` matches on the full label set,
 * so both sides must be labelled alike: selectors are, summed by the SLO's groups; PromQL gets the
 * fallback only when both sides aggregate by the same labels, and is otherwise left as written.
 */
function orZero(part: unknown, total: unknown, groupBy: readonly string[]): (window: string) => string {
  const events = eventRate(part, groupBy);
  const labels = outputLabels(part, groupBy);
  if (labels === undefined || labels !== outputLabels(total, groupBy)) return events;
  const all = eventRate(total, groupBy);
  // The author's PromQL goes in parentheses: it may hold operators that bind looser than `or`.
  const operand = (side: unknown, text: string) => (isSelector(side) ? text : `(${text})`);
  return (w) => `${operand(part, events(w))} or 0 * ${operand(total, all(w))}`;
}

/** The `le` matcher of a bucket bound; whole numbers match both "1" (Go) and "1.0" (Python clients). */
export function leMatcher(threshold: number): string {
  return Number.isInteger(threshold) ? `le=~"${threshold}(\\\\.0)?"` : `le="${threshold}"`;
}

export function sliQueries(sli: Sli, groupBy: readonly string[]): SliQueries {
  if ("errors" in sli) {
    const errors = orZero(sli.errors, sli.total, groupBy);
    const total = eventRate(sli.total, groupBy);
    return { kind: "ratio", errorRatio: (w) => `(${errors(w)}) / (${total(w)})`, events: { errors, total } };
  }
  if ("good" in sli) {
    // No good series while there is traffic: every event failed (error ratio 1).
    const good = orZero(sli.good, sli.total, groupBy);
    const total = eventRate(sli.total, groupBy);
    return {
      kind: "ratio",
      errorRatio: (w) => `1 - ((${good(w)}) / (${total(w)}))`,
      events: { errors: (w) => `(${total(w)}) - (${good(w)})`, total },
    };
  }
  // A classic histogram exposes every bucket with its _count, so the bucket is there whenever the
  // count is: no fallback, which would only turn a wrong `le` into a 100% error ratio.
  if ("latency" in sli) {
    const histogram = sli.latency as Selector;
    const matchers = histogram.matchers as Record<string, never>;
    const good = (w: string) => sumBy(groupBy, `rate(${renderSelector(`${histogram.metric}_bucket`, matchers, [leMatcher(sli.threshold)])}[${w}])`);
    const total = (w: string) => sumBy(groupBy, `rate(${renderSelector(`${histogram.metric}_count`, matchers)}[${w}])`);
    return {
      kind: "latency",
      errorRatio: (w) => `1 - ((${good(w)}) / (${total(w)}))`,
      events: { errors: (w) => `(${total(w)}) - (${good(w)})`, total },
    };
  }
  if ("errorRatio" in sli) {
    const text = isPromQL(sli.errorRatio) ? sli.errorRatio.text : sli.errorRatio;
    return { kind: "raw", errorRatio: (w) => fillWindow(text, w) };
  }
  const probe = isSelector(sli.probe) ? sli.probe.render() : isPromQL(sli.probe) ? sli.probe.text : sli.probe;
  const avg = groupBy.length ? `avg by (${groupBy.join(", ")})` : "avg";
  return { kind: "probe", errorRatio: (w) => `1 - ${avg} (avg_over_time(${probe}[${w}]))` };
}
