import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { emitGrafana } from "../../src/emit/grafana.js";
import { emitKubernetes } from "../../src/emit/kubernetes.js";
import type { Plan } from "../../src/plan/types.js";
import { compile } from "../helpers/vigil.js";
import { REPO_ROOT } from "../helpers/project.js";
import path from "node:path";

describe("Kubernetes dashboard ConfigMaps", () => {
  it("are written only when asked, one per dashboard, labelled for the Grafana sidecar", async () => {
    const { plan } = await compile({ cwd: path.join(REPO_ROOT, "test/fixtures/basic") });
    const grafana = emitGrafana(plan as unknown as Plan);
    expect(emitKubernetes(plan as unknown as Plan, grafana)).toEqual([]);
    const on = { ...plan!, config: { ...plan!.config, kubernetes: { dashboards: true, namespace: "observability" } } } as unknown as Plan;
    const maps = emitKubernetes(on, grafana);
    const dashboards = grafana.filter((f) => f.path.endsWith(".json"));
    expect(maps.map((m) => m.path)).toEqual(dashboards.map((d) => d.path.replace("grafana/dashboards/", "kubernetes/dashboards/").replace(/\.json$/, ".yaml")));
    for (const [i, map] of maps.entries()) {
      const doc = parse(map.content) as { kind: string; metadata: { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> }; data: Record<string, string> };
      expect(doc.kind).toBe("ConfigMap");
      expect(doc.metadata.name).toMatch(/^grafana-dashboard-[a-z0-9-]+$/);
      expect(doc.metadata.namespace).toBe("observability");
      expect(doc.metadata.labels.grafana_dashboard).toBe("1");
      expect(doc.metadata.annotations.grafana_folder).toBe("payments");
      expect(Object.values(doc.data)).toEqual([dashboards[i]!.content]);
    }
  });
});
