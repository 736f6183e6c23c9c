import { Command, CommanderError, Option } from "commander";
import { checkCommand } from "./check.js";
import { compileCommand } from "./compile.js";
import { lintCommand } from "./lint.js";
import type { GlobalOptions } from "./report.js";
import { testCommand } from "./test.js";
import { MissingToolError } from "../tools/run.js";
import { createRequire } from "node:module";

const VERSION = (createRequire(import.meta.url)("../../package.json") as { version: string }).version;

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

  withGlobals(root.command("compile").description("validate the monitors and write the output directory (atomically)"))
    .action((options: GlobalOptions) => run(() => compileCommand(options)));
  withGlobals(root.command("check").description("everything compile does plus a type check, writing nothing; fails when the output is stale"))
    .option("--no-typecheck", "skip the TypeScript type check")
    .action((options: GlobalOptions & { typecheck: boolean }) => run(() => checkCommand(options)));
  withGlobals(root.command("lint").description("diagnostics only"))
    .action((options: GlobalOptions) => run(() => lintCommand(options)));
  withGlobals(root.command("test").description("run promtool and amtool on the output: rule checks, rule unit tests, routing tests"))
    .action((options: GlobalOptions) => run(() => testCommand(options)));
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
