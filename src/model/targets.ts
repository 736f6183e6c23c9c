import { z } from "zod";

/** A Kubernetes object or namespace name (DNS-1123 label). */
const dns1123 = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: "expected a DNS-1123 name: lower-case letters, digits and '-'" }).max(63);

/** A Kubernetes label key (optional DNS prefix and "/", then a name) and value. */
const k8sLabels = z.record(
  z.string().regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, { error: "expected a Kubernetes label key, e.g. release or app.kubernetes.io/part-of" }),
  z.string().regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, { error: "expected a Kubernetes label value: at most 63 letters, digits, '-', '_' or '.'" }),
);

/** `kubernetes` in vigil.config.ts: manifests under `kubernetes/`, for Argo CD or Flux to sync. */
export const kubernetesSchema = z.strictObject({
  /** Write dashboard ConfigMaps labelled for the Grafana sidecar (`grafana_dashboard: "1"`). */
  dashboards: z.boolean().default(false),
  /**
   * Write one `PrometheusRule` (monitoring.coreos.com/v1) per service, `kubernetes/rules/<team>/<service>.yaml`,
   * holding the same groups as its rule files, for the Prometheus Operator.
   */
  rules: z.boolean().default(false),
  /**
   * Labels on every PrometheusRule, for the operator's `ruleSelector`,
   * e.g. `{ release: "kube-prometheus-stack" }` for the kube-prometheus-stack chart.
   */
  ruleLabels: k8sLabels.default({}),
  /**
   * Write the Alertmanager config as a `Secret` (key `alertmanager.yaml`), `kubernetes/alertmanager/<name>.yaml`,
   * e.g. for the operator's `Alertmanager.spec.configSecret`. It holds no secret values: receivers
   * name their keys by file path, so mount those files into Alertmanager too.
   */
  alertmanager: z.boolean().default(false),
  /** Name of the Alertmanager Secret. */
  alertmanagerSecret: dns1123.default("alertmanager-vigil"),
  /** Namespace of every manifest. */
  namespace: dns1123.default("monitoring"),
});

/** `mimir` in vigil.config.ts: rule namespaces for a Mimir (or Cortex) ruler. */
export const mimirSchema = z.strictObject({
  /**
   * Write `mimir/<namespace>.yaml`, one file per ruler namespace (`namespace:` and `groups:`), as
   * `mimirtool rules load` and `cortextool rules load` take them.
   */
  rules: z.boolean().default(false),
  /** One namespace per team (default) or per service. */
  namespaceBy: z.enum(["team", "service"]).default("team"),
  /** Put before each namespace's name: "vigil-" gives `vigil-payments`, and keeps Vigil's namespaces apart from others. */
  namespacePrefix: z.string().regex(/^[A-Za-z0-9_.-]*$/).default("vigil-"),
});

/** `thanos` in vigil.config.ts: rule files for the Thanos Ruler. */
export const thanosSchema = z.strictObject({
  /**
   * Write `thanos/<team>/<service>.rules.yaml` (and `.slo.rules.yaml`): the Prometheus rule files'
   * groups with `partial_response_strategy`, which Prometheus itself refuses. PrometheusRules
   * (`kubernetes.rules`) carry it too; the Prometheus Operator drops it for Prometheus.
   */
  rules: z.boolean().default(false),
  /** What a group's queries do when a store answers partially: fail ("abort", Thanos's default) or go on ("warn"). */
  partialResponseStrategy: z.enum(["abort", "warn"]).default("abort"),
});
