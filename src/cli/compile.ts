import path from "node:path";
import { hasErrors } from "../check/diagnostic.js";
import { writeOutput } from "../output/write.js";
import { compile } from "../pipeline.js";
import { info, report, type GlobalOptions } from "./report.js";

/** `vigil compile`: validate, then replace the output directory in one step. */
export async function compileCommand(options: GlobalOptions): Promise<number> {
  const started = performance.now();
  const result = await compile({ cwd: options.cwd, config: options.config });
  report(result.diagnostics, options, result.rootDir);
  if (hasErrors(result.diagnostics)) {
    info(options, `nothing written: ${path.relative(process.cwd(), result.outDir) || "."} is unchanged`);
    return 1;
  }
  const written = await writeOutput(result.outDir, result.files);
  const where = path.relative(process.cwd(), result.outDir) || ".";
  const ms = Math.round(performance.now() - started);
  info(
    options,
    written.unchanged
      ? `${where} is up to date (${result.files.length} files, ${result.monitorFiles.length} monitor files, ${ms} ms)`
      : `wrote ${result.files.length} files to ${where}${written.removed.length ? `, removed ${written.removed.length} stale` : ""} (${result.monitorFiles.length} monitor files, ${ms} ms)`,
  );
  return 0;
}
