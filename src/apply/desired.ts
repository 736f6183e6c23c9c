import { parse } from "yaml";
import type { OutputFile } from "../emit/output.js";

/**
 * What apply pushes, taken from the compiled files (the same bytes `vigil compile` writes), so
 * that what is applied is exactly what is reviewed in generated/.
 */
export interface DesiredState {
  /**
   * Prometheus rule files by their name in the rules directory: prometheus/payments/checkout.rules.yaml
   * is "payments.checkout.rules.yaml". Flat because Prometheus globs only the last element of a
   * rule_files path (2.42 refuses a wildcard directory): one `<rulesDir>/*.rules.yaml` covers every
   * team, present and future. Team and service names have no dots, so names cannot collide.
   */
  ruleFiles: Map<string, string>;
  /** alertmanager/alertmanager.yaml, when generated. */
  alertmanagerConfig?: string;
  dashboards: DesiredDashboard[];
  /** Rule groups by team, for the Mimir ruler. */
  ruleGroups: DesiredRuleGroup[];
}

export interface DesiredDashboard {
  team: string;
  uid: string;
  /** Dashboard JSON model (schema v1), or a v2 resource (has apiVersion). */
  json: Record<string, unknown>;
}

export interface DesiredRuleGroup {
  team: string;
  service: string;
  /** The rule file it comes from, under prometheus/. */
  file: string;
  name: string;
  /** The group as parsed YAML: { name, interval?, rules }. */
  group: Record<string, unknown>;
}

const RULE_FILE = /^prometheus\/(.+\.rules\.yaml)$/;
const DASHBOARD_FILE = /^grafana\/dashboards\/([^/]+)\/([^/]+)\.json$/;

export function desiredState(files: readonly OutputFile[]): DesiredState {
  const ruleFiles = new Map<string, string>();
  const ruleGroups: DesiredRuleGroup[] = [];
  const dashboards: DesiredDashboard[] = [];
  let alertmanagerConfig: string | undefined;
  for (const file of files) {
    const rule = RULE_FILE.exec(file.path);
    if (rule) {
      ruleFiles.set(rule[1]!.split("/").join("."), file.content);
      const [team, name] = rule[1]!.split("/") as [string, string];
      const service = name.replace(/(\.slo)?\.rules\.yaml$/, "");
      const parsed = parse(file.content) as { groups?: Record<string, unknown>[] } | null;
      for (const group of parsed?.groups ?? []) ruleGroups.push({ team, service, file: rule[1]!, name: String(group.name), group });
      continue;
    }
    const dashboard = DASHBOARD_FILE.exec(file.path);
    if (dashboard) {
      dashboards.push({ team: dashboard[1]!, uid: dashboard[2]!, json: JSON.parse(file.content) as Record<string, unknown> });
      continue;
    }
    if (file.path === "alertmanager/alertmanager.yaml") alertmanagerConfig = file.content;
  }
  return { ruleFiles, alertmanagerConfig, dashboards, ruleGroups };
}
