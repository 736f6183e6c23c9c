import { isSelector, type Selector } from "../model/metric.js";
import { resolveSeries, type Catalog } from "../promql/analyze.js";
import type { Pending } from "../validate/anchor.js";
import type { Model } from "../validate/validate.js";
import { LINT_RULES } from "./rules.js";

/** The metric selectors an SLI is made of (PromQL parts are lint's expression checks'). */
function sliSelectors(sli: Record<string, unknown>): { key: string; selector: Selector }[] {
  return Object.entries(sli).flatMap(([key, value]) => (isSelector(value) ? [{ key, selector: value }] : []));
}

/**
 * An SLO's `groupBy` labels on the metrics of its SLI. The rules sum the SLI's selectors by them:
 * a label the metric does not have (a typo: `handlr`) silently sums every series into one group
 * with no such label, so the SLO measures something else than it says.
 */
export function lintSloGroupBy(model: Model, catalog: Catalog, targetLabels: readonly string[]): Pending[] {
  const always = new Set(targetLabels);
  return model.services.flatMap((service) =>
    service.slos.flatMap((slo, i) =>
      slo.groupBy.flatMap((label, j) => {
        if (always.has(label)) return [];
        const without = sliSelectors(slo.sli as Record<string, unknown>).filter(({ selector }) => {
          const labels = resolveSeries(selector.metric, catalog)?.labels;
          return labels !== undefined && !labels.has(label);
        });
        if (without.length === 0) return [];
        const metrics = [...new Set(without.map((w) => w.selector.metric))];
        return [{
          diagnostic: {
            severity: LINT_RULES["unknown-label"].severity,
            code: "unknown-label",
            message: `SLO ${slo.name} is grouped by "${label}", which ${metrics.map((m) => `"${m}"`).join(" and ")} ${metrics.length > 1 ? "do" : "does"} not have`,
            hint: `Its SLI is summed by the groupBy labels: declare "${label}" on the metric, or fix the label (target labels ${[...always].join(", ") || "(none)"} are always there).`,
          },
          anchor: { origin: service.origin, path: ["slos", i, "groupBy", j] },
        }];
      }),
    ),
  );
}
