import path from "node:path";
import type { ApplyConfig } from "./schema.js";
import type { AlertmanagerSettings } from "./alertmanager.js";
import type { PrometheusSettings } from "./prometheus.js";
import { ORDER, type TargetName } from "./types.js";

/** Flags of `vigil apply` that say where targets are. */
export interface TargetFlags {
  /** --target: which targets; default every configured one. */
  target?: string;
  prometheusUrl?: string;
  alertmanagerUrl?: string;
  grafanaUrl?: string;
  mimirUrl?: string;
}

/** Environment variables for URLs, so CI can inject them without editing the config. */
export const URL_ENV: Record<TargetName, string> = {
  prometheus: "VIGIL_PROMETHEUS_URL",
  alertmanager: "VIGIL_ALERTMANAGER_URL",
  grafana: "VIGIL_GRAFANA_URL",
  mimir: "VIGIL_MIMIR_URL",
};

/** How ruler namespaces are named: the config's `mimir` settings, shared with the `mimir/` output. */
export interface MimirNaming {
  namespacePrefix: string;
  namespaceBy: "team" | "service";
}

export interface ResolvedTargets {
  prometheus?: PrometheusSettings;
  alertmanager?: AlertmanagerSettings;
  grafana?: { url: string; token: string; tokenEnv: string; folderPrefix: string };
  mimir?: { url: string; tenant?: string; token?: string; tokenEnv?: string } & MimirNaming;
  /** What is missing or wrong, one sentence each; apply does nothing when there is any. */
  problems: string[];
  /** Configured targets left out for want of a URL, one sentence each. */
  skipped: string[];
  /** --target named an unknown target: a usage error. */
  usage?: string;
}

/**
 * Which targets to apply and their settings: flag over environment over config for URLs, tokens
 * only from the environment. A target is selected when --target names it or, without --target,
 * when it has a URL (from a flag, the environment or the config).
 */
export function resolveTargets(
  config: ApplyConfig,
  rootDir: string,
  flags: TargetFlags,
  env: NodeJS.ProcessEnv,
  naming: MimirNaming = { namespacePrefix: "vigil-", namespaceBy: "team" },
): ResolvedTargets {
  const out: ResolvedTargets = { problems: [], skipped: [] };
  const named = flags.target?.split(",").map((t) => t.trim()).filter(Boolean);
  const unknown = named?.filter((t) => !ORDER.includes(t as TargetName));
  if (unknown?.length) {
    out.usage = `unknown target ${unknown.join(", ")}: choose among ${ORDER.join(", ")}`;
    return out;
  }
  const flagUrl: Record<TargetName, string | undefined> = { prometheus: flags.prometheusUrl, alertmanager: flags.alertmanagerUrl, grafana: flags.grafanaUrl, mimir: flags.mimirUrl };
  const url = (t: TargetName) => flagUrl[t] || env[URL_ENV[t]] || config[t]?.url;
  // Without --target, a target without a URL is skipped (and said so): CI passes every URL secret,
  // empty when unset, and a stack without Mimir simply has no VIGIL_MIMIR_URL.
  const selected = (t: TargetName) => {
    if (named) return named.includes(t);
    if (url(t)) return true;
    if (config[t] !== undefined) out.skipped.push(`${t}: skipped, no URL (apply.${t}.url, $${URL_ENV[t]} or --${t}-url)`);
    return false;
  };
  const needUrl = (t: TargetName) => {
    const u = url(t);
    if (!u) out.problems.push(`${t}: no URL; set apply.${t}.url in vigil.config.ts, $${URL_ENV[t]}, or --${t}-url`);
    else if (!/^https?:\/\/[^/]/.test(u)) out.problems.push(`${t}: "${u}" is not an http(s) URL`);
    return u;
  };

  if (selected("prometheus")) {
    const u = needUrl("prometheus");
    const rulesDir = config.prometheus?.rulesDir;
    if (!rulesDir) out.problems.push("prometheus: set apply.prometheus.rulesDir in vigil.config.ts (the directory Prometheus loads rule files from)");
    if (u && rulesDir) out.prometheus = { url: u, rulesDir: path.resolve(rootDir, rulesDir) };
  }
  if (selected("alertmanager")) {
    const u = needUrl("alertmanager");
    const configFile = config.alertmanager?.configFile;
    if (!configFile) out.problems.push("alertmanager: set apply.alertmanager.configFile in vigil.config.ts (Alertmanager's --config.file)");
    if (u && configFile) out.alertmanager = { url: u, configFile: path.resolve(rootDir, configFile) };
  }
  if (selected("grafana")) {
    const u = needUrl("grafana");
    const tokenEnv = config.grafana?.tokenEnv ?? "GRAFANA_TOKEN";
    const token = env[tokenEnv];
    if (!token) out.problems.push(`grafana: set $${tokenEnv} to a Grafana service-account token (tokens are read only from the environment)`);
    if (u && token) out.grafana = { url: u, token, tokenEnv, folderPrefix: config.grafana?.folderPrefix ?? "" };
  }
  if (selected("mimir")) {
    const u = needUrl("mimir");
    const tokenEnv = config.mimir?.tokenEnv;
    const token = tokenEnv ? env[tokenEnv] : undefined;
    if (tokenEnv && !token) out.problems.push(`mimir: $${tokenEnv} (apply.mimir.tokenEnv) is not set`);
    if (u && (!tokenEnv || token)) out.mimir = { url: u, tenant: config.mimir?.tenant, token, tokenEnv, ...naming };
  }
  if (!out.prometheus && !out.alertmanager && !out.grafana && !out.mimir && out.problems.length === 0) {
    out.problems.push("nothing to apply to: configure apply.prometheus, apply.alertmanager, apply.grafana or apply.mimir in vigil.config.ts (or give URLs with flags or environment variables)");
  }
  return out;
}
