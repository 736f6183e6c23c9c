import type { Anchor, Pending } from "../validate/anchor.js";
import type { Model } from "../validate/validate.js";
import { LINT_RULES } from "./rules.js";

/**
 * `metric-kind-conflict`: one metric name declared with two kinds (a counter here, a gauge there;
 * a histogram and a summary), in one service or two. The catalog keeps the first declaration's
 * kind, so queries written for the other kind would be judged by the wrong one (a histogram's
 * `_bucket` series as an unknown metric): reported at each later declaration of another kind,
 * with the first one.
 */
export function metricKindConflicts(model: Model): Pending[] {
  const first = new Map<string, { kind: string; service: string; anchor: Anchor }>();
  const pending: Pending[] = [];
  for (const service of model.services) {
    service.metrics.forEach((metric, i) => {
      const anchor: Anchor = { origin: service.origin, path: ["metrics", i] };
      const earlier = first.get(metric.name);
      if (!earlier) {
        first.set(metric.name, { kind: metric.kind, service: service.name, anchor });
        return;
      }
      if (earlier.kind === metric.kind) return;
      const where = earlier.service === service.name ? "earlier in this service" : `by service ${earlier.service}`;
      pending.push({
        diagnostic: {
          severity: LINT_RULES["metric-kind-conflict"].severity,
          code: "metric-kind-conflict",
          message: `metric ${metric.name} is declared a ${metric.kind} here and a ${earlier.kind} ${where}; lint reads it as a ${earlier.kind}`,
          hint: "a metric has one kind: declare it alike everywhere (the kind its exporter reports), or declare it once and share the handle",
        },
        anchor,
        related: [{ message: `declared a ${earlier.kind} here`, anchor: earlier.anchor }],
      });
    });
  }
  return pending;
}
