import { parseDuration } from "../model/duration.js";
import type { Origin, Pending } from "../validate/anchor.js";
import type { Model } from "../validate/validate.js";
import type { LintCode } from "./rules.js";

/** The first configured severity wakes people up (README: "page" by default). */
export const pagingSeverity = (model: Model) => model.config.severities[0]!;

const CAMEL_CASE = /^[A-Z][a-zA-Z0-9]*$/;
/** level:metric:operations, e.g. job:http_requests:rate5m; the metric part has no colon. */
const RECORDING_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z0-9_]+$/;
const MAX_GROUP_RULES = 20;

type Push = (code: LintCode, message: string, origin: Origin, path: PropertyKey[], hint: string, at?: "key") => void;

function camelCase(name: string): string {
  return name
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");
}

/** What a summary should look like, or undefined when it does. */
export function summaryProblem(summary: string): string | undefined {
  if (summary.includes("{{")) return "the summary is templated; keep it static and put the labels and value in the description";
  // Lowercase is what is wrong: "Überlast…", "Ошибка…" and scripts without case (日本語) are fine.
  if (/^\p{Ll}/u.test(summary.trim())) return "the summary does not start with a capital letter";
  if (!/[.。]$/u.test(summary.trim())) return "the summary does not end with a period";
  return undefined;
}

/** Naming and wording conventions of alerts and rules (monitoring-mixins, mixtool). */
export function lintConventions(model: Model, configOrigin: Origin): Pending[] {
  const pending: Pending[] = [];
  const push: Push = (code, message, origin, path, hint, at) =>
    pending.push({ diagnostic: { severity: "error", code, message, hint }, anchor: { origin, path, ...(at && { at }) } });
  const paging = pagingSeverity(model);

  for (const service of model.services) {
    const origin = service.origin;
    service.alerts.forEach((alert, i) => {
      if (!CAMEL_CASE.test(alert.name)) {
        push("alert-name-camelcase", `alert name ${JSON.stringify(alert.name)} is not CamelCase`, origin, ["alerts", i, "name"], `call it ${JSON.stringify(camelCase(alert.name) || "CheckoutHighErrorRate")}`);
      }
      const summary = summaryProblem(alert.summary);
      if (summary) push("alert-summary-style", `${summary} (alert ${alert.name})`, origin, ["alerts", i, "summary"], 'one static sentence, e.g. "Checkout fails more than 1% of requests."');
      if (!alert.description.includes("{{")) {
        push("alert-description-templated", `the description of ${alert.name} names no label or value`, origin, ["alerts", i, "description"], 'say which series and how bad, e.g. "{{ $value | humanizePercentage }} of {{ $labels.route }} requests fail."');
      }
      if (alert.severity === paging) {
        const wait = alert.for === undefined ? 0 : (parseDuration(alert.for) ?? 0);
        if (wait < 60_000) {
          push(
            "paging-alert-for",
            alert.for === undefined ? `paging alert ${alert.name} has no "for": one bad evaluation wakes someone` : `paging alert ${alert.name} waits only ${alert.for}`,
            origin,
            ["alerts", i, alert.for === undefined ? "name" : "for"],
            'set for: "5m" (at least "1m") so a blip does not page',
          );
        }
      }
    });
    service.slos.forEach((slo, i) => {
      const names = [
        ...(slo.alerting.name ? [{ name: slo.alerting.name, path: ["slos", i, "alerting", "name"] }] : []),
        ...Object.entries(slo.alerting.names ?? {}).map(([severity, name]) => ({ name, path: ["slos", i, "alerting", "names", severity] })),
      ];
      for (const { name, path } of names) {
        if (!CAMEL_CASE.test(name)) push("alert-name-camelcase", `alert name ${JSON.stringify(name)} is not CamelCase`, origin, path, `call it ${JSON.stringify(camelCase(name))}`);
      }
    });
    service.recordingRules.forEach((rule, i) => {
      if (!RECORDING_NAME.test(rule.record)) {
        push(
          "recording-rule-name",
          `recording rule ${JSON.stringify(rule.record)} is not named level:metric:operations`,
          origin,
          ["recordingRules", i, "record"],
          'name it by what it aggregates by, the metric, and the operations, e.g. "job:http_requests:rate5m"',
        );
      }
    });
  }

  if (model.config.prometheus.maxRulesPerGroup > MAX_GROUP_RULES) {
    push(
      "rule-group-size",
      `prometheus.maxRulesPerGroup is ${model.config.prometheus.maxRulesPerGroup}: groups of more than ${MAX_GROUP_RULES} rules evaluate slowly and miss their interval`,
      configOrigin,
      ["prometheus", "maxRulesPerGroup"],
      `set it to ${MAX_GROUP_RULES} or less; Vigil splits a service's rules into as many groups as it takes`,
    );
  }
  return pending;
}
