import type { Plan, Rule } from "../plan/types.js";
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

/** One Prometheus rule file per service: `prometheus/<team>/<service>.rules.yaml`. */
export function emitPrometheus(plan: Plan): OutputFile[] {
  return plan.services
    .filter((service) => service.ruleGroups.length > 0)
    .map((service) => ({
      path: `prometheus/${service.team}/${service.name}.rules.yaml`,
      sources: service.sources,
      content: yamlFile(
        {
          groups: service.ruleGroups.map((group) => ({
            name: group.name,
            interval: group.interval,
            rules: group.rules.map(ruleYaml),
          })),
        },
        header(service.sources),
      ),
    }));
}
