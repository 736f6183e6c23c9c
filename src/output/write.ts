import type { CopyOptions } from "node:fs";
import * as nodeFs from "node:fs/promises";
import { lstat, readdir, readFile, realpath, rmdir, stat } from "node:fs/promises";
import path from "node:path";
import { glob } from "tinyglobby";
import { MANIFEST, parseManifest } from "../emit/manifest.js";
import type { OutputFile } from "../emit/output.js";

export interface WriteReport {
  written: number;
  removed: string[];
  unchanged: boolean;
}

/**
 * The calls that change the file system, as one parameter: the fault-injection tests pass
 * versions that fail like a full disk or a refused rename, and check what is left behind.
 */
export interface WriteFs {
  mkdir: (dir: string, options: { recursive: true }) => Promise<unknown>;
  writeFile: (file: string, content: string) => Promise<void>;
  rename: (from: string, to: string) => Promise<void>;
  rm: (target: string, options: { recursive: true; force: true }) => Promise<void>;
  cp: (from: string, to: string, options: CopyOptions) => Promise<void>;
}

export const realFs: WriteFs = {
  mkdir: (dir, options) => nodeFs.mkdir(dir, options),
  writeFile: (file, content) => nodeFs.writeFile(file, content),
  rename: (from, to) => nodeFs.rename(from, to),
  rm: (target, options) => nodeFs.rm(target, options),
  cp: (from, to, options) => nodeFs.cp(from, to, options),
};

const exists = (p: string) => stat(p).then(() => true, () => false);

/** A file-system error with a code, as Node's own are, so that callers report it as one. */
const fsError = (code: string, message: string) => Object.assign(new Error(message), { code });

/**
 * Where to write: a symlinked output directory is written where it points (the link stays a
 * link); a file in its place is an error, not something to replace.
 */
export async function resolveOutDir(outDir: string): Promise<string> {
  const entry = await lstat(outDir).catch((failure: NodeJS.ErrnoException) => failure);
  if (entry instanceof Error) {
    if (entry.code === "ENOTDIR") throw fsError("ENOTDIR", `${path.dirname(outDir)}, or a directory above it, is a file: the output directory cannot be created inside it`);
    return outDir;
  }
  const real = entry.isSymbolicLink() ? await realpath(outDir).catch(() => undefined) : outDir;
  if (real === undefined) throw fsError("ENOENT", `${outDir} is a symbolic link to nothing: point it at a directory or remove it`);
  if (!(await stat(real)).isDirectory()) throw fsError("ENOTDIR", `${outDir} is a file, not a directory: move it away or set another outDir`);
  return real;
}

/** Paths of the files in the output directory today, relative to it. */
async function listOutputDir(outDir: string): Promise<string[]> {
  if (!(await exists(outDir))) return [];
  return glob("**/*", { cwd: outDir, dot: true, onlyFiles: true, followSymbolicLinks: false });
}

/** Files in the output directory today, as the compiler would compare them. */
export async function readOutputDir(outDir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const relative of await listOutputDir(outDir)) files.set(relative, await readFile(path.join(outDir, relative), "utf8"));
  return files;
}

/**
 * Whether every file is already there with these bytes. The manifest is compared first: it
 * holds every file's hash, so when it differs nothing else needs reading (at 1,000 services
 * that is 250 MB not read). When it is equal each file is still read, as one edited by hand
 * must be written again.
 */
async function sameContent(outDir: string, files: readonly OutputFile[], manifestText: string | undefined): Promise<boolean> {
  if (files.find((f) => f.path === MANIFEST)?.content !== manifestText) return false;
  for (const file of files) {
    const existing = await readFile(path.join(outDir, file.path), "utf8").catch(() => undefined);
    if (existing !== file.content) return false;
  }
  return true;
}

/**
 * Finishes an interrupted swap: if the process died between the two renames, the previous
 * output is still whole under its backup name.
 */
export async function recover(outDir: string, backup: string, fs: WriteFs): Promise<void> {
  if ((await exists(backup)) && !(await exists(outDir))) await fs.rename(backup, outDir);
  await fs.rm(backup, { recursive: true, force: true });
}

/** Files Vigil wrote last time (`owned`) that are there (`present`) but not written now (`next`). */
function removedFrom(present: Iterable<string>, owned: ReadonlySet<string>, next: ReadonlySet<string>): string[] {
  return [...present].filter((p) => owned.has(p) && !next.has(p)).sort();
}

/** The output directory as found: where it really is, and what Vigil wrote there last time. */
interface Target {
  outDir: string;
  staging: string;
  backup: string;
  /** Files there now, relative. */
  present: ReadonlySet<string>;
  /** Files the last manifest lists, and the manifest itself. */
  owned: Set<string>;
  manifestText: string | undefined;
}

async function inspect(requested: string, fs: WriteFs): Promise<Target> {
  const outDir = await resolveOutDir(requested);
  const { staging, backup } = swapDirs(outDir);
  await recover(outDir, backup, fs);
  const present = new Set(await listOutputDir(outDir));
  const manifestText = present.has(MANIFEST) ? await readFile(path.join(outDir, MANIFEST), "utf8") : undefined;
  const owned = new Set(parseManifest(manifestText)?.files.map((f) => f.path) ?? []);
  owned.add(MANIFEST);
  return { outDir, staging, backup, present, owned, manifestText };
}

/**
 * Replaces the output directory in one step: the new tree is written beside it, files that
 * Vigil did not write (not in the old manifest) are carried over, then two renames swap it
 * in. At every moment a whole tree exists, the old or the new one.
 */
export async function writeOutput(requested: string, files: readonly OutputFile[], fs: WriteFs = realFs): Promise<WriteReport> {
  const target = await inspect(requested, fs);
  const next = new Set(files.map((f) => f.path));
  if (removedFrom(target.present, target.owned, next).length === 0 && (await sameContent(target.outDir, files, target.manifestText))) {
    return { written: 0, removed: [], unchanged: true };
  }
  const staged = stage(target, fs);
  for (const file of files) await staged.write(file);
  return staged.finish();
}

/** A write of the output directory that takes its files one by one (OutputSink), then swaps the tree in. */
export interface StagedOutput {
  /** Resolves when the next file can be taken; rejects (once the writes under way ended) when one failed. */
  write(file: OutputFile): Promise<void>;
  /** Waits for the writes, then swaps the new tree in; leaves everything as it was when the output did not change. */
  finish(): Promise<WriteReport>;
  /** Drops what was staged; the output directory is as it was. */
  abort(): Promise<void>;
}

/**
 * writeOutput for files that come one at a time (`vigil compile` hands them over as it renders
 * them). While the files are those already in the output directory, byte for byte, nothing is
 * written: an up-to-date output costs reads only and is left untouched. At the first file that
 * differs, the staging tree starts, with the files seen so far copied from the output
 * directory; from then on it is writeOutput's staging, carrying over, swap and recovery.
 */
export function openOutput(requested: string, fs: WriteFs = realFs): StagedOutput {
  let inspected: Promise<Target> | undefined;
  let staged: Staged | undefined;
  // A Set keeps the order files came in; 12,000 of them make an array's lookups quadratic.
  const seen = new Set<string>();
  const target = () => (inspected ??= inspect(requested, fs));
  const startStaging = async (): Promise<Staged> => {
    const found = await target();
    const started = stage(found, fs);
    staged = started;
    for (const relative of seen) await started.carry(relative);
    return started;
  };
  return {
    async write(file) {
      if (staged) return staged.write(file);
      const found = await target();
      const existing = found.present.has(file.path) ? await readFile(path.join(found.outDir, file.path), "utf8").catch(() => undefined) : undefined;
      if (existing === file.content && !seen.has(file.path)) {
        seen.add(file.path);
        return;
      }
      return (await startStaging()).write(file);
    },
    async finish() {
      if (!staged) {
        const found = await target();
        if (removedFrom(found.present, found.owned, seen).length === 0 && seen.has(MANIFEST)) return { written: 0, removed: [], unchanged: true };
        await startStaging();
      }
      return staged!.finish();
    },
    abort: () => staged?.abort() ?? Promise.resolve(),
  };
}

interface Staged extends StagedOutput {
  /** Takes a file as it is in the output directory now. */
  carry(relative: string): Promise<void>;
}

function stage(target: Target, fs: WriteFs): Staged {
  const { outDir, staging, backup, owned } = target;
  const written = new Set<string>();
  const made = new Set<string>();
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let closed = false;
  let cleaning: Promise<void> | undefined;

  const prepared = (async () => {
    await fs.rm(staging, { recursive: true, force: true });
    await fs.mkdir(staging, { recursive: true });
  })();

  // A function, not a test inline: the writes' callbacks set `failure` between awaits.
  const rethrow = () => {
    if (failure) throw failure.error;
  };
  // The old tree back first: that matters more than the staging leftovers, and a clean-up
  // that fails too must not hide the first failure, the one to report. Once, however often asked.
  const cleanUp = () =>
    (cleaning ??= (async () => {
      closed = true;
      await prepared.catch(() => undefined);
      await Promise.allSettled(running);
      await recover(outDir, backup, fs).catch(() => undefined);
      await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
    })());
  const failed = async (error: unknown): Promise<never> => {
    failure ??= { error };
    await cleanUp();
    throw failure.error;
  };
  /** Makes a file's directory once, and refuses a path twice (two writes would race). */
  const claim = async (relative: string): Promise<string> => {
    rethrow();
    if (closed) throw new Error(`internal: ${relative} written after the output was finished or dropped`);
    if (written.has(relative)) throw new Error(`internal: ${relative} written twice in one compile`);
    await prepared;
    written.add(relative);
    const destination = path.join(staging, relative);
    const dir = path.dirname(destination);
    if (!made.has(dir)) await fs.mkdir(dir, { recursive: true });
    made.add(dir);
    return destination;
  };

  return {
    async carry(relative) {
      try {
        await fs.cp(path.join(outDir, relative), await claim(relative), {});
      } catch (error) {
        return failed(error);
      }
    },
    async write(file) {
      try {
        const destination = await claim(file.path);
        const writing: Promise<void> = fs.writeFile(destination, file.content).then(
          () => void running.delete(writing),
          (error: unknown) => {
            running.delete(writing);
            failure ??= { error };
          },
        );
        running.add(writing);
        while (running.size >= WRITES_IN_FLIGHT && failure === undefined) await Promise.race(running);
        rethrow();
      } catch (error) {
        return failed(error);
      }
    },
    async finish() {
      try {
        rethrow();
        if (closed) throw new Error("internal: the output was finished or dropped already");
        await prepared;
        await Promise.all(running);
        rethrow();
        closed = true;
        // What Vigil does not own comes along as it is (files, symlinks, empty directories),
        // taken now, just before the swap, so that nothing added meanwhile is lost.
        const present = await listOutputDir(outDir);
        if (await exists(outDir)) {
          await fs.cp(outDir, staging, {
            recursive: true,
            verbatimSymlinks: true,
            filter: (source) => {
              const relative = path.relative(outDir, source).split(path.sep).join("/");
              return !owned.has(relative) && !written.has(relative);
            },
          });
        }
        const removed = removedFrom(present, owned, written);
        await removeEmptyDirs(staging, [...owned].map((p) => path.dirname(p)));
        if (await exists(outDir)) await fs.rename(outDir, backup);
        await fs.rename(staging, outDir);
        // The new tree is in place: a backup that cannot be removed now is removed by the next run.
        await fs.rm(backup, { recursive: true, force: true }).catch(() => undefined);
        return { written: written.size, removed, unchanged: false };
      } catch (error) {
        return failed(error);
      }
    },
    async abort() {
      await cleanUp();
    },
  };
}

/**
 * Writes in flight at once. A few at a time keep Node's four file-system threads busy: when the
 * kernel throttles a process that has written much (12,000 files, 250 MB), one write at a time
 * waits out each pause in turn (measured here: 3.5-5 s in parallel against 10-15 s one by one).
 */
export const WRITES_IN_FLIGHT = 8;

/**
 * Runs `work` on every item, at most `limit` at once. After a failure nothing new starts, the
 * ones under way are waited for (so that nothing still writes into a directory being removed),
 * and the first failure is thrown.
 */
export async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}

/** Removes the directories (and their parents) that held only files Vigil no longer writes. */
export async function removeEmptyDirs(root: string, dirs: readonly string[]): Promise<void> {
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

/** The names writeOutput builds the next tree under and keeps the previous one under, beside `outDir` (resolved). */
export function swapDirs(outDir: string): { staging: string; backup: string } {
  const parent = path.dirname(outDir);
  const base = path.basename(outDir);
  return { staging: path.join(parent, `.${base}.vigil-staging`), backup: path.join(parent, `.${base}.vigil-previous`) };
}
