/**
 * The I/O of backtest and tune: range queries against a Prometheus HTTP API
 * (`POST /api/v1/query_range`), split into pieces of at most 11,000 points, with the pieces'
 * results joined per label set. A token, when given, goes in a header and is never printed.
 */
import { chunkRange, MAX_POINTS } from "./chunks.js";
import type { Series } from "./replay.js";
import { authorization, displayUrl, fetchFailure, sampleValue } from "../prometheus/http.js";

export interface RangeRequest {
  startMs: number;
  endMs: number;
  stepMs: number;
}

/** Every label set the expression returned over the range, `__name__` dropped (as an alert does). */
export type RangeQuery = (expr: string, range: RangeRequest) => Promise<Series[]>;

/** Prometheus could not be asked, or refused the query. */
export class PrometheusQueryError extends Error {
  constructor(message: string, readonly hint: string) {
    super(message);
    this.name = "PrometheusQueryError";
  }
}

export interface PrometheusClientOptions {
  /** Base URL, e.g. `http://127.0.0.1:9090` (a path prefix is kept; `user:password@` is sent as basic auth). */
  url: string;
  /** Sent as `Authorization: Bearer ...`; never printed. */
  token?: string;
  /** Most evaluation times per request; Prometheus allows 11,000. Smaller in tests. */
  maxPoints?: number;
  /** Per request; 60 s by default (a week of a heavy expression takes a while). */
  timeoutMs?: number;
  /** Called after each piece, for a progress bar. */
  onChunk?: () => void;
  /** Injected for tests; the global fetch by default. */
  fetch?: typeof fetch;
}


interface ApiAnswer {
  status?: string;
  error?: string;
  errorType?: string;
  data?: { resultType?: string; result?: { metric: Record<string, string>; values: [number, string][] }[] };
}

export function prometheusRangeQuery(options: PrometheusClientOptions): RangeQuery {
  const shown = displayUrl(options.url.replace(/\/+$/, ""));
  const doFetch = options.fetch ?? fetch;
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" };
  // fetch refuses a URL with credentials: they travel in the header, the request goes to the bare URL.
  const auth = authorization(options.url, options.token);
  if (auth) headers.Authorization = auth;

  return async (expr, range) => {
    const joined = new Map<string, Series>();
    for (const chunk of chunkRange(range.startMs, range.endMs, range.stepMs, options.maxPoints ?? MAX_POINTS)) {
      const body = new URLSearchParams({ query: expr, start: seconds(chunk.startMs), end: seconds(chunk.endMs), step: seconds(range.stepMs) });
      let status: number;
      let text: string;
      try {
        const response = await doFetch(`${shown}/api/v1/query_range`, { method: "POST", headers, body: body.toString(), signal: AbortSignal.timeout(options.timeoutMs ?? 60_000) });
        status = response.status;
        text = await response.text();
      } catch (failure) {
        throw new PrometheusQueryError(`cannot reach Prometheus at ${shown}: ${fetchFailure(failure)}`, "check the URL (--prometheus or $VIGIL_PROMETHEUS_URL) and that Prometheus is running");
      }
      let answer: ApiAnswer;
      try {
        answer = JSON.parse(text) as ApiAnswer;
      } catch {
        throw new PrometheusQueryError(`${shown}/api/v1/query_range answered HTTP ${status} with something that is not JSON: ${text.slice(0, 200)}`, "pass the base URL of Prometheus (the one serving /api/v1/)");
      }
      if (status === 401 || status === 403) throw new PrometheusQueryError(`${shown} refused the query (HTTP ${status})`, "set $VIGIL_PROMETHEUS_TOKEN to a bearer token Prometheus accepts");
      if (answer.status !== "success" || answer.data?.resultType !== "matrix") {
        throw new PrometheusQueryError(`${shown} could not evaluate ${expr}: ${answer.errorType ?? `HTTP ${status}`}: ${answer.error ?? "unexpected answer"}`, "run the expression in the Prometheus UI to see why");
      }
      for (const { metric, values } of answer.data.result ?? []) {
        const { __name__: _name, ...labels } = metric;
        const key = JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]));
        let series = joined.get(key);
        if (!series) joined.set(key, (series = { labels, timestamps: [], values: [] }));
        for (const [t, v] of values) {
          series.timestamps.push(Math.round(t * 1000));
          series.values.push(sampleValue(v));
        }
      }
      options.onChunk?.();
    }
    return [...joined.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, series]) => ascending(series));
  };
}

/**
 * Two results that differ only in their metric name are one alert instance; their samples come
 * interleaved. Sorted, with a time listed twice kept once.
 */
function ascending(series: Series): Series {
  const t = series.timestamps;
  if (t.every((x, i) => i === 0 || t[i - 1]! < x)) return series;
  const order = t.map((_, i) => i).sort((a, b) => t[a]! - t[b]!);
  const kept = order.filter((i, k) => k === 0 || t[order[k - 1]!] !== t[i]);
  return { labels: series.labels, timestamps: kept.map((i) => t[i]!), values: kept.map((i) => series.values[i]!) };
}

const seconds = (ms: number) => String(ms / 1000);


