import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rename, rm, stat, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emitManifest, MANIFEST } from "../../src/emit/manifest.js";
import type { OutputFile } from "../../src/emit/output.js";
import { inParallel, openOutput, readOutputDir, realFs, staleFiles, writeOutput, type WriteFs } from "../../src/output/write.js";

let root: string;
let outDir: string;
const staging = () => path.join(root, ".generated.vigil-staging");
const backup = () => path.join(root, ".generated.vigil-previous");

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "vigil-write-"));
  outDir = path.join(root, "generated");
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Generated files plus their manifest, as compile produces them. */
function output(files: Record<string, string>): OutputFile[] {
  const generated = Object.entries(files).map(([p, content]) => ({ path: p, content, sources: ["monitors/checkout.ts"] }));
  return [...generated, emitManifest(generated)];
}

/** Every file under a directory (dotfiles included) as raw bytes, by relative POSIX path. */
async function bytesOf(dir: string): Promise<Record<string, Buffer>> {
  const result: Record<string, Buffer> = {};
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    result[path.relative(dir, full).split(path.sep).join("/")] = await readFile(full);
  }
  return Object.fromEntries(Object.entries(result).sort(([a], [b]) => (a < b ? -1 : 1)));
}

const texts = (bytes: Record<string, Buffer>) => Object.fromEntries(Object.entries(bytes).map(([p, b]) => [p, b.toString("utf8")]));

const FIRST = {
  "prometheus/payments/checkout.rules.yaml": "groups: []\n",
  "runbooks/payments/checkout.md": "# Checkout\n",
  "grafana/dashboards/payments/checkout.json": '{"title":"Checkout"}\n',
};

describe("writeOutput", () => {
  it("creates the output directory and its files on the first write, without a previous manifest", async () => {
    const files = output(FIRST);
    const report = await writeOutput(outDir, files);
    expect(report).toEqual({ written: files.length, removed: [], unchanged: false });
    expect(texts(await bytesOf(outDir))).toEqual(Object.fromEntries(files.map((f) => [f.path, f.content]).sort(([a], [b]) => (a! < b! ? -1 : 1))));
    expect(await readdir(root)).toEqual(["generated"]);
  });

  it("creates missing parent directories of the output directory", async () => {
    const nested = path.join(root, "deep", "er", "generated");
    await writeOutput(nested, output({ "a.txt": "a\n" }));
    expect(await readFile(path.join(nested, "a.txt"), "utf8")).toBe("a\n");
  });

  it("reports an identical second write as unchanged and touches nothing", async () => {
    const files = output(FIRST);
    await writeOutput(outDir, files);
    const old = new Date("2001-02-03T04:05:06Z");
    for (const f of files) await utimes(path.join(outDir, f.path), old, old);
    const dirBefore = await stat(outDir);

    const report = await writeOutput(outDir, output(FIRST));

    expect(report).toEqual({ written: 0, removed: [], unchanged: true });
    for (const f of files) expect((await stat(path.join(outDir, f.path))).mtime.getTime()).toBe(old.getTime());
    expect((await stat(outDir)).ino).toBe(dirBefore.ino);
    expect(await readdir(root)).toEqual(["generated"]);
  });

  it("rewrites a file whose content changed", async () => {
    await writeOutput(outDir, output(FIRST));
    const next = output({ ...FIRST, "runbooks/payments/checkout.md": "# Checkout\n\nNew step.\n" });
    const report = await writeOutput(outDir, next);
    expect(report).toEqual({ written: next.length, removed: [], unchanged: false });
    expect(await readFile(path.join(outDir, "runbooks/payments/checkout.md"), "utf8")).toBe("# Checkout\n\nNew step.\n");
  });

  it("removes a file listed in the previous manifest that is no longer generated", async () => {
    await writeOutput(outDir, output({ ...FIRST, "prometheus/payments/old.rules.yaml": "groups: []\n" }));
    const manifest = JSON.parse(await readFile(path.join(outDir, MANIFEST), "utf8")) as { files: { path: string }[] };
    expect(manifest.files.map((f) => f.path)).toContain("prometheus/payments/old.rules.yaml");

    const report = await writeOutput(outDir, output(FIRST));

    expect(report.removed).toEqual(["prometheus/payments/old.rules.yaml"]);
    expect(report.unchanged).toBe(false);
    expect(Object.keys(await bytesOf(outDir))).not.toContain("prometheus/payments/old.rules.yaml");
    expect(Object.keys(await bytesOf(outDir)).sort()).toEqual([...Object.keys(FIRST), MANIFEST].sort());
  });

  it("counts a removal alone as a change", async () => {
    await writeOutput(outDir, output({ ...FIRST, "extra.txt": "x\n" }));
    // Same contents for the surviving files, but the manifest no longer lists extra.txt.
    const report = await writeOutput(outDir, output(FIRST));
    expect(report.unchanged).toBe(false);
    expect(report.removed).toEqual(["extra.txt"]);
  });

  it("keeps files Vigil did not write byte-for-byte, dotfiles and binary content included", async () => {
    await writeOutput(outDir, output(FIRST));
    const readme = Buffer.from([0x23, 0x20, 0xff, 0xfe, 0x00, 0x0a, 0xc3, 0x28]);
    await writeFile(path.join(outDir, "README.md"), readme);
    await mkdir(path.join(outDir, "notes"));
    await writeFile(path.join(outDir, "notes/todo.txt"), "call the on-call\n");
    await writeFile(path.join(outDir, ".keep"), "");

    const report = await writeOutput(outDir, output({ ...FIRST, "runbooks/payments/checkout.md": "# Checkout v2\n" }));

    expect(report.unchanged).toBe(false);
    expect(report.removed).toEqual([]);
    const after = await bytesOf(outDir);
    expect(after["README.md"]!.equals(readme)).toBe(true);
    expect(after["notes/todo.txt"]!.toString()).toBe("call the on-call\n");
    expect(after[".keep"]!.length).toBe(0);
    expect(after["runbooks/payments/checkout.md"]!.toString()).toBe("# Checkout v2\n");
  });

  it("overwrites a user file when a generated file takes its path", async () => {
    await writeOutput(outDir, output(FIRST));
    await writeFile(path.join(outDir, "README.md"), "mine\n");
    await writeOutput(outDir, output({ ...FIRST, "README.md": "generated\n" }));
    expect(await readFile(path.join(outDir, "README.md"), "utf8")).toBe("generated\n");
  });

  it("recovers an interrupted swap: the previous output under its backup name comes back first", async () => {
    // Simulate a crash between the two renames: out dir gone, previous output kept as backup.
    await writeOutput(outDir, output({ ...FIRST, "prometheus/payments/old.rules.yaml": "groups: []\n" }));
    await writeFile(path.join(outDir, "README.md"), "my notes\n");
    await rename(outDir, backup());

    const report = await writeOutput(outDir, output(FIRST));

    expect(report.removed).toEqual(["prometheus/payments/old.rules.yaml"]);
    const after = texts(await bytesOf(outDir));
    expect(after["README.md"]).toBe("my notes\n");
    expect(Object.keys(after).sort()).toEqual([...Object.keys(FIRST), MANIFEST, "README.md"].sort());
    expect(await readdir(root)).toEqual(["generated"]);
  });

  it("recovers an interrupted swap even when the new output is unchanged", async () => {
    await writeOutput(outDir, output(FIRST));
    await rename(outDir, backup());

    const report = await writeOutput(outDir, output(FIRST));

    expect(report.unchanged).toBe(true);
    expect(Object.keys(await bytesOf(outDir)).sort()).toEqual([...Object.keys(FIRST), MANIFEST].sort());
    expect(await readdir(root)).toEqual(["generated"]);
  });

  it("drops a leftover backup when the swap had completed", async () => {
    await writeOutput(outDir, output(FIRST));
    await mkdir(backup());
    await writeFile(path.join(backup(), "stale.txt"), "old\n");

    await writeOutput(outDir, output({ ...FIRST, "b.txt": "b\n" }));

    expect(await readdir(root)).toEqual(["generated"]);
    expect(Object.keys(await bytesOf(outDir))).not.toContain("stale.txt");
  });

  it("ignores a leftover staging directory from a crashed run", async () => {
    await mkdir(staging(), { recursive: true });
    await writeFile(path.join(staging(), "junk.txt"), "junk\n");

    await writeOutput(outDir, output(FIRST));

    expect(Object.keys(await bytesOf(outDir))).not.toContain("junk.txt");
    expect(await readdir(root)).toEqual(["generated"]);
  });

  it.each([
    ["a file, then a file below it", { a: "file\n", "a/b": "below\n" }],
    ["a file below a path, then that path as a file", { "a/b": "below\n", a: "file\n" }],
  ])("fails midway on %s and leaves the previous output byte-identical, with no staging left", async (_, conflicting) => {
    await writeOutput(outDir, output(FIRST));
    await writeFile(path.join(outDir, "README.md"), Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    const before = await bytesOf(outDir);

    await expect(writeOutput(outDir, output({ ...FIRST, "runbooks/payments/checkout.md": "# changed\n", ...conflicting }))).rejects.toThrow();

    const after = await bytesOf(outDir);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const [p, bytes] of Object.entries(before)) expect(after[p]!.equals(bytes), p).toBe(true);
    expect(await readdir(root)).toEqual(["generated"]);
  });

  it("fails without creating anything when there was no previous output", async () => {
    await expect(writeOutput(outDir, output({ a: "file\n", "a/b": "below\n" }))).rejects.toThrow();
    expect(await readdir(root)).toEqual([]);
  });
});

describe("writeOutput and what it does not own", () => {
  it("keeps the user's symlinks and empty directories as they are", async () => {
    await writeOutput(outDir, output(FIRST));
    await writeFile(path.join(root, "target.txt"), "elsewhere\n");
    await symlink(path.join(root, "target.txt"), path.join(outDir, "link-file"));
    await symlink(root, path.join(outDir, "link-dir"));
    await mkdir(path.join(outDir, "empty-dir"));
    await writeOutput(outDir, output({ ...FIRST, "runbooks/payments/checkout.md": "# Checkout, changed\n" }));
    expect((await lstat(path.join(outDir, "link-file"))).isSymbolicLink()).toBe(true);
    expect(await readlink(path.join(outDir, "link-file"))).toBe(path.join(root, "target.txt"));
    expect((await lstat(path.join(outDir, "link-dir"))).isSymbolicLink()).toBe(true);
    expect((await stat(path.join(outDir, "empty-dir"))).isDirectory()).toBe(true);
    expect(await readFile(path.join(outDir, "runbooks/payments/checkout.md"), "utf8")).toBe("# Checkout, changed\n");
  });

  it("removes a directory left empty by files it no longer writes, and keeps one a user file still needs", async () => {
    await writeOutput(outDir, output({ ...FIRST, "prometheus/search/api.rules.yaml": "groups: []\n", "runbooks/search/api.md": "# api\n" }));
    await writeFile(path.join(outDir, "runbooks/search/NOTES.md"), "mine\n");
    await writeOutput(outDir, output(FIRST));
    await expect(stat(path.join(outDir, "prometheus/search"))).rejects.toThrow();
    expect(await readFile(path.join(outDir, "runbooks/search/NOTES.md"), "utf8")).toBe("mine\n");
    await expect(stat(path.join(outDir, "runbooks/search/api.md"))).rejects.toThrow();
  });
});

describe("readOutputDir", () => {
  it("returns nothing for a missing directory", async () => {
    expect(await readOutputDir(path.join(root, "nope"))).toEqual(new Map());
  });

  it("reads every file, nested and dotfiles, by relative POSIX path", async () => {
    await mkdir(path.join(outDir, "x/y"), { recursive: true });
    await writeFile(path.join(outDir, "x/y/z.txt"), "z\n");
    await writeFile(path.join(outDir, ".hidden"), "h\n");
    await writeFile(path.join(outDir, "top.json"), "{}\n");
    expect(await readOutputDir(outDir)).toEqual(
      new Map([
        [".hidden", "h\n"],
        ["top.json", "{}\n"],
        ["x/y/z.txt", "z\n"],
      ]),
    );
  });

  it("reads back exactly what writeOutput wrote", async () => {
    const files = output(FIRST);
    await writeOutput(outDir, files);
    expect(await readOutputDir(outDir)).toEqual(new Map(files.map((f) => [f.path, f.content])));
  });
});

describe("staleFiles", () => {
  const current = (files: Record<string, string>, manifestOf: OutputFile[] | undefined) => {
    const map = new Map(Object.entries(files));
    if (manifestOf) map.set(MANIFEST, emitManifest(manifestOf).content);
    return map;
  };
  const file = (p: string, content: string): OutputFile => ({ path: p, content, sources: [] });

  it("reports nothing when the directory matches", async () => {
    const files = output(FIRST);
    await writeOutput(outDir, files);
    expect(staleFiles(await readOutputDir(outDir), files)).toEqual([]);
  });

  it("reports missing, changed and stale files, sorted by path, and ignores user files", () => {
    const previous = [file("b.yaml", "b\n"), file("c.yaml", "c\n"), file("d.yaml", "d\n")];
    const dir = current({ "b.yaml": "b\n", "c.yaml": "c\n", "d.yaml": "d\n", "README.md": "mine\n" }, previous);
    const next = [file("a.yaml", "a\n"), file("b.yaml", "b\n"), file("c.yaml", "c changed\n")];

    expect(staleFiles(dir, next)).toEqual([
      { path: "a.yaml", reason: "missing" },
      { path: "c.yaml", reason: "changed" },
      { path: "d.yaml", reason: "stale" },
    ]);
  });

  it("does not report a manifest-listed file that is already gone", () => {
    const previous = [file("gone.yaml", "g\n")];
    expect(staleFiles(current({}, previous), [])).toEqual([]);
  });

  it("treats everything as the user's when there is no manifest", () => {
    const dir = current({ "old.yaml": "o\n" }, undefined);
    expect(staleFiles(dir, [file("new.yaml", "n\n")])).toEqual([{ path: "new.yaml", reason: "missing" }]);
  });

  it("agrees with writeOutput: after a write, the same files are not stale", async () => {
    await writeOutput(outDir, output({ ...FIRST, "old.txt": "o\n" }));
    const next = output(FIRST);
    expect(staleFiles(await readOutputDir(outDir), next)).toEqual([
      { path: MANIFEST, reason: "changed" },
      { path: "old.txt", reason: "stale" },
    ]);
    await writeOutput(outDir, next);
    expect(staleFiles(await readOutputDir(outDir), next)).toEqual([]);
  });
});

describe("inParallel", () => {
  const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

  it("does every item, never more than the limit at once", async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await inParallel([...Array(20).keys()], 3, async (i) => {
      most = Math.max(most, ++running);
      await tick();
      done.push(i);
      running--;
    });
    expect(done.sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
    expect(most).toBe(3);
  });

  it("after a failure starts nothing new, waits for the work under way, and throws the first failure", async () => {
    let failed = false;
    let startedAfterFailure = 0;
    let started = 0;
    let settled = 0;
    const run = inParallel([...Array(20).keys()], 4, async (i) => {
      started++;
      if (failed) startedAfterFailure++;
      await tick();
      settled++;
      if (i === 2) {
        failed = true;
        throw new Error("first");
      }
      if (i === 3) throw new Error("second");
    });
    await expect(run).rejects.toThrow("first");
    expect(startedAfterFailure).toBe(0);
    expect(settled).toBe(started);
    expect(started).toBeLessThan(20);
  });
});

describe("openOutput (files one by one, as vigil compile renders them)", () => {
  const stream = async (files: readonly OutputFile[]) => {
    const staged = openOutput(outDir);
    for (const file of files) await staged.write(file);
    return staged.finish();
  };

  it("makes the same tree as writeOutput, carrying over what Vigil does not own and removing what it no longer writes", async () => {
    await writeOutput(outDir, output(FIRST));
    await writeFile(path.join(outDir, "NOTES.md"), "kept by hand\n");
    const { ["runbooks/payments/checkout.md"]: _gone, ...rest } = FIRST;
    const next = output({ ...rest, "prometheus/payments/orders.rules.yaml": "groups: []\n" });
    const report = await stream(next);
    expect(report).toEqual({ written: next.length, removed: ["runbooks/payments/checkout.md"], unchanged: false });
    expect(texts(await bytesOf(outDir))).toEqual({ ...Object.fromEntries(next.map((f) => [f.path, f.content])), "NOTES.md": "kept by hand\n" });
    expect(await readdir(root)).toEqual(["generated"]);
  });

  it("changes nothing on disk for an up-to-date output: no staging, no copy, no write, no rename", async () => {
    const files = output(FIRST);
    await writeOutput(outDir, files);
    const calls: string[] = [];
    const counting = Object.fromEntries(Object.entries(realFs).map(([name, call]) => [name, (...args: unknown[]) => (calls.push(`${name} ${path.basename(String(args[0]))}`), (call as (...a: unknown[]) => Promise<unknown>)(...args))])) as unknown as WriteFs;
    const staged = openOutput(outDir, counting);
    for (const file of files) await staged.write(file);
    expect(await staged.finish()).toEqual({ written: 0, removed: [], unchanged: true });
    // Only the check for a swap left half-done by a killed run (removing a backup that is not there).
    expect(calls).toEqual(["rm .generated.vigil-previous"]);
  });

  it("writes again a file deleted by hand, and one Vigil no longer writes is removed", async () => {
    const files = output(FIRST);
    await writeOutput(outDir, files);
    await rm(path.join(outDir, "runbooks/payments/checkout.md"));
    expect((await stream(files)).unchanged).toBe(false);
    expect(texts(await bytesOf(outDir))).toEqual(Object.fromEntries(files.map((f) => [f.path, f.content])));
  });

  it("copies the files it had already found up to date once one differs, and carries a user's file over", async () => {
    const first = output(FIRST);
    await writeOutput(outDir, first);
    await writeFile(path.join(outDir, "NOTES.md"), "kept by hand\n");
    // The same files in the same order, the last generated one changed: the ones before it were only read.
    const next = output({ ...FIRST, "grafana/dashboards/payments/checkout.json": '{"title":"Checkout v2"}\n' });
    const report = await stream(next);
    expect(report).toEqual({ written: next.length, removed: [], unchanged: false });
    expect(texts(await bytesOf(outDir))).toEqual({ ...Object.fromEntries(next.map((f) => [f.path, f.content])), "NOTES.md": "kept by hand\n" });
    expect(await readdir(root)).toEqual(["generated"]);
  });

  it("refuses a path written twice in one compile and leaves the output as it was", async () => {
    await writeOutput(outDir, output(FIRST));
    const before = texts(await bytesOf(outDir));
    const staged = openOutput(outDir);
    await staged.write({ path: "a.txt", content: "one\n", sources: [] });
    await expect(staged.write({ path: "a.txt", content: "two\n", sources: [] })).rejects.toThrow("written twice");
    await expect(staged.finish()).rejects.toThrow("written twice");
    expect(texts(await bytesOf(outDir))).toEqual(before);
    expect(await readdir(root)).toEqual(["generated"]);
  });

  it("leaves an unchanged output as it was (same files, same modification times), and rewrites a file edited by hand", async () => {
    const files = output(FIRST);
    await writeOutput(outDir, files);
    const rules = path.join(outDir, "prometheus/payments/checkout.rules.yaml");
    await utimes(rules, new Date(2000, 0, 1), new Date(2000, 0, 1));
    expect(await stream(files)).toEqual({ written: 0, removed: [], unchanged: true });
    expect((await stat(rules)).mtime.getFullYear()).toBe(2000);
    expect(await readdir(root)).toEqual(["generated"]);

    await writeFile(rules, "edited by hand\n");
    expect((await stream(files)).unchanged).toBe(false);
    expect(await readFile(rules, "utf8")).toBe("groups: []\n");
  });
});
