import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { error, type Diagnostic } from "../check/diagnostic.js";
import { toRelative } from "./sourcemap.js";

/** The module monitors get for `import ... from "vigil"`: the compiler's own copy, so there is one registry. */
const VIGIL_ENTRY = fileURLToPath(
  new URL(import.meta.url.endsWith(".ts") ? "../../dist/index.js" : "../index.js", import.meta.url),
);

export interface Bundle {
  code: string;
  map: string;
  /** Files with a top-level await (or importing one): only they can still be running after their first step. */
  asyncFiles: string[];
}

/**
 * One ESM module that exports `modules`: for each file, its repository-relative path, a
 * function that runs it and one that awaits it. Running files one by one lets a file that
 * throws be reported while the others still load. `require` runs a file's top level at once
 * (so that a watchdog can stop it); `import()` of the same file then gives the promise of its
 * top-level awaits, which `require` alone would drop.
 */
export async function bundleMonitors(
  rootDir: string,
  files: readonly string[],
  outFile: string,
): Promise<{ bundle?: Bundle; diagnostics: Diagnostic[] }> {
  const entry = [
    "export const modules = [",
    ...files.map((file) => `  [${JSON.stringify(toRelative(rootDir, file))}, () => require(${JSON.stringify(file)}), () => import(${JSON.stringify(file)})],`),
    "];",
  ].join("\n");
  try {
    const result = await esbuild.build({
      stdin: { contents: entry, resolveDir: rootDir, sourcefile: "vigil-entry.js", loader: "js" },
      absWorkingDir: rootDir,
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      packages: "external",
      sourcemap: "external",
      sourcesContent: false,
      outfile: outFile,
      write: false,
      logLevel: "silent",
      plugins: [
        {
          name: "vigil-self",
          setup(build) {
            build.onResolve({ filter: /^vigil$/ }, () => ({ path: VIGIL_ENTRY, external: true }));
          },
        },
      ],
    });
    const code = result.outputFiles.find((f) => f.path.endsWith(".mjs") || f.path.endsWith(".js"))?.text ?? "";
    const map = result.outputFiles.find((f) => f.path.endsWith(".map"))?.text ?? "";
    return { bundle: { code, map, asyncFiles: asyncModules(rootDir, code, files) }, diagnostics: [] };
  } catch (failure) {
    const messages = (failure as esbuild.BuildFailure).errors;
    if (!Array.isArray(messages)) throw failure;
    return { diagnostics: messages.map((m) => esbuildDiagnostic(rootDir, m)) };
  }
}

/**
 * esbuild wraps each module in `__esm({ "path"() {...} })`, made `async "path"()` when the
 * module awaits at its top level. Only used to name the files a timeout stopped.
 */
function asyncModules(rootDir: string, code: string, files: readonly string[]): string[] {
  const entries = new Set(files.map((file) => toRelative(rootDir, file)));
  const found = [...code.matchAll(/^\s*async ("(?:[^"\\]|\\.)*")\(\) \{$/gm)].map((m) => toRelative(rootDir, path.resolve(rootDir, JSON.parse(m[1]!) as string)));
  return found.filter((file) => entries.has(file)).sort();
}

function esbuildDiagnostic(rootDir: string, message: esbuild.Message): Diagnostic {
  const where = message.location;
  const location = where
    ? { file: toRelative(rootDir, path.resolve(rootDir, where.file)), line: where.line, column: where.column + 1 }
    : undefined;
  if (message.text.startsWith("Could not resolve")) {
    return error("import-not-found", message.text, location, "check the path of the import, and that the file or package exists");
  }
  return error("syntax-error", message.text, location, message.notes[0]?.text ?? "fix the TypeScript syntax at this position");
}
