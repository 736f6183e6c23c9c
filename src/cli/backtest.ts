import { Command, InvalidArgumentError, Option } from "commander";
import { formatDiagnostics, summary } from "../check/format.js";
import { closeNames } from "../check/closest.js";
import { readRuleFiles, type AlertSpec } from "../backtest/alerts.js";
import { plannedQueries, runBacktest } from "../backtest/backtest.js";
import { readBaseAlerts } from "../backtest/base.js";
import { chunkRange, MAX_POINTS } from "../backtest/chunks.js";
import { progressBar } from "../backtest/progress.js";
import { PrometheusQueryError, prometheusRangeQuery, type RangeQuery } from "../backtest/query.js";
import { renderJson, renderMarkdown, renderText } from "../backtest/render.js";
import { parsePositiveDuration, parseTime } from "../backtest/time.js";
import { parseDuration } from "../model/duration.js";
import { compile, type CompileResult } from "../pipeline.js";
import { PROMETHEUS_TOKEN_ENV, PROMETHEUS_URL_ENV, prometheusUrl } from "./prometheus-url.js";
import { useColor } from "./report.js";

export type ReportFormat = "text" | "markdown" | "json";

/** Options shared by `backtest` and `tune`: where the history is, and which part of it. */
export interface HistoryOptions {
  prometheus?: string;
  range: string;
  end: string;
  flap: string;
  format: ReportFormat;
  maxPoints?: number;
  config?: string;
  cwd?: string;
  color: boolean;
}

export interface BacktestOptions extends HistoryOptions {
  base?: string;
}



const fail = (message: string, hint?: string): 2 => {
  process.stderr.write(`vigil: ${message}\n${hint ? `    hint: ${hint}\n` : ""}`);
  return 2;
};

/** Compiles in memory; prints the errors (exit 1) when the monitors do not compile. */
export async function compileForHistory(options: HistoryOptions): Promise<CompileResult | 1> {
  const result = await compile({ cwd: options.cwd, config: options.config, preciseWarnings: false });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length === 0) return result;
  process.stdout.write(formatDiagnostics(errors, "text", { color: useColor({ ...options, format: "text" }), rootDir: result.rootDir }));
  process.stderr.write(`${summary(errors)}\n`);
  return 1;
}

/** The range, end, flap threshold and Prometheus client, or the exit code of a usage error. */
export function historySettings(options: HistoryOptions, result: CompileResult, onChunk?: () => void): { rangeMs: number; endMs: number; flapMs: number; url: string; query: RangeQuery } | 2 {
  const range = parsePositiveDuration(options.range, "--range");
  if ("error" in range) return fail(range.error);
  const end = parseTime(options.end, Date.now());
  if ("error" in end) return fail(end.error);
  const flap = parsePositiveDuration(options.flap, "--flap");
  if ("error" in flap) return fail(flap.error);
  const url = prometheusUrl(options.prometheus, result.config.prometheus.url);
  if (!url) return fail("no Prometheus to read history from", `pass --prometheus URL, set $${PROMETHEUS_URL_ENV}, or set prometheus.url in vigil.config.ts`);
  const query = prometheusRangeQuery({ url, token: process.env[PROMETHEUS_TOKEN_ENV] || undefined, maxPoints: options.maxPoints ?? MAX_POINTS, onChunk });
  return { rangeMs: range.value, endMs: end.value, flapMs: flap.value, url, query };
}

/** The selected alerts: all, or those named (every severity of a name). */
function select(alerts: readonly AlertSpec[], names: readonly string[]): AlertSpec[] {
  return names.length === 0 ? [...alerts] : alerts.filter((a) => names.includes(a.name));
}

/**
 * `vigil backtest`: how often each alert would have fired over a past range of a real
 * Prometheus, and against a base revision's version of it. Exit 0 with a report; 1 when the
 * monitors do not compile; 2 on a usage error, an unknown alert, or a Prometheus that cannot answer.
 */
export async function backtestCommand(names: readonly string[], options: BacktestOptions): Promise<number> {
  const result = await compileForHistory(options);
  if (result === 1) return 1;
  const defaultIntervalMs = parseDuration(result.config.prometheus.evaluationInterval) ?? 60_000;
  const head = readRuleFiles(new Map(result.files.map((f) => [f.path, f.content])), defaultIntervalMs);

  let base: { alerts: AlertSpec[]; label: string } | undefined;
  if (options.base !== undefined) {
    const read = await readBaseAlerts(options.base, { cwd: options.cwd ?? process.cwd(), rootDir: result.rootDir, outDir: result.outDir }, defaultIntervalMs);
    if ("error" in read) return fail(read.error, read.hint);
    base = { alerts: select(read.alerts, names), label: options.base };
  }
  const known = new Set([...head.alerts, ...(base?.alerts ?? [])].map((a) => a.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    const close = closeNames(unknown[0]!, new Set(head.alerts.map((a) => a.name)));
    return fail(`no alert named ${unknown.join(", ")}`, close.length > 0 ? `did you mean ${close.join(", ")}?` : "run without alert names to backtest every alert");
  }
  const alerts = select(head.alerts, names);

  let progress = { tick() {}, done() {} };
  const settings = historySettings(options, result, () => progress.tick());
  if (settings === 2) return 2;
  const queries = plannedQueries({ alerts, base, endMs: settings.endMs, rangeMs: settings.rangeMs });
  const chunks = queries.reduce((n, q) => n + chunkRange(q.range.startMs, q.range.endMs, q.range.stepMs, options.maxPoints ?? MAX_POINTS).length, 0);
  progress = progressBar(chunks, "range queries");
  try {
    const report = await runBacktest({ alerts, base, records: head.records, endMs: settings.endMs, rangeMs: settings.rangeMs, flapMs: settings.flapMs, query: settings.query });
    progress.done();
    const render = options.format === "json" ? renderJson : options.format === "markdown" ? renderMarkdown : renderText;
    process.stdout.write(render(report));
    return 0;
  } catch (failure) {
    progress.done();
    if (failure instanceof PrometheusQueryError) return fail(failure.message, failure.hint);
    throw failure;
  }
}

function positiveInteger(text: string): number {
  if (!/^[1-9]\d*$/.test(text)) throw new InvalidArgumentError("expected a whole number, 1 or more");
  return Number(text);
}

/** The options of `backtest` and `tune` about the history they read. */
export function withHistoryOptions(command: Command): Command {
  return command
    .option("--prometheus <url>", `Prometheus holding the history (or $${PROMETHEUS_URL_ENV}, or prometheus.url); a bearer token from $${PROMETHEUS_TOKEN_ENV}`)
    .option("--range <duration>", "how far back from --end", "7d")
    .option("--end <time>", "end of the range: now, Unix seconds or RFC 3339", "now")
    .option("--flap <duration>", "episodes shorter than this are flapping", "10m")
    .addOption(new Option("--format <format>", "report as text, a Markdown section for the PR comment, or JSON").choices(["text", "markdown", "json"]).default("text"))
    .addOption(new Option("--max-points <n>", "most points per range query (Prometheus allows 11000)").argParser(positiveInteger).hideHelp())
    .option("--config <file>", "config file (default: vigil.config.ts)")
    .option("--cwd <dir>", "run as if started in this directory")
    .option("--no-color", "no colours, even on a terminal")
    .exitOverride();
}

export function backtestCli(root: Command, run: (work: () => Promise<number>) => void): void {
  withHistoryOptions(
    root
      .command("backtest")
      .description("replay alerts over a past range of a real Prometheus: firings, firing time, longest episode, flapping, against a base")
      .argument("[alert...]", "alert names (default: every alert)"),
  )
    .option("--base <ref|dir>", "also replay the base's version of each alert: a git revision or a directory holding the output")
    .action((alerts: string[], options: BacktestOptions) => run(() => backtestCommand(alerts, options)));
}
