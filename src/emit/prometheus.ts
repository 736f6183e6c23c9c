import type { Plan, Rule, RuleGroup, ServicePlan } from "../plan/types.js";
import { header, yamlFile, type OutputFile } from "./output.js";

function ruleYaml(rule: Rule): Record<string, unknown> {
  if ("record" in rule) return { record: rule.record, expr: rule.expr, labels: rule.labels };
  return {
    alert: rule.alert,
    expr: rule.expr,
    ...(rule.for && { for: rule.for }),
    ...(rule.keepFiringFor && { keep_firing_for: rule.keepFiringFor }),
    labels: rule.labels,
    annotations: rule.annotations,
  };
}

/** Where a service's rules go: declared ones, and its SLOs' apart. */
export const rulesPath = (service: ServicePlan) => `prometheus/${service.team}/${service.name}.rules.yaml`;
export const sloRulesPath = (service: ServicePlan) => `prometheus/${service.team}/${service.name}.slo.rules.yaml`;

function ruleFile(service: ServicePlan, path: string, groups: readonly RuleGroup[]): OutputFile {
  return {
    path,
    sources: service.sources,
    content: yamlFile(
      { groups: groups.map((group) => ({ name: group.name, interval: group.interval, rules: group.rules.map(ruleYaml) })) },
      header(service.sources),
    ),
  };
}

/** Prometheus rule files per service: `<service>.rules.yaml` and `<service>.slo.rules.yaml`. */
export function emitPrometheus(plan: Plan): OutputFile[] {
  return plan.services.flatMap((service) => [
    ...(service.ruleGroups.length > 0 ? [ruleFile(service, rulesPath(service), service.ruleGroups)] : []),
    ...(service.sloRuleGroups.length > 0 ? [ruleFile(service, sloRulesPath(service), service.sloRuleGroups)] : []),
  ]);
}
