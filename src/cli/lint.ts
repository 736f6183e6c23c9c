import { compileWith, type LoadingFlags } from "../sandbox/run.js";
import { liveCatalogFor } from "./live.js";
import { info, lintExitCode, report, type GlobalOptions, type LintOptions } from "./report.js";

/** `vigil lint`: diagnostics only; no type check, no comparison with the output directory. */
export async function lintCommand(options: GlobalOptions & LintOptions & LoadingFlags): Promise<number> {
  const { live, diagnostics: reached } = await liveCatalogFor(options);
  const result = await compileWith({ cwd: options.cwd, config: options.config, sandbox: options.sandbox, timeoutMs: options.timeout, ...(live && { liveCatalog: live }) });
  const diagnostics = [...reached, ...result.diagnostics];
  report(diagnostics, options, result.rootDir);
  const code = lintExitCode(diagnostics, options);
  if (code === 0) info(options, `ok: ${result.monitorFiles.length} monitor files`);
  return code;
}
