/**
 * Asks a live Prometheus about every SLO and alert of a compiled plan and gathers the answers
 * into a StatusReport. The numbers come from the series Vigil's rules record (the same ones the
 * alerts and dashboards read); the burn-down chart from the SLI's own metrics (burndown.ts).
 * A failed query is a problem in the report, not an exception: the rest still holds.
 */
import { parseDuration } from "../model/duration.js";
import type { Plan } from "../plan/types.js";
import { SLO_SERIES, type SloPlan } from "../slo/rules.js";
import { sliQueries, type SliQueries } from "../slo/sli.js";
import type { Model } from "../validate/validate.js";
import { burnDownRange, eventBurnDown, groupKey, groupLabels, ratioBurnDown } from "./burndown.js";
import { PrometheusError, type PromAlertingRule, type PromRuleAlert, type PrometheusClient } from "./client.js";
import type { AlertState, AlertStatus, BurnDownPoint, FiringAlert, SloGroupStatus, SloStatus, StatusReport } from "./report.js";

export interface CollectInput {
  plan: Plan;
  model: Model;
  client: PrometheusClient;
  /** Evaluation time, Unix seconds. */
  at: number;
}

const RATIO_PREFIX = "slo:sli_error:ratio_rate";
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const labelText = (labels: Record<string, string>) => Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(",");
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Runs a query; a PrometheusError becomes a problem and `fallback`. */
async function attempt<T>(problems: string[], fallback: T, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (failure) {
    if (!(failure instanceof PrometheusError)) throw failure;
    problems.push(failure.message);
    return fallback;
  }
}

/** The SLI queries of a planned SLO, from the validated model it was planned from. */
function sliOf(model: Model, slo: SloPlan): SliQueries | undefined {
  const declared = model.services.find((s) => s.name === slo.service)?.slos?.find((s) => s.name === slo.name);
  return declared && sliQueries(declared.sli, declared.groupBy);
}

async function sloStatus(slo: SloPlan, sli: SliQueries | undefined, client: PrometheusClient, at: number, problems: string[]): Promise<SloStatus> {
  const budget = Number(slo.budgetText);
  const inner = slo.matchers.slice(1, -1);
  const windows = [...new Set([...slo.windows, slo.period])];
  const periodSeconds = parseDuration(slo.period)! / 1000;
  const range = burnDownRange(at, periodSeconds);
  const stepWindow = `${range.step}s`;
  const rangeQuery = (expr: string) => attempt(problems, [], () => client.queryRange(expr, range.start, range.end, range.step));

  const [ratios, remaining, burnDown] = await Promise.all([
    attempt(problems, [], () => client.query(`{__name__=~"${escapeRegex(RATIO_PREFIX)}(?:${windows.join("|")})", ${inner}}`, at)),
    attempt(problems, [], () => client.query(`${SLO_SERIES.budgetRemaining}${slo.matchers}`, at)),
    (async (): Promise<Map<string, BurnDownPoint[]>> => {
      if (!sli) return new Map();
      if (sli.events) {
        const [errors, total] = await Promise.all([rangeQuery(sli.events.errors(stepWindow)), rangeQuery(sli.events.total(stepWindow))]);
        return eventBurnDown(errors, total, slo.groupBy, budget);
      }
      return ratioBurnDown(await rangeQuery(sli.errorRatio(stepWindow)), slo.groupBy, budget);
    })(),
  ]);

  // Every group any answer mentions, so a group without traffic still shows with what is known.
  const keys = new Map<string, Record<string, string>>();
  for (const s of [...ratios, ...remaining]) keys.set(groupKey(s.labels, slo.groupBy), groupLabels(s.labels, slo.groupBy));
  for (const key of burnDown.keys()) if (!keys.has(key)) keys.set(key, Object.fromEntries(slo.groupBy.map((l, i) => [l, (JSON.parse(key) as string[])[i]!])));
  // Nothing known at all: one row for the whole SLO, not a group with made-up empty labels.
  if (keys.size === 0) keys.set(groupKey({}, slo.groupBy), {});

  const groups: SloGroupStatus[] = [...keys]
    .sort(([a], [b]) => byText(a, b))
    .map(([key, labels]) => {
      const ratioOf = (window: string) => ratios.find((s) => s.labels.__name__ === `${RATIO_PREFIX}${window}` && groupKey(s.labels, slo.groupBy) === key)?.value;
      const periodRatio = ratioOf(slo.period);
      const left = remaining.find((s) => groupKey(s.labels, slo.groupBy) === key)?.value;
      return {
        labels,
        ...(periodRatio !== undefined && Number.isFinite(periodRatio) && { sli: 1 - periodRatio }),
        ...(left !== undefined && Number.isFinite(left) && { budgetRemaining: left }),
        burnRates: slo.windows.map((window) => {
          const ratio = ratioOf(window);
          return { window, ...(ratio !== undefined && Number.isFinite(ratio) && { rate: ratio / budget }) };
        }),
        burnDown: burnDown.get(key) ?? [],
      };
    });

  return {
    service: slo.service,
    team: slo.team,
    name: slo.name,
    ...(slo.description && { description: slo.description }),
    objective: slo.objective,
    period: slo.period,
    budget,
    kind: slo.kind,
    windows: slo.windows,
    groupBy: slo.groupBy,
    groups,
    alerts: [...new Set(slo.alerts.map((a) => a.plan.rule.alert))].sort(byText),
    burnDownStep: range.step,
  };
}

const unix = (iso: string | undefined) => {
  const ms = iso ? Date.parse(iso) : NaN;
  // Prometheus reports "0001-01-01T00:00:00Z" for alerts never active.
  return Number.isFinite(ms) && ms > 0 ? ms / 1000 : undefined;
};

/** Vigil's identity of an alert: its name, service and severity (names repeat across severities). */
const alertKey = (name: string, labels: Record<string, string>) => JSON.stringify([name, labels.service ?? "", labels.severity ?? ""]);

function alertStatuses(plan: Plan, rules: PromAlertingRule[] | undefined): AlertStatus[] {
  const loaded = new Map<string, PromAlertingRule[]>();
  for (const rule of rules ?? []) {
    const key = alertKey(rule.name, rule.labels);
    loaded.set(key, [...(loaded.get(key) ?? []), rule]);
  }
  const out: AlertStatus[] = [];
  const seen = new Set<string>();
  for (const service of plan.services) {
    for (const alert of service.alerts) {
      const key = alertKey(alert.rule.alert, alert.rule.labels);
      if (seen.has(key)) continue;
      seen.add(key);
      const matches = loaded.get(key) ?? [];
      const active = matches.flatMap((r) => r.alerts);
      const count = (state: string) => active.filter((a) => a.state === state).length;
      const since = active.map((a) => unix(a.activeAt)).filter((t): t is number => t !== undefined);
      const state: AlertState = rules === undefined || matches.length === 0 ? "not-loaded" : count("firing") > 0 ? "firing" : count("pending") > 0 ? "pending" : "inactive";
      const error = matches.find((r) => r.lastError)?.lastError;
      out.push({
        name: alert.rule.alert,
        service: service.name,
        team: service.team,
        severity: alert.severity,
        origin: alert.origin ?? "alert",
        state,
        firingCount: count("firing"),
        pendingCount: count("pending"),
        ...(since.length > 0 && { activeSince: Math.min(...since) }),
        ...(error && { error }),
      });
    }
  }
  return out.sort((a, b) => byText(a.service, b.service) || byText(a.name, b.name) || byText(a.severity, b.severity));
}

function firingAlerts(plan: Plan, alerts: PromRuleAlert[]): FiringAlert[] {
  const ours = new Set(plan.services.flatMap((s) => s.alerts.map((a) => alertKey(a.rule.alert, a.rule.labels))));
  return alerts
    .filter((a) => a.state === "firing")
    .map((a) => {
      const { alertname = "", ...rest } = a.labels;
      const labels = Object.fromEntries(Object.entries(rest).sort(([x], [y]) => byText(x, y)));
      const value = a.value === undefined ? undefined : Number(a.value);
      const since = unix(a.activeAt);
      return { name: alertname, labels, ...(since !== undefined && { activeSince: since }), ...(value !== undefined && Number.isFinite(value) && { value }), vigil: ours.has(alertKey(alertname, a.labels)) };
    })
    .sort((a, b) => byText(a.name, b.name) || byText(labelText(a.labels), labelText(b.labels)));
}

/** The whole report. Queries run one SLO at a time, each SLO's queries at once. */
export async function collectStatus(input: CollectInput): Promise<StatusReport> {
  const { plan, model, client, at } = input;
  const problems: string[] = [];
  const [rules, active] = await Promise.all([attempt<PromAlertingRule[] | undefined>(problems, undefined, () => client.alertingRules()), attempt(problems, [], () => client.alerts())]);
  const slos: SloStatus[] = [];
  for (const slo of plan.services.flatMap((s) => s.slos)) slos.push(await sloStatus(slo, sliOf(model, slo), client, at, problems));
  return {
    prometheus: client.url,
    at,
    slos: slos.sort((a, b) => byText(a.service, b.service) || byText(a.name, b.name)),
    alerts: alertStatuses(plan, rules),
    firing: firingAlerts(plan, active),
    problems,
  };
}
