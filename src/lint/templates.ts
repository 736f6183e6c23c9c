import { templateProblems } from "../template/check.js";
import type { Origin, Pending } from "../validate/anchor.js";
import type { Model } from "../validate/validate.js";

/** Strings Prometheus expands as Go templates: alert labels and annotations. */
function templatedStrings(model: Model): { text: string; origin: Origin; path: PropertyKey[]; owner: string }[] {
  const entries = (record: Record<string, string> | undefined, origin: Origin, path: PropertyKey[], owner: string) =>
    Object.entries(record ?? {}).map(([key, text]) => ({ text, origin, path: [...path, key], owner }));
  return model.services.flatMap((service) => [
    ...service.alerts.flatMap((alert, i) => [
      { text: alert.summary, origin: service.origin, path: ["alerts", i, "summary"], owner: `alert ${alert.name}` },
      { text: alert.description, origin: service.origin, path: ["alerts", i, "description"], owner: `alert ${alert.name}` },
      ...entries(alert.labels, service.origin, ["alerts", i, "labels"], `alert ${alert.name}`),
      ...entries(alert.annotations, service.origin, ["alerts", i, "annotations"], `alert ${alert.name}`),
    ]),
    ...service.slos.flatMap((slo, i) => [
      ...entries(slo.alerting.labels, service.origin, ["slos", i, "alerting", "labels"], `SLO ${slo.name}`),
      ...entries(slo.alerting.annotations, service.origin, ["slos", i, "alerting", "annotations"], `SLO ${slo.name}`),
    ]),
    ...entries(service.labels, service.origin, ["labels"], `service ${service.name}`),
  ]);
}

/** Go template errors that would make Prometheus refuse the rule file, at their character. */
export function lintTemplates(model: Model, configOrigin: Origin): Pending[] {
  const config = [
    ...Object.entries(model.config.slo.labels ?? {}).map(([k, text]) => ({ text, origin: configOrigin, path: ["slo", "labels", k], owner: "config" })),
    ...Object.entries(model.config.slo.annotations ?? {}).map(([k, text]) => ({ text, origin: configOrigin, path: ["slo", "annotations", k], owner: "config" })),
  ];
  return [...config, ...templatedStrings(model)].flatMap(({ text, origin, path, owner }) =>
    templateProblems(text).map((problem) => ({
      diagnostic: { severity: "error" as const, code: "template-syntax", message: `${problem.message} (${owner})`, ...(problem.hint && { hint: problem.hint }) },
      anchor: { origin, path, offset: problem.offset },
    })),
  );
}
