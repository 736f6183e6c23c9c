import { readFile } from "node:fs/promises";
import path from "node:path";
import { glob } from "tinyglobby";
import { LINT_RULES, isLintCode } from "../../../src/lint/rules.js";

/**
 * Expected diagnostics written into the monitors themselves: a comment line whose caret sits
 * under the exact column of the line above it (the nearest line that is not a marker itself,
 * so several markers may follow one line):
 *
 *     expr: 'sum(rate(http_request_total[5m]))',
 *     //              ^ unknown-metric
 *     //              ^ warning:unused-metric
 *
 * Without a severity, a lint code expects its default severity and any other code an error.
 */
export interface Expected {
  file: string;
  line: number;
  column: number;
  code: string;
  severity: "error" | "warning";
}

const MARKER = /^(\s*\/\/\s*)\^ (?:(error|warning):)?([a-z][a-z0-9-]*)\s*$/;

export function markersOf(file: string, text: string): Expected[] {
  const lines = text.split(/\r?\n/);
  const found: Expected[] = [];
  let target = 0;
  lines.forEach((line, i) => {
    const marker = MARKER.exec(line);
    if (!marker) {
      target = i + 1;
      return;
    }
    if (target === 0) throw new Error(`${file}:${i + 1}: a marker needs a line above it`);
    const code = marker[3]!;
    const severity = (marker[2] as Expected["severity"] | undefined) ?? (isLintCode(code) ? LINT_RULES[code].severity : "error");
    found.push({ file, line: target, column: marker[1]!.length + 1, code, severity });
  });
  return found;
}

/** Every project file (relative path to content), the sources of `makeProject`. */
export async function readProject(dir: string): Promise<Record<string, string>> {
  const files = await glob("**/*", { cwd: dir, onlyFiles: true, ignore: ["**/node_modules/**", "**/generated/**"] });
  const entries = await Promise.all(files.sort().map(async (f) => [f, await readFile(path.join(dir, f), "utf8")] as const));
  return Object.fromEntries(entries);
}

/** The markers of every TypeScript file of a project. */
export function projectMarkers(files: Record<string, string>): Expected[] {
  return Object.entries(files)
    .filter(([file]) => file.endsWith(".ts"))
    .flatMap(([file, text]) => markersOf(file, text));
}

/** One comparable line per diagnostic: "monitors/a.ts:12:30 error unknown-metric". */
export const key = (d: { file: string; line: number; column: number; code: string; severity: string }) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code}`;
