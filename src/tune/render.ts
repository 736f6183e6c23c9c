/** A tune report as text, a Markdown section, or JSON. Deterministic for one report. */
import { formatDuration } from "../model/duration.js";
import { stableJson } from "../emit/output.js";
import { code } from "../diff/markdown.js";
import { duration as days, isoTime } from "../backtest/render.js";
import type { Candidate, TuneReport } from "./tune.js";

export const TUNE_MARKER = "<!-- vigil-tune -->";

/** Six significant digits, without trailing zeros. */
export const num = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(6))) : String(v));
const perWeek = (v: number) => String(Number(v.toFixed(1)));
const duration = (ms: number) => days(Math.round(ms / 1000) * 1000);

function title(report: TuneReport): string {
  const t = report.target;
  const rule = t.threshold !== undefined ? `${t.expr} ${t.op} ${num(t.threshold)}` : t.expr;
  const name = t.threshold !== undefined || t.severity !== undefined ? `${t.name}${t.severity ? ` (${t.severity})` : ""}: ` : "";
  return `${name}${rule}, for ${formatDuration(t.forMs)}${t.keepFiringForMs > 0 ? `, keep_firing_for ${formatDuration(t.keepFiringForMs)}` : ""}, every ${formatDuration(t.intervalMs)}`;
}

function historyLine(report: TuneReport): string {
  const b = report.baseline;
  const head = `${days(report.rangeMs)} of history up to ${isoTime(report.endMs)}`;
  if (!b) return `${head}: the expression returned no value`;
  return `${head}: ${b.samples} samples from ${report.seriesReturned} series, ${b.outliers} outliers left out (outside ${num(b.lowerFence)} .. ${num(b.upperFence)})`;
}

function statsLine(report: TuneReport): string | undefined {
  const b = report.baseline;
  if (!b) return undefined;
  const below = report.target.op === "<" || report.target.op === "<=";
  const parts = [["mean", b.mean], ["stddev", b.stddev], ...(below ? [["p1", b.p1], ["p5", b.p5]] : []), ["p50", b.p50], ["p95", b.p95], ["p99", b.p99], ["min", b.min], ["max", b.max]] as [string, number][];
  return parts.map(([k, v]) => `${k} ${num(v)}`).join("  ");
}

const COLUMNS: { title: string; value: (c: Candidate) => string }[] = [
  { title: "threshold", value: (c) => c.label },
  { title: "value", value: (c) => num(c.threshold) },
  { title: "firings/week", value: (c) => perWeek(c.firingsPerWeek) },
  { title: "firing time/week", value: (c) => duration(c.firingMsPerWeek) },
  { title: "flapping", value: (c) => String(c.stats.flapping) },
  { title: "for without flapping", value: (c) => (c.forWithoutFlapping === undefined ? "-" : `${formatDuration(c.forWithoutFlapping)} (${c.episodesWithThatFor} firings left)`) },
];

/** The headline: the `for` that would have removed the flapping at the current threshold. */
function suggestion(report: TuneReport): string | undefined {
  const current = report.candidates.find((c) => c.label === "current");
  if (!current) return undefined;
  if (current.forWithoutFlapping === undefined) return `No flapping at the current threshold (episodes under ${formatDuration(report.flapMs)}): for ${formatDuration(report.target.forMs)} can stay.`;
  return `Suggested for: ${formatDuration(current.forWithoutFlapping)} (now ${formatDuration(report.target.forMs)}): it would have removed all ${current.stats.flapping} flapping episodes, leaving ${current.episodesWithThatFor} of ${current.stats.episodes}.`;
}

export function renderText(report: TuneReport): string {
  const rows = report.candidates.map((c) => COLUMNS.map((col) => col.value(c)));
  const header = COLUMNS.map((c) => c.title.toUpperCase());
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd();
  const b = report.baseline;
  const out = [`Tune ${title(report)}`, historyLine(report)];
  const stats = statsLine(report);
  if (stats) out.push("", stats, `stability ${b!.stability}/100`);
  if (rows.length > 0) out.push("", line(header), ...rows.map(line));
  const hint = suggestion(report);
  if (hint) out.push("", hint);
  return `${out.join("\n")}\n`;
}

export function renderMarkdown(report: TuneReport): string {
  const escape = (text: string) => text.replace(/\|/g, "\\|");
  const out = [TUNE_MARKER, `### Vigil tune: ${code(report.target.name)}`, "", escape(title(report)), "", escape(historyLine(report))];
  const stats = statsLine(report);
  if (stats) out.push("", `${escape(stats)}; stability **${report.baseline!.stability}/100**`);
  if (report.candidates.length > 0) {
    out.push("", `| ${COLUMNS.map((c) => c.title[0]!.toUpperCase() + c.title.slice(1)).join(" | ")} |`, `|${COLUMNS.map(() => "---").join("|")}|`);
    for (const c of report.candidates) out.push(`| ${COLUMNS.map((col) => escape(col.value(c))).join(" | ")} |`);
  }
  const hint = suggestion(report);
  if (hint) out.push("", hint);
  return `${out.join("\n")}\n`;
}

export function renderJson(report: TuneReport): string {
  const t = report.target;
  return stableJson({
    target: { name: t.name, severity: t.severity, expr: t.expr, op: t.op, threshold: t.threshold, forSeconds: t.forMs / 1000, keepFiringForSeconds: t.keepFiringForMs / 1000, intervalSeconds: t.intervalMs / 1000 },
    start: isoTime(report.startMs),
    end: isoTime(report.endMs),
    rangeSeconds: report.rangeMs / 1000,
    flapSeconds: report.flapMs / 1000,
    seriesReturned: report.seriesReturned,
    baseline: report.baseline,
    candidates: report.candidates.map((c) => ({
      label: c.label,
      threshold: c.threshold,
      firings: c.stats.episodes,
      firingSeconds: c.stats.firingMs / 1000,
      longestSeconds: c.stats.longestMs / 1000,
      flapping: c.stats.flapping,
      ongoing: c.stats.ongoing,
      firingsPerWeek: c.firingsPerWeek,
      firingSecondsPerWeek: c.firingMsPerWeek / 1000,
      forWithoutFlappingSeconds: c.forWithoutFlapping === undefined ? undefined : c.forWithoutFlapping / 1000,
      firingsWithThatFor: c.episodesWithThatFor,
    })),
  });
}
