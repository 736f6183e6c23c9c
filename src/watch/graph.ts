import path from "node:path";
import * as esbuild from "esbuild";
import { toRelative } from "../load/sourcemap.js";

/** For each source file (repository-relative), the source files it imports directly. */
export type ImportGraph = Map<string, string[]>;

/**
 * The imports between the repository's own files, from esbuild's metafile (the bundler's own
 * resolution, so it agrees with what loading runs). Packages are left out: a change under
 * node_modules is not watched. Errors are not reported here: loading reports them.
 */
export async function importGraph(rootDir: string, entries: readonly string[]): Promise<{ graph: ImportGraph; ok: boolean }> {
  const graph: ImportGraph = new Map();
  if (entries.length === 0) return { graph, ok: true };
  try {
    const result = await esbuild.build({
      entryPoints: [...entries],
      absWorkingDir: rootDir,
      bundle: true,
      write: false,
      metafile: true,
      format: "esm",
      platform: "node",
      target: "node20",
      packages: "external",
      outdir: path.join(rootDir, "node_modules", ".cache", "vigil", "graph"),
      logLevel: "silent",
    });
    for (const [input, meta] of Object.entries(result.metafile.inputs)) {
      const file = toRelative(rootDir, path.resolve(rootDir, input));
      graph.set(file, meta.imports.filter((i) => !i.external).map((i) => toRelative(rootDir, path.resolve(rootDir, i.path))));
    }
    return { graph, ok: true };
  } catch {
    return { graph, ok: false };
  }
}

/** The files and every file that imports them, directly or not. */
export function withDependents(graph: ImportGraph, files: Iterable<string>): Set<string> {
  const importers = new Map<string, string[]>();
  for (const [file, imports] of graph) for (const imported of imports) importers.set(imported, [...(importers.get(imported) ?? []), file]);
  const result = new Set<string>();
  const queue = [...files];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (result.has(file)) continue;
    result.add(file);
    queue.push(...(importers.get(file) ?? []));
  }
  return result;
}

/** Replaces the edges of the files just bundled (and drops removed ones), keeping the rest. */
export function mergeGraph(graph: ImportGraph, update: ImportGraph, removed: Iterable<string> = []): ImportGraph {
  const merged = new Map(graph);
  for (const file of removed) merged.delete(file);
  for (const [file, imports] of update) merged.set(file, imports);
  return merged;
}
