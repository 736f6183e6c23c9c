import type { AlertPlan, PlannedStep, Plan, ServicePlan } from "../plan/types.js";
import type { OutputFile } from "./output.js";

const fence = (lang: string, code: string) => {
  const ticks = code.includes("```") ? "~~~~" : "```";
  return `${ticks}${lang}\n${code}\n${ticks}`;
};

function steps(list: readonly PlannedStep[]): string {
  return list.map((s, i) => `${i + 1}. ${s.text}${s.query ? `\n\n${indent(fence("promql", s.query))}` : ""}`).join("\n");
}

function indent(text: string): string {
  return text.split("\n").map((line) => (line ? `   ${line}` : line)).join("\n");
}

const inlineCode = (text: string) => (text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``);

function dashboardLink(plan: Plan, uid: string, title: string): string {
  const base = plan.config.grafana.url?.replace(/\/$/, "");
  return base ? `[${title}](${base}/d/${uid})` : `${title} (uid ${inlineCode(uid)})`;
}

function alertSection(plan: Plan, service: ServicePlan, alert: AlertPlan): string {
  const rule = alert.rule;
  const facts = [
    `**Severity:** ${alert.severity}`,
    `**For:** ${rule.for ?? "0s (fires at once)"}`,
    ...(rule.keepFiringFor ? [`**Keeps firing for:** ${rule.keepFiringFor}`] : []),
    `**Notifies:** ${inlineCode(service.receivers[alert.severity] ?? "vigil-default")}`,
  ];
  const parts = [
    `## ${alert.heading}`,
    facts.join(" · "),
    `> ${alert.summary}`,
    ...(alert.meaning ? [`**What it means.** ${alert.meaning}`] : []),
    `**Description** (filled in by Prometheus when it fires): ${inlineCode(alert.description)}`,
    ...(alert.impact ? [`**Customer impact.** ${alert.impact}`] : []),
    "**Triage**",
    alert.triage.length ? steps(alert.triage) : "_No triage steps are written yet: add `runbook.triage` to this alert._",
    "**Mitigation**",
    alert.mitigation.length ? steps(alert.mitigation) : "_No mitigation steps are written yet: add `runbook.mitigation` to this alert._",
    "**Escalation**",
    alert.escalation.length ? alert.escalation.map((who, i) => `${i + 1}. ${who}`).join("\n") : "_No escalation is declared for this team._",
    "**Alert rule**",
    fence("promql", rule.expr),
    `Labels: ${Object.entries(rule.labels).map(([k, v]) => inlineCode(`${k}=${v}`)).join(", ")}`,
    ...(alert.links.length ? ["**Links**", alert.links.map((l) => `- [${l.title}](${l.url})`).join("\n")] : []),
  ];
  return parts.join("\n\n");
}

function servicePage(plan: Plan, service: ServicePlan): string {
  const table = [
    "| Alert | Severity | For | Summary |",
    "| --- | --- | --- | --- |",
    ...service.alerts.map((a) => `| [${a.heading}](#${a.anchor}) | ${a.severity} | ${a.rule.for ?? "0s"} | ${a.summary.replace(/\|/g, "\\|")} |`),
  ].join("\n");
  return [
    `# ${service.name}`,
    `Team: **${service.team}**${service.escalation.length ? ` · Escalation: ${service.escalation.join(" → ")}` : ""}`,
    ...(service.description ? [service.description] : []),
    `Dashboards: ${service.dashboards.map((d) => dashboardLink(plan, d.uid, d.title)).join(", ")}`,
    ...(service.alerts.length ? [table, ...service.alerts.map((a) => alertSection(plan, service, a))] : ["This service declares no alerts."]),
  ].join("\n\n");
}

function indexPage(plan: Plan): string {
  const teams = [...new Set(plan.services.map((s) => s.team))];
  const sections = teams.map((team) => {
    const services = plan.services.filter((s) => s.team === team);
    const lines = services.map((s) => {
      const bySeverity = plan.config.severities
        .map((severity) => [severity, s.alerts.filter((a) => a.severity === severity)] as const)
        .filter(([, alerts]) => alerts.length > 0)
        .map(([severity, alerts]) => `  - ${severity}: ${alerts.map((a) => `[${a.heading}](${s.team}/${s.name}.md#${a.anchor})`).join(", ")}`);
      return [`- [${s.name}](${s.team}/${s.name}.md)${s.description ? `: ${s.description}` : ""}`, ...bySeverity].join("\n");
    });
    return [`## ${team}`, lines.join("\n")].join("\n\n");
  });
  const counts = plan.config.severities.map((severity) => `${plan.services.reduce((n, s) => n + s.alerts.filter((a) => a.severity === severity).length, 0)} ${severity}`);
  return ["# Runbooks", `Every alert, by team, service and severity (${counts.join(", ")}).`, ...sections].join("\n\n");
}

/**
 * Markdown runbooks, one page per service, one section per alert (the anchor `runbook_url`
 * points at), and an index. Formatting is left to the format stage (prettier).
 */
export function emitRunbooks(plan: Plan): OutputFile[] {
  return [
    { path: "runbooks/README.md", sources: [...new Set(plan.services.flatMap((s) => s.sources))].sort(), content: `${indexPage(plan)}\n` },
    ...plan.services.map((service) => ({
      path: `runbooks/${service.team}/${service.name}.md`,
      sources: service.sources,
      content: `${servicePage(plan, service)}\n`,
    })),
  ];
}
