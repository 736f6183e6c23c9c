import { ApplyError } from "./types.js";

/**
 * A small HTTP client over fetch for the targets' APIs: base URL, fixed headers (auth, tenant),
 * a timeout per request, and every message it produces passed through `mask` so that a token
 * never reaches the terminal or CI logs, even when a server echoes it back.
 */
export interface HttpResponse {
  status: number;
  text: string;
}

export interface HttpClient {
  /** Base URL without a trailing slash, for messages. */
  baseUrl: string;
  /** Any status resolves; a network failure or timeout is an ApplyError naming the request. */
  request(method: string, path: string, init?: { body?: string; contentType?: string; accept?: string }): Promise<HttpResponse>;
  /** Replaces the client's secrets in a text with "***". */
  mask(text: string): string;
}

export interface HttpClientOptions {
  baseUrl: string;
  headers?: Record<string, string>;
  /** Values never to print (tokens); masked in every message. */
  secrets?: readonly (string | undefined)[];
  timeoutMs?: number;
}

export function maskSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  // Longest first, so a token containing another is masked whole.
  for (const secret of [...secrets].filter((s): s is string => !!s && s.length >= 4).sort((a, b) => b.length - a.length)) out = out.split(secret).join("***");
  return out;
}

export function httpClient(options: HttpClientOptions): HttpClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const mask = (text: string) => maskSecrets(text, options.secrets ?? []);
  return {
    baseUrl,
    mask,
    async request(method, path, init = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (init.contentType) headers["Content-Type"] = init.contentType;
      if (init.accept) headers.Accept = init.accept;
      try {
        const response = await fetch(`${baseUrl}${path}`, { method, headers, body: init.body, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
        return { status: response.status, text: await response.text() };
      } catch (failure) {
        const cause = failure instanceof Error ? (failure.cause instanceof Error ? failure.cause.message : failure.message) : String(failure);
        throw new ApplyError(mask(`${method} ${baseUrl}${path} failed: ${cause}`));
      }
    },
  };
}

/** Why a status failed, in words a user can act on; `tokenEnv` names where the token comes from. */
export function statusError(client: HttpClient, method: string, path: string, response: HttpResponse, tokenEnv?: string): ApplyError {
  const body = response.text.trim().slice(0, 500);
  const hint =
    response.status === 401
      ? tokenEnv ? `: the token in $${tokenEnv} was refused (unset, expired or wrong)` : ": authentication required"
      : response.status === 403
        ? ": the token lacks the permission (Grafana: Editor role or more)"
        : "";
  return new ApplyError(client.mask(`${method} ${client.baseUrl}${path}: HTTP ${response.status}${hint}${body ? `: ${body}` : ""}`));
}

/** The response's JSON, or an ApplyError naming the request. */
export function parseJson<T>(client: HttpClient, method: string, path: string, response: HttpResponse): T {
  try {
    return JSON.parse(response.text) as T;
  } catch {
    throw new ApplyError(client.mask(`${method} ${client.baseUrl}${path}: HTTP ${response.status}, not JSON: ${response.text.slice(0, 200)}`));
  }
}

/** The value of a metric in a Prometheus text exposition (GET /metrics). */
export function metricValue(exposition: string, name: string): number | undefined {
  for (const line of exposition.split("\n")) {
    if (!line.startsWith(`${name} `) && !line.startsWith(`${name}{`)) continue;
    const rest = line.startsWith(`${name}{`) ? line.slice(line.lastIndexOf("}") + 1) : line.slice(name.length);
    return Number(rest.trim().split(/\s+/)[0]);
  }
  return undefined;
}
