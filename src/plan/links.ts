import { SLO_SERIES } from "../slo/rules.js";
import type { Config } from "../model/config.js";
import { BUDGET_THRESHOLDS } from "./slo-dashboards.js";
import { teamOverviewUid } from "./team-overview.js";
import type { DashboardLinkPlan, DashboardPlan, PanelRow, ServicePlan } from "./types.js";
import { serviceOverviewUid } from "./uid.js";

/** Links every generated or declarative dashboard of a service carries: up to the team, across, and to the runbook. */
function serviceLinks(config: Config, service: ServicePlan, self: string): DashboardLinkPlan[] {
  const runbooks = config.runbooks.baseUrl?.replace(/\/$/, "");
  return [
    { title: `${service.team} team overview`, url: `/d/${teamOverviewUid(service.team)}` },
    ...service.dashboards.filter((d) => d.uid !== self).map((d) => ({ title: d.title, url: `/d/${d.uid}` })),
    ...(runbooks ? [{ title: `${service.name} runbook`, url: `${runbooks}/${service.team}/${service.name}.md` }] : []),
  ];
}

/** The service overview's row of SLO budgets, once the SLOs are planned. */
function sloRow(service: ServicePlan): PanelRow[] {
  if (!service.slos.length) return [];
  return [{
    title: "SLOs",
    panels: service.slos.map((slo) => ({
      title: `${slo.name}: budget left`,
      type: "stat" as const,
      description: `Error budget left of the ${slo.name} SLO over ${slo.period} (objective ${slo.objectiveText}); its dashboard is linked above.`,
      queries: [{ expr: `min(${SLO_SERIES.budgetRemaining}${slo.matchers})` }],
      unit: "percentunit",
      thresholds: [...BUDGET_THRESHOLDS],
      width: 6,
      height: 4,
    })),
  }];
}

/**
 * Cross-links: every declarative dashboard of a service links to its team overview, its
 * other dashboards and its runbook page; the overview shows the SLO budgets. SDK dashboards
 * are left as their authors built them.
 */
export function withLinks(config: Config, service: ServicePlan): ServicePlan {
  const overview = serviceOverviewUid(service.name);
  const dashboards = service.dashboards.map((d): DashboardPlan => {
    if (d.kind !== "declarative") return d;
    const rows = d.uid === overview ? [d.rows[0]!, ...sloRow(service), ...d.rows.slice(1)] : d.rows;
    return { ...d, rows, links: [...(d.links ?? []), ...serviceLinks(config, service, d.uid)] };
  });
  return { ...service, dashboards };
}
