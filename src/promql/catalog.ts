/** What the analyzer knows about metrics: declared, recorded, Prometheus' own, and external ones. */

export type MetricKind = "counter" | "gauge" | "histogram" | "summary" | "unknown";

export interface CatalogEntry {
  kind: MetricKind;
  /** Declared label names; undefined = any label allowed. */
  labels?: readonly string[];
  origin: "declared" | "recorded" | "builtin" | "external";
}

export interface Catalog {
  lookup(name: string): CatalogEntry | undefined;
}

const ANY_LABEL = undefined;
const BUILTINS: ReadonlyMap<string, CatalogEntry> = new Map<string, CatalogEntry>([
  // Series Prometheus writes for every scrape target: only the target labels.
  ["up", { kind: "gauge", labels: [], origin: "builtin" }],
  ["scrape_duration_seconds", { kind: "gauge", labels: [], origin: "builtin" }],
  ["scrape_samples_scraped", { kind: "gauge", labels: [], origin: "builtin" }],
  ["scrape_samples_post_metric_relabeling", { kind: "gauge", labels: [], origin: "builtin" }],
  ["scrape_series_added", { kind: "gauge", labels: [], origin: "builtin" }],
  // Alert series carry alertname, alertstate and every label of the alert.
  ["ALERTS", { kind: "gauge", labels: ANY_LABEL, origin: "builtin" }],
  ["ALERTS_FOR_STATE", { kind: "gauge", labels: ANY_LABEL, origin: "builtin" }],
]);

/** The series every Prometheus server has, whatever it scrapes. */
export function builtinCatalog(): Catalog {
  return { lookup: (name) => BUILTINS.get(name) };
}

/** A catalog from a plain map or record of entries. */
export function catalogOf(entries: ReadonlyMap<string, CatalogEntry> | Readonly<Record<string, CatalogEntry>>): Catalog {
  const map = entries instanceof Map ? entries : new Map(Object.entries(entries));
  return { lookup: (name) => map.get(name) };
}

/** The series a selector's metric name stands for, resolved against the catalog. */
export interface ResolvedSeries {
  /** The metric family: "x" for x_bucket, x_sum, x_count of a histogram or summary x. */
  family: string;
  entry: CatalogEntry;
  /** Which series of the family: the plain metric, or a histogram/summary suffix. */
  part: "plain" | "bucket" | "sum" | "count";
  /** Labels a matcher may use (undefined: any). */
  labels?: ReadonlySet<string>;
}

const SUFFIXES = [["_bucket", "bucket"], ["_sum", "sum"], ["_count", "count"]] as const;

export function resolveSeries(name: string, catalog: Catalog): ResolvedSeries | undefined {
  const lookup = (n: string) => catalog.lookup(n) ?? BUILTINS.get(n);
  const direct = lookup(name);
  if (direct) {
    const extra = direct.kind === "summary" ? ["quantile"] : [];
    return { family: name, entry: direct, part: "plain", ...labelsOf(direct, extra) };
  }
  for (const [suffix, part] of SUFFIXES) {
    if (!name.endsWith(suffix)) continue;
    const family = name.slice(0, -suffix.length);
    const entry = lookup(family);
    if (!entry) continue;
    if (entry.kind === "histogram") return { family, entry, part, ...labelsOf(entry, part === "bucket" ? ["le"] : []) };
    if (entry.kind === "summary" && part !== "bucket") return { family, entry, part, ...labelsOf(entry, []) };
  }
  return undefined;
}

function labelsOf(entry: CatalogEntry, extra: readonly string[]): { labels?: ReadonlySet<string> } {
  return entry.labels === undefined ? {} : { labels: new Set([...entry.labels, ...extra]) };
}
