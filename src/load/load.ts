import { mkdir, realpath, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { randomBytes } from "node:crypto";
import { error, type Diagnostic } from "../check/diagnostic.js";
import { startRecording, stopRecording, type DeclarationKind } from "../model/registry.js";
import type { SourceLocation } from "../model/location.js";
import { bundleMonitors } from "./bundle.js";
import { makeLocator, siteInStack, toRelative, type Locator } from "./sourcemap.js";

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

const nativeImport = (url: string) => import(/* @vite-ignore */ url) as Promise<Record<string, unknown>>;

/** Bundles the files, runs each, and collects what they declared. */
export async function loadFiles(rootDir: string, files: readonly string[]): Promise<LoadResult> {
  const cacheDir = path.join(rootDir, "node_modules", ".cache", "vigil");
  const outFile = path.join(cacheDir, `bundle-${process.pid}-${randomBytes(4).toString("hex")}.mjs`);
  const { bundle, diagnostics } = await bundleMonitors(rootDir, files, outFile);
  if (!bundle) return { declarations: [], exports: new Map(), locate: () => undefined, diagnostics };

  await mkdir(cacheDir, { recursive: true });
  await writeFile(outFile, bundle.code);
  // Node names a module by its real path: stack frames show it through any symlinked node_modules.
  const bundleUrl = pathToFileURL(await realpath(outFile)).href;
  const locate = makeLocator(bundleUrl, bundle.map, cacheDir, rootDir);
  const exports = new Map<string, Record<string, unknown>>();
  startRecording();
  try {
    const { modules } = (await nativeImport(bundleUrl)) as { modules: [string, () => Record<string, unknown>][] };
    for (const [file, run] of modules) {
      try {
        exports.set(file, run());
      } catch (thrown) {
        diagnostics.push(threwDiagnostic(thrown, file, bundleUrl, locate));
      }
    }
  } catch (thrown) {
    diagnostics.push(threwDiagnostic(thrown, files.length === 1 ? toRelative(rootDir, files[0]!) : "", bundleUrl, locate));
  } finally {
    await rm(outFile, { force: true });
  }
  const declarations = stopRecording().map((d) => ({ kind: d.kind, value: d.value, location: locate(d.site) }));
  return { declarations, exports, locate, diagnostics };
}

function threwDiagnostic(thrown: unknown, file: string, bundleUrl: string, locate: Locator): Diagnostic {
  const message = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
  const location = locate(siteInStack(thrown, bundleUrl)) ?? (file ? { file, line: 1, column: 1 } : undefined);
  return error("monitor-threw", `loading this file threw ${message}`, location, "a monitor file must run without throwing; fix the code at this line");
}
