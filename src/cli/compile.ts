import path from "node:path";
import { error, hasErrors } from "../check/diagnostic.js";
import type { OutputFile } from "../emit/output.js";
import { openOutput, writeOutput, type StagedOutput, type WriteReport } from "../output/write.js";
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
  // Without --sandbox the files are written while the next service renders (a staged write,
  // swapped in at the end); a write failure is kept and reported with the diagnostics.
  let staged: StagedOutput | undefined;
  let writeFailure: { error: unknown } | undefined;
  const output = options.sandbox
    ? undefined
    : (outDir: string) => {
        staged = openOutput(outDir);
        // After a failure the rest is not offered: the staged write has dropped its tree already.
        return { write: (file: OutputFile) => (writeFailure ? Promise.resolve() : staged!.write(file).catch((error: unknown) => void (writeFailure ??= { error }))) };
      };
  const result = await compileWith({ cwd: options.cwd, config: options.config, preciseWarnings: false, sandbox: options.sandbox, timeoutMs: options.timeout, ...(output && { output }) }).catch(async (fault: unknown) => {
    // A fault midway (a bug: exit 2): what was staged goes, generated/ stays as it was.
    await staged?.abort();
    throw fault;
  });
  // Reported once, with a write failure among them: --format json prints one document.
  if (hasErrors(result.diagnostics)) {
    await staged?.abort();
    report(result.diagnostics, options, result.rootDir);
    info(options, `nothing written: ${path.relative(process.cwd(), result.outDir) || "."} is unchanged`);
    return 1;
  }
  const where = path.relative(process.cwd(), result.outDir) || ".";
  const fileCount = result.streamed ?? result.files.length;
  let written: WriteReport;
  try {
    if (writeFailure) throw writeFailure.error;
    written = staged ? await staged.finish() : await writeOutput(result.outDir, result.files);
  } catch (failure) {
    await staged?.abort();
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
      ? `${where} is up to date (${fileCount} files, ${result.monitorFiles.length} monitor files, ${ms} ms)`
      : `wrote ${fileCount} files to ${where}${written.removed.length ? `, removed ${written.removed.length} stale` : ""} (${result.monitorFiles.length} monitor files, ${ms} ms)`,
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
