/**
 * How every status renderer writes numbers, times and verdicts, so that text, markdown and HTML
 * say the same thing in the same words. Pure and deterministic: times in UTC, fixed decimals.
 */
import type { AlertStatus, SloGroupStatus, SloStatus, StatusReport } from "./report.js";

/** Decimals of a declared objective: 99.95 has 2. */
function decimalsOf(objective: number): number {
  return String(objective).split(".")[1]?.length ?? 0;
}

/** An SLI with one decimal more than its objective (at least 2): 99.9 -> "99.950%". */
export function sliText(sli: number | undefined, objective: number): string {
  return sli === undefined ? "no data" : `${(sli * 100).toFixed(Math.max(2, decimalsOf(objective) + 1))}%`;
}

/** A share of the budget: "50.0%", "-12.5%" when overspent. */
export function budgetText(remaining: number | undefined): string {
  return remaining === undefined ? "no data" : `${(remaining * 100).toFixed(1)}%`;
}

/** The error budget as a share of events, exact: 0.0005 -> "0.05%". */
export function budgetShareText(budget: number): string {
  return `${Number((budget * 100).toPrecision(6))}%`;
}

/** A burn rate: "0.50x"; 1x spends the budget exactly over the period. */
export function burnText(rate: number | undefined): string {
  if (rate === undefined) return "-";
  return `${rate >= 100 ? rate.toFixed(0) : rate.toFixed(2)}x`;
}

/** Unix seconds as "2024-05-06 09:00:00 UTC". */
export function timeText(t: number): string {
  return `${new Date(t * 1000).toISOString().replace("T", " ").replace(/\.\d+Z$/, "")} UTC`;
}

/** Unix seconds as a short date for chart axes: "May 06 09:00". */
export function shortTime(t: number): string {
  const d = new Date(t * 1000);
  const month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][d.getUTCMonth()]!;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${month} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** How long ago, coarse: "3d 4h", "2h 10m", "45s". */
export function agoText(since: number | undefined, at: number): string {
  if (since === undefined) return "-";
  let rest = Math.max(0, Math.round(at - since));
  const parts: string[] = [];
  for (const [unit, size] of [["d", 86_400], ["h", 3600], ["m", 60], ["s", 1]] as const) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push(`${count}${unit}`);
    if (parts.length === 2) break;
  }
  return parts.join(" ") || "0s";
}

export function labelsText(labels: Record<string, string>): string {
  return Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(", ");
}

/** An SLO's name with its group: "api/availability" or "api/availability {route="/pay"}". */
export function sloTitle(slo: SloStatus, group?: SloGroupStatus): string {
  const labels = group && Object.keys(group.labels).length > 0 ? ` {${labelsText(group.labels)}}` : "";
  return `${slo.service}/${slo.name}${labels}`;
}

export type Verdict = "exhausted" | "burning" | "ok" | "no data";

/**
 * One word per SLO group for a review: its budget is spent, one of its burn alerts fires, it is
 * within budget, or Prometheus has none of its series (rules not loaded, no traffic).
 */
export function verdict(slo: SloStatus, group: SloGroupStatus, report: Pick<StatusReport, "firing">): Verdict {
  if (group.budgetRemaining === undefined && group.sli === undefined) return "no data";
  if (group.budgetRemaining !== undefined && group.budgetRemaining <= 0) return "exhausted";
  const firing = report.firing.some(
    (a) => a.labels.slo === slo.name && a.labels.service === slo.service && Object.entries(group.labels).every(([k, v]) => a.labels[k] === v),
  );
  return firing ? "burning" : "ok";
}

export function alertCounts(alerts: readonly AlertStatus[]): Record<AlertStatus["state"], number> {
  const counts = { firing: 0, pending: 0, inactive: 0, "not-loaded": 0 };
  for (const a of alerts) counts[a.state]++;
  return counts;
}

export function countsText(alerts: readonly AlertStatus[]): string {
  const c = alertCounts(alerts);
  return `${alerts.length} alerts: ${c.firing} firing, ${c.pending} pending, ${c.inactive} inactive, ${c["not-loaded"]} not loaded`;
}

/** Columns padded to their widest cell; the last column is not padded. */
export function table(rows: readonly (readonly string[])[], indent = "  "): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => `${indent}${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ")}`.trimEnd()).join("\n");
}
