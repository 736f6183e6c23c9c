/** `vigil status --format text`: a terminal summary, one line per SLO group and per alert. */
import { agoText, budgetShareText, budgetText, burnText, countsText, labelsText, sliText, sloTitle, table, timeText, verdict } from "./format.js";
import type { StatusReport } from "./report.js";

export function renderText(report: StatusReport): string {
  const out: string[] = [`Vigil status of ${report.prometheus} at ${timeText(report.at)}`, ""];

  out.push(`SLOs (${report.slos.length})`);
  if (report.slos.length === 0) out.push("  none declared");
  for (const slo of report.slos) {
    out.push(`  ${slo.service}/${slo.name}  team ${slo.team}, objective ${slo.objective}% over ${slo.period} (error budget ${budgetShareText(slo.budget)})`);
    const rows = slo.groups.map((g) => [
      `    ${Object.keys(g.labels).length > 0 ? `{${labelsText(g.labels)}}` : "all"}`,
      verdict(slo, g, report).toUpperCase(),
      `SLI ${sliText(g.sli, slo.objective)}`,
      `budget left ${budgetText(g.budgetRemaining)}`,
      `burn ${g.burnRates.map((b) => `${b.window} ${burnText(b.rate)}`).join("  ")}`,
    ]);
    out.push(table(rows, ""));
  }

  out.push("", countsText(report.alerts));
  if (report.alerts.length > 0) {
    out.push(table([["ALERT", "SERVICE", "SEVERITY", "STATE", "SINCE"], ...report.alerts.map((a) => [a.name, a.service, a.severity, a.state + (a.firingCount > 1 ? ` (${a.firingCount})` : ""), agoText(a.activeSince, report.at)])]));
    for (const a of report.alerts.filter((x) => x.error)) out.push(`  ${a.name} (${a.service}): rule error: ${a.error}`);
  }

  out.push("", `Firing alerts (${report.firing.length})`);
  if (report.firing.length === 0) out.push("  none");
  for (const a of report.firing) out.push(`  ${a.name}${a.vigil ? "" : " (not from Vigil)"} {${labelsText(a.labels)}} for ${agoText(a.activeSince, report.at)}`);

  if (report.problems.length > 0) {
    out.push("", `Problems (${report.problems.length})`);
    for (const p of report.problems) out.push(`  ${p}`);
  }
  // A group missing its numbers is worth a hint: the rules record an error ratio (0 before the first
  // error) wherever the SLI has traffic, so either they are not loaded there or nothing was counted.
  const empty = report.slos.flatMap((s) => s.groups.filter((g) => g.sli === undefined).map((g) => sloTitle(s, g)));
  if (empty.length > 0) out.push("", `No recorded SLO series for ${empty.join(", ")}: are Vigil's *.slo.rules.yaml loaded by this Prometheus, and do the SLI's metrics count any events?`);
  return `${out.join("\n")}\n`;
}
