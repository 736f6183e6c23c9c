import { readFile } from "node:fs/promises";
import vm from "node:vm";
import type { RawCallSite } from "../model/location.js";
import { siteInStack } from "./sourcemap.js";

/**
 * Where in the bundle Node failed to parse it. esbuild checks the syntax of the monitor files
 * but not everything V8 does: an invalid regular expression literal (`/x(/`) passes esbuild and
 * makes `import()` of the whole bundle throw a SyntaxError that names no file or line.
 *
 * Only when that happened: the bundle is compiled once more, as a script (which, unlike a
 * module, V8 reports with its position), with the few module-only forms esbuild prints, its
 * external `import` statements, the closing `export { ... }` and `import.meta`, blanked out
 * without moving any other character. The position is used only if the script fails with the
 * very error the import did.
 */
export async function parseErrorSite(thrown: unknown, bundleFile: string, bundleUrl: string): Promise<RawCallSite | undefined> {
  if (!isSyntaxError(thrown) || siteInStack(thrown, bundleUrl)) return undefined;
  let code: string;
  try {
    code = await readFile(bundleFile, "utf8");
  } catch {
    return undefined;
  }
  return scriptErrorSite(code, bundleUrl, thrown.message);
}

/** Module-only forms of esbuild's output, each replaced by spaces (line breaks kept). */
const IMPORT_STATEMENT = /^import\b(?:[\w$\s,*{}]*?\bfrom)?\s*"(?:[^"\\\r\n]|\\.)*"\s*(?:(?:with|assert)\s*\{[\w$\s:,"']*\}\s*)?;/gm;
const EXPORT_LIST = /^export\s*\{[\w$\s,]*\};?/gm;
/** `import.meta`, made a property of a plain name of the same length. */
const IMPORT_META = /\bimport(?=\s*\.\s*meta\b)/g;
/** Module code is strict: so must the script be, for the same errors. */
const STRICT = '"use strict";';

const blank = (text: string) => text.replace(/[^\r\n]/g, " ");

/** The position of the SyntaxError with this message that V8 finds in `code`, read as a script. */
export function scriptErrorSite(code: string, bundleUrl: string, message: string): RawCallSite | undefined {
  const script = STRICT + code.replace(IMPORT_STATEMENT, blank).replace(EXPORT_LIST, blank).replace(IMPORT_META, "_mport");
  try {
    // Compiled only, never run.
    new vm.Script(script, { filename: bundleUrl });
    return undefined;
  } catch (failure) {
    if (!isSyntaxError(failure) || failure.message !== message) return undefined;
    // Node puts `file:line`, the line and a ^^^ under the error before the message.
    const [head = "", source = "", underline = ""] = (failure.stack ?? "").split("\n");
    if (!head.startsWith(bundleUrl + ":")) return undefined;
    const line = Number(head.slice(bundleUrl.length + 1));
    if (!Number.isInteger(line) || line < 1) return undefined;
    let column = /^[ \t]*\^/.test(underline) ? underline.indexOf("^") : -1;
    // Node underlines only the first thousand or so characters of a line.
    if (column < 0) {
      const literal = /^Invalid regular expression: (\/.*\/[a-z]*): /.exec(message)?.[1];
      column = literal ? source.indexOf(literal) : -1;
      if (column < 0) column = Math.max(0, source.search(/\S/));
    }
    if (line === 1) column = Math.max(0, column - STRICT.length);
    return { url: bundleUrl, line, column: column + 1 };
  }
}

/** By name: the error may come from another realm (a test runner's). */
function isSyntaxError(value: unknown): value is { name: "SyntaxError"; message: string; stack?: string } {
  if (typeof value !== "object" || value === null) return false;
  const { name, message } = value as { name?: unknown; message?: unknown };
  return name === "SyntaxError" && typeof message === "string";
}
