import type { Catalog, CatalogEntry } from "../promql/analyze.js";
import { builtinCatalog } from "../promql/analyze.js";
import type { Model } from "../validate/validate.js";

/** A glob of `lint.externalMetrics` ("node_*") as a test. */
function globTest(pattern: string): (name: string) => boolean {
  if (!pattern.includes("*")) return (name) => name === pattern;
  const regex = new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return (name) => regex.test(name);
}

/**
 * Every series name PromQL in the monitors may select: declared metrics (with their kinds and
 * labels), recording rules the project produces (its own and the SLO series), Prometheus' own
 * (`up`, `ALERTS`), and the config's external list.
 */
export function buildCatalog(model: Model, unvalidated: readonly unknown[] = []): Catalog {
  const entries = new Map<string, CatalogEntry>();
  for (const service of model.services) {
    for (const metric of service.metrics) {
      const earlier = entries.get(metric.name);
      // The same metric may be declared by several services (a shared exporter): labels add up.
      // Its kind is the first declaration's; one of another kind is a metric-kind-conflict.
      const labels = [...new Set([...(earlier?.labels ?? []), ...metric.labels])];
      entries.set(metric.name, { kind: earlier?.kind ?? metric.kind, labels, origin: "declared" });
    }
  }
  for (const service of model.services) {
    for (const rule of service.recordingRules) if (!entries.has(rule.record)) entries.set(rule.record, { kind: "unknown", origin: "recorded" });
  }
  // Names declared by services that failed their schema (reported already): known, of unknown
  // kind and labels, so that queries elsewhere that use them are not told they are undeclared.
  for (const name of namesDeclaredBy(unvalidated)) if (!entries.has(name)) entries.set(name, { kind: "unknown", origin: "external" });
  const builtins = builtinCatalog();
  const external = model.config.lint.externalMetrics.map(globTest);
  return {
    lookup(name) {
      const found = entries.get(name) ?? builtins.lookup(name);
      if (found) return found;
      // SLO series are recorded by Vigil itself under the slo: prefix.
      if (name.startsWith("slo:")) return { kind: "unknown", origin: "recorded" };
      if (external.some((test) => test(name))) return { kind: "unknown", origin: "external" };
      return undefined;
    },
  };
}

/** Metric and recording-rule names of service objects as written, whatever else is wrong with them. */
function namesDeclaredBy(services: readonly unknown[]): string[] {
  const list = (value: unknown, key: string): unknown[] => {
    const items = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
    return Array.isArray(items) ? items : [];
  };
  const text = (value: unknown, key: string): string[] => {
    const found = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
    return typeof found === "string" ? [found] : [];
  };
  return services.flatMap((service) => [...list(service, "metrics").flatMap((m) => text(m, "name")), ...list(service, "recordingRules").flatMap((r) => text(r, "record"))]);
}
