import { createHash } from "node:crypto";
import { mkdir, readFile, rename, rm, rmdir, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Files Vigil owns in a directory another program reads (Prometheus' rules directory): a
 * manifest lists them, so apply replaces and deletes only its own files and never one a person
 * or another tool put there.
 */
export const MANIFEST = ".vigil-manifest.json";

interface Manifest {
  /** Why the file is there, for whoever finds it. */
  comment: string;
  /** Relative path -> sha256 of the content Vigil wrote. */
  files: Record<string, string>;
}

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (failure) {
    if ((failure as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw failure;
  }
}

export interface OwnedFiles {
  /** Files the manifest lists, with their content on disk now (a listed file since removed is left out). */
  owned: Map<string, string>;
  /** Desired paths that exist but Vigil does not own: apply refuses to overwrite them. */
  foreign: string[];
}

/** Reads the manifest and the current content of owned and desired files. */
export async function readOwnedFiles(dir: string, desired: Iterable<string>): Promise<OwnedFiles> {
  const manifestText = await readText(path.join(dir, MANIFEST));
  // Only plain relative paths: a hand-edited manifest must not lead apply outside `dir`.
  const listed = (manifestText ? Object.keys((JSON.parse(manifestText) as Manifest).files ?? {}) : []).filter(
    (rel) => !path.isAbsolute(rel) && !path.normalize(rel).startsWith(".."),
  );
  const owned = new Map<string, string>();
  for (const rel of listed) {
    const content = await readText(path.join(dir, rel));
    if (content !== undefined) owned.set(rel, content);
  }
  const foreign: string[] = [];
  for (const rel of desired) if (!listed.includes(rel) && (await readText(path.join(dir, rel))) !== undefined) foreign.push(rel);
  return { owned, foreign: foreign.sort() };
}

/** Content of each path before a change (undefined: it did not exist), to restore on failure. */
export type Snapshot = Map<string, string | undefined>;

export async function snapshot(dir: string, rels: Iterable<string>): Promise<Snapshot> {
  const saved: Snapshot = new Map();
  for (const rel of new Set([...rels, MANIFEST])) saved.set(rel, await readText(path.join(dir, rel)));
  return saved;
}

/** Writes via a temporary file and a rename, so a reader never sees half a file. */
export async function writeAtomic(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.vigil-tmp`);
  await writeFile(temporary, content);
  await rename(temporary, file);
}

/** Removes a file and the directories it leaves empty, up to (not including) `dir`. */
async function removeFile(dir: string, rel: string): Promise<void> {
  await rm(path.join(dir, rel), { force: true });
  for (let parent = path.dirname(path.join(dir, rel)); parent.startsWith(dir + path.sep); parent = path.dirname(parent)) {
    try {
      await rmdir(parent);
    } catch {
      break; // Not empty (or not ours to remove): stop climbing.
    }
  }
}

/**
 * Makes `dir` hold exactly `files` among Vigil's own: writes them, removes `remove`, and records
 * them in the manifest. Files not in the manifest are never touched.
 */
export async function writeOwnedFiles(dir: string, files: ReadonlyMap<string, string>, remove: readonly string[]): Promise<void> {
  for (const [rel, content] of files) await writeAtomic(path.join(dir, rel), content);
  for (const rel of remove) await removeFile(dir, rel);
  const manifest: Manifest = {
    comment: "Files written by `vigil apply`; it replaces and deletes only these. Do not edit.",
    files: Object.fromEntries([...files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([rel, content]) => [rel, sha256(content)])),
  };
  await writeAtomic(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Puts every snapshotted path back as it was (removing the ones that did not exist). */
export async function restore(dir: string, saved: Snapshot): Promise<void> {
  for (const [rel, content] of saved) {
    if (content === undefined) await removeFile(dir, rel);
    else await writeAtomic(path.join(dir, rel), content);
  }
}
