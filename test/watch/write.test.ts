import { createHash } from "node:crypto";
import { lstat, mkdir, mkdtemp, readFile, readdir, rename, rm, stat, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { changesBetween, diffOutput, outputFiles, type HashedFile, type Output } from "../../src/watch/cache.js";
import { ManifestBuilder } from "../../src/watch/manifest.js";
import { manifestFrom } from "../../src/emit/manifest.js";
import { OutputWriter, racyEntries, scanDirs, untouched } from "../../src/watch/write.js";
import { snapshotDir } from "../helpers/project.js";

/**
 * Watch mode's writer: after every write the output directory holds exactly the output (and
 * the files Vigil does not own), whichever way it was written: writeOutput, a tree of hard
 * links, or the spare tree brought up to date; and what was done to it from outside between
 * two writes is taken into account.
 */

const sha = (content: string) => createHash("sha256").update(content).digest("hex");
const file = (p: string, content: string, sources: string[] = ["monitors/a.ts"]): HashedFile => ({ path: p, content, sources, sha256: sha(content) });
/** An output: these groups and their manifest. */
const output = (...groups: HashedFile[][]): Output => {
  const manifest = manifestFrom(outputFiles(groups));
  return [...groups, [{ ...manifest, sha256: sha(manifest.content) }]];
};
const expected = (out: Output) => Object.fromEntries(outputFiles(out).map((f) => [f.path, f.content]));

let dir: string;
let out: string;
let writer: OutputWriter;
const backup = () => path.join(dir, ".generated.vigil-previous");
const staging = () => path.join(dir, ".generated.vigil-staging");
const exists = (p: string) => lstat(p).then(() => true, () => false);
const ino = async (relative: string) => (await stat(path.join(out, relative))).ino;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "vigil-watch-write-"));
  out = path.join(dir, "generated");
  writer = new OutputWriter();
});

afterEach(async () => {
  await writer.close();
  await rm(dir, { recursive: true, force: true });
});

describe("OutputWriter", () => {
  const a = [file("prometheus/team0/a.rules.yaml", "a: 1\n"), file("runbooks/team0/a.md", "# a\n")];
  const b = [file("prometheus/team1/b.rules.yaml", "b: 1\n")];
  const shared = [file("alertmanager/alertmanager.yaml", "route: {}\n", [])];

  it("writes the output once in full, then only what changed, by bringing the spare tree up to date", async () => {
    const v1 = output(a, b, shared);
    expect(await writer.write(out, v1)).toMatchObject({ how: "full" });
    expect(await snapshotDir(out)).toEqual(expected(v1));
    // The spare: the same tree, in hard links.
    expect(await snapshotDir(backup())).toEqual(expected(v1));
    const unchanged = await ino("prometheus/team1/b.rules.yaml");

    const a2 = [file("prometheus/team0/a.rules.yaml", "a: 2\n"), a[1]!];
    const v2 = output(a2, b, shared);
    const second = await writer.write(out, v2);
    expect(second).toEqual({ how: "spare", changed: ["manifest.json", "prometheus/team0/a.rules.yaml"], removed: [] });
    expect(await snapshotDir(out)).toEqual(expected(v2));
    expect(await ino("prometheus/team1/b.rules.yaml")).toBe(unchanged);
    // The tree it replaced is the spare now, as it was.
    expect(await snapshotDir(backup())).toEqual(expected(v1));
    expect(await exists(staging())).toBe(false);

    // A group gone (and its directory), one come, in a new directory.
    const c = [file("grafana/dashboards/team2/c.json", "{}\n")];
    const v3 = output(a2, c, shared);
    expect(await writer.write(out, v3)).toEqual({ how: "spare", changed: ["grafana/dashboards/team2/c.json", "manifest.json"], removed: ["prometheus/team1/b.rules.yaml"] });
    expect(await snapshotDir(out)).toEqual(expected(v3));
    expect(await exists(path.join(out, "prometheus/team1"))).toBe(false);

    // Back to the first content, in new objects (as after an edit undone): the spare is two versions behind.
    const changedBefore = await stat(path.join(out, "prometheus/team0/a.rules.yaml"));
    const v4 = output([...a], [...b], [...shared]);
    expect(await writer.write(out, v4)).toEqual({ how: "spare", changed: ["manifest.json", "prometheus/team0/a.rules.yaml", "prometheus/team1/b.rules.yaml"], removed: ["grafana/dashboards/team2/c.json"] });
    expect(await snapshotDir(out)).toEqual(expected(v4));
    // Changed since the last write: written anew (a new inode, a new mtime), as any file changed.
    const changedBack = await stat(path.join(out, "prometheus/team0/a.rules.yaml"));
    expect(changedBack.ino).not.toBe(changedBefore.ino);
    expect(changedBack.mtimeMs).toBeGreaterThanOrEqual(changedBefore.mtimeMs);
    const v5 = output([...a], [file("prometheus/team1/b.rules.yaml", "b: 5\n")], [...shared]);
    expect(await writer.write(out, v5)).toMatchObject({ how: "spare", changed: ["manifest.json", "prometheus/team1/b.rules.yaml"] });
    expect(await snapshotDir(out)).toEqual(expected(v5));
    // Unchanged since the last write, but older in the spare: the same file as in the last tree.
    expect((await stat(path.join(out, "prometheus/team0/a.rules.yaml"))).ino).toBe(changedBack.ino);
    expect(await writer.write(out, output([...a], [file("prometheus/team1/b.rules.yaml", "b: 5\n")], [...shared]))).toMatchObject({ how: "none", changed: [], removed: [] });

    await writer.close();
    expect(await exists(backup())).toBe(false);
    expect(await snapshotDir(out)).toEqual(expected(v5));
  });

  it("carries files Vigil does not own over, and sees them added, edited and removed between writes", async () => {
    await writer.write(out, output(a, b, shared));
    await writeFile(path.join(out, "README.txt"), "ours\n");
    await mkdir(path.join(out, "prometheus/team0/extra"));
    await writeFile(path.join(out, "prometheus/team0/extra/notes.txt"), "notes\n");
    const v2 = output([file("prometheus/team0/a.rules.yaml", "a: 2\n"), a[1]!], b, shared);
    // A directory changed: written as writeOutput does, comparing every file.
    expect(await writer.write(out, v2)).toMatchObject({ how: "full" });
    const theirs = { "README.txt": "ours\n", "prometheus/team0/extra/notes.txt": "notes\n" };
    expect(await snapshotDir(out)).toEqual({ ...expected(v2), ...theirs });

    // Edited in place (the spare shares the file): kept as edited.
    await writeFile(path.join(out, "README.txt"), "ours, edited\n");
    const v3 = output([file("prometheus/team0/a.rules.yaml", "a: 3\n"), a[1]!], b, shared);
    expect(await writer.write(out, v3)).toMatchObject({ how: "spare" });
    expect(await snapshotDir(out)).toEqual({ ...expected(v3), ...theirs, "README.txt": "ours, edited\n" });

    // Removed: not brought back from the spare.
    await rm(path.join(out, "README.txt"));
    const v4 = output([file("prometheus/team0/a.rules.yaml", "a: 4\n"), a[1]!], b, shared);
    expect(await writer.write(out, v4)).toMatchObject({ how: "full" });
    expect(await snapshotDir(out)).toEqual({ ...expected(v4), "prometheus/team0/extra/notes.txt": "notes\n" });
    const v5 = output([file("prometheus/team0/a.rules.yaml", "a: 5\n"), a[1]!], b, shared);
    expect(await writer.write(out, v5)).toMatchObject({ how: "spare" });
    expect(await snapshotDir(out)).toEqual({ ...expected(v5), "prometheus/team0/extra/notes.txt": "notes\n" });
  });

  it("makes a tree of hard links when the spare is gone, and has a spare again after", async () => {
    await writer.write(out, output(a, b, shared));
    await rm(backup(), { recursive: true });
    const v2 = output([file("prometheus/team0/a.rules.yaml", "a: 2\n"), a[1]!], shared);
    const unchanged = await ino("runbooks/team0/a.md");
    expect(await writer.write(out, v2)).toEqual({ how: "linked", changed: ["manifest.json", "prometheus/team0/a.rules.yaml"], removed: ["prometheus/team1/b.rules.yaml"] });
    expect(await snapshotDir(out)).toEqual(expected(v2));
    expect(await ino("runbooks/team0/a.md")).toBe(unchanged);
    const v3 = output([file("prometheus/team0/a.rules.yaml", "a: 3\n"), a[1]!], shared);
    expect(await writer.write(out, v3)).toMatchObject({ how: "spare" });
    expect(await snapshotDir(out)).toEqual(expected(v3));
  });

  it("puts back a file of its own replaced from outside (a git checkout), as vigil compile does", async () => {
    await writer.write(out, output(a, b, shared));
    await writeFile(path.join(out, "prometheus/team1/b.rules.yaml.tmp"), "b: from another branch\n");
    await rename(path.join(out, "prometheus/team1/b.rules.yaml.tmp"), path.join(out, "prometheus/team1/b.rules.yaml"));
    const v2 = output([file("prometheus/team0/a.rules.yaml", "a: 2\n"), a[1]!], b, shared);
    expect(await writer.write(out, v2)).toMatchObject({ how: "full" });
    expect(await snapshotDir(out)).toEqual(expected(v2));
  });

  it("writes everything again when the output directory was deleted, without bringing the spare back", async () => {
    await writer.write(out, output(a, b, shared));
    await writer.write(out, output([file("prometheus/team0/a.rules.yaml", "a: 2\n"), a[1]!], b, shared));
    await rm(out, { recursive: true });
    const v3 = output([file("prometheus/team0/a.rules.yaml", "a: 3\n"), a[1]!], shared);
    expect(await writer.write(out, v3)).toMatchObject({ how: "full" });
    expect(await snapshotDir(out)).toEqual(expected(v3));
    expect(await snapshotDir(backup())).toEqual(expected(v3));
  });

  it("writes a symlinked output directory where it points, the link staying a link", async () => {
    const real = path.join(dir, "elsewhere", "out");
    await mkdir(real, { recursive: true });
    await symlink(real, out, "dir");
    await writer.write(out, output(a, b, shared));
    const v2 = output([file("prometheus/team0/a.rules.yaml", "a: 2\n"), a[1]!], b, shared);
    expect(await writer.write(out, v2)).toMatchObject({ how: "spare" });
    expect((await lstat(out)).isSymbolicLink()).toBe(true);
    expect(await snapshotDir(real)).toEqual(expected(v2));
    expect(await exists(path.join(dir, "elsewhere", ".out.vigil-previous"))).toBe(true);
    expect(await exists(backup())).toBe(false);
    await writer.close();
    expect(await exists(path.join(dir, "elsewhere", ".out.vigil-previous"))).toBe(false);
  });

  it("refuses a file where the output directory should be, leaving it alone", async () => {
    await writeFile(out, "not a directory\n");
    await expect(writer.write(out, output(a))).rejects.toMatchObject({ code: "ENOTDIR" });
    expect(await readFile(out, "utf8")).toBe("not a directory\n");
    await rm(out);
    await writer.write(out, output(a));
    expect(await snapshotDir(out)).toEqual(expected(output(a)));
  });

  it("finishes a swap another process left between its two renames", async () => {
    const v1 = output(a, b, shared);
    await writer.write(out, v1);
    await writer.close();
    // Killed between the renames: the previous tree whole under the backup name, none under the output's.
    await rename(out, backup());
    const v2 = output([file("prometheus/team0/a.rules.yaml", "a: 2\n"), a[1]!], b, shared);
    writer = new OutputWriter();
    expect(await writer.write(out, v2)).toMatchObject({ how: "full", changed: ["manifest.json", "prometheus/team0/a.rules.yaml"] });
    expect(await snapshotDir(out)).toEqual(expected(v2));
    expect(await exists(staging())).toBe(false);
  });

  it("leaves the output as it was when a write fails midway, and starts over at the next", async () => {
    await writer.write(out, output(a, b, shared));
    const v2 = output([file("prometheus/team0/a.rules.yaml", "a: 2\n"), a[1]!], b, shared);
    await writer.write(out, v2);
    // The spare (the first tree) has a directory where the next write must put a file.
    await rm(path.join(backup(), "runbooks/team0/a.md"));
    await mkdir(path.join(backup(), "runbooks/team0/a.md/inside"), { recursive: true });
    const v3 = output([file("prometheus/team0/a.rules.yaml", "a: 3\n"), file("runbooks/team0/a.md", "# a, 3\n")], b, shared);
    await expect(writer.write(out, v3)).rejects.toHaveProperty("code");
    expect(await snapshotDir(out)).toEqual(expected(v2));
    expect(await exists(staging())).toBe(false);
    expect(await writer.write(out, v3)).toMatchObject({ how: "full" });
    expect(await snapshotDir(out)).toEqual(expected(v3));
    expect(await readdir(dir)).toEqual(expect.arrayContaining(["generated", ".generated.vigil-previous"]));
  });
});

describe("outputs in groups", () => {
  /**
   * Random sequences of outputs over a few paths, each group kept (the same array), dropped,
   * changed (a new array) or added: the manifest kept up to date is manifestFrom's, and the
   * changes found from the groups are those found comparing every file.
   */
  const PATHS = Array.from({ length: 24 }, (_, i) => `dir${i % 4}/sub${i % 3}/file${i}.yaml`);
  const step = fc.record({
    keep: fc.array(fc.nat({ max: 3 }), { maxLength: 12 }),
    add: fc.array(fc.record({ paths: fc.uniqueArray(fc.nat({ max: PATHS.length - 1 }), { minLength: 1, maxLength: 4 }), content: fc.nat({ max: 2 }), sources: fc.nat({ max: 1 }) }), { maxLength: 3 }),
  });

  it("keeps the manifest and the changes right, whatever comes and goes", () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), (steps) => {
        const builder = new ManifestBuilder();
        let groups: HashedFile[][] = [];
        let previous: Output = [];
        for (const { keep, add } of steps) {
          const next: HashedFile[][] = [];
          groups.forEach((group, i) => {
            const what = keep[i] ?? 0;
            if (what === 0) next.push(group);
            else if (what === 1) next.push(group.map((f) => file(f.path, `${f.content}+`, f.sources)));
            else if (what === 2) next.push(group.map((f) => file(f.path, f.content, [...f.sources, "monitors/other.ts"])));
          });
          const used = new Set(next.flat().map((f) => f.path));
          for (const group of add) {
            const files = group.paths.map((i) => PATHS[i]!).filter((p) => !used.has(p));
            files.forEach((p) => used.add(p));
            if (files.length) next.push(files.map((p) => file(p, `content ${group.content}\n`, group.sources ? ["monitors/b.ts"] : [])));
          }
          const manifest = builder.build(next);
          expect(manifest.content).toBe(manifestFrom(outputFiles(next)).content);
          expect(manifest.sha256).toBe(sha(manifest.content));

          const found = changesBetween(new Set(previous), next);
          const reference = diffOutput(new Map(outputFiles(previous).map((f) => [f.path, f.sha256])), outputFiles(next));
          expect(found.files.map((f) => f.path).sort()).toEqual(reference.changed);
          expect(found.removed.sort()).toEqual(reference.removed);
          previous = next;
          groups = next;
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("a change from outside within the file system's clock tick", () => {
  // Kernels before 6.13 stamp directories from a clock that advances every 1 to 10 ms: a file
  // removed right after a write can leave its directory's mtime as it was. Simulated here on
  // any kernel by setting the mtime back (x.5 s is exact in utimes' double seconds); "just now"
  // is a moment ahead, which the writer cannot tell from now on a coarse clock either.
  const setBack = (p: string, seconds: number) => utimes(p, seconds, seconds);

  async function treeWithReadme(mtimeSeconds: number) {
    const root = path.join(dir, "tree");
    await mkdir(root);
    await writeFile(path.join(root, "README.txt"), "ours\n");
    await writeFile(path.join(root, "manifest.json"), "{}\n");
    await setBack(root, mtimeSeconds);
    const scanned = Date.now();
    const dirs = scanDirs(root);
    return { root, tree: { ino: (await lstat(root, { bigint: true })).ino, dirs, racy: racyEntries(root, dirs, scanned) } };
  }

  it("is seen in a directory written just now, by its entries", async () => {
    const seconds = Math.ceil(Date.now() / 1000) + 0.5;
    const { root, tree } = await treeWithReadme(seconds);
    expect(untouched(root, tree)).toBe(true);
    await rm(path.join(root, "README.txt"));
    await setBack(root, seconds);
    // The same mtime as read before the removal.
    expect((await lstat(root, { bigint: true })).mtimeNs).toBe(tree.dirs.get(""));
    expect(untouched(root, tree)).toBe(false);
  });

  it("is a rename over a file (a new inode, the same names)", async () => {
    const seconds = Math.ceil(Date.now() / 1000) + 0.5;
    const { root, tree } = await treeWithReadme(seconds);
    await writeFile(path.join(root, "README.tmp"), "theirs\n");
    await rename(path.join(root, "README.tmp"), path.join(root, "README.txt"));
    await setBack(root, seconds);
    expect(untouched(root, tree)).toBe(false);
  });

  it("counts from before the scan: a directory read early in a long scan is still racy", () => {
    const dirs = new Map([["", BigInt(Date.now() - 30) * 1_000_000n]]);
    // Its mtime is 30 ms old by the end of the scan, but was within a tick of when the scan began.
    expect(racyEntries(dir, dirs, Date.now() - 40).size).toBe(1);
    expect(racyEntries(dir, dirs, Date.now()).size).toBe(0);
  });

  it("needs no entries where the mtime is old: a later change gets a later mtime", async () => {
    const seconds = Math.floor(Date.now() / 1000) - 60.5;
    const { root, tree } = await treeWithReadme(seconds);
    expect(tree.racy.size).toBe(0);
    // Which is why the mtime alone is trusted there (set back by hand, nothing can tell).
    await rm(path.join(root, "README.txt"));
    await setBack(root, seconds);
    expect(untouched(root, tree)).toBe(true);
  });
});
