import { z } from "zod";

/**
 * `apply` in vigil.config.ts: where `vigil apply` pushes the compiled output. URLs may also come
 * from flags or environment variables (so CI can inject them); tokens come only from environment
 * variables, named here, never from the config itself.
 */
export const applySchema = z.strictObject({
  /** Prometheus reading its rule files from a directory this machine can write. */
  prometheus: z
    .strictObject({
      /** Base URL of Prometheus, started with --web.enable-lifecycle (for POST /-/reload). Or VIGIL_PROMETHEUS_URL, --prometheus-url. */
      url: z.url().optional(),
      /**
       * Directory Prometheus loads rules from, relative to the config file; Prometheus' `rule_files`
       * should include `<rulesDir>/*.rules.yaml` (files are named `<team>.<service>[.slo].rules.yaml`). Vigil writes only its own files there and keeps a manifest of them.
       */
      rulesDir: z.string().min(1),
    })
    .optional(),
  /** Alertmanager reading its config from a file this machine can write. */
  alertmanager: z
    .strictObject({
      /** Base URL of Alertmanager. Or VIGIL_ALERTMANAGER_URL, --alertmanager-url. */
      url: z.url().optional(),
      /** Alertmanager's --config.file, relative to the config file; replaced by the generated config. */
      configFile: z.string().min(1),
    })
    .optional(),
  /** Grafana's HTTP API: one folder per team, dashboards saved with a commit message. */
  grafana: z
    .strictObject({
      /** Base URL of Grafana. Or VIGIL_GRAFANA_URL, --grafana-url. */
      url: z.url().optional(),
      /** Environment variable holding a service-account token (Editor role or more). */
      tokenEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).default("GRAFANA_TOKEN"),
      /** Put before each team's folder title, e.g. "Vigil / " gives "Vigil / payments". */
      folderPrefix: z.string().optional(),
    })
    .optional(),
  /**
   * A Mimir (or Cortex) ruler. Namespaces are named as for `mimir/` output (`mimir.namespacePrefix`,
   * `mimir.namespaceBy`: `vigil-<team>` by default); --prune deletes groups only in namespaces
   * with that prefix, so rules Vigil did not write are never touched.
   */
  mimir: z
    .strictObject({
      /** Base URL of Mimir (the ruler API under /prometheus/config/v1/rules). Or VIGIL_MIMIR_URL, --mimir-url. */
      url: z.url().optional(),
      /** Tenant, sent as X-Scope-OrgID. */
      tenant: z.string().min(1).optional(),
      /** Environment variable holding a bearer token, when the ruler needs one. */
      tokenEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
    })
    .optional(),
});

export type ApplyConfig = z.infer<typeof applySchema>;
