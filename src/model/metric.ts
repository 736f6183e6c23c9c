import { z } from "zod";
import { labelNameSchema, metricNameSchema } from "./names.js";

export const metricKinds = ["counter", "gauge", "histogram", "summary"] as const;

/** A metric the service exposes: its name, kind, help text and label names. */
export const metricSchema = z.object({
  /** Metric name as exposed, e.g. "http_requests_total". */
  name: metricNameSchema,
  /** Counter, gauge, histogram or summary. */
  kind: z.enum(metricKinds),
  /** What the metric measures, as in its `# HELP` line. */
  help: z.string().optional(),
  /** Label names the metric carries (target labels such as `job` and `instance` come on top). */
  labels: z.array(labelNameSchema).default([]),
  /** Histogram bucket upper bounds (`le`), ascending. */
  buckets: z.array(z.number().positive()).optional(),
  /** Unit of the value, e.g. "seconds", "bytes" (used for dashboard units). */
  unit: z.string().optional(),
});

export type Metric = z.infer<typeof metricSchema>;
export type MetricKind = Metric["kind"];

/** Options common to every metric handle. */
export interface MetricOptions<L extends string> {
  /** What the metric measures, as in its `# HELP` line. */
  help?: string;
  /** Label names the metric carries; `where()` accepts these and the target labels `job` and `instance`. */
  labels?: readonly L[];
  /** Unit of the value, e.g. "seconds", "bytes", "requests". */
  unit?: string;
}

export interface HistogramOptions<L extends string> extends MetricOptions<L> {
  /** Bucket upper bounds (`le`), ascending; latency SLO thresholds must be one of them. */
  buckets: readonly number[];
}

/** A label value to match: a string for `=`, a RegExp for `=~`, `{ not: ... }` for `!=` / `!~`. */
export type LabelMatch = string | RegExp | { not: string | RegExp };

const SELECTOR = Symbol.for("vigil.selector");

/** A metric with label matchers; renders as `name{label="value"}` inside PromQL. */
export interface Selector<L extends string = string> {
  readonly [SELECTOR]: true;
  readonly metric: string;
  readonly kind: MetricKind;
  readonly matchers: Readonly<Partial<Record<L, LabelMatch>>>;
  /** The selector as PromQL, with an optional name suffix such as "_bucket". */
  render(suffix?: string): string;
  toString(): string;
}

/** Labels Prometheus attaches to every scraped series, whatever the metric declares. */
export type TargetLabel = "job" | "instance";

/** A declared metric that knows its label names. */
export type MetricHandle<L extends string, K extends MetricKind = MetricKind> = Metric & {
  readonly kind: K;
  readonly labels: L[];
  /** Selects this metric with label matchers: `requests.where({ code: /5../ })`. */
  where(matchers: Partial<Record<L | TargetLabel, LabelMatch>>): Selector<L | TargetLabel>;
  toString(): string;
};

export function isSelector(value: unknown): value is Selector {
  return typeof value === "object" && value !== null && (value as { [SELECTOR]?: unknown })[SELECTOR] === true;
}

/** A RegExp as RE2 text: the flags RE2 knows become inline flags, e.g. /abc/i is "(?i)abc". */
function regexText(regex: RegExp): string {
  const flags = [...regex.flags].filter((f) => "ims".includes(f)).join("");
  return flags ? `(?${flags})${regex.source}` : regex.source;
}

function renderMatcher(label: string, match: LabelMatch): string {
  const negate = typeof match === "object" && !(match instanceof RegExp);
  const value = negate ? match.not : match;
  const op = value instanceof RegExp ? (negate ? "!~" : "=~") : negate ? "!=" : "=";
  const text = value instanceof RegExp ? regexText(value) : value;
  return `${label}${op}${JSON.stringify(text)}`;
}

/** `name{label="value", ...}`, with extra matchers already rendered (e.g. `le="0.3"`) at the end. */
export function renderSelector(name: string, matchers: Readonly<Record<string, LabelMatch | undefined>>, extra: readonly string[] = []): string {
  const parts = [
    ...Object.entries(matchers)
      .filter((entry): entry is [string, LabelMatch] => entry[1] !== undefined)
      .map(([label, m]) => renderMatcher(label, m)),
    ...extra,
  ];
  return parts.length ? `${name}{${parts.join(", ")}}` : name;
}

function selector<L extends string>(metric: Metric, matchers: Partial<Record<L, LabelMatch>>): Selector<L> {
  const render = (suffix = "") => renderSelector(`${metric.name}${suffix}`, matchers as Record<string, LabelMatch>);
  return { [SELECTOR]: true, metric: metric.name, kind: metric.kind, matchers, render, toString: () => render() };
}

function handle<L extends string, K extends MetricKind>(kind: K, name: string, options: MetricOptions<L> & { buckets?: readonly number[] }): MetricHandle<L, K> {
  const metric = {
    name,
    kind,
    help: options.help,
    labels: [...(options.labels ?? [])],
    buckets: options.buckets ? [...options.buckets] : undefined,
    unit: options.unit,
  };
  // Methods are not enumerable so that the handle serialises as plain metric data.
  Object.defineProperty(metric, "where", { value: (m: Partial<Record<L | TargetLabel, LabelMatch>>) => selector(metric as Metric, m), enumerable: false });
  Object.defineProperty(metric, "toString", { value: () => name, enumerable: false });
  return metric as unknown as MetricHandle<L, K>;
}

/** A counter: a value that only goes up (`_total`). Query it with rate() or increase(). */
export function counter<const L extends string = never>(name: string, options: MetricOptions<L> = {}): MetricHandle<L, "counter"> {
  return handle("counter", name, options);
}

/** A gauge: a value that goes up and down (queue depth, memory in use). */
export function gauge<const L extends string = never>(name: string, options: MetricOptions<L> = {}): MetricHandle<L, "gauge"> {
  return handle("gauge", name, options);
}

/** A histogram: `_bucket{le}`, `_sum` and `_count` series; declare its buckets. */
export function histogram<const L extends string = never>(name: string, options: HistogramOptions<L>): MetricHandle<L, "histogram"> {
  return handle("histogram", name, options);
}

/** A summary: precomputed quantiles plus `_sum` and `_count`. */
export function summary<const L extends string = never>(name: string, options: MetricOptions<L> = {}): MetricHandle<L, "summary"> {
  return handle("summary", name, options);
}
