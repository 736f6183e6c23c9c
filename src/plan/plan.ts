import { exprText, type ExprInput } from "../model/promql.js";
import type { RunbookStep } from "../model/runbook.js";
import type { Model, ValidService, ValidTeam } from "../validate/validate.js";
import { githubAnchors } from "./anchor.js";
import { planAlertmanager, receiverName } from "./alertmanager.js";
import { overviewDashboard } from "./overview.js";
import { teamSloDashboards, withSloDashboards } from "./slo-dashboards.js";
import type { AlertPlan, AlertingRulePlan, DashboardPlan, Plan, RecordingRulePlan, Rule, RuleGroup, ServicePlan } from "./types.js";
import { planSloOnce, sloContext, sloTestGroupsOnce } from "../slo/once.js";
import { alertTestGroups } from "./alert-tests.js";
import { withLinks } from "./links.js";
import { teamOverviews } from "./team-overview.js";
import { escalationText } from "./escalation.js";
import { serviceOverviewUid } from "./uid.js";

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Lowers the validated model to the plan. Pure: same model, same plan. */
export function plan(model: Model): Plan {
  const teams = new Map(model.teams.map((t) => [t.name, t]));
  const services = [...model.services]
    .sort((a, b) => (a.team === b.team ? byName(a, b) : a.team < b.team ? -1 : 1))
    .map((service) => planService(model, service, teams.get(service.team)!));
  // SLO dashboards are added here, not in planService, where the SLOs are planned after its dashboards.
  return {
    config: model.config,
    services: services.map(withSloDashboards).map((s) => withLinks(model.config, s)),
    teamDashboards: [...teamOverviews(services), ...teamSloDashboards(services)],
    alertmanager: planAlertmanager(model),
  };
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function step(value: RunbookStep): { text: string; query?: string } {
  return typeof value === "string" ? { text: value } : { text: value.step, ...(value.query && { query: exprText(value.query as ExprInput) }) };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

function groups(name: string, interval: string, rules: readonly Rule[], max: number): RuleGroup[] {
  return chunk(rules, max).map((part, i) => ({ name: i === 0 ? name : `${name}-${i + 1}`, interval, rules: part }));
}

function planService(model: Model, service: ValidService, team: ValidTeam): ServicePlan {
  const { config } = model;
  const common = { ...(service.labels ?? {}), team: service.team, service: service.name };
  const page = `${service.team}/${service.name}.md`;
  const overviewUid = serviceOverviewUid(service.name);

  const recording: RecordingRulePlan[] = service.recordingRules.map((rule) => ({
    record: rule.record,
    expr: exprText(rule.expr),
    labels: sortedRecord({ ...common, ...(rule.labels ?? {}) }),
  }));

  const tiered = new Set(service.alerts.filter((a, i) => service.alerts.findIndex((b) => b.name === a.name) !== i).map((a) => a.name));
  // Tiers of one alert get a section each, told apart by severity.
  const headings = service.alerts.map((alert) => (tiered.has(alert.name) ? `${alert.name} (${alert.severity})` : alert.name));
  // As GitHub numbers them on the page, after its title: names differing only in case share a slug.
  const anchors = githubAnchors([service.name, ...headings]).slice(1);
  const alerts: AlertPlan[] = service.alerts.map((alert, i) => {
    const heading = headings[i]!;
    const anchor = anchors[i]!;
    const annotations: Record<string, string> = {
      ...(alert.annotations ?? {}),
      summary: alert.summary,
      description: alert.description,
      ...(config.runbooks.baseUrl && { runbook_url: `${config.runbooks.baseUrl.replace(/\/$/, "")}/${page}#${anchor}` }),
      ...(config.grafana.url && { dashboard_url: `${config.grafana.url.replace(/\/$/, "")}/d/${overviewUid}` }),
    };
    const rule: AlertingRulePlan = {
      alert: alert.name,
      expr: exprText(alert.expr),
      ...(alert.for && { for: alert.for }),
      ...(alert.keepFiringFor && { keepFiringFor: alert.keepFiringFor }),
      // The service's labels are defaults: a rule's own label of the same name wins, as for recording rules.
      labels: sortedRecord({ ...common, ...(alert.labels ?? {}), team: service.team, service: service.name, severity: alert.severity }),
      annotations: sortedRecord(annotations),
    };
    return {
      rule,
      severity: alert.severity,
      heading,
      anchor,
      summary: alert.summary,
      description: alert.description,
      meaning: alert.runbook?.summary,
      impact: alert.runbook?.impact,
      triage: (alert.runbook?.triage ?? []).map(step),
      mitigation: (alert.runbook?.mitigation ?? []).map(step),
      escalation: alert.runbook?.escalation ?? team.escalation.map(escalationText),
      links: alert.runbook?.links ?? [],
      ...(alert.runbook?.communication && { communication: alert.runbook.communication }),
    };
  });

  const declaredTests = service.alerts.map((alert, i) => ({ index: i, ...alertTestGroups(service.name, alert, alerts[i]!.rule) }));

  const interval = service.interval ?? config.prometheus.evaluationInterval;
  const max = config.prometheus.maxRulesPerGroup;
  const dashboards: DashboardPlan[] = [
    overviewDashboard({ name: service.name, matchers: service.selector }, service.team, service.description, service.metrics),
    ...service.dashboards.map((d): DashboardPlan =>
      d.kind === "sdk"
        ? { kind: "sdk", uid: d.uid, title: d.title, json: d.json }
        : {
            kind: "declarative",
            uid: d.uid,
            title: d.spec.title,
            ...(d.spec.description && { description: d.spec.description }),
            tags: [...d.spec.tags, service.team, service.name],
            ...(d.spec.variables.length && {
              variables: d.spec.variables.map((v) =>
                "values" in v
                  ? { kind: "custom" as const, name: v.name, label: v.label ?? v.name, values: v.values, multi: v.multi, includeAll: v.includeAll }
                  : { kind: "query" as const, name: v.name, label: v.label ?? v.name, query: v.query, multi: v.multi, includeAll: v.includeAll },
              ),
            }),
            ...(d.spec.links.length && { links: d.spec.links.map((l) => ("url" in l ? { title: l.title, url: l.url } : { title: l.title, tags: l.tags })) }),
            rows: d.spec.rows.map((row) => ({
              title: row.title,
              panels: row.panels.map((p) => ({
                title: p.title,
                type: p.type,
                queries: p.queries.map((q) => {
                  const query =
                    typeof q === "object" && "expr" in q && !("render" in q) && !("text" in q)
                      ? { expr: exprText(q.expr as ExprInput), ...(q.legend !== undefined && { legend: q.legend }) }
                      : { expr: exprText(q as ExprInput) };
                  // Tables show each series' value now, labels as columns; heatmaps read histogram buckets.
                  if (p.type === "table") return { ...query, instant: true, format: "table" as const };
                  if (p.type === "heatmap") return { legend: "{{le}}", ...query, format: "heatmap" as const };
                  return query;
                }),
                ...(p.unit && { unit: p.unit }),
                ...(p.description && { description: p.description }),
                ...(p.decimals !== undefined && { decimals: p.decimals }),
                ...(p.min !== undefined && { min: p.min }),
                ...(p.max !== undefined && { max: p.max }),
                ...(p.thresholds && { thresholds: p.thresholds.map((t, i) => ({ color: t.color, value: i === 0 ? null : (t.value ?? null) })) }),
                ...(p.type === "table" && p.queries.length > 1 && { transformations: [{ id: "merge", options: {} }] }),
                width: p.width,
                height: p.height,
              })),
            })),
          },
    ),
  ].sort((a, b) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));

  // The same context validation planned them with: computed once (slo/once.ts).
  const slos = service.slos.map((slo) => planSloOnce(slo, sloContext(model, service)));
  const sources = [...new Set([service.origin.location?.file, team.origin.location?.file].filter((f): f is string => !!f))].sort();
  const receivers = Object.fromEntries(
    config.severities.map((severity) => [severity, receiverName(team, severity)]),
  );
  return {
    name: service.name,
    team: service.team,
    description: service.description,
    sources,
    ruleGroups: [
      ...groups(`${service.name}.rules`, interval, recording, max),
      ...groups(`${service.name}.alerts`, interval, alerts.map((a) => a.rule), max),
    ],
    sloRuleGroups: slos.flatMap((slo) => [
      ...groups(`${service.name}.slo.${slo.name}`, interval, slo.recording, max),
      ...groups(`${service.name}.slo.${slo.name}.alerts`, interval, slo.alerts.map((a) => a.plan.rule), max),
    ]),
    alerts: [...alerts, ...slos.flatMap((slo) => slo.alerts.map((a) => a.plan))],
    slos,
    tests: service.slos.flatMap((slo, i) => sloTestGroupsOnce(slo, slos[i]!) ?? []),
    alertTests: declaredTests.flatMap((t) => t.groups),
    problems: declaredTests.flatMap((t) => t.problems.map((p) => ({ ...p, path: ["alerts", t.index, ...p.path] }))),
    dashboards,
    escalation: team.escalation.map(escalationText),
    receivers,
  };
}
