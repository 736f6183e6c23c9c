import type { RouteOverride, Timing } from "../model/routing.js";
import { DEFAULT_TIMING } from "../model/config.js";
import type { Model, ValidTeam } from "../validate/validate.js";
import type { AlertmanagerPlan, ReceiverPlan, RouteNode } from "./types.js";
import { escalationText } from "./escalation.js";

export const DEFAULT_RECEIVER = "vigil-default";

/** The receiver a team's alerts of one severity reach. */
export function receiverName(team: ValidTeam, severity: string): string {
  if (team.receivers[severity]) return `${team.name}-${severity}`;
  return team.receivers.default ? `${team.name}-default` : DEFAULT_RECEIVER;
}

const quote = (value: string) => JSON.stringify(value);
const matcher = (label: string, value: string) => `${label}=${quote(value)}`;

/** `{ env: "staging", team: /a|b/ }` as Alertmanager matchers, sorted by label. */
export function matchers(match: Record<string, string | RegExp>): string[] {
  return Object.entries(match)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([label, value]) => (value instanceof RegExp ? `${label}=~${quote(value.source)}` : matcher(label, value)));
}

function overrideRoute(route: RouteOverride): RouteNode {
  return { receiver: route.receiver, matchers: matchers(route.match), ...(route.continue && { continue: true }), routes: [] };
}

function timingOf(...layers: (Timing | undefined)[]): Partial<RouteNode> {
  const merged: Timing = Object.assign({}, ...layers.filter(Boolean));
  return {
    ...(merged.groupBy && { groupBy: merged.groupBy }),
    ...(merged.groupWait && { groupWait: merged.groupWait }),
    ...(merged.groupInterval && { groupInterval: merged.groupInterval }),
    ...(merged.repeatInterval && { repeatInterval: merged.repeatInterval }),
  };
}

/** Route tree (overrides, then team, then severity), receivers, inhibitions, time intervals and their tests. */
export function planAlertmanager(model: Model): AlertmanagerPlan {
  const { config } = model;
  const am = config.alertmanager;
  const teams = [...model.teams].sort((a, b) => (a.name < b.name ? -1 : 1));
  const severityOrder = config.severities;

  const receivers: ReceiverPlan[] = [
    { name: DEFAULT_RECEIVER, integrations: am.defaultReceiver },
    ...Object.keys(am.receivers).sort().map((name) => ({ name, integrations: am.receivers[name] })),
    ...teams.flatMap((team) =>
      Object.keys(team.receivers)
        .sort()
        .map((key) => ({ name: `${team.name}-${key}`, integrations: team.receivers[key], escalation: team.escalation.map(escalationText) })),
    ),
  ];

  const teamRoutes: RouteNode[] = teams.map((team) => ({
    receiver: team.receivers.default ? `${team.name}-default` : DEFAULT_RECEIVER,
    matchers: [matcher("team", team.name)],
    ...(team.groupBy && { groupBy: team.groupBy }),
    ...(team.repeatInterval && { repeatInterval: team.repeatInterval }),
    ...(team.muteDuring && { muteTimeIntervals: team.muteDuring }),
    routes: [
      ...team.routes.map(overrideRoute),
      ...severityOrder
        .filter((severity) => team.receivers[severity])
        .map((severity) => ({
          receiver: `${team.name}-${severity}`,
          matchers: [matcher("severity", severity)],
          ...timingOf(DEFAULT_TIMING[severity as keyof typeof DEFAULT_TIMING], am.timing[severity], team.timing?.[severity]),
          ...(team.activeDuring?.[severity] && { activeTimeIntervals: team.activeDuring[severity] }),
          routes: [],
        })),
    ],
  }));

  // A more severe alert silences the less severe ones of the same alert and service.
  const bySeverity = severityOrder.slice(0, -1).map((source, i) => ({
    sourceMatchers: [matcher("severity", source)],
    targetMatchers: [`severity=~${quote(severityOrder.slice(i + 1).join("|"))}`],
    equal: ["alertname", "service", "team"],
  }));
  // While a service is down, the alerts of the services that need it are symptoms.
  // Dependents indexed once: scanning every service for every service is quadratic.
  const dependentsOf = new Map<string, string[]>();
  for (const s of model.services) for (const needed of new Set(s.dependsOn)) dependentsOf.set(needed, [...(dependentsOf.get(needed) ?? []), s.name]);
  const byDependency = [...model.services]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((service) => {
      const down = service.alerts.filter((a) => a.serviceDown).map((a) => a.name);
      const dependents = [...(dependentsOf.get(service.name) ?? [])].sort();
      if (down.length === 0 || dependents.length === 0) return [];
      return [{
        sourceMatchers: [`alertname=~${quote([...new Set(down)].join("|"))}`, matcher("service", service.name)],
        targetMatchers: [`service=~${quote(dependents.join("|"))}`],
        equal: [],
      }];
    });
  const declared = am.inhibitRules.map((rule) => ({ sourceMatchers: matchers(rule.source), targetMatchers: matchers(rule.target), equal: rule.equal }));

  const routeTests = [
    ...am.routingTests.map((t, i) => ({ labels: t.labels, receivers: t.receivers, declaredIn: { kind: "config" as const, index: i } })),
    ...teams.flatMap((team) => team.routingTests.map((t, i) => ({ labels: t.labels, receivers: t.receivers, declaredIn: { kind: "team" as const, team: team.name, index: i } }))),
    { labels: { alertname: "VigilUnroutedProbe", team: "no-such-team", severity: severityOrder[0]! }, receivers: [DEFAULT_RECEIVER] },
    ...teams.flatMap((team) =>
      severityOrder.map((severity) => ({
        labels: { alertname: "VigilRoutingProbe", severity, team: team.name },
        receivers: [receiverName(team, severity)],
      })),
    ),
  ];

  const sources = [
    ...new Set([model.configFile, ...teams.map((t) => t.origin.location?.file), ...model.services.filter((s) => s.dependsOn.length || s.alerts.some((a) => a.serviceDown)).map((s) => s.origin.location?.file)].filter((f): f is string => !!f)),
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
      routes: [...am.routes.map(overrideRoute), ...teamRoutes],
    },
    receivers,
    inhibitRules: [...bySeverity, ...byDependency, ...declared],
    timeIntervals: Object.keys(am.timeIntervals).sort().map((name) => ({ name, ranges: am.timeIntervals[name]! })),
    routeTests,
  };
}
