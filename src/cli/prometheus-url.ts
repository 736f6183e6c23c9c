/** Environment variables: the URL when --prometheus is not given, and a bearer token (never printed). */
export const PROMETHEUS_URL_ENV = "VIGIL_PROMETHEUS_URL";
export const PROMETHEUS_TOKEN_ENV = "VIGIL_PROMETHEUS_TOKEN";

/**
 * The Prometheus to read: --prometheus, else $VIGIL_PROMETHEUS_URL, else prometheus.url. An empty
 * variable counts as unset: CI passes a secret that is not defined as an empty string.
 */
export function prometheusUrl(flag: string | undefined, configured: string | undefined): string | undefined {
  return flag || process.env[PROMETHEUS_URL_ENV] || configured || undefined;
}
