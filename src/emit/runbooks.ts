import type { AlertPlan, PlannedStep, Plan, ServicePlan } from "../plan/types.js";
import { bulletList, codeBlock, document, heading, inlineCode, MarkdownText, orderedList, table } from "./markdown.js";
import type { OutputFile } from "./output.js";

function steps(md: MarkdownText, list: readonly PlannedStep[]): string {
  return orderedList(list.map((s) => ({ text: md.user(s.text), ...(s.query && { block: codeBlock("promql", s.query) }) })));
}

function dashboardLink(plan: Plan, md: MarkdownText, uid: string, title: string): string {
  const base = plan.config.grafana.url?.replace(/\/$/, "");
  return base ? `[${md.user(title)}](${base}/d/${uid})` : `${md.user(title)} (uid ${inlineCode(uid)})`;
}

function alertSection(md: MarkdownText, service: ServicePlan, alert: AlertPlan): string[] {
  const rule = alert.rule;
  const facts = [
    `**Severity:** ${alert.severity}`,
    `**For:** ${rule.for ?? "0s (fires at once)"}`,
    ...(rule.keepFiringFor ? [`**Keeps firing for:** ${rule.keepFiringFor}`] : []),
    `**Notifies:** ${inlineCode(service.receivers[alert.severity] ?? "vigil-default")}`,
  ];
  const none = (what: string, field: string) => `_No ${what} written yet: add ${inlineCode(`runbook.${field}`)} to this alert._`;
  return [
    heading(2, md.user(alert.heading)),
    facts.join(" · "),
    `> ${md.user(alert.summary)}`,
    ...(alert.meaning ? [`**What it means.** ${md.user(alert.meaning)}`] : []),
    ...(alert.impact ? [`**Customer impact.** ${md.user(alert.impact)}`] : []),
    `**Description** (filled in by Prometheus when it fires): ${inlineCode(alert.description)}`,
    "**Triage**",
    alert.triage.length ? steps(md, alert.triage) : none("triage steps are", "triage"),
    "**Mitigation**",
    alert.mitigation.length ? steps(md, alert.mitigation) : none("mitigation steps are", "mitigation"),
    "**Escalation**",
    alert.escalation.length ? orderedList(alert.escalation.map((who) => ({ text: md.user(who) }))) : "_No escalation is declared for this team._",
    "**Alert rule**",
    codeBlock("promql", rule.expr),
    `Labels: ${Object.entries(rule.labels).map(([k, v]) => inlineCode(`${k}=${v}`)).join(", ")}`,
    ...(alert.links.length ? ["**Links**", bulletList(alert.links.map((l) => `[${md.user(l.title)}](${md.user(l.url)})`))] : []),
  ];
}

function servicePage(plan: Plan, service: ServicePlan): OutputFile {
  const md = new MarkdownText();
  const escalation = service.escalation.length ? ` · Escalation: ${service.escalation.map((who) => md.user(who)).join(" → ")}` : "";
  const alertTable = table(
    ["Alert", "Severity", "For", "Summary"],
    service.alerts.map((a) => [`[${md.cell(a.heading)}](#${a.anchor})`, a.severity, a.rule.for ?? "0s", md.cell(a.summary)]),
  );
  const content = document([
    heading(1, service.name),
    `Team: **${service.team}**${escalation}`,
    service.description ? md.user(service.description) : "",
    `Dashboards: ${service.dashboards.map((d) => dashboardLink(plan, md, d.uid, d.title)).join(", ")}`,
    ...(service.alerts.length ? [alertTable, ...service.alerts.flatMap((a) => alertSection(md, service, a))] : ["This service declares no alerts."]),
  ]);
  return { path: `runbooks/${service.team}/${service.name}.md`, sources: service.sources, content, ...(md.needsPrettier && { format: "markdown" as const }) };
}

function indexPage(plan: Plan): OutputFile {
  const md = new MarkdownText();
  const teams = [...new Set(plan.services.map((s) => s.team))];
  const sections = teams.flatMap((team) => {
    const services = plan.services.filter((s) => s.team === team);
    const lines = services.map((s) => {
      const bySeverity = plan.config.severities
        .map((severity) => [severity, s.alerts.filter((a) => a.severity === severity)] as const)
        .filter(([, alerts]) => alerts.length > 0)
        .map(([severity, alerts]) => `  - ${severity}: ${alerts.map((a) => `[${md.user(a.heading)}](${s.team}/${s.name}.md#${a.anchor})`).join(", ")}`);
      return [`- [${s.name}](${s.team}/${s.name}.md)${s.description ? `: ${md.user(s.description)}` : ""}`, ...bySeverity].join("\n");
    });
    return [heading(2, team), lines.join("\n")];
  });
  const counts = plan.config.severities.map((severity) => `${plan.services.reduce((n, s) => n + s.alerts.filter((a) => a.severity === severity).length, 0)} ${severity}`);
  const content = document([heading(1, "Runbooks"), `Every alert, by team, service and severity (${counts.join(", ")}).`, ...sections]);
  return {
    path: "runbooks/README.md",
    sources: [...new Set(plan.services.flatMap((s) => s.sources))].sort(),
    content,
    ...(md.needsPrettier && { format: "markdown" as const }),
  };
}

/**
 * Markdown runbooks, one page per service, one section per alert (the anchor `runbook_url`
 * points at), and an index, written in prettier's canonical form.
 */
export function emitRunbooks(plan: Plan): OutputFile[] {
  return [indexPage(plan), ...plan.services.map((service) => servicePage(plan, service))];
}
