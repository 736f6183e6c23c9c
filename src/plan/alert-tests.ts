import type { Alert, AlertTest } from "../model/rules.js";
import { renderTemplate, usesValue } from "../template/render.js";
import type { TestGroup } from "../slo/tests.js";
import type { AlertingRulePlan } from "./types.js";

/** Why a declared test cannot be written for promtool, with the path of the offending field. */
export interface AlertTestProblem {
  code: string;
  message: string;
  hint: string;
  path: PropertyKey[];
}

/** Test group names carry their alert, so `vigil test` can point at it: "<service>/<alert>#<n>: <name>". */
export function alertTestName(service: string, alert: string, index: number, test: AlertTest): string {
  return `${service}/${alert}#${index + 1}: ${test.name ?? (test.fires === false ? "does not fire" : "fires")}`;
}

export function parseAlertTestName(name: string): { service: string; alert: string; index: number } | undefined {
  const match = /^([^/]+)\/([^#]+)#(\d+):/.exec(name);
  return match ? { service: match[1]!, alert: match[2]!, index: Number(match[3]) - 1 } : undefined;
}

/** promtool test groups of one alert, with expected labels and annotations worked out. */
export function alertTestGroups(service: string, alert: Alert, rule: AlertingRulePlan): { groups: TestGroup[]; problems: AlertTestProblem[] } {
  const problems: AlertTestProblem[] = [];
  const groups = alert.tests.map((test, t): TestGroup => {
    const firing = test.fires === false ? [] : test.fires === true ? [{ labels: {}, value: undefined, annotations: undefined }] : test.fires;
    return {
      name: alertTestName(service, alert.name, t, test),
      interval: test.interval,
      input_series: Object.entries(test.series).map(([series, values]) => ({ series, values })),
      alert_rule_test: [{
        eval_time: test.at,
        alertname: alert.name,
        exp_alerts: firing.map((f, a) => {
          // As Prometheus 2.42 evaluates an alert: its label and annotation templates see only
          // the series' labels as $labels (not the rule's labels, not alertname); then the
          // rule's labels, expanded, replace the series' own.
          const series = Object.fromEntries(Object.entries(f.labels).filter(([key]) => !(key in rule.labels)));
          const expand = (template: string) => renderTemplate(template, { labels: series, value: f.value });
          const cannotExpand = (kind: "label" | "annotation", key: string, template: string): AlertTestProblem => {
            const needsValue = usesValue(template) && f.value === undefined && renderTemplate(template, { labels: series, value: 0 }) !== undefined;
            return needsValue
              ? { code: "alert-test-needs-value", message: `${kind} "${key}" prints $value: this test must say the value the alert fires with`, hint: "add value: <number> to the expected alert", path: ["tests", t, "fires", a] }
              : { code: "alert-test-annotation-unknown", message: `${kind} "${key}" uses a template Vigil cannot evaluate`, hint: `give the expanded text: ${kind === "label" ? "labels" : "annotations"}: { ${key}: "..." } on the expected alert`, path: ["tests", t, "fires", a] };
          };
          const ruleLabels = Object.entries(rule.labels).map(([key, template]) => {
            if (!template.includes("{{")) return [key, template];
            const given = f.labels[key];
            if (given !== undefined) return [key, given];
            const rendered = expand(template);
            if (rendered === undefined) problems.push(cannotExpand("label", key, template));
            return [key, rendered ?? ""];
          });
          const labels = { ...series, ...Object.fromEntries(ruleLabels) };
          const annotations = Object.fromEntries(
            Object.entries(rule.annotations).map(([key, template]) => {
              const given = f.annotations?.[key];
              if (given !== undefined) return [key, given];
              const rendered = expand(template);
              if (rendered === undefined) {
                problems.push(cannotExpand("annotation", key, template));
              }
              return [key, rendered ?? ""];
            }),
          );
          return { exp_labels: labels, exp_annotations: annotations };
        }),
      }],
    };
  });
  return { groups, problems };
}
