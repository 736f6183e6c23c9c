import type { Slo, SloAlerting } from "../model/slo.js";
import type { AlertPlan, AlertingRulePlan, PlannedStep, RecordingRulePlan } from "../plan/types.js";
import { parseDuration } from "../model/duration.js";
import { exprText, type ExprInput } from "../model/promql.js";
import { githubAnchor } from "../plan/anchor.js";
import { div, fromNumber, integer, mul, toDecimal } from "./decimal.js";
import { sliQueries, type SliKind } from "./sli.js";
import { errorBudget, resolveTiers, timeToExhaustion, type ResolvedTier, type TierProblem } from "./tiers.js";
import { fittedUid } from "../plan/uid.js";

/**
 * Recording rules, one naming scheme, every series labelled slo, service and team:
 *
 *   slo:sli_error:ratio_rate<window>          error ratio over each alert window (and 5m)
 *   slo:sli_error_events:rate5m               failed events per second (ratio and latency SLIs)
 *   slo:sli_total_events:rate5m               all events per second (ratio and latency SLIs)
 *   slo:sli_error:ratio_rate<period>          error ratio over the whole period, from the 5m series
 *   slo:objective:ratio, slo:error_budget:ratio
 *   slo:current_burn_rate:ratio               5m error ratio / error budget
 *   slo:period_burn_rate:ratio                period error ratio / error budget
 *   slo:period_error_budget_remaining:ratio   1 - period burn rate
 *   slo:info                                  1, labelled objective, period and sli
 */
export const SLO_SERIES = {
  errorRatio: (window: string) => `slo:sli_error:ratio_rate${window}`,
  errorEvents: "slo:sli_error_events:rate5m",
  totalEvents: "slo:sli_total_events:rate5m",
  objective: "slo:objective:ratio",
  errorBudget: "slo:error_budget:ratio",
  currentBurnRate: "slo:current_burn_rate:ratio",
  periodBurnRate: "slo:period_burn_rate:ratio",
  budgetRemaining: "slo:period_error_budget_remaining:ratio",
  info: "slo:info",
} as const;

export interface SloAlert {
  plan: AlertPlan;
  tiers: ResolvedTier[];
}

/** Everything one SLO compiles to. Pure data. */
export interface SloPlan {
  name: string;
  service: string;
  team: string;
  objective: number;
  objectiveText: string;
  budgetText: string;
  budgetPercentText: string;
  period: string;
  description: string | undefined;
  kind: SliKind;
  groupBy: string[];
  minEvents: number | undefined;
  /** `{slo="...", service="..."}`: picks this SLO's recorded series. */
  matchers: string;
  labels: Record<string, string>;
  windows: string[];
  tiers: ResolvedTier[];
  recording: RecordingRulePlan[];
  alerts: SloAlert[];
  dashboardUid: string;
  /** PromQL of the total event rate over a window, for the low-traffic guard and dashboards. */
  totalRate: Record<string, string>;
  problems: TierProblem[];
}

const pascal = (name: string) => name.split(/[^a-zA-Z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
const sortRecord = (r: Record<string, string>) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)));

/** The Grafana uid of an SLO's dashboard: at most 40 characters, stable. */
export function sloDashboardUid(service: string, slo: string): string {
  return fittedUid(`slo-${service}-${slo}`);
}

/** Text slots of an SLO alert's description: Prometheus templates in the rule, predicted values in tests. */
export interface DescriptionSlots {
  value: string;
  burn: string;
  remaining: string;
}

export function sloDescription(slo: Pick<SloPlan, "budgetPercentText" | "period">, slots: DescriptionSlots): string {
  return `${slots.value} of events failed over the alert's windows. The error budget is ${slo.budgetPercentText} of events over ${slo.period}: it burns ${slots.burn}x as fast as it may (last 5m), and ${slots.remaining} of it is left.`;
}

/** The Go templates that fill the description when the alert fires. */
export function templateSlots(slo: Pick<SloPlan, "name" | "service" | "groupBy">): DescriptionSlots {
  const query = (series: string, format: string) => {
    const labels = [`slo=%q`, `service=%q`, ...slo.groupBy.map((g) => `${g}=%q`)].join(",");
    const args = [JSON.stringify(slo.name), JSON.stringify(slo.service), ...slo.groupBy.map((g) => `$labels.${g}`)].join(" ");
    return `{{ with printf "${series}{${labels}}" ${args} | query }}{{ . | first | value | ${format} }}{{ end }}`;
  };
  return {
    value: "{{ $value | humanizePercentage }}",
    burn: query(SLO_SERIES.currentBurnRate, 'printf "%.1f"'),
    remaining: query(SLO_SERIES.budgetRemaining, "humanizePercentage"),
  };
}

export interface SloContext {
  service: string;
  team: string;
  serviceLabels: Record<string, string>;
  defaults: SloAlerting;
  runbookBaseUrl: string | undefined;
  grafanaUrl: string | undefined;
  escalation: string[];
}

export function planSlo(slo: Slo, ctx: SloContext): SloPlan {
  const queries = sliQueries(slo.sli, slo.groupBy);
  const { tiers, problems } = resolveTiers(slo, ctx.defaults);
  const budget = errorBudget(slo.objective);
  const budgetText = toDecimal(budget, 12);
  const matchers = `{slo="${slo.name}", service="${ctx.service}"}`;
  const labels = sortRecord({ ...ctx.serviceLabels, ...(slo.labels ?? {}), slo: slo.name, service: ctx.service, team: ctx.team });
  const windows = [...new Set(["5m", ...tiers.flatMap((t) => [t.long, t.short])])].sort((a, b) => parseDuration(a)! - parseDuration(b)!);
  const record = (name: string, expr: string, extra: Record<string, string> = {}): RecordingRulePlan => ({ record: name, expr, labels: sortRecord({ ...labels, ...extra }) });
  const series = (name: string) => `${name}${matchers}`;

  const periodRatio = queries.events
    ? `sum_over_time(${series(SLO_SERIES.errorEvents)}[${slo.period}]) / sum_over_time(${series(SLO_SERIES.totalEvents)}[${slo.period}])`
    : `avg_over_time(${series(SLO_SERIES.errorRatio("5m"))}[${slo.period}])`;
  const recording: RecordingRulePlan[] = [
    ...windows.map((w) => record(SLO_SERIES.errorRatio(w), queries.errorRatio(w))),
    ...(queries.events ? [record(SLO_SERIES.errorEvents, queries.events.errors("5m")), record(SLO_SERIES.totalEvents, queries.events.total("5m"))] : []),
    record(SLO_SERIES.errorRatio(slo.period), periodRatio),
    record(SLO_SERIES.objective, `vector(${toDecimal(div(fromNumber(slo.objective), integer(100)), 12)})`),
    record(SLO_SERIES.errorBudget, `vector(${budgetText})`),
    record(SLO_SERIES.currentBurnRate, `${series(SLO_SERIES.errorRatio("5m"))} / ${budgetText}`),
    record(SLO_SERIES.periodBurnRate, `${series(SLO_SERIES.errorRatio(slo.period))} / ${budgetText}`),
    record(SLO_SERIES.budgetRemaining, `1 - ${series(SLO_SERIES.periodBurnRate)}`),
    record(SLO_SERIES.info, "vector(1)", { objective: String(slo.objective), period: slo.period, sli: queries.kind }),
  ];

  const totalRate = Object.fromEntries(windows.map((w) => [w, queries.events?.total(w) ?? ""]).filter(([, e]) => e));
  const plan: SloPlan = {
    name: slo.name,
    service: ctx.service,
    team: ctx.team,
    objective: slo.objective,
    objectiveText: `${slo.objective}%`,
    budgetText,
    budgetPercentText: `${toDecimal(mul(budget, integer(100)), 12)}%`,
    period: slo.period,
    description: slo.description,
    kind: queries.kind,
    groupBy: slo.groupBy,
    minEvents: slo.minEvents,
    matchers,
    labels,
    windows,
    tiers,
    recording,
    alerts: [],
    dashboardUid: sloDashboardUid(ctx.service, slo.name),
    totalRate,
    problems,
  };
  plan.alerts = planAlerts(slo, plan, ctx, queries.events?.total);
  return plan;
}

function tierCondition(plan: SloPlan, tier: ResolvedTier, total: ((w: string) => string) | undefined): string {
  const condition = [
    `  ${SLO_SERIES.errorRatio(tier.long)}${plan.matchers} > ${tier.thresholdText}`,
    "and",
    `  ${SLO_SERIES.errorRatio(tier.short)}${plan.matchers} > ${tier.thresholdText}`,
  ];
  if (plan.minEvents !== undefined && total) {
    const seconds = parseDuration(tier.long)! / 1000;
    // Low-traffic guard: events in the long window = rate x seconds.
    condition.push(`and on (${plan.groupBy.join(", ")})`, `  (${total(tier.long)}) * ${seconds} >= ${plan.minEvents}`);
  }
  return `(\n${condition.join("\n")}\n)`;
}

function planAlerts(slo: Slo, plan: SloPlan, ctx: SloContext, total: ((w: string) => string) | undefined): SloAlert[] {
  const per = slo.alerting.per ?? ctx.defaults.per ?? "severity";
  const groups: ResolvedTier[][] =
    per === "tier" ? plan.tiers.map((t) => [t]) : [...new Set(plan.tiers.map((t) => t.severity))].map((sev) => plan.tiers.filter((t) => t.severity === sev));
  const baseName = slo.alerting.name ?? `${pascal(ctx.service)}${pascal(slo.name)}ErrorBudgetBurn`;
  const pageUrl = ctx.runbookBaseUrl && `${ctx.runbookBaseUrl.replace(/\/$/, "")}/${ctx.team}/${ctx.service}.md`;
  return groups.map((tiers) => {
    const severity = tiers[0]!.severity;
    const name = slo.alerting.names?.[severity] ?? baseName;
    const heading = per === "tier" ? `${name} (${severity}, ${tiers[0]!.long})` : `${name} (${severity})`;
    const anchor = githubAnchor(heading);
    const fors = tiers.map((t) => t.for).filter((f): f is string => !!f).sort((a, b) => parseDuration(a)! - parseDuration(b)!);
    const description = sloDescription(plan, templateSlots(plan));
    const summary = `The ${slo.name} SLO of ${ctx.service} burns its error budget too fast.`;
    const rule: AlertingRulePlan = {
      alert: name,
      expr: tiers.map((t) => tierCondition(plan, t, total)).join("\nor\n"),
      ...(fors[0] && { for: fors[0] }),
      labels: sortRecord({
        ...ctx.serviceLabels,
        ...(ctx.defaults.labels ?? {}),
        ...(slo.labels ?? {}),
        ...(slo.alerting.labels ?? {}),
        ...(per === "tier" && { window: tiers[0]!.long }),
        slo: slo.name,
        team: ctx.team,
        service: ctx.service,
        severity,
      }),
      annotations: sortRecord({
        ...(ctx.defaults.annotations ?? {}),
        ...(slo.alerting.annotations ?? {}),
        summary,
        description,
        ...(pageUrl && { runbook_url: `${pageUrl}#${anchor}` }),
        ...(ctx.grafanaUrl && { dashboard_url: `${ctx.grafanaUrl.replace(/\/$/, "")}/d/${plan.dashboardUid}` }),
      }),
    };
    return { plan: sloAlertPlan(slo, plan, ctx, rule, severity, heading, anchor, tiers), tiers };
  });
}

function sloAlertPlan(slo: Slo, plan: SloPlan, ctx: SloContext, rule: AlertingRulePlan, severity: string, heading: string, anchor: string, tiers: ResolvedTier[]): AlertPlan {
  const burn = tiers
    .map((t) => `over ${t.long} and ${t.short} the error ratio is above \`${t.thresholdText} = ${toDecimal(t.threshold, 12)}\` (burn rate ${t.factorText}: the whole ${plan.period} budget would be gone in ${timeToExhaustion(plan.period, t.factor)})`)
    .join("; or ");
  const promise = `The ${slo.name} SLO promises that ${plan.objectiveText} of events are good over ${plan.period}, which leaves an error budget of ${plan.budgetPercentText}.`;
  const meaning = `${slo.description ? `${slo.description.trim().replace(/([^.!?])$/, "$1.")} ` : ""}${promise} This alert fires when ${burn}.`;
  const longest = tiers.map((t) => t.long).sort((a, b) => parseDuration(b)! - parseDuration(a)!)[0]!;
  const step = (text: string, query?: string): PlannedStep => ({ text, ...(query && { query }) });
  const user = (s: string | { step: string; query?: ExprInput }) => (typeof s === "string" ? step(s) : step(s.step, s.query && exprText(s.query)));
  const triage: PlannedStep[] = [
    step(
      "See how fast the budget burns in each window (1 means exactly on budget).",
      // One series per window: the window becomes a label, so that dividing keeps them apart.
      `label_replace({__name__=~"slo:sli_error:ratio_rate(?:${plan.windows.join("|")})", ${plan.matchers.slice(1, -1)}}, "window", "$1", "__name__", "slo:sli_error:ratio_rate(.+)") / ${plan.budgetText}`,
    ),
    step(`See how much of the ${plan.period} budget is left.`, `${SLO_SERIES.budgetRemaining}${plan.matchers}`),
    ...(plan.groupBy.length ? [step(`Find the ${plan.groupBy.join(", ")} that burn most.`, `topk(5, ${SLO_SERIES.errorRatio(longest)}${plan.matchers})`)] : []),
    ...(slo.runbook?.triage ?? []).map(user),
    step(`Open the SLO dashboard (${ctx.grafanaUrl ? `${ctx.grafanaUrl.replace(/\/$/, "")}/d/${plan.dashboardUid}` : plan.dashboardUid}) for the burn over time, then the service's overview dashboard for the cause.`),
  ];
  const mitigation: PlannedStep[] = [
    ...(slo.runbook?.mitigation ?? []).map(user),
    step("Stop what changed: roll back the last deploy or configuration change if the burn started with it."),
    step("If the budget runs out, freeze risky releases of this service until it recovers."),
  ];
  return {
    rule,
    severity,
    heading,
    anchor,
    summary: rule.annotations.summary!,
    description: rule.annotations.description!,
    meaning,
    impact: slo.runbook?.impact ?? slo.runbook?.summary,
    triage,
    mitigation,
    escalation: slo.runbook?.escalation ?? ctx.escalation,
    links: slo.runbook?.links ?? [],
    ...(slo.runbook?.communication && { communication: slo.runbook.communication }),
    origin: "slo",
  };
}
