/**
 * The I/O of `vigil diff`: reads the base tree to compare with, from a git commit (without
 * touching the working tree) or from a directory on disk. Everything else in src/diff is pure.
 */
import { spawn } from "node:child_process";
import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import { readOutputDir } from "../output/write.js";
import { MissingToolError, runTool } from "../tools/run.js";

export type BaseTree = { files: Map<string, string>; label: string } | { error: string; hint: string };

const isDir = (p: string) => stat(p).then((s) => s.isDirectory(), () => false);

export interface BaseContext {
  /** Where relative `--base` directories are resolved from. */
  cwd: string;
  /** The directory of vigil.config.ts. */
  rootDir: string;
  /** The output directory, absolute. */
  outDir: string;
}

/**
 * `--base` names a directory when such a directory exists, else a git revision. A directory
 * holds a generated tree (`DIR/<outDir>`, e.g. another checkout) or is one (has a manifest).
 */
export async function readBase(base: string, context: BaseContext): Promise<BaseTree> {
  const dir = path.resolve(context.cwd, base);
  if (await isDir(dir)) return readBaseDir(dir, path.relative(context.rootDir, context.outDir));
  try {
    return await readBaseCommit(base, context);
  } catch (failure) {
    if (failure instanceof MissingToolError) return { error: `--base ${base} is not a directory, and git is not installed to read it as a commit`, hint: "apt-get install -y git, or pass --base DIR" };
    throw failure;
  }
}

async function readBaseDir(dir: string, outDirRelative: string): Promise<BaseTree> {
  const nested = path.join(dir, outDirRelative);
  if (outDirRelative !== "" && !outDirRelative.startsWith("..") && (await isDir(nested))) return { files: await readOutputDir(nested), label: nested };
  if (await stat(path.join(dir, "manifest.json")).then(() => true, () => false)) return { files: await readOutputDir(dir), label: dir };
  return {
    error: `${dir} holds no generated output: neither ${path.join(dir, outDirRelative || ".")} nor a manifest.json in it`,
    hint: "pass a directory that contains the output directory (another checkout), or the output directory itself",
  };
}

async function readBaseCommit(ref: string, context: BaseContext): Promise<BaseTree> {
  const git = (args: string[], cwd: string) => runTool("git", args, { cwd });
  const top = await git(["rev-parse", "--show-toplevel"], context.rootDir);
  if (top.code !== 0) {
    return { error: `--base ${ref}: no such directory, and ${context.rootDir} is not in a git repository`, hint: "run vigil diff in a git checkout, or pass --base DIR" };
  }
  const topDir = top.stdout.trim();
  // An option-looking ref would be read by git as an option.
  const commit = ref.startsWith("-") ? undefined : await git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], topDir);
  if (!commit || commit.code !== 0) {
    return { error: `--base ${ref}: no such commit in ${topDir}, and no such directory`, hint: "pass a branch, tag or commit (e.g. origin/main, HEAD~1), or an existing directory" };
  }
  const sha = commit.stdout.trim();
  // Both sides through realpath: the repository may be reached through a symbolic link.
  const root = await realpath(context.rootDir);
  const outDir = path.join(root, path.relative(context.rootDir, context.outDir));
  const prefix = path.relative(await realpath(topDir), outDir).split(path.sep).join("/");
  if (prefix.startsWith("..") || path.isAbsolute(prefix)) {
    return { error: `the output directory ${context.outDir} is outside the git repository ${topDir}`, hint: "pass --base DIR to compare with a directory" };
  }
  const listed = await git(["ls-tree", "-r", "-z", "--full-name", "--name-only", sha, "--", prefix || "."], topDir);
  if (listed.code !== 0) return { error: `git ls-tree failed: ${listed.stderr.trim()}`, hint: "check that the repository is not corrupt (git fsck)" };
  const paths = listed.stdout.split("\0").filter((p) => p !== "");
  const contents = await catFiles(topDir, paths.map((p) => `${sha}:${p}`));
  const files = new Map<string, string>();
  paths.forEach((p, i) => files.set(prefix ? p.slice(prefix.length + 1) : p, contents[i]!));
  return { files, label: ref };
}

/**
 * Reads many blobs with one `git cat-file --batch` (one `git show` per file would start a process
 * per file). Each answer is `<sha> <type> <size>\n<bytes>\n`; a missing object is `<name> missing`.
 */
function catFiles(cwd: string, objects: readonly string[]): Promise<string[]> {
  if (objects.length === 0) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["cat-file", "--batch"], { cwd, stdio: ["pipe", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`git cat-file failed (${code}): ${stderr.trim()}`));
      const out = Buffer.concat(chunks);
      const contents: string[] = [];
      let at = 0;
      for (const object of objects) {
        const newline = out.indexOf(0x0a, at);
        const header = out.subarray(at, newline).toString("utf8");
        const size = Number(/ (\d+)$/.exec(header)?.[1]);
        if (header.endsWith(" missing") || !Number.isFinite(size)) return reject(new Error(`git cat-file: ${object} is missing`));
        contents.push(out.subarray(newline + 1, newline + 1 + size).toString("utf8"));
        at = newline + 1 + size + 1;
      }
      resolve(contents);
    });
    child.stdin.end(objects.map((o) => `${o}\n`).join(""));
  });
}
