import { isPromQL } from "../model/promql.js";
import { isSelector, renderSelector, type Selector } from "../model/metric.js";
import type { Sli } from "../model/slo.js";

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

/** The `le` matcher of a bucket bound; whole numbers match both "1" (Go) and "1.0" (Python clients). */
export function leMatcher(threshold: number): string {
  return Number.isInteger(threshold) ? `le=~"${threshold}(\\\\.0)?"` : `le="${threshold}"`;
}

export function sliQueries(sli: Sli, groupBy: readonly string[]): SliQueries {
  if ("errors" in sli) {
    const errors = eventRate(sli.errors, groupBy);
    const total = eventRate(sli.total, groupBy);
    return { kind: "ratio", errorRatio: (w) => `(${errors(w)}) / (${total(w)})`, events: { errors, total } };
  }
  if ("good" in sli) {
    const good = eventRate(sli.good, groupBy);
    const total = eventRate(sli.total, groupBy);
    return {
      kind: "ratio",
      errorRatio: (w) => `1 - ((${good(w)}) / (${total(w)}))`,
      events: { errors: (w) => `(${total(w)}) - (${good(w)})`, total },
    };
  }
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
