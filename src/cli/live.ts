import { error, type Diagnostic } from "../check/diagnostic.js";
import { fetchLiveCatalog, LiveCatalogError, type LiveCatalog } from "../lint/live-catalog.js";
import type { LintOptions } from "./report.js";

/**
 * The running Prometheus of `--prometheus URL`, asked once before compiling. A bearer token comes
 * from `VIGIL_PROMETHEUS_TOKEN` only, never from a flag, so it stays out of shell history and logs.
 */
export async function liveCatalogFor(options: LintOptions): Promise<{ live?: LiveCatalog; diagnostics: Diagnostic[] }> {
  if (!options.prometheus) return { diagnostics: [] };
  const token = process.env.VIGIL_PROMETHEUS_TOKEN;
  try {
    const live = await fetchLiveCatalog(options.prometheus, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
    return { live, diagnostics: [] };
  } catch (failure) {
    if (!(failure instanceof LiveCatalogError)) throw failure;
    return {
      diagnostics: [error("prometheus-unreachable", failure.message, undefined, "check --prometheus (the server's base URL, e.g. http://prometheus:9090) and that this machine can reach it; a token goes in VIGIL_PROMETHEUS_TOKEN")],
    };
  }
}
