import type { Plan } from "../plan/types.js";
import { header, yamlFile, type OutputFile } from "./output.js";

/** A DNS-1123 name for a ConfigMap, from a dashboard uid (which may hold "_" and capitals). */
function configMapName(uid: string): string {
  return `grafana-dashboard-${uid.toLowerCase().replace(/[^a-z0-9-]+/g, "-")}`.replace(/-+$/, "").slice(0, 63);
}

/**
 * With `kubernetes.dashboards`: one ConfigMap per dashboard, labelled for the Grafana sidecar
 * (`grafana_dashboard: "1"`) and annotated with its team folder, for Argo CD or Flux to sync.
 */
export function emitKubernetes(plan: Plan, dashboards: readonly OutputFile[]): OutputFile[] {
  if (!plan.config.kubernetes.dashboards) return [];
  return dashboards
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
              labels: { grafana_dashboard: "1", "app.kubernetes.io/managed-by": "vigil" },
              annotations: { grafana_folder: team },
            },
            data: { [`${uid}.json`]: file.content },
          },
          header(file.sources),
        ),
      };
    });
}
