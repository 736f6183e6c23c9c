/**
 * Small pieces every client of Prometheus' HTTP API needs (the live catalog, backtest, status):
 * printing its URL without credentials, reading its sample values, saying why a request failed.
 */

/** The URL as it may be printed: no user, no password, no trailing slash. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return url;
  }
}

/**
 * `Authorization` for a URL: the bearer token when there is one, else `user:password@` of the
 * URL as basic auth (fetch refuses URLs with credentials). Undefined when neither is given.
 */
export function authorization(url: string, token: string | undefined): string | undefined {
  if (token) return `Bearer ${token}`;
  try {
    const { username, password } = new URL(url);
    if (username || password) return `Basic ${Buffer.from(`${decodeURIComponent(username)}:${decodeURIComponent(password)}`).toString("base64")}`;
  } catch {
    // Not a URL: the request says so, naming it.
  }
  return undefined;
}

/** Prometheus writes values as strings, with "+Inf"/"-Inf" that Number() would read as NaN. */
export function sampleValue(text: string): number {
  if (text === "+Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  return Number(text);
}

/** Why a fetch failed, in words: Node hides the reason (ECONNREFUSED, ENOTFOUND...) in `cause`. */
export function fetchFailure(failure: unknown): string {
  const cause = (failure as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.message) return cause.code && !cause.message.includes(cause.code) ? `${cause.code}: ${cause.message}` : cause.message;
  if (cause?.code) return cause.code;
  return failure instanceof Error ? failure.message : String(failure);
}
