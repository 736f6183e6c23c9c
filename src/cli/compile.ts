import path from "node:path";
import { error, hasErrors } from "../check/diagnostic.js";
import { writeOutput } from "../output/write.js";
import { compile } from "../pipeline.js";
import { info, report, type GlobalOptions } from "./report.js";

/** `vigil compile`: validate, then replace the output directory in one step. */
export async function compileCommand(options: GlobalOptions): Promise<number> {
  const started = performance.now();
  const result = await compile({ cwd: options.cwd, config: options.config, preciseWarnings: false });
  report(result.diagnostics, options, result.rootDir);
  if (hasErrors(result.diagnostics)) {
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
    report([error("output-write-failed", `cannot write ${where}: ${(failure as Error).message}`, undefined, `check that ${where} and its parent directory are writable and the disk has space; ${where} was left as it was`)], options, result.rootDir);
    return 1;
  }
  const ms = Math.round(performance.now() - started);
  info(
    options,
    written.unchanged
      ? `${where} is up to date (${result.files.length} files, ${result.monitorFiles.length} monitor files, ${ms} ms)`
      : `wrote ${result.files.length} files to ${where}${written.removed.length ? `, removed ${written.removed.length} stale` : ""} (${result.monitorFiles.length} monitor files, ${ms} ms)`,
  );
  return 0;
}
