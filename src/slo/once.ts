import type { Slo } from "../model/slo.js";
import { escalationText } from "../plan/escalation.js";
import type { Model, ValidService } from "../validate/validate.js";
import { planSlo, type SloContext, type SloPlan } from "./rules.js";
import { sloTestGroups, type TestGroup } from "./tests.js";

/**
 * planSlo and sloTestGroups are pure and cost about a millisecond per SLO; validation (names,
 * tests) and planning both need them. Each is computed once per SLO object and context, and
 * the results are shared: nobody may mutate them (nobody does: plans are data).
 */
const plans = new WeakMap<Slo, { key: string; plan: SloPlan }>();
const tests = new WeakMap<SloPlan, TestGroup[] | undefined>();

export function planSloOnce(slo: Slo, ctx: SloContext): SloPlan {
  const key = JSON.stringify(ctx);
  const hit = plans.get(slo);
  if (hit?.key === key) return hit.plan;
  const plan = planSlo(slo, ctx);
  plans.set(slo, { key, plan });
  return plan;
}

export function sloTestGroupsOnce(slo: Slo, plan: SloPlan): TestGroup[] | undefined {
  if (tests.has(plan)) return tests.get(plan);
  const groups = sloTestGroups(slo, plan);
  tests.set(plan, groups);
  return groups;
}

/** The context planning gives a service's SLOs: validation uses the same one so that its plans are reused. */
export function sloContext(model: Model, service: ValidService): SloContext {
  const team = model.teams.find((t) => t.name === service.team);
  return {
    service: service.name,
    team: service.team,
    serviceLabels: service.labels ?? {},
    defaults: model.config.slo,
    runbookBaseUrl: model.config.runbooks.baseUrl,
    grafanaUrl: model.config.grafana.url,
    escalation: (team?.escalation ?? []).map(escalationText),
  };
}
