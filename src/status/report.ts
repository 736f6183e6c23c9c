/**
 * The live state of a repository's SLOs and alerts, as `vigil status` reports it. Pure data:
 * every renderer (text, markdown, json, html) reads only this, so one fixed report tests them all.
 *
 * Ratios are fractions (0.999, not 99.9); times are Unix seconds; an absent number means the
 * series was not there (rules not loaded yet, no traffic), never zero.
 */
export interface StatusReport {
  /** The Prometheus asked, without credentials. */
  prometheus: string;
  /** Evaluation time of every query, Unix seconds. */
  at: number;
  slos: SloStatus[];
  alerts: AlertStatus[];
  /** Every alert firing on the server, Vigil's or not, sorted by name and labels. */
  firing: FiringAlert[];
  /** Queries that failed, one sentence each; the rest of the report still holds. */
  problems: string[];
}

export interface SloStatus {
  service: string;
  team: string;
  name: string;
  description?: string;
  /** Percent, as declared: 99.9. */
  objective: number;
  /** The rolling period, e.g. "30d". */
  period: string;
  /** Error budget as a fraction of events: 0.001 for 99.9%. */
  budget: number;
  /** ratio, latency, raw or probe. */
  kind: string;
  /** The burn-rate windows the SLO's alerts use, shortest first (5m always included). */
  windows: string[];
  /** The labels the SLO is grouped by; empty for one SLO over everything. */
  groupBy: string[];
  /** One per group (one with no labels when groupBy is empty), sorted by labels. */
  groups: SloGroupStatus[];
  /** Names of this SLO's burn alerts. */
  alerts: string[];
  /** The chart's step, seconds. */
  burnDownStep: number;
}

export interface SloGroupStatus {
  /** The groupBy labels of this group; {} without groupBy. */
  labels: Record<string, string>;
  /** Share of good events over the period: 1 - the recorded period error ratio. */
  sli?: number;
  /** Share of the period's error budget left (1 untouched, 0 spent, below 0 overspent). */
  budgetRemaining?: number;
  /** Error ratio over each window divided by the budget: 1 burns exactly the budget. */
  burnRates: { window: string; rate?: number }[];
  /**
   * Budget remaining over the period, counted from its start: at each step, 1 - (errors so far)
   * / (budget x all events of the period). Starts near 1, ends at the period's budget remaining.
   */
  burnDown: BurnDownPoint[];
}

export interface BurnDownPoint {
  /** Unix seconds: the end of the step. */
  t: number;
  remaining: number;
}

/** What Prometheus says of a rule Vigil generated. */
export type AlertState = "firing" | "pending" | "inactive" | "not-loaded";

export interface AlertStatus {
  name: string;
  service: string;
  team: string;
  severity: string;
  /** "slo" for the burn alerts Vigil generates from SLOs. */
  origin: "alert" | "slo";
  state: AlertState;
  /** Label sets currently firing, and pending. */
  firingCount: number;
  pendingCount: number;
  /** Earliest activeAt of its active alerts, Unix seconds. */
  activeSince?: number;
  /** The rule's evaluation error, when Prometheus reports one. */
  error?: string;
}

export interface FiringAlert {
  name: string;
  /** Every label but alertname, sorted. */
  labels: Record<string, string>;
  /** Unix seconds. */
  activeSince?: number;
  value?: number;
  /** True when the alert is one Vigil generated (same name, service and severity). */
  vigil: boolean;
}
