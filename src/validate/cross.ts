import type { Anchor, Origin, Pending } from "./anchor.js";
import { checkSlos } from "./slos.js";
import { checkRouting } from "./routing.js";
import { sloDashboardUid } from "../slo/rules.js";
import { planSloOnce, sloContext } from "../slo/once.js";
import { teamOverviewUid } from "../plan/team-overview.js";
import type { Declared } from "./declared.js";
import type { Model } from "./validate.js";
import { serviceOverviewUid } from "../plan/uid.js";
import { teamSloDashboardUid } from "../plan/slo-dashboards.js";

/** Labels Vigil sets itself on every rule. */
export const RESERVED_LABELS = ["team", "service", "severity"] as const;

/** Checks across objects and files: names, references, severities, PromQL. */
export function crossCheck(model: Model, declared: Declared, configOrigin: Origin): Pending[] {
  const pending: Pending[] = [];
  const push = (code: string, message: string, anchor: Anchor, hint?: string, related?: Pending["related"]) =>
    pending.push({ diagnostic: { severity: "error", code, message, ...(hint && { hint }) }, anchor, ...(related && { related }) });

  const unique = (kind: string, code: string, entries: { name: string; anchor: Anchor }[], hint: string) => {
    const first = new Map<string, Anchor>();
    for (const { name, anchor } of entries) {
      const earlier = first.get(name);
      if (earlier) push(code, `${kind} ${JSON.stringify(name)} is declared twice`, anchor, hint, [{ message: "first declared here", anchor: earlier }]);
      else first.set(name, anchor);
    }
  };

  unique("team", "duplicate-team", declared.teams.map((t) => ({ name: t.name, anchor: { origin: t.origin, path: ["name"] } })), "give each team a unique name, or import the existing one");
  unique("service", "duplicate-service", declared.services.map((s) => ({ name: s.name, anchor: { origin: s.origin, path: ["name"] } })), "rename one of the services; names are unique across the repository");
  // The same alert name may come at several severities within one service (a warning and a
  // critical threshold): the more severe one then inhibits the other. Across services, never.
  const alerts = new Map<string, { service: string; severity: string; tier: string; anchor: Anchor }[]>();
  const sloAlerts = (service: Model["services"][number]) =>
    service.slos.flatMap((slo, i) => {
      const planned = planSloOnce(slo, sloContext(model, service));
      return planned.alerts.map((a) => ({ name: a.plan.rule.alert, severity: a.plan.severity, path: ["slos", i, "name"] as PropertyKey[], tier: a.tiers.length === 1 && slo.alerting.per === "tier" ? a.tiers[0]!.long : "" }));
    });
  for (const service of model.services) {
    const entries = [
      ...service.alerts.map((alert, i) => ({ name: alert.name, severity: alert.severity, path: ["alerts", i, "name"] as PropertyKey[], tier: "" })),
      ...sloAlerts(service),
    ];
    entries.forEach((alert) => {
      const anchor = { origin: service.origin, path: alert.path };
      const earlier = alerts.get(alert.name) ?? [];
      const clash = earlier.find((e) => e.service !== service.name || (e.severity === alert.severity && e.tier === alert.tier));
      if (clash) {
        const hint =
          clash.service === service.name
            ? "one alert per name and severity: change the severity of one (tiers) or rename it"
            : "alert names are unique across services: prefix it with the service, e.g. CheckoutHighErrorRate";
        push("duplicate-alert", `alert ${JSON.stringify(alert.name)} is declared twice`, anchor, hint, [{ message: "first declared here", anchor: clash.anchor }]);
      }
      alerts.set(alert.name, [...earlier, { service: service.name, severity: alert.severity, tier: alert.tier, anchor }]);
    });
  }
  unique(
    "recording rule",
    "duplicate-recording-rule",
    model.services.flatMap((s) => s.recordingRules.map((r, i) => ({ name: r.record, anchor: { origin: s.origin, path: ["recordingRules", i, "record"] } }))),
    "record each series once; other services can query the existing recording rule",
  );
  unique(
    "dashboard uid",
    "duplicate-dashboard-uid",
    [
      // Generated dashboards first, so that a declared one taking their uid is the one reported.
      ...model.services.flatMap((s) => [
        { name: serviceOverviewUid(s.name), anchor: { origin: s.origin, path: ["name"] } },
        ...s.slos.map((slo, i) => ({ name: sloDashboardUid(s.name, slo.name), anchor: { origin: s.origin, path: ["slos", i, "name"] } })),
      ]),
      ...model.teams.map((team) => ({ name: teamOverviewUid(team.name), anchor: { origin: team.origin, path: ["name"] } })),
      ...[...new Set(model.services.filter((s) => s.slos.length > 0).map((s) => s.team))].map((team) => ({
        name: teamSloDashboardUid(team),
        anchor: { origin: model.teams.find((t) => t.name === team)?.origin ?? { value: {}, location: undefined }, path: ["name"] },
      })),
      ...model.services.flatMap((s) => s.dashboards.map((d) => ({ name: d.uid, anchor: { origin: s.origin, path: ["dashboards", d.index] } }))),
    ],
    `dashboard uids are unique across Grafana; "<service>-overview", "slo-<service>-<slo>", "team-<team>" and "<team>-slos" are taken by generated dashboards`,
  );

  // Grafana refuses two dashboards with one title in one folder; each team is a folder.
  for (const team of model.teams) {
    const services = model.services.filter((s) => s.team === team.name);
    unique(
      "dashboard title",
      "duplicate-dashboard-title",
      [
        ...services.flatMap((s) => [
          { name: `${s.name} overview`, anchor: { origin: s.origin, path: ["name"] } },
          ...s.slos.map((slo, i) => ({ name: `${s.name} ${slo.name} SLO`, anchor: { origin: s.origin, path: ["slos", i, "name"] } })),
        ]),
        { name: `${team.name} team overview`, anchor: { origin: team.origin, path: ["name"] } },
        ...(services.some((s) => s.slos.length) ? [{ name: `${team.name} SLOs`, anchor: { origin: team.origin, path: ["name"] } }] : []),
        ...services.flatMap((s) => s.dashboards.map((d) => ({ name: d.title, anchor: { origin: s.origin, path: ["dashboards", d.index] } }))),
      ],
      `titles are unique in a Grafana folder, and each team is one: rename one of them`,
    );
  }

  // Names resolve against everything declared: a reference to an object that failed its schema is not an error of its own.
  const teams = declared.teamNames;
  const severities = new Set(declared.severities);
  const severityList = declared.severities.map((s) => JSON.stringify(s)).join(", ");

  for (const team of model.teams) {
    for (const [key, receiver] of Object.entries(team.receivers)) {
      if (receiver.email && !declared.smtp) {
        push("missing-smtp", "an e-mail receiver needs SMTP settings", { origin: team.origin, path: ["receivers", key, "email"] }, 'set alertmanager.smtp (smarthost, from) in vigil.config.ts');
      }
    }
    for (const severity of Object.keys(team.receivers)) {
      if (severity !== "default" && !severities.has(severity)) {
        push("unknown-severity", `receiver for unknown severity ${JSON.stringify(severity)}`, { origin: team.origin, path: ["receivers", severity], at: "key" }, `use one of ${severityList}, or "default"; severities are set in vigil.config.ts`);
      }
    }
  }

  for (const service of model.services) {
    const origin = service.origin;
    if (!teams.has(service.team)) {
      const known = [...teams].sort().map((t) => JSON.stringify(t)).join(", ");
      push("unknown-team", `team ${JSON.stringify(service.team)} is not declared`, { origin, path: ["team"] }, known ? `declare it with defineTeam, or use one of ${known}` : "declare the team with defineTeam and import it");
    }
    for (const label of Object.keys(service.labels ?? {})) {
      if ((RESERVED_LABELS as readonly string[]).includes(label)) push("reserved-label", `label "${label}" is set by Vigil`, { origin, path: ["labels", label], at: "key" }, "remove it; Vigil adds team, service and severity itself");
    }
    service.alerts.forEach((alert, i) => {
      if (alert.severity === model.config.severities[0] && (!alert.runbook?.triage.length || !alert.runbook?.mitigation.length)) {
        const missing = [!alert.runbook?.triage.length && "triage", !alert.runbook?.mitigation.length && "mitigation"].filter(Boolean).join(" and ");
        pending.push({
          diagnostic: { severity: "warning", code: "runbook-missing-steps", message: `paging alert ${alert.name} has no ${missing} steps in its runbook`, hint: `the on-call engineer woken by it needs them: add runbook.${missing.split(" and ")[0]} to the alert` },
          anchor: { origin, path: ["alerts", i, ...(alert.runbook ? ["runbook"] : ["name"])] },
        });
      }
      if (!severities.has(alert.severity)) {
        push("unknown-severity", `severity ${JSON.stringify(alert.severity)} is not one of the configured severities`, { origin, path: ["alerts", i, "severity"] }, `use one of ${severityList}, or add it to "severities" in vigil.config.ts`);
      }
      for (const label of Object.keys(alert.labels ?? {})) {
        if ((RESERVED_LABELS as readonly string[]).includes(label)) push("reserved-label", `label "${label}" is set by Vigil`, { origin, path: ["alerts", i, "labels", label], at: "key" }, `use the alert's "severity" field; team and service come from the service`);
      }
    });
  }
  const pushWith = (code: string, message: string, anchor: Anchor, hint?: string, severity: "error" | "warning" = "error") =>
    pending.push({ diagnostic: { severity, code, message, ...(hint && { hint }) }, anchor });
  checkSlos(model, declared, configOrigin, pushWith);
  checkRouting(model, declared, configOrigin, pushWith);
  return pending;
}
