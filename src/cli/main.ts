import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { applyCommand, type ApplyOptions } from "./apply.js";
import { checkCommand } from "./check.js";
import { compileCommand, type CompileOptions } from "./compile.js";
import { backtestCli } from "./backtest.js";
import { diffCli } from "./diff.js";
import { importCli } from "./import.js";
import { initCli } from "./init.js";
import { statusCli } from "./status.js";
import { lintCommand } from "./lint.js";
import type { GlobalOptions, LintOptions } from "./report.js";
import { testCommand } from "./test.js";
import { tuneCli } from "./tune.js";
import { MissingToolError } from "../tools/run.js";
import { parseTimeout } from "../load/timeout.js";
import { createRequire } from "node:module";

const VERSION = (createRequire(import.meta.url)("../../package.json") as { version: string }).version;

function nonNegativeInteger(text: string): number {
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError("expected a whole number, 0 or more");
  return Number(text);
}

function timeoutFlag(text: string): number {
  const ms = parseTimeout(text);
  if (ms === undefined) throw new InvalidArgumentError('expected a duration such as "90s" or "2m", or a number of seconds');
  return ms;
}

function program(run: (work: () => Promise<number>) => void): Command {
  const root = new Command("vigil")
    .description("Monitoring as code: typed monitors compiled to Prometheus, Alertmanager, Grafana and runbooks.")
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  const withGlobals = (command: Command) =>
    command
      .option("--config <file>", "config file (default: vigil.config.ts)")
      .option("--cwd <dir>", "run as if started in this directory")
      .addOption(new Option("--format <format>", "diagnostics as text, json or GitHub annotations").choices(["text", "json", "github"]).default("text"))
      .option("--quiet", "print errors only")
      .option("--no-color", "no colours, even on a terminal")
      .exitOverride();

  const withLint = (command: Command) =>
    command
      .addOption(new Option("--max-warnings <n>", "fail when there are more warnings than this").argParser(nonNegativeInteger))
      .option("--prometheus <url>", "also check metric and label names against this running Prometheus");

  // Monitors are code: how long they may run, and whether in a sandbox (README: "Trust model").
  const withLoading = (command: Command) =>
    command
      .option("--sandbox", "run the monitor files in a child process that may only read the repository: no writes, processes or workers")
      .addOption(new Option("--timeout <duration>", 'most time the monitor files may take to load, e.g. "90s" (default: loadTimeout in the config, 30s)').argParser(timeoutFlag));

  withLoading(withGlobals(root.command("compile").description("validate the monitors and write the output directory (atomically)")))
    .option("--watch", "keep running: compile again on every change to the monitors or the config, rewriting only what changed")
    .action((options: CompileOptions) => run(() => compileCommand(options)));
  withLoading(withLint(withGlobals(root.command("check").description("everything compile does plus a type check, writing nothing; fails when the output is stale"))))
    .option("--no-typecheck", "skip the TypeScript type check")
    .action((options: GlobalOptions & LintOptions & { typecheck: boolean }) => run(() => checkCommand(options)));
  withLoading(withLint(withGlobals(root.command("lint").description("diagnostics only: schemas, references, PromQL and the lint rules (docs/lint-rules.md)"))))
    .action((options: GlobalOptions & LintOptions) => run(() => lintCommand(options)));
  withLoading(withGlobals(root.command("test").description("run promtool and amtool on the output: rule checks, rule unit tests, routing tests")))
    .action((options: GlobalOptions) => run(() => testCommand(options)));
  withGlobals(root.command("apply").description("push the compiled output to Prometheus, Alertmanager, Grafana and Mimir; a dry run unless --yes"))
    .option("--yes", "perform the plan (without it: print the plan, change nothing)")
    .option("--prune", "delete Grafana dashboards tagged vigil and Mimir groups in Vigil's namespaces that are no longer generated")
    .option("--target <targets>", "comma-separated: prometheus,alertmanager,grafana,mimir (default: every configured one)")
    .option("--message <text>", "Grafana save message (default: the current commit, git rev-parse --short HEAD)")
    .option("--prometheus-url <url>", "Prometheus base URL (or $VIGIL_PROMETHEUS_URL, or apply.prometheus.url)")
    .option("--alertmanager-url <url>", "Alertmanager base URL (or $VIGIL_ALERTMANAGER_URL, or apply.alertmanager.url)")
    .option("--grafana-url <url>", "Grafana base URL (or $VIGIL_GRAFANA_URL, or apply.grafana.url)")
    .option("--mimir-url <url>", "Mimir base URL (or $VIGIL_MIMIR_URL, or apply.mimir.url)")
    .action((options: ApplyOptions) => run(() => applyCommand(options)));
  diffCli(root, run);
  backtestCli(root, run);
  tuneCli(root, run);
  importCli(root, run);
  initCli(root, run);
  statusCli(root, run);
  return root;
}

/** Runs the CLI; resolves to the exit code: 0 ok, 1 diagnostics, 2 usage error or bug. */
export async function main(argv: readonly string[]): Promise<number> {
  let pending: Promise<number> | undefined;
  try {
    await program((work) => {
      pending = work();
    }).parseAsync([...argv]);
    return pending ? await pending : 0;
  } catch (failure) {
    if (failure instanceof CommanderError) {
      return failure.code === "commander.helpDisplayed" || failure.code === "commander.version" || failure.code === "commander.help" ? 0 : 2;
    }
    if (failure instanceof MissingToolError) {
      process.stderr.write(`vigil: ${failure.message}\n`);
      return 2;
    }
    const stack = failure instanceof Error ? failure.stack ?? failure.message : String(failure);
    process.stderr.write(`vigil: internal error, this is a bug. Please report it with the output below.\n${stack}\n`);
    return 2;
  }
}
