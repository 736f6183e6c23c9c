import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { hasErrors } from "../check/diagnostic.js";
import { formatDiagnostics, summary } from "../check/format.js";
import { compile } from "../pipeline.js";
import { PrometheusError, prometheusClient } from "../status/client.js";
import { collectStatus } from "../status/collect.js";
import { renderStatus, STATUS_FORMATS, type StatusFormat } from "../status/render.js";
import { prometheusUrl } from "./prometheus-url.js";
import { useColor } from "./report.js";

export interface StatusOptions {
  prometheus?: string;
  format: StatusFormat;
  out?: string;
  /** Evaluation time, Unix seconds. */
  at?: number;
  config?: string;
  cwd?: string;
  quiet?: boolean;
  color: boolean;
}

/** An RFC 3339 time or Unix seconds, as Prometheus' own `time` parameter takes them. */
function parseTime(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw new InvalidArgumentError("expected an RFC 3339 time (2024-05-06T09:00:00Z) or Unix seconds");
  return ms / 1000;
}

/**
 * `vigil status`: compile in memory, ask the live Prometheus about every SLO and alert, print
 * or write the report. Exit 0: a complete report; 1: the monitors do not compile, Prometheus
 * cannot be reached, or some queries failed (the report still says what it could); 2: usage.
 */
export async function statusCommand(options: StatusOptions): Promise<number> {
  const result = await compile({ cwd: options.cwd, config: options.config, preciseWarnings: false });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (hasErrors(errors) || !result.plan || !result.model) {
    process.stderr.write(formatDiagnostics(errors, "text", { color: useColor({ ...options, format: "text" }), rootDir: result.rootDir }));
    process.stderr.write(`${summary(errors)}\nvigil status: no report: fix the errors above first\n`);
    return 1;
  }
  const url = prometheusUrl(options.prometheus, result.config.prometheus.url);
  if (!url) {
    process.stderr.write("vigil status: which Prometheus? Pass --prometheus URL, set VIGIL_PROMETHEUS_URL, or set prometheus.url in vigil.config.ts\n");
    return 2;
  }
  // The token only from the environment: a flag would end up in shell history and CI logs.
  const client = prometheusClient(url, { token: process.env.VIGIL_PROMETHEUS_TOKEN || undefined });
  const at = options.at ?? Math.floor(Date.now() / 1000);
  try {
    await client.query("vector(1)", at);
  } catch (failure) {
    if (!(failure instanceof PrometheusError)) throw failure;
    process.stderr.write(`vigil status: ${failure.message}\n    hint: check --prometheus (the server's base URL, e.g. http://prometheus:9090); a token goes in VIGIL_PROMETHEUS_TOKEN\n`);
    return 1;
  }

  const report = await collectStatus({ plan: result.plan, model: result.model, client, at });
  const rendered = renderStatus(report, options.format);
  if (options.out) {
    const file = path.resolve(options.cwd ?? process.cwd(), options.out);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, rendered);
    if (!options.quiet) process.stderr.write(`wrote ${options.out}\n`);
  } else process.stdout.write(rendered);
  for (const problem of report.problems) process.stderr.write(`vigil status: ${problem}\n`);
  return report.problems.length > 0 ? 1 : 0;
}

/** The `status` command; its --format chooses the report, not diagnostics. */
export function statusCli(root: Command, run: (work: () => Promise<number>) => void): void {
  root
    .command("status")
    .description("the live state of every SLO (SLI, error budget, burn rates, burn-down) and alert, from a running Prometheus")
    .option("--prometheus <url>", "Prometheus base URL (or $VIGIL_PROMETHEUS_URL, or prometheus.url in the config); token in $VIGIL_PROMETHEUS_TOKEN")
    .addOption(new Option("--format <format>", "report as text, markdown, json or a self-contained HTML page").choices([...STATUS_FORMATS]).default("text"))
    .option("--out <file>", "write the report to this file instead of stdout")
    .addOption(new Option("--at <time>", "evaluate at this time (RFC 3339 or Unix seconds) instead of now").argParser(parseTime))
    .option("--config <file>", "config file (default: vigil.config.ts)")
    .option("--cwd <dir>", "run as if started in this directory")
    .option("--quiet", "no progress lines on stderr")
    .option("--no-color", "no colours, even on a terminal")
    .exitOverride()
    .action((options: StatusOptions) => run(() => statusCommand(options)));
}
