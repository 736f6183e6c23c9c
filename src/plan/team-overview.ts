import { BUDGET_THRESHOLDS, teamSloDashboardUid } from "./slo-dashboards.js";
import { SLO_SERIES } from "../slo/rules.js";
import type { DashboardPlan, PanelPlan, ServicePlan, TeamDashboardPlan, ThresholdStep } from "./types.js";
import { fittedUid, serviceOverviewUid } from "./uid.js";

/** "team-<team>": not "<team>-overview", which a service named like the team would take. */
export function teamOverviewUid(team: string): string {
  return fittedUid(`team-${team}`);
}

const FIRING_THRESHOLDS: ThresholdStep[] = [{ value: null, color: "green" }, { value: 1, color: "red" }];

function firingStat(title: string, matchers: string, description: string): PanelPlan {
  return {
    title,
    type: "stat",
    description,
    queries: [{ expr: `sum(ALERTS{${matchers}, alertstate="firing"}) or vector(0)` }],
    unit: "short",
    thresholds: [...FIRING_THRESHOLDS],
    width: 4,
    height: 4,
  };
}

/**
 * A team's overview: what fires now across its services, each service's state, its SLOs'
 * budgets, and links down to every service and SLO dashboard.
 */
export function teamOverviewDashboard(team: string, services: readonly ServicePlan[]): DashboardPlan {
  const slos = services.flatMap((s) => s.slos);
  return {
    kind: "declarative",
    uid: teamOverviewUid(team),
    title: `${team} team overview`,
    description: `Services of the ${team} team: firing alerts, SLO budgets, links to every dashboard.`,
    tags: ["overview", "team", team],
    rows: [
      {
        title: "Firing now",
        panels: [
          firingStat("Pages firing", `team="${team}", severity="page"`, "Paging alerts of the team firing now."),
          firingStat("Tickets firing", `team="${team}", severity="ticket"`, "Ticket alerts of the team firing now."),
          {
            title: "Firing alerts",
            type: "table",
            description: "Every alert of the team firing now, by service.",
            queries: [{ expr: `sort_desc(sum by (service, alertname, severity) (ALERTS{team="${team}", alertstate="firing"}))`, instant: true, format: "table" }],
            unit: "short",
            width: 16,
            height: 8,
          },
        ],
      },
      { title: "Services", panels: services.map((s) => firingStat(s.name, `team="${team}", service="${s.name}"`, `Alerts of ${s.name} firing now; its overview is linked above.`)) },
      ...(slos.length
        ? [{
            title: "SLO budgets",
            panels: slos.map((slo): PanelPlan => ({
              title: `${slo.service} ${slo.name}`,
              type: "stat",
              description: `Error budget left over ${slo.period} (objective ${slo.objectiveText}); the lowest of its groups.`,
              queries: [{ expr: `min(${SLO_SERIES.budgetRemaining}${slo.matchers})` }],
              unit: "percentunit",
              thresholds: [...BUDGET_THRESHOLDS],
              width: 4,
              height: 4,
            })),
          }]
        : []),
    ],
    links: [
      ...services.map((s) => ({ title: `${s.name} overview`, url: `/d/${serviceOverviewUid(s.name)}` })),
      ...(slos.length ? [{ title: `${team} SLOs`, url: `/d/${teamSloDashboardUid(team)}` }] : []),
    ],
  };
}

export function teamOverviews(services: readonly ServicePlan[]): TeamDashboardPlan[] {
  const teams = [...new Set(services.map((s) => s.team))].sort();
  return teams.map((team) => {
    const members = services.filter((s) => s.team === team);
    return { team, sources: [...new Set(members.flatMap((s) => s.sources))].sort(), dashboard: teamOverviewDashboard(team, members) };
  });
}
