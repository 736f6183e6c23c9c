/**
 * The few Prometheus HTTP API calls `vigil status` makes: instant and range queries, alerting
 * rules and active alerts. Each answer is checked against the API's shape (zod) and every
 * failure is a PrometheusError naming the URL (without credentials) and what failed; the bearer
 * token travels only in a header and never appears in a message.
 */
import { z } from "zod";
import { authorization, displayUrl, fetchFailure, sampleValue } from "../prometheus/http.js";

export { displayUrl };

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface RangeSeries {
  labels: Record<string, string>;
  /** [Unix seconds, value], ascending. */
  points: [number, number][];
}

export interface PromRuleAlert {
  labels: Record<string, string>;
  state: string;
  activeAt?: string;
  value?: string;
}

export interface PromAlertingRule {
  name: string;
  state: string;
  health: string;
  lastError?: string;
  labels: Record<string, string>;
  alerts: PromRuleAlert[];
}

export interface PrometheusClient {
  /** Base URL as it may be printed. */
  url: string;
  query(expr: string, at: number): Promise<Sample[]>;
  queryRange(expr: string, start: number, end: number, stepSeconds: number): Promise<RangeSeries[]>;
  alertingRules(): Promise<PromAlertingRule[]>;
  alerts(): Promise<PromRuleAlert[]>;
}

export interface ClientOptions {
  /** Sent as `Authorization: Bearer ...`; from VIGIL_PROMETHEUS_TOKEN, never a flag. */
  token?: string;
  timeoutMs?: number;
  /** Injected by tests; the global fetch by default. */
  fetch?: typeof fetch;
}

export class PrometheusError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PrometheusError";
  }
}

const labels = z.record(z.string(), z.string());
const envelope = <T extends z.ZodType>(data: T) => z.object({ status: z.literal("success"), data });
const VECTOR = envelope(z.object({ resultType: z.literal("vector"), result: z.array(z.object({ metric: labels, value: z.tuple([z.number(), z.string()]) })) }));
const MATRIX = envelope(z.object({ resultType: z.literal("matrix"), result: z.array(z.object({ metric: labels, values: z.array(z.tuple([z.number(), z.string()])) })) }));
const ALERT = z.object({ labels, state: z.string(), activeAt: z.string().optional(), value: z.string().optional() });
const RULES = envelope(
  z.object({
    groups: z.array(
      z.object({
        rules: z.array(
          z.object({ type: z.string(), name: z.string(), state: z.string().optional(), health: z.string().optional(), lastError: z.string().optional(), labels: labels.optional(), alerts: z.array(ALERT).optional() }),
        ),
      }),
    ),
  }),
);
const ALERTS = envelope(z.object({ alerts: z.array(ALERT) }));



export function prometheusClient(baseUrl: string, options: ClientOptions = {}): PrometheusClient {
  const shown = displayUrl(baseUrl);
  const timeoutMs = options.timeoutMs ?? 30_000;
  // fetch refuses URLs with credentials: user:password@ in the URL becomes basic auth instead.
  const auth = authorization(baseUrl, options.token);
  const headers: Record<string, string> = { Accept: "application/json", ...(auth && { Authorization: auth }) };

  const get = async <T extends z.ZodType>(endpoint: string, params: Record<string, string>, schema: T): Promise<z.infer<T>> => {
    const what = `GET ${endpoint}${params.query ? ` (${params.query.replace(/\s+/g, " ").slice(0, 120)})` : ""}`;
    const fail = (why: string): never => {
      throw new PrometheusError(`Prometheus at ${shown}: ${what} ${why}`);
    };
    let target: URL;
    try {
      target = new URL(`${new URL(baseUrl).pathname.replace(/\/+$/, "")}${endpoint}`, baseUrl);
      target.username = "";
      target.password = "";
    } catch {
      return fail(`cannot be sent: ${JSON.stringify(shown)} is not a URL (give one such as http://prometheus:9090)`);
    }
    for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
    let response: Response;
    try {
      response = await (options.fetch ?? fetch)(target, { headers, signal: AbortSignal.timeout(timeoutMs) });
    } catch (failure) {
      const name = (failure as { name?: string })?.name;
      if (name === "TimeoutError" || name === "AbortError") return fail(`got no answer within ${timeoutMs} ms`);
      return fail(`failed: the server cannot be reached: ${fetchFailure(failure)}`);
    }
    const text = await response.text().catch(() => "");
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return fail(`answered HTTP ${response.status}, not JSON (${JSON.stringify(text.slice(0, 60))}): is this the Prometheus URL?`);
    }
    if (!response.ok) {
      const error = (body as { error?: unknown })?.error;
      const auth = response.status === 401 || response.status === 403 ? " (the server wants credentials: set VIGIL_PROMETHEUS_TOKEN)" : "";
      return fail(`answered HTTP ${response.status}${auth}${typeof error === "string" ? `: ${error}` : ""}`);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) return fail("answered JSON that is not the expected Prometheus API answer");
    return parsed.data;
  };

  return {
    url: shown,
    async query(expr, at) {
      const answer = await get("/api/v1/query", { query: expr, time: String(at) }, VECTOR);
      return answer.data.result.map((s) => ({ labels: s.metric, value: sampleValue(s.value[1]) }));
    },
    async queryRange(expr, start, end, stepSeconds) {
      const answer = await get("/api/v1/query_range", { query: expr, start: String(start), end: String(end), step: String(stepSeconds) }, MATRIX);
      return answer.data.result.map((s) => ({ labels: s.metric, points: s.values.map(([t, v]) => [t, sampleValue(v)] as [number, number]) }));
    },
    async alertingRules() {
      const answer = await get("/api/v1/rules", { type: "alert" }, RULES);
      return answer.data.groups.flatMap((g) =>
        g.rules
          .filter((r) => r.type === "alerting")
          .map((r) => ({ name: r.name, state: r.state ?? "inactive", health: r.health ?? "unknown", ...(r.lastError && { lastError: r.lastError }), labels: r.labels ?? {}, alerts: r.alerts ?? [] })),
      );
    },
    async alerts() {
      return (await get("/api/v1/alerts", {}, ALERTS)).data.alerts;
    },
  };
}
