import { closeNames } from "../check/closest.js";
import { findSecrets } from "../check/secrets.js";
import type { Receiver } from "../model/team.js";
import { DEFAULT_RECEIVER, receiverName } from "../plan/alertmanager.js";
import type { Anchor, Origin } from "./anchor.js";
import { field, keysOf, type Declared } from "./declared.js";
import type { Model } from "./validate.js";

type Push = (code: string, message: string, anchor: Anchor, hint?: string, severity?: "error" | "warning") => void;

const versionAtLeast = (version: string, wanted: [number, number]) => {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major > wanted[0] || (major === wanted[0] && minor >= wanted[1]);
};

/** Integrations an Alertmanager version cannot take. */
function newerOnly(receiver: Receiver): string[] {
  return [...(receiver.msteams ? ["msteams"] : []), ...(receiver.webhook && "urlFile" in receiver.webhook ? ["webhook.urlFile"] : [])];
}

/** Routing checks: names that must exist, versions, alerts nobody gets, secrets written out. */
export function checkRouting(model: Model, declared: Declared, configOrigin: Origin, push: Push): void {
  const am = model.config.alertmanager;
  // Names resolve against everything declared, including objects that failed their schema
  // (already reported): the model alone would call them undeclared.
  const intervals = declared.timeIntervals;
  const severities = new Set(declared.severities);
  const receiverNames = new Set([DEFAULT_RECEIVER, ...declared.receivers]);
  const services = declared.serviceNames;
  const known = (set: Set<string>) => [...set].sort().map((n) => JSON.stringify(n)).join(", ") || "none";

  const checkReceiver = (name: string, anchor: Anchor) => {
    if (!receiverNames.has(name)) push("unknown-receiver", `receiver ${JSON.stringify(name)} does not exist`, anchor, `use one of ${known(receiverNames)}`);
  };
  const checkVersion = (receiver: Receiver, anchor: Anchor) => {
    for (const field of newerOnly(receiver)) {
      if (!versionAtLeast(am.version, [0, 26])) push("needs-newer-alertmanager", `${field} needs Alertmanager 0.26 or later (configured: ${am.version})`, anchor, 'set alertmanager.version to "0.26" or later in vigil.config.ts, or use another integration');
    }
  };

  am.routes.forEach((route, i) => checkReceiver(route.receiver, { origin: configOrigin, path: ["alertmanager", "routes", i, "receiver"] }));
  am.routingTests.forEach((test, i) => test.receivers.forEach((r, j) => checkReceiver(r, { origin: configOrigin, path: ["alertmanager", "routingTests", i, "receivers", j] })));
  Object.entries(am.receivers).forEach(([name, receiver]) => checkVersion(receiver, { origin: configOrigin, path: ["alertmanager", "receivers", name] }));
  if (am.defaultReceiver) checkVersion(am.defaultReceiver, { origin: configOrigin, path: ["alertmanager", "defaultReceiver"] });

  const checkTimingKeys = (timing: unknown, origin: Origin, path: PropertyKey[]) => {
    for (const severity of keysOf(timing)) {
      if (severities.has(severity)) continue;
      const close = closeNames(severity, severities);
      const guess = close.length > 0 ? `did you mean ${JSON.stringify(close[0])}? ` : "";
      push("unknown-severity", `timing names unknown severity ${JSON.stringify(severity)}, so it applies to no alert`, { origin, path: [...path, severity], at: "key" }, `${guess}use a configured severity (${known(severities)})`);
    }
  };
  // Read as written: a config that failed its schema still holds the keys its author meant.
  checkTimingKeys(field(field(configOrigin.value, "alertmanager"), "timing"), configOrigin, ["alertmanager", "timing"]);

  for (const team of model.teams) {
    const origin = team.origin;
    checkTimingKeys(team.timing, origin, ["timing"]);
    Object.entries(team.receivers).forEach(([key, receiver]) => checkVersion(receiver, { origin, path: ["receivers", key] }));
    team.routes.forEach((route, i) => checkReceiver(route.receiver, { origin, path: ["routes", i, "receiver"] }));
    team.routingTests.forEach((test, i) => test.receivers.forEach((r, j) => checkReceiver(r, { origin, path: ["routingTests", i, "receivers", j] })));
    for (const [severity, names] of Object.entries(team.activeDuring ?? {})) {
      if (!severities.has(severity)) push("unknown-severity", `activeDuring names unknown severity ${JSON.stringify(severity)}`, { origin, path: ["activeDuring", severity], at: "key" }, "use a configured severity");
      names.forEach((name, i) => {
        if (!intervals.has(name)) push("unknown-time-interval", `time interval ${JSON.stringify(name)} is not declared`, { origin, path: ["activeDuring", severity, i] }, `declare it in alertmanager.timeIntervals of vigil.config.ts (declared: ${known(intervals)})`);
      });
    }
    (team.muteDuring ?? []).forEach((name, i) => {
      if (!intervals.has(name)) push("unknown-time-interval", `time interval ${JSON.stringify(name)} is not declared`, { origin, path: ["muteDuring", i] }, `declare it in alertmanager.timeIntervals of vigil.config.ts (declared: ${known(intervals)})`);
    });
  }

  const teams = new Map(model.teams.map((t) => [t.name, t]));
  for (const service of model.services) {
    service.dependsOn.forEach((name, i) => {
      if (!services.has(name)) push("unknown-service", `service ${JSON.stringify(name)} is not declared`, { origin: service.origin, path: ["dependsOn", i] }, `use one of ${known(services)}`);
    });
    const team = teams.get(service.team);
    if (!team) continue;
    service.alerts.forEach((alert, i) => {
      if (severities.has(alert.severity) && receiverName(team, alert.severity) === DEFAULT_RECEIVER) {
        push(
          "alert-unrouted",
          `alert ${alert.name} (${alert.severity}) reaches only the catch-all receiver: team ${team.name} has no ${alert.severity} or default receiver`,
          { origin: service.origin, path: ["alerts", i, "severity"] },
          `give team ${team.name} a receiver for ${alert.severity} (or a default one)`,
          "warning",
        );
      }
    });
  }

  // Secrets: anywhere in the config, the teams and the services.
  const scan = (origin: Origin) => {
    for (const found of findSecrets(origin.value)) {
      push("literal-secret", `${found.path.map(String).join(".")} holds what looks like a ${found.kind}`, { origin, path: found.path }, "keep secrets out of monitors: put it in a file Alertmanager reads (the *File fields), and rotate the exposed one");
    }
  };
  scan(configOrigin);
  model.teams.forEach((t) => scan(t.origin));
  // A service holds its team object (team: payments): the team's own scan covers it.
  model.services.forEach((s) => scan({ ...s.origin, value: withoutTeam(s.origin.value) }));
}

function withoutTeam(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  const { team: _team, ...rest } = value as Record<string, unknown>;
  return rest;
}
