import { SLO_SERIES, type SloPlan } from "../slo/rules.js";
import { div, fromNumber, integer, toDecimal } from "../slo/decimal.js";
import type { DashboardPlan, FieldOverride, PanelPlan, PanelRow, ServicePlan, TeamDashboardPlan, ThresholdStep, VariablePlan } from "./types.js";
import { MAX_UID_LENGTH, uidHash } from "./uid.js";

/**
 * SLO dashboards, from the SLO plans and the recorded series they name (src/slo/rules.ts):
 * one per SLO (uid SloPlan.dashboardUid), and one overview per team with SLOs ("<team>-slos").
 */

/** Error budget left: red once it is spent, yellow under a quarter, green above. */
export const BUDGET_THRESHOLDS: readonly ThresholdStep[] = [
  { color: "red", value: null },
  { color: "yellow", value: 0 },
  { color: "green", value: 0.25 },
];

const TIER_COLORS: Record<string, string> = { page: "red", ticket: "orange" };
const byUid = (a: { uid: string }, b: { uid: string }) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0);

/** Digits after the point of an objective in percent: 99.95 has 2. */
const objectiveDecimals = (objective: number) => String(objective).split(".")[1]?.length ?? 0;

/** `{slo="x", service="y"}` with more matchers inside the braces. */
function withMatchers(matchers: string, extra: readonly string[]): string {
  return extra.length ? `${matchers.slice(0, -1)}, ${extra.join(", ")}}` : matchers;
}

/** Matchers of the dashboard variables, one per groupBy label: `route=~"$route"`. */
const variableMatchers = (slo: SloPlan) => slo.groupBy.map((label) => `${label}=~"$${label}"`);

const groupLegend = (slo: SloPlan) => slo.groupBy.map((label) => `{{${label}}}`).join(" ");
/** One series per group: the group's labels ("{{route}}"), else the text. */
const legendOf = (slo: SloPlan, text: string) => groupLegend(slo) || text;
/** Several series per group: the group's labels, then the text ("{{route}} 1h"). */
const prefixed = (slo: SloPlan, text: string) => [groupLegend(slo), text].filter(Boolean).join(" ");

function variables(slo: SloPlan): VariablePlan[] {
  return slo.groupBy.map((label) => ({
    name: label,
    label,
    query: `label_values(${SLO_SERIES.errorRatio("5m")}${slo.matchers}, ${label})`,
    multi: true,
    includeAll: true,
    allValue: ".*",
  }));
}

function stat(title: string, description: string, queries: PanelPlan["queries"], unit: string, thresholds: ThresholdStep[], decimals?: number): PanelPlan {
  return { title, type: "stat", description, queries, unit, thresholds, reducer: "lastNotNull", ...(decimals !== undefined && { decimals }), width: 6, height: 5 };
}

/** The dashboard of one SLO: where it stands, how its budget burns per window against each alert tier, what fires. */
export function sloDashboard(slo: SloPlan): DashboardPlan {
  const filtered = withMatchers(slo.matchers, variableMatchers(slo));
  const series = (name: string) => `${name}${filtered}`;
  const objectiveRatio = Number(toDecimal(div(fromNumber(slo.objective), integer(100)), 12));
  const decimals = Math.max(2, objectiveDecimals(slo.objective) + 1);
  const factors = slo.tiers.map((t) => Number(t.factorText));
  const fastest = Math.max(1, ...factors);
  const burnThresholds: ThresholdStep[] = [
    { color: "green", value: null },
    { color: "orange", value: 1 },
    ...(fastest > 1 ? [{ color: "red", value: fastest }] : []),
  ];

  const now: PanelRow = {
    title: "Now",
    panels: [
      stat(
        `SLI over ${slo.period}`,
        `Share of good events over the last ${slo.period}; green at or above the objective of ${slo.objectiveText}.`,
        [{ expr: `1 - ${series(SLO_SERIES.errorRatio(slo.period))}`, legend: legendOf(slo, "SLI") }],
        "percentunit",
        [{ color: "red", value: null }, { color: "green", value: objectiveRatio }],
        decimals,
      ),
      stat(
        "Objective",
        `${slo.objectiveText} of events over ${slo.period} must be good${slo.description ? `: ${slo.description}` : "."}`,
        [{ expr: `${SLO_SERIES.objective}${slo.matchers}`, legend: "objective" }],
        "percentunit",
        [{ color: "text", value: null }],
        decimals,
      ),
      stat(
        `Error budget remaining (${slo.period})`,
        `Share of the ${slo.period} error budget (${slo.budgetPercentText} of events) not yet spent; below 0 the SLO is missed.`,
        [{ expr: series(SLO_SERIES.budgetRemaining), legend: legendOf(slo, "remaining") }],
        "percentunit",
        [...BUDGET_THRESHOLDS],
        1,
      ),
      stat(
        "Burn rate now",
        "How fast the error budget burns over the last 5m: 1 spends it exactly over the period.",
        [{ expr: series(SLO_SERIES.currentBurnRate), legend: legendOf(slo, "burn rate") }],
        "none",
        burnThresholds,
        2,
      ),
    ],
  };

  const events: PanelPlan[] = Object.keys(slo.totalRate).length
    ? [{
        title: "Events",
        type: "timeseries",
        description: "Events per second over 5m: all of them, and the failed ones.",
        queries: [
          { expr: series(SLO_SERIES.totalEvents), legend: prefixed(slo, "total") },
          { expr: series(SLO_SERIES.errorEvents), legend: prefixed(slo, "errors") },
        ],
        unit: "ops",
        width: 12,
        height: 8,
      }]
    : [];
  const budget: PanelRow = {
    title: "Error budget",
    panels: [
      {
        title: `Error budget remaining (${slo.period})`,
        type: "timeseries",
        description: `The ${slo.period} error budget left over time.`,
        queries: [{ expr: series(SLO_SERIES.budgetRemaining), legend: legendOf(slo, "remaining") }],
        unit: "percentunit",
        thresholds: [...BUDGET_THRESHOLDS],
        thresholdsStyle: "line+area",
        width: events.length ? 12 : 24,
        height: 8,
      },
      ...events,
    ],
  };

  const tierLegends = slo.tiers.map((t) => `${t.severity} ${t.long}/${t.short} threshold`);
  const tierOverrides: FieldOverride[] = [...new Set(slo.tiers.map((t) => t.severity))].map((severity) => ({
    names: [...new Set(slo.tiers.flatMap((t, i) => (t.severity === severity ? [tierLegends[i]!] : [])))],
    color: TIER_COLORS[severity] ?? "purple",
    dashed: true,
  }));
  const burn: PanelRow = {
    title: "Burn rate",
    panels: [{
      title: "Burn rate per window",
      type: "timeseries",
      description:
        `Error ratio over each window divided by the error budget (${slo.budgetText}). ` +
        "A tier alerts when both its long and its short window burn above its dashed threshold.",
      queries: [
        ...slo.windows.map((w) => ({ expr: `${series(SLO_SERIES.errorRatio(w))} / ${slo.budgetText}`, legend: prefixed(slo, w) })),
        ...slo.tiers.map((t, i) => ({ expr: `vector(${t.factorText})`, legend: tierLegends[i]! })),
      ],
      unit: "none",
      decimals: 2,
      ...(tierOverrides.length && { overrides: tierOverrides }),
      width: 24,
      height: 10,
    }],
  };

  const alerts: PanelRow = {
    title: "Alerts",
    panels: [{
      title: "Firing alerts",
      type: "table",
      description: "Burn-rate alerts of this SLO firing now.",
      queries: [{
        expr: `ALERTS${withMatchers(slo.matchers, ['alertstate="firing"', ...variableMatchers(slo)])}`,
        instant: true,
        format: "table",
      }],
      transformations: [{ id: "organize", options: { excludeByName: { Time: true, Value: true, __name__: true, alertstate: true }, renameByName: {}, indexByName: {} } }],
      width: 24,
      height: 6,
    }],
  };

  return {
    kind: "declarative",
    uid: slo.dashboardUid,
    title: `${slo.service} ${slo.name} SLO`,
    description: `${slo.objectiveText} of events good over ${slo.period}${slo.description ? `: ${slo.description}` : "."}`,
    tags: ["slo", slo.team, slo.service],
    ...(slo.groupBy.length && { variables: variables(slo) }),
    rows: [now, budget, burn, alerts],
  };
}

/** A service's dashboards with one per SLO added, sorted by uid like the others. */
export function withSloDashboards(service: ServicePlan): ServicePlan {
  if (!service.slos.length) return service;
  return { ...service, dashboards: [...service.dashboards, ...service.slos.map(sloDashboard)].sort(byUid) };
}

/** "<team>-slos", cut to Grafana's 40 characters with a hash when the team's name is long. */
export function teamSloDashboardUid(team: string): string {
  const uid = `${team}-slos`;
  return uid.length <= MAX_UID_LENGTH ? uid : `${team.slice(0, 26)}-slos-${uidHash(uid)}`;
}

/**
 * A team's SLOs in one table, one row per SLO (per group for grouped SLOs). Four instant
 * queries, one per measure, each reduced to the same labels (service, slo and every groupBy
 * label of the team's SLOs) so that Grafana's merge transformation joins them into rows; the
 * objective and the info labels are copied onto every group of their SLO.
 */
export function teamSloDashboard(team: string, slos: readonly SloPlan[]): DashboardPlan {
  const groups = [...new Set(slos.flatMap((s) => s.groupBy))].sort();
  const by = ["service", "slo", ...groups].join(", ");
  const filter = `{team="${team}"}`;
  const rows = `group by (${by}) (${SLO_SERIES.budgetRemaining}${filter})`;
  /** A per-SLO series on every row (group) of its SLO, or alone when the SLO has no rows yet. */
  const perRow = (series: string, copy: string[] = []) =>
    `  ${series}${filter}\n    * on (service, slo) group_right (${copy.join(", ")})\n  ${rows}\n  or on (service, slo)\n  ${series}${filter}`;
  const periods = [...new Set(slos.map((s) => s.period))].sort();
  const sli = periods.length === 1
    ? `  1 - ${SLO_SERIES.errorRatio(periods[0]!)}${filter}`
    : periods
        .map((p) => `  (1 - (${SLO_SERIES.errorRatio(p)}${filter} and on (service, slo) ${SLO_SERIES.info}{team="${team}", period="${p}"}))`)
        .join("\n  or\n");
  const decimals = Math.max(2, ...slos.map((s) => objectiveDecimals(s.objective) + 1));
  const columns = { service: "Service", slo: "SLO", period: "Period", sli: "SLI kind", "Value #B": "Objective", "Value #C": "SLI", "Value #D": "Budget remaining" };
  const order = ["service", "slo", ...groups, "period", "sli", "Value #B", "Value #C", "Value #D"];
  const table: PanelPlan = {
    title: "SLOs",
    type: "table",
    description:
      "One row per SLO (per group for grouped SLOs): its objective, the share of good events over its period (SLI), " +
      "and the share of its error budget left. Sorted by budget left, least first.",
    queries: [
      { refId: "A", expr: `max by (${by}, period, sli) (\n${perRow(SLO_SERIES.info, ["period", "sli"])}\n)`, instant: true, format: "table" },
      { refId: "B", expr: `max by (${by}) (\n${perRow(SLO_SERIES.objective)}\n)`, instant: true, format: "table" },
      { refId: "C", expr: `max by (${by}) (\n${sli}\n)`, instant: true, format: "table" },
      { refId: "D", expr: `max by (${by}) (${SLO_SERIES.budgetRemaining}${filter})`, instant: true, format: "table" },
    ],
    unit: "percentunit",
    decimals,
    transformations: [
      { id: "merge", options: {} },
      {
        id: "organize",
        options: {
          excludeByName: { Time: true, "Value #A": true },
          renameByName: columns,
          indexByName: Object.fromEntries(order.map((name, i) => [name, i])),
        },
      },
    ],
    overrides: [{ names: ["Budget remaining"], thresholds: [...BUDGET_THRESHOLDS], cell: "color-background" }],
    sortBy: { column: "Budget remaining", desc: false },
    width: 24,
    height: Math.min(24, 4 + 2 * slos.length),
  };
  return {
    kind: "declarative",
    uid: teamSloDashboardUid(team),
    title: `${team} SLOs`,
    description: `Every SLO of the ${team} team's services and how much of its error budget is left.`,
    tags: ["slo", team],
    rows: [{ title: "SLOs", panels: [table] }],
  };
}

/** One SLO overview per team with at least one SLO, by team name. */
export function teamSloDashboards(services: readonly ServicePlan[]): TeamDashboardPlan[] {
  const teams = [...new Set(services.filter((s) => s.slos.length).map((s) => s.team))].sort();
  return teams.map((team) => {
    const members = services.filter((s) => s.team === team && s.slos.length);
    return {
      team,
      sources: [...new Set(members.flatMap((s) => s.sources))].sort(),
      dashboard: teamSloDashboard(team, members.flatMap((s) => s.slos)),
    };
  });
}
