import { cp, mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { glob } from "tinyglobby";
import { MANIFEST, parseManifest } from "../emit/manifest.js";
import type { OutputFile } from "../emit/output.js";

export interface WriteReport {
  written: number;
  removed: string[];
  unchanged: boolean;
}

const exists = (p: string) => stat(p).then(() => true, () => false);

/** Files in the output directory today, as the compiler would compare them. */
export async function readOutputDir(outDir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  if (!(await exists(outDir))) return files;
  for (const relative of await glob("**/*", { cwd: outDir, dot: true, onlyFiles: true, followSymbolicLinks: false })) {
    files.set(relative, await readFile(path.join(outDir, relative), "utf8"));
  }
  return files;
}

/**
 * Finishes an interrupted swap: if the process died between the two renames, the previous
 * output is still whole under its backup name.
 */
async function recover(outDir: string, backup: string): Promise<void> {
  if ((await exists(backup)) && !(await exists(outDir))) await rename(backup, outDir);
  await rm(backup, { recursive: true, force: true });
}

/**
 * Replaces the output directory in one step: the new tree is written beside it, files that
 * Vigil did not write (not in the old manifest) are carried over, then two renames swap it
 * in. At every moment a whole tree exists, the old or the new one.
 */
export async function writeOutput(outDir: string, files: readonly OutputFile[]): Promise<WriteReport> {
  const parent = path.dirname(outDir);
  const base = path.basename(outDir);
  const staging = path.join(parent, `.${base}.vigil-staging`);
  const backup = path.join(parent, `.${base}.vigil-previous`);
  await recover(outDir, backup);

  const current = await readOutputDir(outDir);
  const owned = new Set(parseManifest(current.get(MANIFEST))?.files.map((f) => f.path) ?? []);
  owned.add(MANIFEST);
  const next = new Set(files.map((f) => f.path));
  const removed = [...current.keys()].filter((p) => owned.has(p) && !next.has(p)).sort();
  const unchanged = removed.length === 0 && files.every((f) => current.get(f.path) === f.content);
  if (unchanged) return { written: 0, removed: [], unchanged: true };

  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    // What Vigil does not own comes along as it is: files, symlinks, empty directories.
    if (await exists(outDir)) {
      await cp(outDir, staging, {
        recursive: true,
        verbatimSymlinks: true,
        filter: (source) => !owned.has(path.relative(outDir, source).split(path.sep).join("/")),
      });
    }
    for (const file of files) {
      const target = path.join(staging, file.path);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, file.content);
    }
    await removeEmptyDirs(staging, [...owned].map((p) => path.dirname(p)));
    if (await exists(outDir)) await rename(outDir, backup);
    await rename(staging, outDir);
  } catch (failure) {
    await rm(staging, { recursive: true, force: true });
    await recover(outDir, backup);
    throw failure;
  }
  await rm(backup, { recursive: true, force: true });
  return { written: files.length, removed, unchanged: false };
}

/** Removes the directories (and their parents) that held only files Vigil no longer writes. */
async function removeEmptyDirs(root: string, dirs: readonly string[]): Promise<void> {
  const candidates = new Set<string>();
  for (let dir of dirs) {
    while (dir !== "." && dir !== "") {
      candidates.add(dir);
      dir = path.dirname(dir);
    }
  }
  // Deepest first, so that a parent is looked at after its children.
  for (const dir of [...candidates].sort((a, b) => b.split("/").length - a.split("/").length)) {
    const absolute = path.join(root, dir);
    const entries = await readdir(absolute).catch(() => undefined);
    if (entries && entries.length === 0) await rmdir(absolute);
  }
}

/** Differences between what compile would write and what is in the output directory. */
export function staleFiles(current: Map<string, string>, files: readonly OutputFile[]): { path: string; reason: "missing" | "changed" | "stale" }[] {
  const owned = new Set(parseManifest(current.get(MANIFEST))?.files.map((f) => f.path) ?? []);
  const next = new Set(files.map((f) => f.path));
  const problems: { path: string; reason: "missing" | "changed" | "stale" }[] = [];
  for (const file of files) {
    const existing = current.get(file.path);
    if (existing === undefined) problems.push({ path: file.path, reason: "missing" });
    else if (existing !== file.content) problems.push({ path: file.path, reason: "changed" });
  }
  for (const relative of owned) if (!next.has(relative) && current.has(relative)) problems.push({ path: relative, reason: "stale" });
  return problems.sort((a, b) => (a.path < b.path ? -1 : 1));
}
