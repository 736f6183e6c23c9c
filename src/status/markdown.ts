/** `vigil status --format markdown`: tables for a weekly review document or an issue. */
import { agoText, budgetText, burnText, countsText, labelsText, sliText, sloTitle, timeText, verdict } from "./format.js";
import type { StatusReport } from "./report.js";

/** A table cell: pipes and line breaks would end the cell or the row. */
const cell = (text: string) => text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
const code = (text: string) => (text ? `\`${text.replace(/`/g, "'")}\`` : "");
const row = (cells: readonly string[]) => `| ${cells.map(cell).join(" | ")} |`;

export function renderMarkdown(report: StatusReport): string {
  const out: string[] = [`## Vigil status at ${timeText(report.at)}`, "", `Prometheus: ${code(report.prometheus)}`, ""];

  out.push(`### SLOs (${report.slos.length})`, "");
  if (report.slos.length === 0) out.push("No SLOs declared.", "");
  else {
    out.push(row(["SLO", "Team", "Objective", "SLI", "Budget left", "Burn rate", "Status"]), "| --- | --- | ---: | ---: | ---: | --- | --- |");
    for (const slo of report.slos) {
      for (const g of slo.groups) {
        out.push(
          row([
            sloTitle(slo, g),
            slo.team,
            `${slo.objective}% / ${slo.period}`,
            sliText(g.sli, slo.objective),
            budgetText(g.budgetRemaining),
            g.burnRates.map((b) => `${b.window} ${burnText(b.rate)}`).join(", "),
            verdict(slo, g, report),
          ]),
        );
      }
    }
    out.push("");
  }

  out.push(`### Alerts`, "", `${countsText(report.alerts)}.`, "");
  const alertTable = (alerts: StatusReport["alerts"]) => [
    row(["Alert", "Service", "Severity", "State", "Since"]),
    "| --- | --- | --- | --- | --- |",
    ...alerts.map((a) => row([a.name, a.service, a.severity, a.state, agoText(a.activeSince, report.at)])),
    "",
  ];
  // The ones that need attention in plain sight; all of them folded (GitHub renders <details>).
  const notQuiet = report.alerts.filter((a) => a.state !== "inactive");
  if (notQuiet.length > 0) out.push(...alertTable(notQuiet));
  if (report.alerts.length > 0) out.push(`<details><summary>All ${report.alerts.length} alerts</summary>`, "", ...alertTable(report.alerts), "</details>", "");
  const broken = report.alerts.filter((x) => x.error);
  for (const a of broken) out.push(`- ${a.name} (${a.service}): rule error: ${a.error}`);
  if (broken.length > 0) out.push("");

  out.push(`### Firing alerts (${report.firing.length})`, "");
  if (report.firing.length === 0) out.push("None.");
  for (const a of report.firing) out.push(`- **${a.name}**${a.vigil ? "" : " (not from Vigil)"} ${code(labelsText(a.labels))}, for ${agoText(a.activeSince, report.at)}`);
  out.push("");

  if (report.problems.length > 0) {
    out.push(`### Problems`, "");
    for (const p of report.problems) out.push(`- ${p}`);
    out.push("");
  }
  return `${out.join("\n").trimEnd()}\n`;
}
