import { resolveSeries, type Catalog } from "../promql/analyze.js";
import type { Pending } from "../validate/anchor.js";
import { liveCatalogProblems, type LiveCatalog, type UsedMetric } from "./live-catalog.js";
import type { AnalyzedSite } from "./promql.js";
import { LINT_RULES } from "./rules.js";

/** Labels a family adds to its series, which the server lists like any other. */
const FAMILY_LABELS = new Set(["le", "quantile"]);

/**
 * Names and labels the monitors select that a running Prometheus does not have. Only scraped
 * metrics are asked about: series this repository records (its rules, the SLO series) and
 * Prometheus' own (`up`, `ALERTS`) may not exist before the change is applied.
 */
export function lintLive(analyzed: readonly AnalyzedSite[], catalog: Catalog, live: LiveCatalog): Pending[] {
  const used: UsedMetric[] = [];
  const anchors: AnalyzedSite["site"][] = [];
  for (const { site, analysis } of analyzed) {
    for (const selector of analysis.selectors) {
      const resolved = resolveSeries(selector.name, catalog);
      if (resolved && resolved.entry.origin !== "declared" && resolved.entry.origin !== "external") continue;
      const declared = resolved?.entry.origin === "declared" && resolved.entry.kind !== "unknown" ? resolved.entry.kind : undefined;
      used.push({
        metric: declared ? resolved!.family : selector.name,
        labels: selector.labels.filter((l) => !FAMILY_LABELS.has(l)),
        ...(declared && { type: declared }),
        ref: anchors.length,
      });
      anchors.push(site);
    }
  }
  return liveCatalogProblems(used, live).map((problem) => {
    const site = anchors[problem.ref]!;
    return {
      diagnostic: { severity: LINT_RULES[problem.code].severity, code: problem.code, message: `${problem.message} (${site.owner})`, hint: problem.hint },
      anchor: site.anchor,
    };
  });
}
