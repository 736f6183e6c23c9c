/**
 * `vigil status --format html`: one self-contained page for a weekly reliability review. No
 * external assets at all (inline CSS, inline SVG charts, no script), and a Content-Security-Policy
 * that forbids loading any, so the file opens the same from a laptop, a CI artifact or an email.
 */
import { burnDownSvg, escapeXml as esc, PALETTE } from "./chart.js";
import { agoText, alertCounts, budgetShareText, budgetText, burnText, labelsText, sliText, timeText, verdict, type Verdict } from "./format.js";
import type { SloStatus, StatusReport } from "./report.js";

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1f2328; background: #f6f8fa; }
header { background: #24292f; color: #ffffff; padding: 20px 32px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; color: #d0d7de; }
main { padding: 24px 32px; max-width: 1100px; }
h2 { font-size: 18px; margin: 28px 0 12px; }
.summary { display: flex; gap: 12px; flex-wrap: wrap; }
.tile { background: #ffffff; border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 16px; min-width: 130px; }
.tile b { display: block; font-size: 24px; }
.slo { background: #ffffff; border: 1px solid #d0d7de; border-radius: 6px; padding: 16px 20px; margin-bottom: 16px; }
.slo h3 { margin: 0 0 2px; font-size: 16px; }
.slo .meta { color: #57606a; margin: 0 0 10px; }
.figures { display: flex; gap: 24px; flex-wrap: wrap; margin: 8px 0; align-items: center; }
.figures .label { display: block; color: #57606a; font-size: 12px; }
.figures div b { font-size: 20px; }
.bar { width: 160px; height: 10px; background: #eaeef2; border-radius: 5px; overflow: hidden; }
.bar i { display: block; height: 100%; background: #1a7f37; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #ffffff; }
.v-ok, .s-inactive { background: #1a7f37; }
.v-burning, .s-pending { background: #bc4c00; }
.v-exhausted, .s-firing { background: #cf222e; }
.v-no-data, .s-not-loaded { background: #6e7781; }
table { border-collapse: collapse; background: #ffffff; width: 100%; margin: 6px 0; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
code { font: 12px ui-monospace, "DejaVu Sans Mono", monospace; }
svg.burndown { width: 100%; height: auto; display: block; margin-top: 8px; }
.legend { display: flex; gap: 14px; flex-wrap: wrap; font-size: 12px; color: #57606a; }
.legend i { display: inline-block; width: 14px; height: 3px; margin-right: 4px; vertical-align: middle; }
.problems li { color: #cf222e; }
footer { color: #57606a; padding: 0 32px 24px; font-size: 12px; }
`;

const badge = (v: Verdict) => `<span class="badge v-${v.replace(" ", "-")}">${esc(v)}</span>`;
const anchor = (slo: SloStatus) => `slo-${slo.service}-${slo.name}`.replace(/[^a-zA-Z0-9_-]/g, "-");

function sloSection(slo: SloStatus, report: StatusReport): string {
  const groups = slo.groups.map((g) => {
    const left = g.budgetRemaining === undefined ? 0 : Math.max(0, Math.min(1, g.budgetRemaining));
    const burn = g.burnRates.map((b) => `<td class="num">${esc(burnText(b.rate))}</td>`).join("");
    return `<div class="group">
${Object.keys(g.labels).length > 0 ? `<h4><code>${esc(labelsText(g.labels))}</code></h4>` : ""}
<div class="figures">
<div><span class="label">status</span>${badge(verdict(slo, g, report))}</div>
<div><span class="label">SLI over ${esc(slo.period)}</span><b>${esc(sliText(g.sli, slo.objective))}</b></div>
<div><span class="label">error budget left</span><b>${esc(budgetText(g.budgetRemaining))}</b><div class="bar"><i style="width:${(left * 100).toFixed(1)}%"></i></div></div>
</div>
<table class="burn"><tr><th>burn rate</th>${g.burnRates.map((b) => `<th>${esc(b.window)}</th>`).join("")}</tr><tr><td>x budget</td>${burn}</tr></table>
</div>`;
  });
  const drawn = slo.groups.filter((g) => g.burnDown.length > 0);
  const legend =
    drawn.length > 1 || slo.groupBy.length > 0
      ? `<div class="legend">${drawn.map((g, i) => `<span><i style="background:${PALETTE[i % PALETTE.length]}"></i>${esc(labelsText(g.labels))}</span>`).join("")}<span><i style="background:#8c959f"></i>even burn</span></div>`
      : `<div class="legend"><span><i style="background:${PALETTE[0]}"></i>budget left</span><span><i style="background:#8c959f"></i>even burn</span></div>`;
  return `<article class="slo" id="${anchor(slo)}">
<h3>${esc(`${slo.service}/${slo.name}`)}</h3>
<p class="meta">team ${esc(slo.team)} · objective ${esc(String(slo.objective))}% over ${esc(slo.period)} · error budget ${esc(budgetShareText(slo.budget))} of events · ${esc(slo.kind)} SLI${slo.alerts.length ? ` · alerts ${esc(slo.alerts.join(", "))}` : ""}</p>
${slo.description ? `<p>${esc(slo.description)}</p>` : ""}
${groups.join("\n")}
<h4>Error budget burn-down over ${esc(slo.period)}</h4>
${burnDownSvg(slo, report.at)}
${legend}
</article>`;
}

export function renderHtml(report: StatusReport): string {
  const counts = alertCounts(report.alerts);
  const verdicts = report.slos.flatMap((s) => s.groups.map((g) => verdict(s, g, report)));
  const tile = (label: string, value: number) => `<div class="tile"><b>${value}</b>${esc(label)}</div>`;
  const firingRows = report.firing.map(
    (a) => `<tr><td>${esc(a.name)}${a.vigil ? "" : " <small>(not from Vigil)</small>"}</td><td><code>${esc(labelsText(a.labels))}</code></td><td>${esc(agoText(a.activeSince, report.at))}</td></tr>`,
  );
  const alertRows = report.alerts.map(
    (a) =>
      `<tr><td>${esc(a.name)}</td><td>${esc(a.service)}</td><td>${esc(a.team)}</td><td>${esc(a.severity)}</td><td><span class="badge s-${a.state}">${esc(a.state)}</span>${a.error ? ` <small>${esc(a.error)}</small>` : ""}</td><td>${esc(agoText(a.activeSince, report.at))}</td></tr>`,
  );
  const title = `Vigil status at ${timeText(report.at)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>Vigil status</h1><p>Prometheus <code>${esc(report.prometheus)}</code> at ${esc(timeText(report.at))}</p></header>
<main>
<section class="summary">
${tile("SLOs", report.slos.length)}
${tile("within budget", verdicts.filter((v) => v === "ok").length)}
${tile("burning", verdicts.filter((v) => v === "burning").length)}
${tile("budget exhausted", verdicts.filter((v) => v === "exhausted").length)}
${tile("alerts firing", counts.firing)}
${tile("alerts not loaded", counts["not-loaded"])}
</section>
<h2>SLOs</h2>
${report.slos.length ? report.slos.map((s) => sloSection(s, report)).join("\n") : "<p>No SLOs declared.</p>"}
<h2>Firing alerts (${report.firing.length})</h2>
${firingRows.length ? `<table><tr><th>alert</th><th>labels</th><th>firing for</th></tr>\n${firingRows.join("\n")}\n</table>` : "<p>None.</p>"}
<h2>Alerts (${report.alerts.length})</h2>
${alertRows.length ? `<table><tr><th>alert</th><th>service</th><th>team</th><th>severity</th><th>state</th><th>active for</th></tr>\n${alertRows.join("\n")}\n</table>` : "<p>No alerts declared.</p>"}
${report.problems.length ? `<h2>Problems</h2>\n<ul class="problems">${report.problems.map((p) => `<li>${esc(p)}</li>`).join("")}</ul>` : ""}
</main>
<footer>Generated by <code>vigil status</code>. Numbers from Vigil's recorded <code>slo:*</code> series; burn-down from the SLIs' own metrics, one step every ${esc(stepText(report))}.</footer>
</body>
</html>
`;
}

function stepText(report: StatusReport): string {
  const steps = [...new Set(report.slos.map((s) => s.burnDownStep))].sort((a, b) => a - b);
  return steps.length ? steps.map((s) => (s % 3600 === 0 ? `${s / 3600}h` : `${s / 60}m`)).join(" / ") : "-";
}
