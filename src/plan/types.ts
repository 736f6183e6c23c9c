import type { Config } from "../model/config.js";
import type { Receiver } from "../model/team.js";
import type { RunbookStep } from "../model/runbook.js";
import type { ValidDashboard } from "../validate/dashboards.js";

/** The one intermediate representation every emitter reads. Pure data, sorted. */
export interface Plan {
  config: Config;
  services: ServicePlan[];
  alertmanager: AlertmanagerPlan;
}

export interface ServicePlan {
  name: string;
  team: string;
  description: string | undefined;
  /** Monitor files this service's output comes from (its own file and its team's). */
  sources: string[];
  ruleGroups: RuleGroup[];
  alerts: AlertPlan[];
  dashboards: DashboardPlan[];
  escalation: string[];
  /** Receiver names per severity, for the runbook. */
  receivers: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  interval: string;
  rules: Rule[];
}

export type Rule = RecordingRulePlan | AlertingRulePlan;

export interface RecordingRulePlan {
  record: string;
  expr: string;
  labels: Record<string, string>;
}

export interface AlertingRulePlan {
  alert: string;
  expr: string;
  for?: string;
  keepFiringFor?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** An alert with what its runbook section needs. */
export interface AlertPlan {
  rule: AlertingRulePlan;
  severity: string;
  /** Runbook section heading: the alert name, with the severity for tiered alerts. */
  heading: string;
  anchor: string;
  summary: string;
  description: string;
  meaning: string | undefined;
  impact: string | undefined;
  triage: PlannedStep[];
  mitigation: PlannedStep[];
  escalation: string[];
  links: { title: string; url: string }[];
}

export interface PlannedStep {
  text: string;
  query?: string;
}

export type DashboardPlan =
  | { kind: "sdk"; uid: string; title: string; json: Record<string, unknown> }
  | { kind: "declarative"; uid: string; title: string; description?: string; tags: string[]; rows: PanelRow[] };

export interface PanelRow {
  title: string;
  panels: PanelPlan[];
}

export interface PanelPlan {
  title: string;
  type: "timeseries" | "stat";
  queries: { expr: string; legend?: string }[];
  unit?: string;
  description?: string;
  width: number;
  height: number;
}

export interface AlertmanagerPlan {
  sources: string[];
  route: RouteNode;
  receivers: ReceiverPlan[];
  inhibitRules: { sourceMatchers: string[]; targetMatchers: string[]; equal: string[] }[];
  /** Label sets and the receivers they must reach, checked with amtool. */
  routeTests: { labels: Record<string, string>; receivers: string[] }[];
}

export interface RouteNode {
  receiver: string;
  matchers: string[];
  groupBy?: string[];
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  routes: RouteNode[];
}

export interface ReceiverPlan {
  name: string;
  integrations: Receiver | undefined;
}

export type { RunbookStep, ValidDashboard };
