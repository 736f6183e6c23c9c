import { hasErrors } from "../check/diagnostic.js";
import { compile } from "../pipeline.js";
import { info, report, type GlobalOptions } from "./report.js";

/** `vigil lint`: diagnostics only; no type check, no comparison with the output directory. */
export async function lintCommand(options: GlobalOptions): Promise<number> {
  const result = await compile({ cwd: options.cwd, config: options.config });
  report(result.diagnostics, options, result.rootDir);
  if (hasErrors(result.diagnostics)) return 1;
  info(options, `ok: ${result.monitorFiles.length} monitor files`);
  return 0;
}
