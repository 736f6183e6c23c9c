import type { Origin, Pending } from "../validate/anchor.js";
import type { Model } from "../validate/validate.js";
import { metricKindConflicts } from "./metric-kinds.js";
import { lintConventions } from "./conventions.js";
import { lintSloGroupBy } from "./slo-groups.js";
import { collectExpressions } from "./expressions.js";
import { analyzeOptions, analyzeSites, lintDuplicates, lintPromQL, lintUnusedMetrics } from "./promql.js";
import { lintTemplates } from "./templates.js";
import { lintLive } from "./live.js";
import { lintDetection } from "../detection/lint.js";
import type { LiveCatalog } from "./live-catalog.js";

/** Every lint rule over the (possibly partial) model: problems to locate, severities not yet applied. */
export function lint(model: Model, configOrigin: Origin, live?: LiveCatalog, unvalidated: readonly unknown[] = []): Pending[] {
  const options = analyzeOptions(model, unvalidated);
  const analyzed = analyzeSites(collectExpressions(model), options);
  return [
    ...(live ? lintLive(analyzed, options.catalog!, live) : []),
    ...lintPromQL(analyzed),
    ...lintDuplicates(analyzed),
    ...lintUnusedMetrics(model, analyzed),
    ...metricKindConflicts(model),
    ...lintSloGroupBy(model, options.catalog!, options.targetLabels),
    ...lintTemplates(model, configOrigin),
    ...lintConventions(model, configOrigin),
    ...lintDetection(model),
  ];
}
