import { emitAlertmanager } from "./alertmanager.js";
import { emitGrafana } from "./grafana.js";
import { emitKubernetes } from "./kubernetes.js";
import { emitMimir, mimirNamespace } from "./mimir.js";
import type { OutputFile } from "./output.js";
import { emitPrometheus, emitThanos } from "./prometheus.js";
import { emitRunbooks, indexPage } from "./runbooks.js";
import { emitRuleTests } from "./tests.js";
import { teamOverviews } from "../plan/team-overview.js";
import { teamSloDashboards } from "../plan/slo-dashboards.js";
import type { Plan, ServicePlan, TeamDashboardPlan } from "../plan/types.js";

/**
 * The full render (pipeline.ts) cut along what each file depends on: a service's own files
 * depend on it, its team and the config; a team's dashboards on its services; Alertmanager's
 * config on the teams, the config and each service's routing facet; the runbook index on each
 * service's index facet (the facets: incremental.ts, to change with planAlertmanager and
 * indexPage). Each piece calls the same emitters on a plan narrowed to what the piece depends
 * on, so the bytes are those of the full render.
 */

export type GrafanaV2 = Parameters<typeof emitGrafana>[1];

const PROVISIONING = "grafana/provisioning/dashboards.yaml";
const RUNBOOK_INDEX = "runbooks/README.md";

/** A service's own files: rules, rule tests, dashboards (and their ConfigMaps), runbook page. */
export function renderService(plan: Plan, service: ServicePlan, toV2: GrafanaV2): OutputFile[] {
  const one: Plan = { ...plan, services: [service], teamDashboards: [] };
  const grafana = emitGrafana(one, toV2).filter((f) => f.path !== PROVISIONING);
  return [
    ...emitPrometheus(one),
    ...emitThanos(one),
    ...emitRuleTests(one),
    ...grafana,
    ...emitKubernetes(one, grafana),
    ...emitRunbooks(one).filter((f) => f.path !== RUNBOOK_INDEX),
  ];
}

/** The dashboards of a whole team, as plan() makes them from its services' plans. */
export function planTeamDashboards(members: readonly ServicePlan[]): TeamDashboardPlan[] {
  return [...teamOverviews(members), ...teamSloDashboards(members)];
}

/** A team's dashboards and their ConfigMaps. */
export function renderTeam(plan: Plan, dashboards: readonly TeamDashboardPlan[], toV2: GrafanaV2): OutputFile[] {
  const team: Plan = { ...plan, services: [], teamDashboards: [...dashboards] };
  const grafana = emitGrafana(team, toV2).filter((f) => f.path !== PROVISIONING);
  return [...grafana, ...emitKubernetes(team, grafana)];
}

/** Services by Mimir ruler namespace, in plan order (only with `mimir.rules`). */
export function mimirGroups(plan: Plan): Map<string, ServicePlan[]> {
  const groups = new Map<string, ServicePlan[]>();
  if (!plan.config.mimir.rules) return groups;
  for (const service of plan.services) {
    if (service.ruleGroups.length + service.sloRuleGroups.length === 0) continue;
    const namespace = mimirNamespace(plan, service);
    groups.set(namespace, [...(groups.get(namespace) ?? []), service]);
  }
  return groups;
}

/** One Mimir namespace file. */
export function renderMimir(plan: Plan, members: readonly ServicePlan[]): OutputFile[] {
  return emitMimir({ ...plan, services: [...members] });
}

/**
 * Alertmanager's config (and its Secret) and Grafana's provisioning: from Alertmanager's plan
 * and the config, not from the services' plans (the plan passed has them, this reads none).
 * The runbook index, the other file of the whole repository, is emitRunbooks' indexPage.
 */
export function renderRouting(plan: Plan, toV2: GrafanaV2): OutputFile[] {
  const alertmanager = emitAlertmanager(plan);
  const none: Plan = { ...plan, services: [], teamDashboards: [] };
  return [...alertmanager, ...emitGrafana(none, toV2), ...emitKubernetes(none, alertmanager)];
}

/** Every file of a plan, in one go (no manifest, not formatted). */
export function renderAll(plan: Plan, toV2: GrafanaV2): OutputFile[] {
  const grafana = emitGrafana(plan, toV2);
  const alertmanager = emitAlertmanager(plan);
  return [...emitPrometheus(plan), ...emitThanos(plan), ...emitMimir(plan), ...emitRuleTests(plan), ...alertmanager, ...grafana, ...emitKubernetes(plan, [...grafana, ...alertmanager]), ...emitRunbooks(plan)];
}

/**
 * Every file of a plan, a piece at a time (one service's files, then the teams', Mimir's
 * namespaces, routing and the runbook index): the files of the full render, so that a cold
 * compile can write each piece while it renders the next and never hold the whole output.
 */
export function* renderPieces(plan: Plan, toV2: GrafanaV2): Generator<OutputFile[]> {
  for (const service of plan.services) yield renderService(plan, service, toV2);
  yield renderTeam(plan, plan.teamDashboards, toV2);
  for (const members of mimirGroups(plan).values()) yield renderMimir(plan, members);
  yield renderRouting(plan, toV2);
  yield [indexPage(plan)];
}
