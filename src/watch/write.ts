import { copyFileSync, linkSync, lstatSync, mkdirSync, readdirSync, readlinkSync, statSync, symlinkSync } from "node:fs";
import { copyFile, link, mkdir, readFile, rename, rm, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { MANIFEST, parseManifest } from "../emit/manifest.js";
import { inParallel, realFs, recover, removeEmptyDirs, resolveOutDir, swapDirs, WRITES_IN_FLIGHT, writeOutput } from "../output/write.js";
import { changesBetween, diffOutput, outputFiles, type HashedFile, type Output } from "./cache.js";

/**
 * How watch mode writes `generated/`: as `vigil compile` does (writeOutput's staging and backup
 * names, its recovery, a whole tree swapped in with renames), in a number of file-system calls
 * proportional to what changed rather than to the size of the output.
 *
 * The idea is to keep two trees. After a swap, the tree just replaced is not deleted: it stays
 * under the backup name (".generated.vigil-previous") as the spare. The next write renames the
 * spare to the staging name, brings it up to date and swaps it in; the tree it replaces becomes
 * the spare. Up to date: the files that changed since the live tree are written, those the
 * spare has in an older version become hard links to the live tree's, those no longer output
 * go; always unlinked first, never written through, since the two trees share the inodes of
 * the files they have in common. A 12,000-file output edited in one service costs a handful of
 * writes and three renames, where hard-linking a new tree cost 12,000 links and deleting the old
 * one 12,000 unlinks.
 *
 * Safety is writeOutput's: at every moment a whole tree is under the output directory's name,
 * or (between the last two renames) under the backup name, which writeOutput's recovery puts
 * back; the spare, under that name while the output directory exists, is what that recovery
 * deletes. The spare is deleted when watching stops.
 *
 * Files Vigil does not own (not in the manifest) are carried over as writeOutput does. The
 * spare has them as hard links to the live tree's, so an edit in place shows in both; anything
 * else done to the live tree from outside (a file added, removed or renamed, a `git checkout`,
 * another `vigil compile`) changes the modification time of a directory or the tree's inode,
 * which is checked before every write (one stat per directory, and the entries of the few
 * directories written within a clock tick of being looked at): then this write is
 * writeOutput's own, which compares every file with what is on disk.
 */

export interface WriteResult {
  /** Output files written anew or changed, manifest included. */
  changed: string[];
  /** Output files Vigil no longer writes, removed. */
  removed: string[];
  /** How: writeOutput (`full`), a tree of hard links (`linked`), the spare brought up to date (`spare`), or nothing to do. */
  how: "full" | "linked" | "spare" | "none";
}

/** What watch mode knows of a tree it wrote: its inode, the output it holds and its directories' modification times. */
interface Tree {
  ino: bigint;
  /** The groups of the output written there (cache.ts's Output). */
  groups: ReadonlySet<readonly HashedFile[]>;
  /** Every directory ("" the root) to its mtime in ns. */
  dirs: Map<string, bigint>;
}

interface Live extends Tree {
  /** The output directory as configured, and where it resolves (a symlinked one is written where it points). */
  requested: string;
  dir: string;
  /** Directories whose mtime cannot tell a later change (racyEntries), to their entries. */
  racy: Map<string, string>;
}

const statOf = (p: string) => statSync(p, { bigint: true, throwIfNoEntry: false });
const lstatOf = (p: string) => lstatSync(p, { bigint: true, throwIfNoEntry: false });
const join = (root: string, relative: string) => (relative === "" ? root : path.join(root, relative));
const toPosix = (p: string) => p.split(path.sep).join("/");
/** A directory and each of its parents up to the root (""). */
function ancestors(file: string): string[] {
  const dirs: string[] = [];
  let dir = path.posix.dirname(file);
  for (;;) {
    dir = dir === "." ? "" : dir;
    dirs.push(dir);
    if (dir === "") return dirs;
    dir = path.posix.dirname(dir);
  }
}

/** Every directory of a tree with its mtime (one readdir per directory and one stat each). */
export function scanDirs(root: string): Map<string, bigint> {
  const dirs = new Map<string, bigint>();
  const rootStat = statOf(root);
  if (!rootStat) return dirs;
  dirs.set("", rootStat.mtimeNs);
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isDirectory()) continue;
    const relative = toPosix(path.relative(root, path.join(entry.parentPath, entry.name)));
    const stats = statOf(path.join(root, relative));
    if (stats) dirs.set(relative, stats.mtimeNs);
  }
  return dirs;
}

/**
 * How recent a directory's mtime may be, when read, for a change right after to keep it: kernels
 * before 6.13 stamp files from a clock that advances every 1 to 10 ms, so a file removed a
 * millisecond after the mtime was read can leave it as it was. Such directories' entries are
 * remembered and compared too, as git does for its "racily clean" index entries.
 */
const RACY_NS = 20_000_000n;

/** A directory's names with their inodes: what adding, removing or renaming over a file changes. */
function entriesOf(dir: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return undefined;
  }
  return names.map((name) => `${name}\0${lstatOf(path.join(dir, name))?.ino ?? ""}`).join("\n");
}

/**
 * The entries of each directory whose mtime is too recent to tell a later change by: within a
 * tick of `since`, the wall-clock time (ms) before its mtime was read (a whole tree's scan can
 * take longer than a tick, so the time after it would let a directory read early pass).
 */
export function racyEntries(root: string, dirs: ReadonlyMap<string, bigint>, since: number): Map<string, string> {
  const before = BigInt(since) * 1_000_000n;
  const racy = new Map<string, string>();
  for (const [relative, mtime] of dirs) {
    if (mtime + RACY_NS < before) continue;
    const entries = entriesOf(join(root, relative));
    if (entries !== undefined) racy.set(relative, entries);
  }
  return racy;
}

/** Whether a tree is as this process left it: same inode, no directory changed since. */
export function untouched(root: string, tree: Pick<Live, "ino" | "dirs" | "racy">): boolean {
  const stats = lstatOf(root);
  if (!stats || !stats.isDirectory() || stats.ino !== tree.ino) return false;
  for (const [relative, mtime] of tree.dirs) if (statOf(join(root, relative))?.mtimeNs !== mtime) return false;
  for (const [relative, entries] of tree.racy) if (entriesOf(join(root, relative)) !== entries) return false;
  return true;
}

/**
 * The tree at `from` recreated at `to` with hard links (symlinks as symlinks, copies where the
 * file system has no hard links), but for the `skip` files. Synchronous: tens of thousands of
 * small calls go twice as fast without a promise each.
 */
function mirror(from: string, to: string, skip: ReadonlySet<string>): void {
  mkdirSync(to, { recursive: true });
  const entries = readdirSync(from, { withFileTypes: true, recursive: true }).map((entry) => ({ entry, relative: path.relative(from, path.join(entry.parentPath, entry.name)) }));
  // Parents before children: readdir lists a directory before its contents, but say so.
  for (const { relative } of entries.filter((e) => e.entry.isDirectory()).sort((a, b) => (a.relative < b.relative ? -1 : 1))) mkdirSync(path.join(to, relative), { recursive: true });
  for (const { entry, relative } of entries) {
    if (entry.isDirectory() || skip.has(toPosix(relative))) continue;
    const source = path.join(from, relative);
    const target = path.join(to, relative);
    if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
    }
  }
}

const ignoreMissing = (failure: NodeJS.ErrnoException) => {
  if (failure.code !== "ENOENT") throw failure;
};

/** What the output directory holds, from its manifest (empty when there is none). */
export async function writtenFromDisk(outDir: string): Promise<Map<string, string>> {
  const manifest = parseManifest(await readFile(path.join(outDir, MANIFEST), "utf8").catch(() => undefined));
  return new Map((manifest?.files ?? []).map((f) => [f.path, f.sha256] as const));
}

/** Writes one compile's output after another: see the comment at the top. Not reentrant: one write at a time. */
/**
 * Builds the next tree under the staging name, then swaps it in by two renames; returns the
 * inode of the tree swapped in. On a failure the live tree is as it was and the staging one gone.
 */
async function buildAndSwap(liveDir: string, build: () => Promise<void>): Promise<bigint> {
  const { staging, backup } = swapDirs(liveDir);
  try {
    await build();
    const ino = lstatOf(staging)!.ino;
    await rename(liveDir, backup);
    await rename(staging, liveDir);
    return ino;
  } catch (failure) {
    await recover(liveDir, backup, realFs).catch(() => undefined);
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw failure;
  }
}

export class OutputWriter {
  private live: Live | undefined;
  private spare: Tree | undefined;
  /** When the write under way began: every mtime it records was read after. */
  private started = 0;

  /** Writes a compile's output (manifest included) to `requested`, rewriting only what changed. */
  async write(requested: string, output: Output): Promise<WriteResult> {
    this.started = Date.now();
    const groups = new Set(output);
    try {
      const outDir = await resolveOutDir(requested);
      const live = this.live;
      if (!live || live.requested !== requested || live.dir !== outDir || !untouched(outDir, live)) return await this.full(requested, output, groups);
      const { files, removed } = changesBetween(live.groups, output);
      const changed = files.map((f) => f.path).sort();
      removed.sort();
      if (changed.length === 0 && removed.length === 0) {
        // The same files: the live tree holds this output as well.
        this.live = { ...live, groups };
        return { changed, removed, how: "none" };
      }
      const { backup } = swapDirs(outDir);
      const spare = this.spare;
      const how = spare && lstatOf(backup)?.ino === spare.ino ? await this.fromSpare(live, spare, output, groups, files) : await this.linked(live, groups, files, removed);
      return { changed, removed, how };
    } catch (failure) {
      // What is on disk is unknown now: the next write starts from writeOutput again.
      this.live = undefined;
      this.spare = undefined;
      throw failure;
    }
  }

  /** Deletes the spare tree (watching stops). */
  async close(): Promise<void> {
    const live = this.live;
    const spare = this.spare;
    this.live = undefined;
    this.spare = undefined;
    if (!live || !spare) return;
    const { backup } = swapDirs(live.dir);
    // Only if it is still ours and the output directory is there: otherwise it is writeOutput's recovery's to handle.
    if (lstatOf(backup)?.ino === spare.ino && lstatOf(live.dir)) await rm(backup, { recursive: true, force: true });
  }

  /** writeOutput itself, then a spare made of hard links to what it wrote. */
  private async full(requested: string, output: Output, groups: ReadonlySet<readonly HashedFile[]>): Promise<WriteResult> {
    const files = outputFiles(output);
    const before = this.live;
    const spare = this.spare;
    this.live = undefined;
    this.spare = undefined;
    if (before && spare) {
      // Our spare goes (writeOutput's recovery would take it for an interrupted swap's backup were the output directory deleted).
      const { backup } = swapDirs(before.dir);
      if (lstatOf(backup)?.ino === spare.ino) await rm(backup, { recursive: true, force: true });
    }
    const outDir = await resolveOutDir(requested);
    // What is there before, for the count of files changed: after an interrupted swap, what writeOutput's recovery puts back.
    const previous = await writtenFromDisk(lstatOf(outDir) ? outDir : swapDirs(outDir).backup);
    const report = await writeOutput(requested, files);
    const { changed, removed } = report.unchanged ? { changed: [], removed: [] } : { changed: diffOutput(previous, files).changed, removed: report.removed };

    const dir = await resolveOutDir(requested);
    const { staging, backup } = swapDirs(dir);
    const liveStat = lstatOf(dir);
    if (!liveStat) throw Object.assign(new Error(`${dir} disappeared as it was written`), { code: "ENOENT" });
    const liveDirs = scanDirs(dir);
    const live: Live = { requested, dir, ino: liveStat.ino, groups, dirs: liveDirs, racy: racyEntries(dir, liveDirs, this.started) };
    this.live = live;
    // The spare: the same tree in hard links, made under the staging name (the backup name only
    // ever holds a whole tree). Should making it fail, the next write makes a tree its own way.
    try {
      await rm(staging, { recursive: true, force: true });
      mirror(dir, staging, new Set());
      const dirs = scanDirs(staging);
      await rename(staging, backup);
      const spareStat = lstatOf(backup);
      if (spareStat) this.spare = { ino: spareStat.ino, groups, dirs };
    } catch {
      await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    }
    return { changed, removed, how: "full" };
  }

  /**
   * The spare brought up to date under the staging name, then swapped in; the live tree becomes
   * the spare. The files that changed since the live tree (`changed`) are written; those that
   * the spare has older but the live tree as they are now are hard links to the live tree's
   * (so they keep their inode and mtime); what the spare has that is no longer output goes.
   */
  private async fromSpare(live: Live, spare: Tree, output: Output, groups: ReadonlySet<readonly HashedFile[]>, changed: readonly HashedFile[]): Promise<"spare"> {
    const { staging, backup } = swapDirs(live.dir);
    const behind = changesBetween(spare.groups, output);
    const toWrite = changed;
    const written = new Set(changed.map((f) => f.path));
    const toLink = behind.files.map((f) => f.path).filter((p) => !written.has(p));
    const toRemove = behind.removed;
    this.spare = undefined;
    await rm(staging, { recursive: true, force: true });
    await rename(backup, staging);
    const dirs = new Map(spare.dirs);
    const ino = await buildAndSwap(live.dir, async () => {
      // A few at a time, as writeOutput writes (and after a failure, none still writing into what is removed).
      await inParallel(toRemove, WRITES_IN_FLIGHT, (p) => unlink(path.join(staging, p)).catch(ignoreMissing));
      await removeEmptyDirs(staging, toRemove.map((p) => path.posix.dirname(p)));
      await inParallel(toWrite, WRITES_IN_FLIGHT, async (file) => {
        const target = path.join(staging, file.path);
        await mkdir(path.dirname(target), { recursive: true });
        // The spare shares this file's inode with the live tree, maybe: a new file, not the old one truncated.
        await unlink(target).catch(ignoreMissing);
        await writeFile(target, file.content);
      });
      await inParallel(toLink, WRITES_IN_FLIGHT, async (relative) => {
        const target = path.join(staging, relative);
        await mkdir(path.dirname(target), { recursive: true });
        await unlink(target).catch(ignoreMissing);
        await link(path.join(live.dir, relative), target).catch(() => copyFile(path.join(live.dir, relative), target));
      });
      // The directories written to have new mtimes; the others keep the spare's.
      const touched = new Set([...toRemove, ...toLink, ...written].flatMap(ancestors));
      for (const relative of touched) {
        const stats = statOf(join(staging, relative));
        if (stats) dirs.set(relative, stats.mtimeNs);
        else dirs.delete(relative);
      }
    });
    this.swapped(live, ino, groups, dirs);
    return "spare";
  }

  /** Without a spare: a new tree of hard links to the live one's files but the changed ones (the live tree becomes the spare). */
  private async linked(live: Live, groups: ReadonlySet<readonly HashedFile[]>, changed: readonly HashedFile[], removed: readonly string[]): Promise<"linked"> {
    const { staging, backup } = swapDirs(live.dir);
    this.spare = undefined;
    await recover(live.dir, backup, realFs);
    await rm(staging, { recursive: true, force: true });
    const ino = await buildAndSwap(live.dir, async () => {
      mirror(live.dir, staging, new Set([...changed.map((f) => f.path), ...removed]));
      await inParallel(changed, WRITES_IN_FLIGHT, async (file) => {
        const target = path.join(staging, file.path);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, file.content);
      });
      await removeEmptyDirs(staging, removed.map((p) => path.posix.dirname(p)));
    });
    this.swapped(live, ino, groups, scanDirs(live.dir));
    return "linked";
  }

  /** After a swap: the tree swapped in is live, the one it replaced (checked untouched just before) the spare. */
  private swapped(previous: Live, ino: bigint, groups: ReadonlySet<readonly HashedFile[]>, dirs: Map<string, bigint>): void {
    // Renaming a directory may or may not touch its own mtime, depending on the file system: look again.
    const root = statOf(previous.dir);
    if (root) dirs.set("", root.mtimeNs);
    this.live = { requested: previous.requested, dir: previous.dir, ino, groups, dirs, racy: racyEntries(previous.dir, dirs, this.started) };
    const { backup } = swapDirs(previous.dir);
    const spareRoot = statOf(backup);
    const spareDirs = new Map(previous.dirs);
    if (spareRoot) spareDirs.set("", spareRoot.mtimeNs);
    this.spare = { ino: previous.ino, groups: previous.groups, dirs: spareDirs };
  }
}
