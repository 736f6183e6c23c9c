import path from "node:path";
import { error, hasErrors } from "../check/diagnostic.js";
import { writeOutput } from "../output/write.js";
import { compileWith, type LoadingFlags } from "../sandbox/run.js";
import { info, report, type GlobalOptions } from "./report.js";
import { startWatching, type CycleReport } from "../watch/watch.js";

export interface CompileOptions extends GlobalOptions, LoadingFlags {
  /** Keep running and compile again on every change (src/watch/). */
  watch?: boolean;
}

/** `vigil compile`: validate, then replace the output directory in one step. */
export async function compileCommand(options: CompileOptions): Promise<number> {
  if (options.watch) return watchCommand(options);
  const started = performance.now();
  const result = await compileWith({ cwd: options.cwd, config: options.config, preciseWarnings: false, sandbox: options.sandbox, timeoutMs: options.timeout });
  // Reported once, with a write failure among them: --format json prints one document.
  if (hasErrors(result.diagnostics)) {
    report(result.diagnostics, options, result.rootDir);
    info(options, `nothing written: ${path.relative(process.cwd(), result.outDir) || "."} is unchanged`);
    return 1;
  }
  const where = path.relative(process.cwd(), result.outDir) || ".";
  let written: Awaited<ReturnType<typeof writeOutput>>;
  try {
    written = await writeOutput(result.outDir, result.files);
  } catch (failure) {
    const code = (failure as NodeJS.ErrnoException).code;
    if (typeof code !== "string") throw failure;
    // The file system said no (permissions, full disk): not a bug, and the old output is intact.
    report([...result.diagnostics, error("output-write-failed", `cannot write ${where}: ${(failure as Error).message}`, undefined, `check that ${where} and its parent directory are writable and the disk has space; ${where} was left as it was`)], options, result.rootDir);
    return 1;
  }
  report(result.diagnostics, options, result.rootDir);
  const ms = Math.round(performance.now() - started);
  info(
    options,
    written.unchanged
      ? `${where} is up to date (${result.files.length} files, ${result.monitorFiles.length} monitor files, ${ms} ms)`
      : `wrote ${result.files.length} files to ${where}${written.removed.length ? `, removed ${written.removed.length} stale` : ""} (${result.monitorFiles.length} monitor files, ${ms} ms)`,
  );
  return 0;
}

/**
 * `vigil compile --watch`: compiles, then again on every change, until interrupted (exit 0).
 * Each compile prints its diagnostics as compile does, then one line: what changed, or the
 * diagnostics' summary when there are errors (the output is then left as it was). `--timeout`
 * applies to every compile; `--sandbox` is refused (a usage error, exit 2).
 */
async function watchCommand(options: CompileOptions): Promise<number> {
  if (options.sandbox) {
    // The watcher keeps what the monitor files declared between compiles, in this process: a sandbox would have to keep it in its child.
    process.stderr.write("vigil compile: --watch does not support --sandbox yet (run vigil compile --sandbox for each compile instead)\n");
    return 2;
  }
  const print = (cycle: CycleReport) => {
    report(cycle.diagnostics, options, cycle.rootDir);
    if (!cycle.written) return;
    info(options, `compiled in ${cycle.ms} ms: ${cycle.changed} file${cycle.changed === 1 ? "" : "s"} changed`);
  };
  const watcher = await startWatching({ cwd: options.cwd, config: options.config, ...(options.timeout !== undefined && { timeoutMs: options.timeout }), onCycle: print });
  info(options, "watching for changes; press Ctrl-C to stop");
  return new Promise<number>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void watcher.close().then(() => resolve(0));
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
