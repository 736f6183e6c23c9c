import { planDetection } from "../detection/detect.js";
import { detectionText } from "../detection/text.js";
import { DEFAULT_RESPONSE_TIMES } from "../model/runbook.js";
import type { AlertPlan, PlannedStep, Plan, ServicePlan } from "../plan/types.js";
import { blockquote, bulletList, codeBlock, document, heading, inlineCode, link, MarkdownText, orderedList, table, urlComponent } from "./markdown.js";
import type { OutputFile } from "./output.js";
import { rulesPath, sloRulesPath } from "./prometheus.js";

const trimSlash = (url: string | undefined) => url?.replace(/\/+$/, "");

/** Prometheus's graph page with the query over the last hour. */
export function prometheusQueryUrl(baseUrl: string, expr: string): string {
  return `${trimSlash(baseUrl)}/graph?g0.expr=${urlComponent(expr)}&g0.tab=0&g0.range_input=1h`;
}

/** Grafana Explore (URL schema 1) with the query on the "prometheus" data source over the last hour. */
export function grafanaExploreUrl(baseUrl: string, expr: string): string {
  const panes = { a: { datasource: "prometheus", queries: [{ refId: "A", expr }], range: { from: "now-1h", to: "now" } } };
  return `${trimSlash(baseUrl)}/explore?schemaVersion=1&panes=${urlComponent(JSON.stringify(panes))}&orgId=1`;
}

/** The links under a step's query: to Prometheus and to Grafana Explore, where their URLs are known. */
function queryLinks(plan: Plan, md: MarkdownText, expr: string): string {
  const { prometheus, grafana } = plan.config;
  return [
    ...(prometheus.url ? [link("Open in Prometheus", prometheusQueryUrl(md.url(prometheus.url), expr))] : []),
    ...(grafana.url ? [link("Open in Grafana Explore", grafanaExploreUrl(md.url(grafana.url), expr))] : []),
  ].join(" · ");
}

function steps(plan: Plan, md: MarkdownText, list: readonly PlannedStep[]): string {
  return orderedList(
    list.map((s) => {
      if (!s.query) return { text: md.user(s.text) };
      const links = queryLinks(plan, md, s.query);
      return { text: md.user(s.text), block: codeBlock("promql", s.query) + (links ? `\n\n${links}` : "") };
    }),
  );
}

/** The expected response time of a severity: the config's, over the defaults. */
export function responseTime(plan: Plan, severity: string): string | undefined {
  return { ...DEFAULT_RESPONSE_TIMES, ...plan.config.runbooks.responseTimes }[severity];
}

/** Where a runbook section is published, or its anchor on the page when `runbooks.baseUrl` is not set. */
function sectionUrl(plan: Plan, service: ServicePlan, alert: AlertPlan): string {
  const base = trimSlash(plan.config.runbooks.baseUrl);
  return base ? `${base}/${service.team}/${service.name}.md#${alert.anchor}` : `#${alert.anchor}`;
}

/** The "Internal update" and "Customer update" quotes; page alerts without their own internal one get a default. */
function communication(plan: Plan, md: MarkdownText, service: ServicePlan, alert: AlertPlan): string[] {
  const { internal, external } = alert.communication ?? {};
  const quote = (label: string, body: string) => blockquote(`**${label}**\n\n${body}`);
  const blocks: string[] = [];
  if (internal) blocks.push(quote("Internal update", md.user(internal)));
  else if (alert.severity === "page") {
    const body =
      `${md.user(alert.rule.alert)} is firing for service ${md.user(service.name)} (team ${md.user(service.team)}). ` +
      `We are investigating; runbook: ${link(md.user(alert.heading), md.url(sectionUrl(plan, service, alert)))}.`;
    blocks.push(quote("Internal update", body), `_Default template: add ${inlineCode("runbook.communication.internal")} to this ${alert.origin === "slo" ? "SLO" : "alert"} to write your own._`);
  }
  if (external) blocks.push(quote("Customer update", md.user(external)));
  return blocks.length ? ["**Communication**", ...blocks] : [];
}

function dashboardLink(plan: Plan, md: MarkdownText, uid: string, title: string): string {
  const base = plan.config.grafana.url?.replace(/\/$/, "");
  return base ? `[${md.user(title)}](${base}/d/${uid})` : `${md.user(title)} (uid ${inlineCode(uid)})`;
}

/**
 * The alert's description template as written: in a code span when it is one line, else in a
 * code block under its label, which keeps its lines (a code span would run them together).
 */
function descriptionBlocks(description: string): string[] {
  const label = "**Description** (filled in by Prometheus when it fires):";
  // Trailing line breaks (a YAML block scalar's) are no line of their own.
  const text = description.replace(/\s*\n\s*$/, "");
  return text.includes("\n") ? [label, codeBlock("text", text)] : [`${label} ${inlineCode(text)}`];
}

function alertSection(plan: Plan, md: MarkdownText, service: ServicePlan, alert: AlertPlan): string[] {
  const rule = alert.rule;
  const response = responseTime(plan, alert.severity);
  const facts = [
    `**Severity:** ${alert.severity}`,
    `**Expected response:** ${response ? md.user(response) : "not set"}`,
    `**For:** ${rule.for ?? "0s (fires at once)"}`,
    ...(rule.keepFiringFor ? [`**Keeps firing for:** ${rule.keepFiringFor}`] : []),
    `**Notifies:** ${inlineCode(service.receivers[alert.severity] ?? "vigil-default")}`,
  ];
  const none = (what: string, field: string) => `_No ${what} written yet: add ${inlineCode(`runbook.${field}`)} to this alert._`;
  return [
    heading(2, md.user(alert.heading)),
    facts.join(" · "),
    // Paging alerts say how soon they catch a failure (src/detection): what the on-call can expect.
    ...(alert.severity === plan.config.severities[0] ? [`**Detection:** ${md.user(detectionText(planDetection(plan, service, alert)))}`] : []),
    `> ${md.user(alert.summary)}`,
    ...(alert.meaning ? [`**What it means.** ${md.user(alert.meaning)}`] : []),
    ...(alert.impact ? [`**Customer impact.** ${md.user(alert.impact)}`] : []),
    ...descriptionBlocks(alert.description),
    "**Triage**",
    alert.triage.length ? steps(plan, md, alert.triage) : none("triage steps are", "triage"),
    "**Mitigation**",
    alert.mitigation.length ? steps(plan, md, alert.mitigation) : none("mitigation steps are", "mitigation"),
    "**Escalation**",
    alert.escalation.length ? orderedList(alert.escalation.map((who) => ({ text: md.user(who) }))) : "_No escalation is declared for this team._",
    ...communication(plan, md, service, alert),
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
  // Relative to the page (runbooks/<team>/<service>.md), so that it works wherever the repository is browsed.
  const rules = [
    ...(service.ruleGroups.length ? [rulesPath(service)] : []),
    ...(service.sloRuleGroups.length ? [sloRulesPath(service)] : []),
  ].map((file) => link(md.user(file.split("/").pop()!), md.url(`../../${file}`)));
  const content = document([
    heading(1, service.name),
    `Team: **${service.team}**${escalation}`,
    service.description ? md.user(service.description) : "",
    `Dashboards: ${service.dashboards.map((d) => dashboardLink(plan, md, d.uid, d.title)).join(", ")}`,
    ...(rules.length ? [`Prometheus rules: ${rules.join(", ")}`] : []),
    ...(service.alerts.length ? [alertTable, ...service.alerts.flatMap((a) => alertSection(plan, md, service, a))] : ["This service declares no alerts."]),
  ]);
  return { path: `runbooks/${service.team}/${service.name}.md`, sources: service.sources, content, ...(md.needsPrettier && { format: "markdown" as const }) };
}

/** `runbooks/README.md`; exported for watch mode, which rebuilds it without the pages. */
export function indexPage(plan: Plan): OutputFile {
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
