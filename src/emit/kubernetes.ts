import type { Plan } from "../plan/types.js";
import { header, yamlFile, type OutputFile } from "./output.js";
import { serviceGroupsYaml } from "./prometheus.js";
import { uidHash } from "../plan/uid.js";

const MANAGED_BY = { "app.kubernetes.io/managed-by": "vigil" };

/**
 * A DNS-1123 name for a ConfigMap, from a dashboard uid. A uid that is not one already (capitals,
 * "_", too long) gets a hash of itself after the readable part: "Web_Main" and "web-main" are two
 * dashboards, and two ConfigMaps of one name in a namespace would replace each other.
 */
export function configMapName(uid: string): string {
  const name = `grafana-dashboard-${uid}`;
  if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(uid) && name.length <= 63) return name;
  const readable = `grafana-dashboard-${uid.toLowerCase().replace(/[^a-z0-9-]+/g, "-")}`.slice(0, 63 - 9).replace(/-+$/, "");
  return `${readable}-${uidHash(uid)}`;
}

const sorted = (record: Record<string, string>) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));

/**
 * With `kubernetes.dashboards`: one ConfigMap per dashboard, labelled for the Grafana sidecar
 * (`grafana_dashboard: "1"`) and annotated with its team folder, for Argo CD or Flux to sync.
 */
function dashboardConfigMaps(plan: Plan, files: readonly OutputFile[]): OutputFile[] {
  return files
    .filter((file) => file.path.startsWith("grafana/dashboards/") && file.path.endsWith(".json"))
    .map((file) => {
      const [, , team, name] = file.path.split("/");
      const uid = name!.replace(/\.json$/, "");
      return {
        path: `kubernetes/dashboards/${team}/${uid}.yaml`,
        sources: file.sources,
        content: yamlFile(
          {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: {
              name: configMapName(uid),
              namespace: plan.config.kubernetes.namespace,
              labels: { grafana_dashboard: "1", ...MANAGED_BY },
              annotations: { grafana_folder: team },
            },
            data: { [`${uid}.json`]: file.content },
          },
          header(file.sources),
        ),
      };
    });
}

/**
 * With `kubernetes.rules`: one PrometheusRule per service, its groups exactly those of its rule
 * files (declared, then SLO), so the operator loads what promtool checked. With `thanos.rules` the
 * groups carry `partial_response_strategy`, which the operator passes to the Thanos Ruler only.
 */
function prometheusRules(plan: Plan): OutputFile[] {
  const { kubernetes, thanos } = plan.config;
  return plan.services
    .filter((service) => service.ruleGroups.length + service.sloRuleGroups.length > 0)
    .map((service) => ({
      path: `kubernetes/rules/${service.team}/${service.name}.yaml`,
      sources: service.sources,
      content: yamlFile(
        {
          apiVersion: "monitoring.coreos.com/v1",
          kind: "PrometheusRule",
          metadata: {
            // Services are slugs, unique in the repository: the prefix keeps Vigil's objects apart from others'.
            name: `vigil-${service.name}`.slice(0, 63).replace(/-+$/, ""),
            namespace: kubernetes.namespace,
            labels: sorted({ ...MANAGED_BY, ...kubernetes.ruleLabels }),
            annotations: { "vigil.dev/team": service.team, "vigil.dev/service": service.name },
          },
          spec: { groups: serviceGroupsYaml(service, plan.config, thanos.rules ? "thanos" : "prometheus") },
        },
        header(service.sources),
      ),
    }));
}

/**
 * With `kubernetes.alertmanager`: the Alertmanager config as a Secret (the key the operator's
 * `configSecret` and the Helm charts read). Receivers name their keys by file path, so the Secret
 * holds no secret value; it is a Secret because that is what Alertmanager deployments mount.
 */
function alertmanagerSecret(plan: Plan, files: readonly OutputFile[]): OutputFile[] {
  const config = files.find((file) => file.path === "alertmanager/alertmanager.yaml");
  if (!config) return [];
  const { namespace, alertmanagerSecret: name } = plan.config.kubernetes;
  return [{
    path: `kubernetes/alertmanager/${name}.yaml`,
    sources: config.sources,
    content: yamlFile(
      {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name, namespace, labels: MANAGED_BY },
        type: "Opaque",
        stringData: { "alertmanager.yaml": config.content },
      },
      header(config.sources),
    ),
  }];
}

/**
 * Kubernetes manifests under `kubernetes/`, as `kubernetes` in the config asks: dashboard
 * ConfigMaps, PrometheusRules, the Alertmanager Secret. `rendered` holds the other emitters'
 * files, which the manifests wrap byte for byte.
 */
export function emitKubernetes(plan: Plan, rendered: readonly OutputFile[]): OutputFile[] {
  const { dashboards, rules, alertmanager } = plan.config.kubernetes;
  return [
    ...(dashboards ? dashboardConfigMaps(plan, rendered) : []),
    ...(rules ? prometheusRules(plan) : []),
    ...(alertmanager ? alertmanagerSecret(plan, rendered) : []),
  ];
}
