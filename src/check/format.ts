import { readFileSync } from "node:fs";
import path from "node:path";
import type { Diagnostic } from "./diagnostic.js";

export type OutputFormat = "text" | "json" | "github";

const paint = (on: boolean, code: string, text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

function where(d: Diagnostic): string {
  return d.location ? `${d.location.file}:${d.location.line}:${d.location.column}` : "(repository)";
}

function codeFrame(rootDir: string, d: Diagnostic, cache: Map<string, string[] | undefined>): string {
  const location = d.location;
  if (!location) return "";
  if (!cache.has(location.file)) {
    try {
      cache.set(location.file, readFileSync(path.resolve(rootDir, location.file), "utf8").split(/\r?\n/));
    } catch {
      cache.set(location.file, undefined);
    }
  }
  const line = cache.get(location.file)?.[location.line - 1];
  if (line === undefined) return "";
  const gutter = `${location.line} | `;
  // Tabs stay tabs under the caret so that it lines up however wide the terminal shows them.
  const pad = line.slice(0, location.column - 1).replace(/[^\t]/g, " ");
  return `\n    ${gutter}${line}\n    ${" ".repeat(gutter.length)}${pad}^`;
}

/** Diagnostics as people (text), programs (json) or GitHub Actions (annotations) read them. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], format: OutputFormat, options: { color: boolean; rootDir: string }): string {
  if (format === "json") return `${JSON.stringify(diagnostics, null, 2)}\n`;
  if (format === "github") {
    const escape = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
    const prop = (s: string) => escape(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
    return diagnostics
      .map((d) => {
        const at = d.location ? `file=${prop(d.location.file)},line=${d.location.line},col=${d.location.column},` : "";
        return `::${d.severity} ${at}title=${prop(d.code)}::${escape(d.message + (d.hint ? ` (${d.hint})` : ""))}\n`;
      })
      .join("");
  }
  const cache = new Map<string, string[] | undefined>();
  return diagnostics
    .map((d) => {
      const severity = d.severity === "error" ? paint(options.color, "31;1", "error") : paint(options.color, "33;1", "warning");
      const lines = [`${paint(options.color, "1", where(d))}  ${severity}  ${d.message}  ${paint(options.color, "2", `[${d.code}]`)}${codeFrame(options.rootDir, d, cache)}`];
      if (d.hint) lines.push(`    ${paint(options.color, "36", "hint:")} ${d.hint}`);
      for (const r of d.related ?? []) lines.push(`    ${r.message}: ${r.location.file}:${r.location.line}:${r.location.column}`);
      return `${lines.join("\n")}\n`;
    })
    .join("");
}

export function summary(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  return `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
}
