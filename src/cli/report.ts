import type { Diagnostic } from "../check/diagnostic.js";
import { formatDiagnostics, summary, type OutputFormat } from "../check/format.js";

export interface GlobalOptions {
  config?: string;
  cwd?: string;
  format: OutputFormat;
  quiet?: boolean;
  color: boolean;
}

/** Colours only on a terminal, and never when NO_COLOR is set or --no-color given. */
export function useColor(options: GlobalOptions): boolean {
  return options.color && process.stdout.isTTY === true && !process.env.NO_COLOR;
}

/** Prints diagnostics in the chosen format; the summary line goes to stderr for text. */
export function report(diagnostics: readonly Diagnostic[], options: GlobalOptions, rootDir: string): void {
  const shown = options.quiet ? diagnostics.filter((d) => d.severity === "error") : diagnostics;
  if (options.format === "json") {
    process.stdout.write(formatDiagnostics(shown, "json", { color: false, rootDir }));
    return;
  }
  if (shown.length > 0) process.stdout.write(formatDiagnostics(shown, options.format, { color: useColor(options), rootDir }));
  if (options.format === "text" && diagnostics.length > 0) process.stderr.write(`${summary(diagnostics)}\n`);
}

export function info(options: GlobalOptions, message: string): void {
  if (!options.quiet && options.format === "text") process.stderr.write(`${message}\n`);
}

/** Options of the commands that judge the monitors (lint, check). */
export interface LintOptions {
  /** Fail when there are more warnings than this. */
  maxWarnings?: number;
  /** Also check metric and label names against this running Prometheus. */
  prometheus?: string;
}

/** Exit code of a lint or check run: 1 on errors, or on more warnings than `--max-warnings` allows. */
export function lintExitCode(diagnostics: readonly Diagnostic[], options: GlobalOptions & LintOptions): 0 | 1 {
  if (diagnostics.some((d) => d.severity === "error")) return 1;
  const warnings = diagnostics.filter((d) => d.severity === "warning").length;
  if (options.maxWarnings !== undefined && warnings > options.maxWarnings) {
    if (options.format !== "json") process.stderr.write(`vigil: ${warnings} warning${warnings === 1 ? "" : "s"}, more than --max-warnings ${options.maxWarnings} allows\n`);
    return 1;
  }
  return 0;
}
