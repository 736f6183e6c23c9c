import { formatDuration, parseDuration } from "../model/duration.js";
import { exprText, type ExprInput } from "../model/promql.js";
import { planSloOnce, sloContext } from "../slo/once.js";
import { errorBudget } from "../slo/tiers.js";
import type { Pending } from "../validate/anchor.js";
import type { Model, ValidService } from "../validate/validate.js";
import { detect, headline, type Detection } from "./detect.js";
import { detectionText } from "./text.js";
import type { Clock } from "./timing.js";

interface Paging {
  name: string;
  path: PropertyKey[];
  detection: Detection;
}

/** Every paging alert of a service, declared or an SLO's, with its detection. */
function pagingAlerts(model: Model, service: ValidService, clock: Clock): Paging[] {
  const paging = model.config.severities[0]!;
  const declared = service.alerts.flatMap((alert, i): Paging[] =>
    alert.severity !== paging
      ? []
      : [{ name: alert.name, path: ["alerts", i, alert.for === undefined ? "name" : "for"], detection: detect({ expr: exprText(alert.expr as ExprInput), for: alert.for, clock }) }],
  );
  const slos = service.slos.flatMap((slo, i): Paging[] => {
    // The plan validation and planning share: its tiers are the same whatever the context.
    const plan = planSloOnce(slo, sloContext(model, service));
    return plan.alerts
      .filter((a) => a.plan.severity === paging)
      .map((a) => ({
        name: a.plan.rule.alert,
        path: ["slos", i, "name"],
        detection: detect({ expr: a.plan.rule.expr, for: a.plan.rule.for, clock, slo: { tiers: a.tiers, kind: plan.kind, budget: errorBudget(slo.objective) } }),
      }));
  });
  return [...declared, ...slos];
}

/**
 * `detection-time`: a service that pages must page for a full outage within
 * `lint.detection.maxPageDelay`, through its fastest paging alert (an SLO burn alert's full
 * outage, a threshold alert's step over its threshold). Alerts whose detection cannot be
 * modelled are not counted; a service with no modelled paging alert is not judged.
 */
export function lintDetection(model: Model): Pending[] {
  const bound = parseDuration(model.config.lint.detection.maxPageDelay)!;
  const scrapeMs = parseDuration(model.config.prometheus.scrapeInterval)!;
  return model.services.flatMap((service): Pending[] => {
    const clock: Clock = { evaluationMs: parseDuration(service.interval ?? model.config.prometheus.evaluationInterval)!, scrapeMs };
    const known = pagingAlerts(model, service, clock)
      .map((alert) => ({ ...alert, outcome: headline(alert.detection) }))
      .filter((alert) => alert.outcome !== undefined)
      .map((alert) => ({ ...alert, ms: alert.outcome!.fires ? alert.outcome!.ms : Infinity }))
      .sort((a, b) => a.ms - b.ms);
    const fastest = known[0];
    if (!fastest || fastest.ms <= bound) return [];
    const soonest = Number.isFinite(fastest.ms) ? `after ${formatDuration(fastest.ms)} at the soonest` : "never";
    return [{
      diagnostic: {
        severity: "warning",
        code: "detection-time",
        message: `a full outage of service ${service.name} pages ${soonest}, over lint.detection.maxPageDelay ${model.config.lint.detection.maxPageDelay}: ${fastest.name}: ${detectionText(fastest.detection).split(". ")[0]}`,
        hint: `shorten the "for" or the windows of ${fastest.name}, or add a paging alert that catches an outage sooner (an error ratio over a short window); or raise lint.detection.maxPageDelay`,
      },
      anchor: { origin: service.origin, path: fastest.path },
    }];
  });
}
