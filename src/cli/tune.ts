import { Command, Option } from "commander";
import { closeNames } from "../check/closest.js";
import { readRuleFiles, type AlertSpec } from "../backtest/alerts.js";
import { alertRange } from "../backtest/backtest.js";
import { chunkRange, MAX_POINTS } from "../backtest/chunks.js";
import { progressBar } from "../backtest/progress.js";
import { PrometheusQueryError } from "../backtest/query.js";
import { parsePositiveDuration } from "../backtest/time.js";
import { stableJson } from "../emit/output.js";
import { parseDuration } from "../model/duration.js";
import { parsePromQL } from "../promql/parser.js";
import { renderJson, renderMarkdown, renderText } from "../tune/render.js";
import { splitComparison, type ThresholdOp } from "../tune/threshold.js";
import { tune, type TuneReport, type TuneTarget } from "../tune/tune.js";
import { compileForHistory, historySettings, withHistoryOptions, type HistoryOptions } from "./backtest.js";

export interface TuneOptions extends HistoryOptions {
  expr?: string;
  severity?: string;
  direction: "above" | "below";
  for?: string;
  step?: string;
}

const fail = (message: string, hint?: string): 2 => {
  process.stderr.write(`vigil: ${message}\n${hint ? `    hint: ${hint}\n` : ""}`);
  return 2;
};

/** What to tune: each severity of a named alert, or an expression (a metric name is one). */
function targets(name: string, alerts: readonly AlertSpec[], options: TuneOptions, defaultIntervalMs: number): TuneTarget[] | { error: string; hint?: string } {
  const matching = alerts.filter((a) => a.name === name && (options.severity === undefined || a.severity === options.severity));
  if (matching.length > 0) {
    const out: TuneTarget[] = [];
    for (const alert of matching) {
      const split = splitComparison(alert.expr);
      if ("error" in split && options.expr === undefined) {
        return { error: `${alert.name}: ${split.error}`, hint: "pass --expr with the expression to measure (and --direction below for an alert on low values)" };
      }
      const measured = "error" in split ? { lhs: options.expr!, op: (options.direction === "below" ? "<" : ">") as ThresholdOp, threshold: undefined } : { ...split, lhs: options.expr ?? split.lhs };
      out.push({ name: alert.name, severity: alert.severity, expr: measured.lhs, op: measured.op, threshold: measured.threshold, forMs: alert.forMs, keepFiringForMs: alert.keepFiringForMs, intervalMs: alert.intervalMs });
    }
    return out;
  }
  if (alerts.some((a) => a.name === name)) return { error: `${name} has no severity ${options.severity}`, hint: `severities: ${alerts.filter((a) => a.name === name).map((a) => a.severity).join(", ")}` };
  // A misspelt alert name is a valid metric name: say so rather than measure nothing.
  const close = /^[A-Z][A-Za-z0-9]*$/.test(name) ? closeNames(name, new Set(alerts.map((a) => a.name))) : [];
  if (close.length > 0) return { error: `no alert named ${name}`, hint: `did you mean ${close.join(", ")}?` };
  const expr = options.expr ?? name;
  const parsed = parsePromQL(expr);
  if (!parsed.expr) return { error: `${expr} is neither an alert name nor a PromQL expression: ${parsed.findings[0]?.message ?? "syntax error"}`, hint: "pass an alert name, a metric name, or a PromQL expression" };
  const forMs = options.for === undefined ? 0 : parseDuration(options.for);
  if (forMs === undefined) return { error: `--for ${JSON.stringify(options.for)} is not a duration` };
  const step = options.step === undefined ? { value: defaultIntervalMs } : parsePositiveDuration(options.step, "--step");
  if ("error" in step) return { error: step.error };
  return [{ name: expr, expr, op: options.direction === "below" ? "<" : ">", forMs, keepFiringForMs: 0, intervalMs: step.value }];
}

/**
 * `vigil tune`: baseline statistics of an alert's measured expression (or of a metric) over a
 * past range, candidate thresholds, and how often each would have fired. Exit 0 with a report;
 * 1 when the monitors do not compile; 2 on a usage error or a Prometheus that cannot answer.
 */
export async function tuneCommand(name: string, options: TuneOptions): Promise<number> {
  const result = await compileForHistory(options);
  if (result === 1) return 1;
  const defaultIntervalMs = parseDuration(result.config.prometheus.evaluationInterval) ?? 60_000;
  const { alerts } = readRuleFiles(new Map(result.files.map((f) => [f.path, f.content])), defaultIntervalMs);
  const chosen = targets(name, alerts, options, defaultIntervalMs);
  if (!Array.isArray(chosen)) return fail(chosen.error, chosen.hint);

  let progress = { tick() {}, done() {} };
  const settings = historySettings(options, result, () => progress.tick());
  if (settings === 2) return 2;
  const ranges = chosen.map((t) => alertRange(t, settings.endMs, settings.rangeMs));
  progress = progressBar(ranges.reduce((n, r) => n + chunkRange(r.startMs, r.endMs, r.stepMs, options.maxPoints ?? MAX_POINTS).length, 0), "range queries");
  const reports: TuneReport[] = [];
  try {
    for (const [i, target] of chosen.entries()) {
      const range = ranges[i]!;
      const series = await settings.query(target.expr, range);
      reports.push(tune({ target, series, startMs: range.startMs, endMs: range.endMs, rangeMs: settings.rangeMs, flapMs: settings.flapMs }));
    }
  } catch (failure) {
    progress.done();
    if (failure instanceof PrometheusQueryError) return fail(failure.message, failure.hint);
    throw failure;
  }
  progress.done();
  if (options.format === "json") process.stdout.write(stableJson(reports.map((r) => JSON.parse(renderJson(r)) as unknown)));
  else process.stdout.write(reports.map(options.format === "markdown" ? renderMarkdown : renderText).join("\n"));
  return 0;
}

export function tuneCli(root: Command, run: (work: () => Promise<number>) => void): void {
  withHistoryOptions(
    root
      .command("tune")
      .description("baseline statistics of an alert's measured expression or a metric, candidate thresholds, and how often each would have fired")
      .argument("<metric-or-alert>", "an alert name (its expression's left-hand side is measured), a metric name or a PromQL expression"),
  )
    .option("--expr <promql>", "measure this expression instead (an alert keeps its comparison, for and interval)")
    .option("--severity <severity>", "of an alert declared at several severities, only this one")
    .addOption(new Option("--direction <direction>", "for a metric: alert on values above or below the threshold").choices(["above", "below"]).default("above"))
    .option("--for <duration>", "for a metric: the `for` the firings are counted with", "0s")
    .option("--step <duration>", "for a metric: the evaluation interval (default: prometheus.evaluationInterval)")
    .action((target: string, options: TuneOptions) => run(() => tuneCommand(target, options)));
}
