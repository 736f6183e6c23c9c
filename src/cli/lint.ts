import { compile } from "../pipeline.js";
import { info, lintExitCode, report, type GlobalOptions, type LintOptions } from "./report.js";

/** `vigil lint`: diagnostics only; no type check, no comparison with the output directory. */
export async function lintCommand(options: GlobalOptions & LintOptions): Promise<number> {
  const result = await compile({ cwd: options.cwd, config: options.config });
  report(result.diagnostics, options, result.rootDir);
  const code = lintExitCode(result.diagnostics, options);
  if (code === 0) info(options, `ok: ${result.monitorFiles.length} monitor files`);
  return code;
}
