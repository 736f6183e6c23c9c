import { mkdir, realpath, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { randomBytes } from "node:crypto";
import { error, type Diagnostic } from "../check/diagnostic.js";
import { startRecording, stopRecording, type DeclarationKind } from "../model/registry.js";
import { collectCallSites } from "../model/location.js";
import type { SourceLocation } from "../model/location.js";
import { bundleMonitors } from "./bundle.js";
import { evaluateModules, threwDiagnostic, type BundledModule, type EvaluateOptions } from "./evaluate.js";
import { parseErrorSite } from "./parse-error.js";
import { makeLocator, tabulatedLocator, toRelative, type Locator } from "./sourcemap.js";

/** An object a monitor file declared, and where. */
export interface Loaded {
  kind: DeclarationKind;
  value: unknown;
  location: SourceLocation | undefined;
}

export interface LoadResult {
  declarations: Loaded[];
  /** Default or named exports of each file, by relative path (the config file's default export). */
  exports: Map<string, Record<string, unknown>>;
  /** Maps any other recorded call site (nested alerts, promql templates) to its file. */
  locate: Locator;
  diagnostics: Diagnostic[];
}

/** A bundle written where `import()` can reach it (plain data: it crosses to a sandbox). */
export interface PreparedBundle {
  /** Absolute real path of the bundle file. */
  file: string;
  map: string;
  cacheDir: string;
  /** Repository-relative files with top-level awaits. */
  asyncFiles: string[];
}

/** Makes and removes bundles: here by default; for `--sandbox`, the parent process does it. */
export interface Bundler {
  /** `setAside`: absolute paths of files known to be broken, left out with the files that import them. */
  prepare(rootDir: string, files: readonly string[], setAside?: readonly string[]): Promise<{ bundle?: PreparedBundle; diagnostics: Diagnostic[] }>;
  dispose(bundle: PreparedBundle): Promise<void>;
}

export interface LoadOptions {
  /** Most milliseconds running the files may take (default 30 s). */
  timeoutMs?: number;
  /** Where the hint says the limit can be raised (default: the flag or the config). */
  raise?: EvaluateOptions["raise"];
  bundler?: Bundler;
  onPhase?: EvaluateOptions["onPhase"];
}

export const DEFAULT_LOAD_TIMEOUT_MS = 30_000;

/** Bundles with esbuild and writes the bundle under the repository's node_modules/.cache/vigil. */
export const localBundler: Bundler = {
  async prepare(rootDir, files, setAside) {
    const cacheDir = path.join(rootDir, "node_modules", ".cache", "vigil");
    const outFile = path.join(cacheDir, `bundle-${process.pid}-${randomBytes(4).toString("hex")}.mjs`);
    const { bundle, diagnostics } = await bundleMonitors(rootDir, files, outFile, setAside);
    if (!bundle) return { diagnostics };
    await mkdir(cacheDir, { recursive: true });
    await writeFile(outFile, bundle.code);
    // Node names a module by its real path: stack frames show it through any symlinked node_modules.
    return { bundle: { file: await realpath(outFile), map: bundle.map, cacheDir, asyncFiles: bundle.asyncFiles }, diagnostics };
  },
  async dispose(bundle) {
    await rm(bundle.file, { force: true });
  },
};

const nativeImport = (url: string) => import(/* @vite-ignore */ url) as Promise<Record<string, unknown>>;

/** Most files set aside, one bundle each, because Node could not parse them (see parse-error.ts). */
const MAX_SET_ASIDE = 5;

/** Bundles the files, runs each within the time limit, and collects what they declared. */
export async function loadFiles(rootDir: string, files: readonly string[], options: LoadOptions = {}): Promise<LoadResult> {
  const bundler = options.bundler ?? localBundler;
  let { bundle, diagnostics } = await bundler.prepare(rootDir, files);
  if (!bundle) return { declarations: [], exports: new Map(), locate: () => undefined, diagnostics };

  // A function per bundle: the decoded source map is made again only when asked (tabulatedLocator).
  const locatorOf = (b: PreparedBundle) => () => makeLocator(pathToFileURL(b.file).href, b.map, b.cacheDir, rootDir);
  let bundleUrl = pathToFileURL(bundle.file).href;
  let mapFor = locatorOf(bundle);
  let loadingLocate = mapFor();
  let exports = new Map<string, Record<string, unknown>>();
  /** Files set aside because the bundle with them could not be parsed. */
  const setAside: string[] = [];
  /** Bundling again failed: that is no monitor's doing, and is thrown as the first bundling's would be. */
  let bundlingFailed: { failure: unknown } | undefined;
  startRecording();
  const stopCollecting = collectCallSites();
  try {
    let imported: Record<string, unknown> | undefined;
    while (!imported && bundle) {
      try {
        imported = await nativeImport(bundleUrl);
      } catch (thrown) {
        // A parse error esbuild let through (an invalid regular expression): nothing of the bundle
        // ran. Reported at its place; that file and its importers are left out, the rest bundled again.
        const site = await parseErrorSite(thrown, bundle.file, bundleUrl);
        const location = site && loadingLocate(site);
        const file = location && path.resolve(rootDir, location.file);
        if (!location || !file || setAside.includes(file) || setAside.length >= MAX_SET_ASIDE) throw thrown;
        diagnostics.push(parseErrorDiagnostic(thrown as Error, location));
        setAside.push(file);
        await bundler.dispose(bundle);
        bundle = undefined;
        const again = await bundler.prepare(rootDir, files, setAside).catch((failure: unknown) => void (bundlingFailed = { failure }));
        if (!again) break;
        // Bundled anew, the files esbuild finds broken are reported again: once is enough.
        const seen = new Set(diagnostics.map((d) => JSON.stringify(d)));
        diagnostics = [...diagnostics, ...again.diagnostics.filter((d) => !seen.has(JSON.stringify(d)))];
        if (!again.bundle) break;
        bundle = again.bundle;
        bundleUrl = pathToFileURL(bundle.file).href;
        mapFor = locatorOf(bundle);
        loadingLocate = mapFor();
      }
    }
    if (imported) {
      const { modules } = imported as { modules: BundledModule[] };
      const evaluated = await evaluateModules(modules, {
        timeoutMs: options.timeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS,
        raise: options.raise ?? "flag-or-config",
        bundleUrl,
        locate: loadingLocate,
        asyncFiles: bundle!.asyncFiles,
        ...(options.onPhase && { onPhase: options.onPhase }),
      });
      exports = evaluated.exports;
      diagnostics.push(...evaluated.diagnostics);
    }
  } catch (thrown) {
    diagnostics.push(threwDiagnostic(thrown, files.length === 1 ? toRelative(rootDir, files[0]!) : "", { bundleUrl, locate: loadingLocate }));
  } finally {
    if (bundle) await bundler.dispose(bundle);
  }
  const recorded = stopRecording();
  const sites = stopCollecting();
  if (bundlingFailed) throw bundlingFailed.failure;
  const locate = tabulatedLocator([...sites, ...recorded.map((d) => d.site)], loadingLocate, mapFor);
  const declarations = recorded.map((d) => ({ kind: d.kind, value: d.value, location: locate(d.site) }));
  return { declarations, exports, locate, diagnostics };
}

/** A parse error Node found and esbuild did not, reported as esbuild's are. */
function parseErrorDiagnostic(thrown: Error, location: SourceLocation): Diagnostic {
  const regex = thrown.message.startsWith("Invalid regular expression");
  return error("syntax-error", thrown.message, location, regex ? "fix the regular expression at this position" : "fix the syntax at this position");
}
