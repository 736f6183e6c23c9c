import type { Config } from "../model/config.js";
import type { Receiver } from "../model/team.js";
import type { TimeRange } from "../model/routing.js";
import type { RunbookStep } from "../model/runbook.js";
import type { ValidDashboard } from "../validate/dashboards.js";
import type { SloPlan } from "../slo/rules.js";
import type { TestGroup } from "../slo/tests.js";
import type { AlertTestProblem } from "./alert-tests.js";

/** The one intermediate representation every emitter reads. Pure data, sorted. */
export interface Plan {
  config: Config;
  services: ServicePlan[];
  /** Dashboards of a whole team (its SLO overview), written to the team's folder. */
  teamDashboards: TeamDashboardPlan[];
  alertmanager: AlertmanagerPlan;
}

export interface TeamDashboardPlan {
  team: string;
  /** Monitor files the dashboard comes from: those of the team's services it shows. */
  sources: string[];
  dashboard: DashboardPlan;
}

export interface ServicePlan {
  name: string;
  team: string;
  description: string | undefined;
  /** Monitor files this service's output comes from (its own file and its team's). */
  sources: string[];
  /** Declared recording rules and alerts: `<service>.rules.yaml`. */
  ruleGroups: RuleGroup[];
  /** SLO recording rules and burn alerts: `<service>.slo.rules.yaml`, apart so that alert tests need not evaluate them. */
  sloRuleGroups: RuleGroup[];
  /** Declared alerts, then the SLOs' burn-rate alerts: one runbook section each. */
  alerts: AlertPlan[];
  slos: SloPlan[];
  /** promtool unit-test groups of the SLO alerts (evaluated every 15m). */
  tests: TestGroup[];
  /** promtool unit-test groups declared on alerts (evaluated every minute). */
  alertTests: TestGroup[];
  /** What the plan could not do as declared, at a path in the service's object. */
  problems: AlertTestProblem[];
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
  /** Update templates from the runbook; the emitter adds a default internal one to page alerts. */
  communication?: { internal?: string; external?: string };
  /** Declared on an alert, or generated for an SLO: says where its runbook fields are written. */
  origin?: "alert" | "slo";
}

export interface PlannedStep {
  text: string;
  query?: string;
}

export type DashboardPlan =
  | { kind: "sdk"; uid: string; title: string; json: Record<string, unknown> }
  | {
      kind: "declarative";
      uid: string;
      title: string;
      description?: string;
      tags: string[];
      variables?: (VariablePlan | CustomVariablePlan)[];
      /** Links in the dashboard's header, in order. */
      links?: DashboardLinkPlan[];
      rows: PanelRow[];
    };

/** A Prometheus query variable (after the data source one), e.g. one per SLO groupBy label. */
export interface VariablePlan {
  kind?: "query";
  name: string;
  label: string;
  /** `label_values(series{...}, label)`. */
  query: string;
  multi: boolean;
  includeAll: boolean;
  /** What "All" stands for in queries, e.g. ".*"; Grafana's value list when absent. */
  allValue?: string;
}

/** A variable with a fixed list of values; the first is the current one at first. */
export interface CustomVariablePlan {
  kind: "custom";
  name: string;
  label: string;
  values: string[];
  multi: boolean;
  includeAll: boolean;
}

/** A header link: to a URL, or a dropdown of the dashboards with all the tags. */
export type DashboardLinkPlan = { title: string; url: string } | { title: string; tags: string[] };

export interface PanelRow {
  title: string;
  panels: PanelPlan[];
}

export interface PanelPlan {
  title: string;
  type: "timeseries" | "stat" | "table" | "gauge" | "bargauge" | "heatmap";
  queries: QueryPlan[];
  /** Grafana unit id; for a heatmap, that of its buckets (the y axis). */
  unit?: string;
  description?: string;
  decimals?: number;
  /** Ends of the scale. */
  min?: number;
  max?: number;
  /** Colour steps, lowest first; the first, with value null, applies from minus infinity. */
  thresholds?: ThresholdStep[];
  /** Time series: how the thresholds are drawn on the graph. */
  thresholdsStyle?: "line" | "dashed" | "area" | "line+area" | "dashed+area";
  /** Stat: the reduction of each series to the value shown; Grafana's default when absent. */
  reducer?: "lastNotNull" | "last" | "mean" | "max" | "min";
  /** Grafana transformations, applied in order (e.g. merge, organize). */
  transformations?: { id: string; options: Record<string, unknown> }[];
  /** Settings of the fields (series, columns) with these display names. */
  overrides?: FieldOverride[];
  /** Table: the column it is sorted by at first. */
  sortBy?: { column: string; desc: boolean };
  width: number;
  height: number;
}

export interface QueryPlan {
  expr: string;
  legend?: string;
  /** Set when transformations name the query's fields ("Value #B"); else the emitter assigns A, B, ... */
  refId?: string;
  /** One value per series at the end of the range, instead of a range. */
  instant?: boolean;
  /** "table": one row per series, its labels as columns. */
  format?: "time_series" | "table" | "heatmap";
}

export interface ThresholdStep {
  /** A Grafana colour name ("red", "green", "text") or "#rrggbb". */
  color: string;
  /** Where the step starts; null for the base step. */
  value: number | null;
}

export interface FieldOverride {
  /** Display names of the fields: a series' legend or a column's name. */
  names: string[];
  /** Fixed colour. */
  color?: string;
  /** Time series: a dashed line. */
  dashed?: boolean;
  thresholds?: ThresholdStep[];
  /** Table: colour the cell by the thresholds. */
  cell?: "color-text" | "color-background";
}

export interface AlertmanagerPlan {
  sources: string[];
  route: RouteNode;
  receivers: ReceiverPlan[];
  inhibitRules: { sourceMatchers: string[]; targetMatchers: string[]; equal: string[] }[];
  timeIntervals: { name: string; ranges: TimeRange[] }[];
  /** Label sets and the receivers they must reach, checked with amtool; declared ones say where. */
  routeTests: {
    labels: Record<string, string>;
    receivers: string[];
    declaredIn?: { kind: "config"; index: number } | { kind: "team"; team: string; index: number };
  }[];
}

export interface RouteNode {
  receiver: string;
  matchers: string[];
  groupBy?: string[];
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  muteTimeIntervals?: string[];
  activeTimeIntervals?: string[];
  continue?: boolean;
  routes: RouteNode[];
}

export interface ReceiverPlan {
  name: string;
  integrations: Receiver | undefined;
  /** The owning team's escalation levels, for the paging integrations' details. */
  escalation?: string[];
}

export type { RunbookStep, ValidDashboard };
