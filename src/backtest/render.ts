/**
 * A backtest report as terse text (a table), a Markdown section for the pull-request comment of
 * `vigil diff`, or JSON (durations in seconds, times in RFC 3339). Deterministic for one report.
 */
import { formatDuration } from "../model/duration.js";
import { stableJson } from "../emit/output.js";
import { code } from "../diff/markdown.js";
import type { AlertResult, AlertVersion, BacktestReport } from "./backtest.js";
import type { EpisodeStats } from "./stats.js";

/** First line of the Markdown section, so that a workflow finds and updates it. */
export const BACKTEST_MARKER = "<!-- vigil-backtest -->";

export const isoTime = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, "Z");
/** Prometheus' spelling, but in days rather than weeks and years: "7d", "1d16h57m". */
export function duration(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  const rest = ms - days * 86_400_000;
  if (days === 0) return formatDuration(rest);
  return `${days}d${rest > 0 ? formatDuration(rest) : ""}`;
}

type Column = { title: string; value: (s: EpisodeStats) => string };
const COLUMNS = (flapMs: number): Column[] => [
  { title: "firings", value: (s) => String(s.episodes) + (s.ongoing > 0 ? ` (${s.ongoing} ongoing)` : "") },
  { title: "firing time", value: (s) => duration(s.firingMs) },
  { title: "longest", value: (s) => duration(s.longestMs) },
  { title: `flapping (< ${duration(flapMs)})`, value: (s) => String(s.flapping) },
];

/** A cell: the head's number, and the base's when it differs ("1 (was 2)"); for a removed alert, the base's. */
function cell(result: AlertResult, column: Column): string {
  const head = result.head && column.value(result.head.stats);
  const base = result.base && column.value(result.base.stats);
  if (result.status === "removed") return `(was ${base})`;
  if (result.status === "changed" && base !== head) return `${head} (was ${base})`;
  return head ?? "";
}

const statusText = (result: AlertResult) => result.status ?? "";

function heading(report: BacktestReport): string {
  return `${duration(report.rangeMs)} of history up to ${isoTime(report.endMs)}${report.baseLabel ? `, against ${report.baseLabel}` : ""}`;
}

export function renderText(report: BacktestReport): string {
  const columns = COLUMNS(report.flapMs);
  const header = ["alert", "severity", ...columns.map((c) => c.title), ...(report.baseLabel ? ["vs base"] : [])];
  const rows = report.alerts.map((r) => [r.name, r.severity, ...columns.map((c) => cell(r, c)), ...(report.baseLabel ? [statusText(r)] : [])]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd();
  const out = [`Backtest: ${heading(report)}`, "", line(header.map((h) => h.replace(/^[^(]+/, (words) => words.toUpperCase()))), ...rows.map(line)];
  const notes = report.alerts.flatMap((r) => r.notes.map((n) => `note: ${r.name}: ${n}`));
  if (report.alerts.length === 0) out.push("(no alerts)");
  if (notes.length > 0) out.push("", ...notes);
  return `${out.join("\n")}\n`;
}

export function renderMarkdown(report: BacktestReport): string {
  const columns = COLUMNS(report.flapMs);
  const titles = ["Alert", "Severity", ...columns.map((c) => c.title[0]!.toUpperCase() + c.title.slice(1)), ...(report.baseLabel ? ["Against base"] : [])];
  const escape = (text: string) => text.replace(/\|/g, "\\|");
  const rows = report.alerts.map((r) => `| ${[code(r.name), escape(r.severity || "—"), ...columns.map((c) => escape(cell(r, c))), ...(report.baseLabel ? [statusText(r)] : [])].join(" | ")} |`);
  const out = [BACKTEST_MARKER, `### Vigil backtest: ${escape(heading(report))}`, ""];
  if (report.alerts.length === 0) out.push("No alerts to backtest.");
  else out.push(`| ${titles.join(" | ")} |`, `|${titles.map(() => "---").join("|")}|`, ...rows);
  const notes = report.alerts.flatMap((r) => r.notes.map((n) => `- ${code(r.name)}: ${escape(n)}`));
  if (notes.length > 0) out.push("", ...notes);
  return `${out.join("\n")}\n`;
}

function versionJson(version: AlertVersion) {
  const { spec, stats } = version;
  return {
    service: spec.service,
    expr: spec.expr,
    forSeconds: spec.forMs / 1000,
    keepFiringForSeconds: spec.keepFiringForMs / 1000,
    intervalSeconds: spec.intervalMs / 1000,
    start: isoTime(version.startMs),
    end: isoTime(version.endMs),
    seriesReturned: version.seriesReturned,
    firings: stats.episodes,
    firingSeconds: stats.firingMs / 1000,
    longestSeconds: stats.longestMs / 1000,
    flapping: stats.flapping,
    ongoing: stats.ongoing,
    seriesFiring: stats.seriesFiring,
    episodes: version.episodes.map((e) => ({
      labels: e.labels,
      activeAt: isoTime(e.activeAt),
      firedAt: isoTime(e.firedAt),
      resolvedAt: e.resolvedAt === undefined ? undefined : isoTime(e.resolvedAt),
      durationSeconds: e.durationMs / 1000,
    })),
  };
}

export function renderJson(report: BacktestReport): string {
  return stableJson({
    end: isoTime(report.endMs),
    rangeSeconds: report.rangeMs / 1000,
    flapSeconds: report.flapMs / 1000,
    base: report.baseLabel,
    alerts: report.alerts.map((r) => ({
      name: r.name,
      severity: r.severity,
      status: r.status,
      head: r.head && versionJson(r.head),
      base: r.base && versionJson(r.base),
      notes: r.notes,
    })),
  });
}
