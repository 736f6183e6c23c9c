import type { Plan, ServicePlan } from "../plan/types.js";
import { header, yamlFile, type OutputFile } from "./output.js";
import { serviceGroupsYaml } from "./prometheus.js";

/** The ruler namespace a service's groups go to: `<prefix><team>` or `<prefix><service>`. */
export function mimirNamespace(plan: Plan, service: ServicePlan): string {
  const { namespaceBy, namespacePrefix } = plan.config.mimir;
  return `${namespacePrefix}${namespaceBy === "team" ? service.team : service.name}`;
}

/**
 * With `mimir.rules`: `mimir/<namespace>.yaml`, one file per ruler namespace, in the format
 * `mimirtool rules load` (and `cortextool rules load`) takes: `namespace:` and the Prometheus
 * `groups:`, the same groups as the rule files (Mimir's ruler parses them with Prometheus's
 * rule format). Group names stay unique in a namespace because they start with the service's
 * name, and services are unique.
 */
export function emitMimir(plan: Plan): OutputFile[] {
  if (!plan.config.mimir.rules) return [];
  const byNamespace = new Map<string, ServicePlan[]>();
  for (const service of plan.services) {
    if (service.ruleGroups.length + service.sloRuleGroups.length === 0) continue;
    const namespace = mimirNamespace(plan, service);
    byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), service]);
  }
  return [...byNamespace.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([namespace, services]) => {
      const ordered = [...services].sort((a, b) => (a.name < b.name ? -1 : 1));
      const sources = [...new Set(ordered.flatMap((s) => s.sources))].sort();
      return {
        path: `mimir/${namespace}.yaml`,
        sources,
        content: yamlFile({ namespace, groups: ordered.flatMap((service) => serviceGroupsYaml(service, plan.config)) }, header(sources)),
      };
    });
}
