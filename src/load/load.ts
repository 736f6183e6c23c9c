import { mkdir, realpath, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { randomBytes } from "node:crypto";
import type { Diagnostic } from "../check/diagnostic.js";
import { startRecording, stopRecording, type DeclarationKind } from "../model/registry.js";
import { collectCallSites } from "../model/location.js";
import type { SourceLocation } from "../model/location.js";
import { bundleMonitors } from "./bundle.js";
import { evaluateModules, threwDiagnostic, type BundledModule, type EvaluateOptions } from "./evaluate.js";
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
  prepare(rootDir: string, files: readonly string[]): Promise<{ bundle?: PreparedBundle; diagnostics: Diagnostic[] }>;
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
  async prepare(rootDir, files) {
    const cacheDir = path.join(rootDir, "node_modules", ".cache", "vigil");
    const outFile = path.join(cacheDir, `bundle-${process.pid}-${randomBytes(4).toString("hex")}.mjs`);
    const { bundle, diagnostics } = await bundleMonitors(rootDir, files, outFile);
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

/** Bundles the files, runs each within the time limit, and collects what they declared. */
export async function loadFiles(rootDir: string, files: readonly string[], options: LoadOptions = {}): Promise<LoadResult> {
  const bundler = options.bundler ?? localBundler;
  const { bundle, diagnostics } = await bundler.prepare(rootDir, files);
  if (!bundle) return { declarations: [], exports: new Map(), locate: () => undefined, diagnostics };

  const bundleUrl = pathToFileURL(bundle.file).href;
  const mapFor = () => makeLocator(bundleUrl, bundle.map, bundle.cacheDir, rootDir);
  const loadingLocate = mapFor();
  let exports = new Map<string, Record<string, unknown>>();
  startRecording();
  const stopCollecting = collectCallSites();
  try {
    const { modules } = (await nativeImport(bundleUrl)) as { modules: BundledModule[] };
    const evaluated = await evaluateModules(modules, {
      timeoutMs: options.timeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS,
      raise: options.raise ?? "flag-or-config",
      bundleUrl,
      locate: loadingLocate,
      asyncFiles: bundle.asyncFiles,
      ...(options.onPhase && { onPhase: options.onPhase }),
    });
    exports = evaluated.exports;
    diagnostics.push(...evaluated.diagnostics);
  } catch (thrown) {
    diagnostics.push(threwDiagnostic(thrown, files.length === 1 ? toRelative(rootDir, files[0]!) : "", { bundleUrl, locate: loadingLocate }));
  } finally {
    await bundler.dispose(bundle);
  }
  const recorded = stopRecording();
  const locate = tabulatedLocator([...stopCollecting(), ...recorded.map((d) => d.site)], loadingLocate, mapFor);
  const declarations = recorded.map((d) => ({ kind: d.kind, value: d.value, location: locate(d.site) }));
  return { declarations, exports, locate, diagnostics };
}
