import { copyFile, link, mkdir, readdir, readFile, readlink, rename, rm, rmdir, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { MANIFEST, parseManifest } from "../emit/manifest.js";
import { writeOutput } from "../output/write.js";
import { diffOutput, type HashedFile } from "./cache.js";

export interface WriteResult {
  /** Output files written anew or changed, manifest included. */
  changed: string[];
  /** Output files Vigil no longer writes, removed. */
  removed: string[];
  /** What is on disk now: path to sha256. */
  written: Map<string, string>;
  /**
   * Removal of the previous tree, left running: it costs as much as the rest of the write and
   * nobody waits for it. Await it before the next write (whose recovery would otherwise race it).
   */
  cleanup: Promise<void>;
}

const exists = (p: string) => stat(p).then(() => true, () => false);

/** What the output directory holds, from its manifest (empty when there is none). */
export async function writtenFromDisk(outDir: string): Promise<Map<string, string>> {
  const manifest = parseManifest(await readFile(path.join(outDir, MANIFEST), "utf8").catch(() => undefined));
  const written = new Map((manifest?.files ?? []).map((f) => [f.path, f.sha256] as const));
  return written;
}

/**
 * Writes a compile's output as `vigil compile` does, in one step, rewriting only what changed.
 * The first time (`written` undefined, or the directory gone) it is writeOutput itself. After
 * that, the new tree is built beside the old one from hard links to the unchanged files (no
 * bytes copied, their mtimes kept) and the changed files, then swapped in with the same two
 * renames and the same staging and backup names as writeOutput, so that its recovery finishes
 * a swap this process did not. At every moment a whole tree exists, the old or the new one.
 */
export async function writeChanges(outDir: string, files: readonly HashedFile[], written: ReadonlyMap<string, string> | undefined): Promise<WriteResult> {
  const now = new Map(files.map((f) => [f.path, f.sha256] as const));
  if (!written || !(await exists(outDir))) {
    const before = await writtenFromDisk(outDir);
    const report = await writeOutput(outDir, files);
    const diff = diffOutput(before, files);
    const cleanup = Promise.resolve();
    return report.unchanged ? { changed: [], removed: [], written: now, cleanup } : { changed: diff.changed, removed: report.removed, written: now, cleanup };
  }
  const { changed, removed } = diffOutput(written, files);
  if (changed.length === 0 && removed.length === 0) return { changed, removed, written: now, cleanup: Promise.resolve() };

  const parent = path.dirname(outDir);
  const base = path.basename(outDir);
  const staging = path.join(parent, `.${base}.vigil-staging`);
  const backup = path.join(parent, `.${base}.vigil-previous`);
  await recover(outDir, backup);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const replaced = new Set([...changed, ...removed]);
  const byPath = new Map(files.map((f) => [f.path, f]));
  try {
    await mirror(outDir, staging, replaced);
    await Promise.all(
      changed.map(async (relative) => {
        const target = path.join(staging, relative);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, byPath.get(relative)!.content);
      }),
    );
    await removeEmptyDirs(staging, removed.map((p) => path.dirname(p)));
    await rename(outDir, backup);
    await rename(staging, outDir);
  } catch (failure) {
    await rm(staging, { recursive: true, force: true });
    await recover(outDir, backup);
    throw failure;
  }
  const cleanup = rm(backup, { recursive: true, force: true });
  return { changed, removed, written: now, cleanup };
}

/** As writeOutput's: if a swap was interrupted between its renames, the old tree is whole under the backup name. */
async function recover(outDir: string, backup: string): Promise<void> {
  if ((await exists(backup)) && !(await exists(outDir))) await rename(backup, outDir);
  await rm(backup, { recursive: true, force: true });
}

/** The tree at `from` recreated at `to` with hard links, but for the `skip` files (repository-relative, "/"). */
async function mirror(from: string, to: string, skip: ReadonlySet<string>): Promise<void> {
  const entries = await readdir(from, { withFileTypes: true, recursive: true });
  const relative = (dir: string, name: string) => path.relative(from, path.join(dir, name));
  const dirs = entries.filter((e) => e.isDirectory()).map((e) => relative(e.parentPath, e.name)).sort();
  for (const dir of dirs) await mkdir(path.join(to, dir), { recursive: true });
  await Promise.all(
    entries.map(async (entry) => {
      const rel = relative(entry.parentPath, entry.name);
      if (entry.isDirectory() || skip.has(rel.split(path.sep).join("/"))) return;
      const source = path.join(from, rel);
      const target = path.join(to, rel);
      if (entry.isSymbolicLink()) return symlink(await readlink(source), target);
      // A file system without hard links gets copies: slower, as safe.
      await link(source, target).catch(() => copyFile(source, target));
    }),
  );
}

/** As writeOutput's: directories (and their parents) that held only files Vigil no longer writes. */
async function removeEmptyDirs(root: string, dirs: readonly string[]): Promise<void> {
  const candidates = new Set<string>();
  for (let dir of dirs) {
    while (dir !== "." && dir !== "") {
      candidates.add(dir);
      dir = path.dirname(dir);
    }
  }
  for (const dir of [...candidates].sort((a, b) => b.split("/").length - a.split("/").length)) {
    const entries = await readdir(path.join(root, dir)).catch(() => undefined);
    if (entries && entries.length === 0) await rmdir(path.join(root, dir));
  }
}
