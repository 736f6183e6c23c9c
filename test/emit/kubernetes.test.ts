import { parse } from "yaml";
import { z } from "zod";
import { beforeAll, describe, expect, it } from "vitest";
import { emitAlertmanager } from "../../src/emit/alertmanager.js";
import { emitGrafana } from "../../src/emit/grafana.js";
import { configMapName, emitKubernetes } from "../../src/emit/kubernetes.js";
import { emitPrometheus, emitThanos } from "../../src/emit/prometheus.js";
import type { Plan } from "../../src/plan/types.js";
import { fixturePlan, multiTeamPlan, withConfig } from "./targets-project.js";

// The essentials of what the API server and the Prometheus Operator's CRD check, so that a
// manifest Vigil writes is not refused on `kubectl apply` (a cheap stand-in for the OpenAPI schemas).
const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).max(63);
const labelKey = z.string().regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/);
const labelValue = z.string().regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/);
const metadata = z.strictObject({
  name: dnsLabel,
  namespace: dnsLabel,
  labels: z.record(labelKey, labelValue),
  annotations: z.record(labelKey, z.string()).optional(),
});
const dataKey = z.string().regex(/^[-._a-zA-Z0-9]+$/);
// The CRD's duration pattern for `for` and `keep_firing_for`.
const duration = z.string().regex(/^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$/);
const rule = z.union([
  z.strictObject({ record: z.string().min(1), expr: z.string().min(1), labels: z.record(z.string(), z.string()).optional() }),
  z.strictObject({ alert: z.string().min(1), expr: z.string().min(1), for: duration.optional(), keep_firing_for: duration.min(1).optional(), labels: z.record(z.string(), z.string()).optional(), annotations: z.record(z.string(), z.string()) }),
]);
const group = z.strictObject({
  name: z.string().min(1),
  interval: duration.optional(),
  query_offset: duration.optional(),
  partial_response_strategy: z.string().regex(/^(abort|warn|ABORT|WARN)?$/).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  rules: z.array(rule),
});
const prometheusRule = z.strictObject({
  apiVersion: z.literal("monitoring.coreos.com/v1"),
  kind: z.literal("PrometheusRule"),
  metadata,
  // The CRD keys groups by name (x-kubernetes-list-type: map): two with one name are refused.
  spec: z.strictObject({ groups: z.array(group).min(1).refine((gs) => new Set(gs.map((g) => g.name)).size === gs.length, "group names repeat") }),
});
// ConfigMaps and Secrets hold at most 1 MiB.
const under1MiB = (values: Record<string, string>) => Object.values(values).reduce((n, v) => n + Buffer.byteLength(v), 0) < 1024 * 1024;
const configMap = z.strictObject({ apiVersion: z.literal("v1"), kind: z.literal("ConfigMap"), metadata, data: z.record(dataKey, z.string()).refine(under1MiB) });
const secret = z.strictObject({ apiVersion: z.literal("v1"), kind: z.literal("Secret"), metadata, type: z.literal("Opaque"), stringData: z.record(dataKey, z.string()).refine(under1MiB) });

const ALL_ON = { kubernetes: { dashboards: true, rules: true, alertmanager: true } };

function rendered(plan: Plan) {
  return [...emitGrafana(plan), ...emitAlertmanager(plan)];
}

let fixture: Plan;
let multi: Plan;
beforeAll(async () => {
  [fixture, multi] = await Promise.all([fixturePlan(), multiTeamPlan()]);
});

describe("Kubernetes manifests", () => {
  it("are written only when asked", () => {
    expect(emitKubernetes(fixture, rendered(fixture))).toEqual([]);
    const only = (kubernetes: object) => emitKubernetes(withConfig(fixture, { kubernetes }), rendered(fixture)).map((f) => f.path.split("/")[1]);
    expect(new Set(only({ dashboards: true }))).toEqual(new Set(["dashboards"]));
    expect(new Set(only({ rules: true }))).toEqual(new Set(["rules"]));
    expect(new Set(only({ alertmanager: true }))).toEqual(new Set(["alertmanager"]));
  });

  it("pass the essentials of the API server's and the operator's schemas", () => {
    for (const plan of [fixture, multi]) {
      const on = withConfig(plan, { ...ALL_ON, kubernetes: { ...ALL_ON.kubernetes, ruleLabels: { release: "kube-prometheus-stack", "app.kubernetes.io/part-of": "monitoring" } } });
      const files = emitKubernetes(on, rendered(on));
      expect(files.length).toBeGreaterThan(3);
      for (const file of files) {
        const doc = parse(file.content) as { kind: string };
        const schema = doc.kind === "PrometheusRule" ? prometheusRule : doc.kind === "ConfigMap" ? configMap : secret;
        const checked = schema.safeParse(doc);
        expect(checked.success, `${file.path}: ${checked.error?.message}`).toBe(true);
      }
    }
  });

  it("dashboard ConfigMaps: one per dashboard, labelled for the Grafana sidecar, the JSON byte for byte", () => {
    const on = withConfig(fixture, { kubernetes: { dashboards: true, namespace: "observability" } });
    const grafana = emitGrafana(on);
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

  it("a PrometheusRule per service with rules: its spec.groups are its rule files' groups, as parsed", () => {
    const on = withConfig(multi, { kubernetes: { rules: true, namespace: "observability", ruleLabels: { release: "kube-prometheus-stack" } } });
    const ruleFiles = new Map(emitPrometheus(on).map((f) => [f.path, parse(f.content) as { groups: unknown[] }]));
    const manifests = emitKubernetes(on, rendered(on));
    // idle has no rules, so no PrometheusRule (the CRD needs at least one group).
    expect(manifests.map((m) => m.path)).toEqual(["kubernetes/rules/payments/billing.yaml", "kubernetes/rules/payments/checkout.yaml", "kubernetes/rules/search/indexer.yaml"]);
    for (const manifest of manifests) {
      const [, , team, file] = manifest.path.split("/");
      const service = file!.replace(/\.yaml$/, "");
      const doc = parse(manifest.content) as { apiVersion: string; kind: string; metadata: { name: string; namespace: string; labels: Record<string, string> }; spec: { groups: unknown[] } };
      expect(doc.apiVersion).toBe("monitoring.coreos.com/v1");
      expect(doc.kind).toBe("PrometheusRule");
      expect(doc.metadata).toMatchObject({ name: `vigil-${service}`, namespace: "observability", labels: { release: "kube-prometheus-stack", "app.kubernetes.io/managed-by": "vigil" } });
      const fromFiles = [`prometheus/${team}/${service}.rules.yaml`, `prometheus/${team}/${service}.slo.rules.yaml`].flatMap((p) => ruleFiles.get(p)?.groups ?? []);
      expect(fromFiles.length).toBeGreaterThan(0);
      expect(doc.spec.groups).toEqual(fromFiles);
      expect(manifest.sources).toEqual(on.services.find((s) => s.name === service)!.sources);
    }
  });

  it("with thanos.rules, the PrometheusRule groups are the Thanos files' groups, partial_response_strategy included", () => {
    const on = withConfig(fixture, { kubernetes: { rules: true }, thanos: { rules: true, partialResponseStrategy: "warn" } });
    const [manifest] = emitKubernetes(on, rendered(on));
    const groups = (parse(manifest!.content) as { spec: { groups: { partial_response_strategy?: string }[] } }).spec.groups;
    const thanos = emitThanos(on).flatMap((f) => (parse(f.content) as { groups: unknown[] }).groups);
    expect(groups).toEqual(thanos);
    expect(groups.every((g) => g.partial_response_strategy === "warn")).toBe(true);
    // Without Thanos, Prometheus's groups: no strategy.
    const plain = withConfig(fixture, { kubernetes: { rules: true } });
    expect(emitKubernetes(plain, rendered(plain))[0]!.content).not.toContain("partial_response_strategy");
  });

  it("the Alertmanager Secret holds the config byte for byte, with file paths and no secret values", () => {
    const on = withConfig(fixture, { kubernetes: { alertmanager: true, namespace: "observability" } });
    const alertmanager = emitAlertmanager(on);
    const [secretFile, ...rest] = emitKubernetes(on, alertmanager);
    expect(rest).toEqual([]);
    expect(secretFile!.path).toBe("kubernetes/alertmanager/alertmanager-vigil.yaml");
    const doc = parse(secretFile!.content) as { kind: string; type: string; metadata: { name: string; namespace: string }; stringData: Record<string, string> };
    expect(doc).toMatchObject({ kind: "Secret", type: "Opaque", metadata: { name: "alertmanager-vigil", namespace: "observability" } });
    const config = alertmanager.find((f) => f.path === "alertmanager/alertmanager.yaml")!;
    expect(doc.stringData).toEqual({ "alertmanager.yaml": config.content });
    // The fixture's receivers reference their keys by path: the Secret carries paths, never keys.
    expect(config.content).toMatch(/routing_key_file: \/etc\/alertmanager\/secrets\//);
    expect(config.content).not.toMatch(/\b(routing_key|api_key|api_url|service_key|auth_password):/);
    const renamed = withConfig(fixture, { kubernetes: { alertmanager: true, alertmanagerSecret: "alertmanager-main" } });
    const [other] = emitKubernetes(renamed, alertmanager);
    expect(other!.path).toBe("kubernetes/alertmanager/alertmanager-main.yaml");
    expect((parse(other!.content) as { metadata: { name: string } }).metadata.name).toBe("alertmanager-main");
  });

  it("the config refuses names Kubernetes would refuse", async () => {
    const { configSchema } = await import("../../src/model/config.js");
    expect(configSchema.safeParse({ kubernetes: { alertmanagerSecret: "Alertmanager_Vigil" } }).success).toBe(false);
    expect(configSchema.safeParse({ kubernetes: { ruleLabels: { release: "not a value" } } }).success).toBe(false);
    expect(configSchema.safeParse({ kubernetes: { ruleLabels: { "example.com/release": "prom-1.2_x" } } }).success).toBe(true);
  });
});

describe("configMapName", () => {
  it("keeps a uid that is a DNS-1123 name already, and tells apart uids that map to the same one", () => {
    expect(configMapName("checkout-api-overview")).toBe("grafana-dashboard-checkout-api-overview");
    const lossy = ["Web_Main", "web-main", "web_main", "WEB-MAIN", "web-main-", `${"x".repeat(60)}-a`, `${"x".repeat(60)}-b`];
    const names = lossy.map(configMapName);
    expect(new Set(names).size).toBe(lossy.length);
    for (const name of names) expect(dnsLabel.safeParse(name).success, name).toBe(true);
    expect(configMapName("Web_Main")).toMatch(/^grafana-dashboard-web-main-[0-9a-z]{7,8}$/);
  });
});
