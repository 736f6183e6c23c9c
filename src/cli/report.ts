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
