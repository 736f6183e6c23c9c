import type { Config } from "../model/config.js";
import { accepts, sinceText } from "../model/prometheus-version.js";
import type { AlertTestProblem } from "../plan/alert-tests.js";
import type { Plan, Rule, RuleGroup, ServicePlan } from "../plan/types.js";
import { header, yamlFile, type OutputFile } from "./output.js";

/** Who loads the groups: Prometheus (and promtool, Mimir, the operator's Prometheus), or the Thanos Ruler. */
export type RuleTarget = "prometheus" | "thanos";

function ruleYaml(rule: Rule, version: string, hoisted: ReadonlySet<string>): Record<string, unknown> {
  const labels = Object.fromEntries(Object.entries(rule.labels).filter(([name]) => !hoisted.has(name)));
  const labelsField = Object.keys(labels).length > 0 || hoisted.size === 0 ? { labels } : {};
  if ("record" in rule) return { record: rule.record, expr: rule.expr, ...labelsField };
  return {
    alert: rule.alert,
    expr: rule.expr,
    ...(rule.for && { for: rule.for }),
    ...(rule.keepFiringFor && accepts(version, "keep_firing_for") && { keep_firing_for: rule.keepFiringFor }),
    ...labelsField,
    annotations: rule.annotations,
  };
}

/** Labels every rule of the group carries with the same value (team, service, the service's labels). */
function sharedLabels(rules: readonly Rule[]): Record<string, string> {
  const [first, ...rest] = rules;
  if (!first) return {};
  return Object.fromEntries(Object.entries(first.labels).filter(([name, value]) => rest.every((rule) => rule.labels[name] === value)));
}

/**
 * One group as the target takes it. Fields newer than `prometheus.version` are left out (the
 * config refuses settings that need them): `query_offset` from 2.53; from 3.0 the labels every
 * rule shares are written once as the group's `labels` (rule labels win over group labels, so
 * the series and alerts are the same). `partial_response_strategy` only for Thanos.
 */
export function ruleGroupYaml(group: RuleGroup, config: Config, target: RuleTarget = "prometheus"): Record<string, unknown> {
  const { version, queryOffset } = config.prometheus;
  const groupLabels = accepts(version, "labels") ? sharedLabels(group.rules) : {};
  const hoisted = new Set(Object.keys(groupLabels));
  return {
    name: group.name,
    interval: group.interval,
    ...(queryOffset && accepts(version, "query_offset") && { query_offset: queryOffset }),
    ...(target === "thanos" && { partial_response_strategy: config.thanos.partialResponseStrategy }),
    ...(hoisted.size > 0 && { labels: groupLabels }),
    rules: group.rules.map((rule) => ruleYaml(rule, version, hoisted)),
  };
}

/** A service's groups, declared then SLO ones, as the target takes them: what its PrometheusRule and Mimir namespace hold. */
export function serviceGroupsYaml(service: ServicePlan, config: Config, target: RuleTarget = "prometheus"): Record<string, unknown>[] {
  return [...service.ruleGroups, ...service.sloRuleGroups].map((group) => ruleGroupYaml(group, config, target));
}

/** Where a service's rules go: declared ones, and its SLOs' apart. */
export const rulesPath = (service: ServicePlan) => `prometheus/${service.team}/${service.name}.rules.yaml`;
export const sloRulesPath = (service: ServicePlan) => `prometheus/${service.team}/${service.name}.slo.rules.yaml`;

function ruleFile(service: ServicePlan, path: string, groups: readonly RuleGroup[], config: Config, target: RuleTarget): OutputFile {
  return {
    path,
    sources: service.sources,
    content: yamlFile({ groups: groups.map((group) => ruleGroupYaml(group, config, target)) }, header(service.sources)),
  };
}

function ruleFiles(plan: Plan, target: RuleTarget, dir: (path: string) => string): OutputFile[] {
  return plan.services.flatMap((service) => [
    ...(service.ruleGroups.length > 0 ? [ruleFile(service, dir(rulesPath(service)), service.ruleGroups, plan.config, target)] : []),
    ...(service.sloRuleGroups.length > 0 ? [ruleFile(service, dir(sloRulesPath(service)), service.sloRuleGroups, plan.config, target)] : []),
  ]);
}

/** Prometheus rule files per service: `<service>.rules.yaml` and `<service>.slo.rules.yaml`. */
export function emitPrometheus(plan: Plan): OutputFile[] {
  return ruleFiles(plan, "prometheus", (path) => path);
}

/**
 * With `thanos.rules`: the same files under `thanos/`, with `partial_response_strategy`. Apart
 * from `prometheus/` because promtool (and so `vigil test` and the unit tests) refuses the field.
 */
export function emitThanos(plan: Plan): OutputFile[] {
  if (!plan.config.thanos.rules) return [];
  return ruleFiles(plan, "thanos", (path) => path.replace(/^prometheus\//, "thanos/"));
}

/** Declared alert fields `prometheus.version` does not accept: errors, rather than rules that silently behave otherwise. */
export function fieldsTooNew(config: Config, alerts: readonly { keepFiringFor?: string | undefined }[]): AlertTestProblem[] {
  if (accepts(config.prometheus.version, "keep_firing_for")) return [];
  return alerts.flatMap((alert, i) =>
    alert.keepFiringFor
      ? [{
          code: "needs-newer-prometheus",
          message: `keepFiringFor needs Prometheus ${sinceText("keep_firing_for")} or later (prometheus.version is ${config.prometheus.version})`,
          hint: "raise prometheus.version in vigil.config.ts if yours is newer, or remove keepFiringFor",
          path: ["alerts", i, "keepFiringFor"],
        }]
      : [],
  );
}
