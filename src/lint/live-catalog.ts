/**
 * `vigil lint --prometheus URL`: the metric and label names a running Prometheus knows, and the
 * names monitors use that it does not.
 *
 * What the server knows: metric names from /api/v1/metadata (with type and help, per metric
 * family as the targets expose them) union /api/v1/label/__name__/values (every series name,
 * including recording rules and series without metadata); label names from /api/v1/labels.
 * All three are Prometheus 2.x HTTP API endpoints that need no query.
 */
import { z } from "zod";
import { closeNames } from "../check/closest.js";
import { authorization, displayUrl, fetchFailure } from "../prometheus/http.js";

export interface LiveCatalog {
  /** Metric names the server has, with the type and help its metadata gives (when it has any). */
  metrics: Map<string, { type?: string; help?: string }>;
  /** Label names on any series. */
  labels: Set<string>;
}

export interface UsedMetric {
  metric: string;
  labels: string[];
  /** The kind the monitor declares, when it declares one: checked against the server's metadata. */
  type?: "counter" | "gauge" | "histogram" | "summary";
  /** Opaque to this module: returned as is in each problem about this use. */
  ref: number;
}

export interface LiveCatalogProblem {
  ref: number;
  code: "metric-not-in-prometheus" | "label-not-in-prometheus" | "metric-kind-mismatch";
  message: string;
  hint: string;
}

/** The server could not be asked: unreachable, an HTTP error, or an answer that is not the API's. */
export class LiveCatalogError extends Error {
  constructor(
    message: string,
    /** The server URL, without credentials. */
    readonly url: string,
    /** The API path that failed, e.g. `/api/v1/metadata`. */
    readonly endpoint: string,
  ) {
    super(message);
    this.name = "LiveCatalogError";
  }
}

export interface FetchLiveCatalogOptions {
  /** Injected for tests; the global fetch by default. */
  fetch?: typeof fetch;
  /** Per request; 10 s by default. */
  timeoutMs?: number;
  /** Extra request headers, e.g. `Authorization` from an environment variable; never printed. */
  headers?: Record<string, string>;
}

const apiAnswer = <T extends z.ZodType>(data: T) => z.object({ status: z.literal("success"), data });
const METADATA = apiAnswer(z.record(z.string(), z.array(z.object({ type: z.string().optional(), help: z.string().optional() }))));
const NAMES = apiAnswer(z.array(z.string()));



async function getJson<T extends z.ZodType>(base: string, endpoint: string, schema: T, options: FetchLiveCatalogOptions): Promise<z.infer<T>> {
  const shown = displayUrl(base);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const fail = (what: string): never => {
    throw new LiveCatalogError(`Prometheus at ${shown}: GET ${endpoint} ${what}`, shown, endpoint);
  };
  let target: string;
  try {
    // Without `user:password@`: fetch refuses such URLs (and would print them); they go as basic auth.
    target = new URL(`${new URL(base).pathname.replace(/\/+$/, "")}${endpoint}`, shown).toString();
  } catch {
    return fail(`cannot be sent: ${JSON.stringify(shown)} is not a URL (give one such as http://prometheus:9090)`);
  }
  const basic = authorization(base, undefined);
  const headers = { Accept: "application/json", ...(basic && { Authorization: basic }), ...options.headers };
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(target, { headers, signal: AbortSignal.timeout(timeoutMs) });
  } catch (failure) {
    const name = (failure as { name?: string })?.name;
    if (name === "TimeoutError" || name === "AbortError") return fail(`got no answer within ${timeoutMs} ms`);
    return fail(`failed: the server cannot be reached: ${fetchFailure(failure)}`);
  }
  const text = await response.text().catch(() => "");
  if (!response.ok) {
    let detail = text.trim().slice(0, 200);
    try {
      detail = (JSON.parse(text) as { error?: string }).error ?? detail;
    } catch {
      // Not JSON (e.g. a proxy's HTML page): its first characters say enough.
    }
    const auth = response.status === 401 || response.status === 403 ? " (the server wants credentials)" : "";
    return fail(`answered HTTP ${response.status}${auth}${detail ? `: ${detail}` : ""}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return fail(`answered something that is not JSON (${JSON.stringify(text.slice(0, 60))}...): is this the Prometheus URL?`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) return fail(`answered JSON that is not a Prometheus API answer: is this the Prometheus URL?`);
  return parsed.data;
}

/**
 * Reads the metric and label names of the Prometheus at `url` (a path prefix such as
 * `http://host/prometheus` is kept). Throws LiveCatalogError naming the URL and what failed.
 */
export async function fetchLiveCatalog(url: string, options: FetchLiveCatalogOptions = {}): Promise<LiveCatalog> {
  const [metadata, names, labels] = await Promise.all([
    getJson(url, "/api/v1/metadata", METADATA, options),
    getJson(url, "/api/v1/label/__name__/values", NAMES, options),
    getJson(url, "/api/v1/labels", NAMES, options),
  ]);
  const metrics: LiveCatalog["metrics"] = new Map();
  for (const name of Object.keys(metadata.data).sort()) {
    const entries = metadata.data[name]!;
    // Targets may disagree about a family: then the server does not know its type.
    const types = new Set(entries.map((e) => e.type).filter((t) => t && t !== "unknown"));
    const help = entries.find((e) => e.help)?.help;
    metrics.set(name, { ...(types.size === 1 && { type: [...types][0] }), ...(help && { help }) });
  }
  for (const name of [...names.data].sort()) if (!metrics.has(name)) metrics.set(name, {});
  return { metrics, labels: new Set(labels.data) };
}

/** Series a family of each type puts next to its own name. */
const FAMILY_SUFFIXES: Record<string, readonly string[]> = {
  counter: ["_total", "_created"],
  histogram: ["_bucket", "_sum", "_count", "_created"],
  gaugehistogram: ["_bucket", "_gsum", "_gcount"],
  summary: ["_sum", "_count", "_created"],
  info: ["_info"],
};
const ANY_SUFFIX = /(_total|_created|_bucket|_sum|_count|_gsum|_gcount|_info)$/;

/** The server's kinds that a declared kind matches (OpenMetrics has a few more). */
const COMPATIBLE: Record<NonNullable<UsedMetric["type"]>, readonly string[]> = {
  counter: ["counter"],
  gauge: ["gauge", "info", "stateset"],
  histogram: ["histogram", "gaugehistogram"],
  summary: ["summary"],
};

/** Where `name` is on the server: its own entry, its family's (x_bucket of histogram x), or the series of family x. */
function resolve(name: string, live: LiveCatalog): { found: boolean; type?: string } {
  const own = live.metrics.get(name);
  // A family name declared by a monitor (histogram x) whose series are x_bucket, x_sum, x_count.
  const seriesOfFamily = ["_bucket", "_sum", "_count", "_total"].some((s) => live.metrics.has(name + s));
  const base = name.replace(ANY_SUFFIX, "");
  const family = base !== name ? live.metrics.get(base) : undefined;
  const familyOwns = family?.type !== undefined && (FAMILY_SUFFIXES[family.type] ?? []).some((s) => name === base + s);
  if (own?.type) return { found: true, type: own.type };
  if (familyOwns) return { found: true, type: family!.type };
  if (own) return { found: true };
  if (seriesOfFamily) {
    const types = ["_bucket", "_sum", "_count", "_total"].map((s) => live.metrics.get(name + s)?.type).filter((t) => t !== undefined);
    return { found: true, ...(new Set(types).size === 1 && { type: types[0] }) };
  }
  return { found: false };
}


const didYouMean = (names: string[]) => (names.length > 0 ? `did you mean ${names.map((n) => JSON.stringify(n)).join(", ")}? ` : "");

/**
 * The names in `used` that the live server does not have, and declared kinds its metadata
 * contradicts. A label is checked only when its metric is found (a missing metric explains its
 * missing labels). In the order of `used`, deterministic.
 */
export function liveCatalogProblems(used: readonly UsedMetric[], live: LiveCatalog): LiveCatalogProblem[] {
  const problems: LiveCatalogProblem[] = [];
  for (const use of used) {
    const where = resolve(use.metric, live);
    if (!where.found) {
      problems.push({
        ref: use.ref,
        code: "metric-not-in-prometheus",
        message: `Prometheus has no series named ${JSON.stringify(use.metric)}`,
        hint: `${didYouMean(closeNames(use.metric, live.metrics.keys()))}Check the name, or whether the target that exposes it is scraped by this Prometheus.`,
      });
      continue;
    }
    if (use.type && where.type && !COMPATIBLE[use.type].includes(where.type)) {
      problems.push({
        ref: use.ref,
        code: "metric-kind-mismatch",
        message: `${JSON.stringify(use.metric)} is declared as a ${use.type}, but Prometheus' metadata says ${where.type}`,
        hint: `declare it with ${where.type === "info" || where.type === "stateset" ? "gauge" : where.type === "gaugehistogram" ? "histogram" : where.type}(...), or check that the name is the metric you mean`,
      });
    }
    for (const label of [...new Set(use.labels)].sort()) {
      if (live.labels.has(label)) continue;
      problems.push({
        ref: use.ref,
        code: "label-not-in-prometheus",
        message: `no series in Prometheus has a label ${JSON.stringify(label)} (used with ${JSON.stringify(use.metric)})`,
        hint: `${didYouMean(closeNames(label, live.labels))}Check the label name, or whether a relabelling rule drops or renames it.`,
      });
    }
  }
  return problems;
}
