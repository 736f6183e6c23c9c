import type { Model, ValidTeam } from "../validate/validate.js";
import type { AlertmanagerPlan, ReceiverPlan, RouteNode } from "./types.js";

export const DEFAULT_RECEIVER = "vigil-default";

/** The receiver a team's alerts of one severity reach. */
export function receiverName(team: ValidTeam, severity: string): string {
  if (team.receivers[severity]) return `${team.name}-${severity}`;
  return team.receivers.default ? `${team.name}-default` : DEFAULT_RECEIVER;
}

const matcher = (label: string, value: string) => `${label}=${JSON.stringify(value)}`;

/** Route tree (root, then team, then severity), receivers, inhibitions and their tests. */
export function planAlertmanager(model: Model): AlertmanagerPlan {
  const { config } = model;
  const am = config.alertmanager;
  const teams = [...model.teams].sort((a, b) => (a.name < b.name ? -1 : 1));
  const severityOrder = config.severities;

  const receivers: ReceiverPlan[] = [
    { name: DEFAULT_RECEIVER, integrations: am.defaultReceiver },
    ...teams.flatMap((team) =>
      Object.keys(team.receivers)
        .sort()
        .map((key) => ({ name: `${team.name}-${key}`, integrations: team.receivers[key] })),
    ),
  ];

  const teamRoutes: RouteNode[] = teams.map((team) => ({
    receiver: team.receivers.default ? `${team.name}-default` : DEFAULT_RECEIVER,
    matchers: [matcher("team", team.name)],
    ...(team.groupBy && { groupBy: team.groupBy }),
    ...(team.repeatInterval && { repeatInterval: team.repeatInterval }),
    routes: severityOrder
      .filter((severity) => team.receivers[severity])
      .map((severity) => ({ receiver: `${team.name}-${severity}`, matchers: [matcher("severity", severity)], routes: [] })),
  }));

  // A more severe alert silences the less severe ones of the same alert and service.
  const inhibitRules = severityOrder.slice(0, -1).map((source, i) => ({
    sourceMatchers: [matcher("severity", source)],
    targetMatchers: [`severity=~${JSON.stringify(severityOrder.slice(i + 1).join("|"))}`],
    equal: ["alertname", "service", "team"],
  }));

  const routeTests = [
    { labels: { alertname: "VigilUnroutedProbe", team: "no-such-team", severity: severityOrder[0]! }, receivers: [DEFAULT_RECEIVER] },
    ...teams.flatMap((team) =>
      severityOrder.map((severity) => ({
        labels: { alertname: "VigilRoutingProbe", severity, team: team.name },
        receivers: [receiverName(team, severity)],
      })),
    ),
  ];

  const sources = [
    ...new Set([model.configFile, ...teams.map((t) => t.origin.location?.file)].filter((f): f is string => !!f)),
  ].sort();

  return {
    sources,
    route: {
      receiver: DEFAULT_RECEIVER,
      matchers: [],
      groupBy: am.groupBy,
      groupWait: am.groupWait,
      groupInterval: am.groupInterval,
      repeatInterval: am.repeatInterval,
      routes: teamRoutes,
    },
    receivers,
    inhibitRules,
    routeTests,
  };
}
