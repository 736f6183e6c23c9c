import { realpath } from "node:fs/promises";
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

/** Most esbuild runs one load may take when files are broken (one when none is). */
const MAX_BUILDS = 5;
const ENTRY_NAME = "vigil-entry.js";

export interface BundleResult {
  bundle?: Bundle;
  diagnostics: Diagnostic[];
  /** How many times esbuild bundled: once when nothing is broken. */
  builds: number;
}

/**
 * One ESM module that exports `modules`: for each file, its repository-relative path, a
 * function that runs it and one that awaits it. Running files one by one lets a file that
 * throws be reported while the others still load. `require` runs a file's top level at once
 * (so that a watchdog can stop it); `import()` of the same file then gives the promise of its
 * top-level awaits, which `require` alone would drop.
 *
 * When esbuild reports errors (a syntax error, an import that cannot be resolved), the files
 * it names are set aside and the rest is bundled again, so that their problems are reported
 * too: the files in error are replaced by empty stand-ins, and esbuild's metafile tells which
 * entry files import one of them, however indirectly; those are left out as well. Each error
 * is reported once. A repository without errors is bundled once, as before.
 *
 * `setAside` (absolute paths) are files already known to be broken, such as one whose regular
 * expression Node could not parse (see parse-error.ts): they are left out in the same way, and
 * reported by the caller.
 */
export async function bundleMonitors(rootDir: string, files: readonly string[], outFile: string, setAside: readonly string[] = []): Promise<BundleResult> {
  const diagnostics: Diagnostic[] = [];
  const reported = new Set<string>();
  /** Absolute real paths of the files esbuild found errors in, or that the caller set aside. */
  const broken = new Set<string>();
  let entries = [...files];
  let builds = 0;
  /** esbuild names files by their real paths, relative to the real root: read only once something is broken. */
  let realRoot: string | undefined;
  const real = (entry: string) => path.join(realRoot ?? rootDir, path.relative(rootDir, entry));
  if (setAside.length > 0) {
    realRoot = await realpath(rootDir).catch(() => rootDir);
    for (const file of setAside) broken.add(await realpath(file).catch(() => real(file)));
  }
  for (;;) {
    builds++;
    const outcome = await build(rootDir, entries, outFile, broken);
    if ("errors" in outcome) {
      realRoot ??= await realpath(rootDir).catch(() => rootDir);
      const before = broken.size;
      const dropped = new Set<string>();
      let isolated = true;
      for (const message of outcome.errors) {
        const where = message.location;
        const file = where ? path.resolve(realRoot, where.file) : undefined;
        const inEntry = file !== undefined && isEntryModule(rootDir, realRoot, file);
        // The entry module asks for each file twice (require, import()): one error is enough.
        const key = JSON.stringify(inEntry ? [message.text] : [message.text, where?.file, where?.line, where?.column]);
        if (!reported.has(key)) {
          reported.add(key);
          diagnostics.push(esbuildDiagnostic(rootDir, message));
        }
        if (!where || !file) isolated = false;
        // The entry module cannot find a file (deleted since it was found): leave that file out.
        else if (inEntry) {
          const entry = entries[where.line - 2];
          if (entry === undefined) isolated = false;
          else dropped.add(entry);
        } else broken.add(file);
      }
      // An error that names no file, or nothing new set aside: the rest cannot be bundled apart from it.
      if (!isolated || (broken.size === before && dropped.size === 0) || builds >= MAX_BUILDS) return { diagnostics, builds };
      entries = entries.filter((entry) => !dropped.has(entry) && !broken.has(real(entry)));
    } else {
      if (broken.size === 0) return { bundle: outcome.bundle, diagnostics, builds };
      const tainted = importersOf(rootDir, realRoot ?? rootDir, outcome.metafile, broken);
      // Which files import a broken one is unknown: better none loaded than some run against stand-ins.
      if (!tainted) return { diagnostics, builds };
      const rest = entries.filter((entry) => !tainted.has(entry));
      // No file left runs a stand-in: this bundle is the one to load.
      if (rest.length === entries.length) return { bundle: outcome.bundle, diagnostics, builds };
      if (builds >= MAX_BUILDS) return { diagnostics, builds };
      entries = rest;
    }
    if (entries.length === 0) return { diagnostics, builds };
  }
}

type Outcome = { bundle: Bundle; metafile: esbuild.Metafile | undefined } | { errors: esbuild.Message[] };

/** One esbuild run; the files in `stubbed` are replaced by empty modules (and a metafile is asked for). */
async function build(rootDir: string, files: readonly string[], outFile: string, stubbed: ReadonlySet<string>): Promise<Outcome> {
  const entry = [
    "export const modules = [",
    ...files.map((file) => `  [${JSON.stringify(toRelative(rootDir, file))}, () => require(${JSON.stringify(file)}), () => import(${JSON.stringify(file)})],`),
    "];",
  ].join("\n");
  const plugins: esbuild.Plugin[] = [
    {
      name: "vigil-self",
      setup(build) {
        build.onResolve({ filter: /^vigil$/ }, () => ({ path: VIGIL_ENTRY, external: true }));
      },
    },
  ];
  if (stubbed.size > 0) {
    plugins.push({
      name: "vigil-stand-ins",
      setup(build) {
        // CommonJS, so that whatever an importer asks of it is no error (only undefined, and the importer is left out).
        build.onLoad({ filter: /.*/ }, (args) => (stubbed.has(args.path) ? { contents: "module.exports = {};", loader: "js" } : undefined));
      },
    });
  }
  try {
    const result = await esbuild.build({
      stdin: { contents: entry, resolveDir: rootDir, sourcefile: ENTRY_NAME, loader: "js" },
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
      metafile: stubbed.size > 0,
      plugins,
    });
    const code = result.outputFiles.find((f) => f.path.endsWith(".mjs") || f.path.endsWith(".js"))?.text ?? "";
    const map = result.outputFiles.find((f) => f.path.endsWith(".map"))?.text ?? "";
    return { bundle: { code, map, asyncFiles: asyncModules(rootDir, code, files) }, metafile: result.metafile };
  } catch (failure) {
    const messages = (failure as esbuild.BuildFailure).errors;
    if (!Array.isArray(messages)) throw failure;
    return { errors: messages };
  }
}

/**
 * The entry files (as given) that import one of `broken`, directly or not, or are one: read
 * from the metafile, whose paths are esbuild's (symbolic links resolved, relative to the real
 * root), so each entry is named by what the generated entry module asked for.
 */
function importersOf(rootDir: string, realRoot: string, metafile: esbuild.Metafile | undefined, broken: ReadonlySet<string>): Set<string> | undefined {
  if (!metafile) return undefined;
  const tainted = new Set<string>();
  const imports = new Map<string, string[]>();
  let entryImports: esbuild.Metafile["inputs"][string]["imports"] | undefined;
  for (const [key, input] of Object.entries(metafile.inputs)) {
    const file = path.resolve(realRoot, key);
    if (key === "<stdin>" || isEntryModule(rootDir, realRoot, file)) entryImports = input.imports;
    else imports.set(file, input.imports.filter((i) => !i.external).map((i) => path.resolve(realRoot, i.path)));
  }
  if (!entryImports) return undefined;
  // Walked backwards from the broken files: everything that imports one of them.
  const importers = new Map<string, string[]>();
  for (const [file, imported] of imports) {
    for (const target of imported) {
      const list = importers.get(target);
      if (list) list.push(file);
      else importers.set(target, [file]);
    }
  }
  const reached = new Set(broken);
  const queue = [...broken];
  while (queue.length > 0) {
    for (const importer of importers.get(queue.pop()!) ?? []) {
      if (!reached.has(importer)) {
        reached.add(importer);
        queue.push(importer);
      }
    }
  }
  for (const entry of entryImports) {
    if (entry.external || entry.original === undefined) continue;
    if (reached.has(path.resolve(realRoot, entry.path))) tainted.add(entry.original);
  }
  return tainted;
}

/** The generated entry module, as esbuild names it: beside the root as given (which may be a link). */
function isEntryModule(rootDir: string, realRoot: string, file: string): boolean {
  return file === path.join(rootDir, ENTRY_NAME) || file === path.join(realRoot, ENTRY_NAME);
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
