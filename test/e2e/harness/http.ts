/**
 * Small HTTP helpers over the built-in fetch, each call bounded by a timeout.
 *
 * Why a timeout: a hung server must fail the polling step it is in (and be retried by
 * waitFor), not hang the test until vitest's global timeout with no explanation.
 */

const REQUEST_TIMEOUT_MS = 5_000;

export interface HttpResponse {
  status: number;
  text: string;
}

/** Any method, any status: the caller decides what a status means (e.g. reload's 500). */
export async function request(url: string, init: RequestInit = {}): Promise<HttpResponse> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  return { status: response.status, text: await response.text() };
}

/** The status of a GET, for readiness probes. */
export async function statusOf(url: string): Promise<number> {
  return (await request(url)).status;
}

/** The envelope of the Prometheus and Alertmanager v1 HTTP APIs. */
interface ApiEnvelope<T> {
  status: "success" | "error";
  data: T;
  errorType?: string;
  error?: string;
}

/**
 * GET a Prometheus-style API endpoint and return its `data`, throwing with the server's own
 * error text (e.g. a PromQL parse error) rather than a generic status code.
 */
export async function apiGet<T>(url: string): Promise<T> {
  const response = await request(url);
  let body: ApiEnvelope<T>;
  try {
    body = JSON.parse(response.text) as ApiEnvelope<T>;
  } catch {
    throw new Error(`GET ${url}: HTTP ${response.status}, not JSON: ${response.text.slice(0, 500)}`);
  }
  if (response.status !== 200 || body.status !== "success") {
    throw new Error(`GET ${url}: HTTP ${response.status} ${body.errorType ?? ""}: ${body.error ?? response.text.slice(0, 500)}`);
  }
  return body.data;
}

/**
 * The value of an unlabelled (or first labelled) sample in a Prometheus text exposition,
 * e.g. `prometheus_config_last_reload_successful` from /metrics.
 *
 * Why read /metrics: the harness's Prometheus does not scrape itself (no scrape jobs keep
 * it quiet and fast), so its own metrics are not queryable with PromQL.
 */
export function metricValue(exposition: string, name: string): number | undefined {
  for (const line of exposition.split("\n")) {
    if (!line.startsWith(`${name} `) && !line.startsWith(`${name}{`)) continue;
    // Skip the name and any {labels}; the value is the next field (a timestamp may follow).
    const rest = line.startsWith(`${name}{`) ? line.slice(line.lastIndexOf("}") + 1) : line.slice(name.length);
    return Number(rest.trim().split(/\s+/)[0]);
  }
  return undefined;
}
