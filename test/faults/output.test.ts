import { lstat, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emitManifest } from "../../src/emit/manifest.js";
import type { OutputFile } from "../../src/emit/output.js";
import { openOutput, realFs, writeOutput, WRITES_IN_FLIGHT, type WriteFs } from "../../src/output/write.js";
import { BASE_FILES, makeProject, removeProject, snapshotDir, writeFiles } from "../helpers/project.js";
import { runMain } from "../property/main.js";

/**
 * The output directory under a failing file system. Tests run as root in CI, where chmod stops
 * nothing: failures are injected through writeOutput's file-system parameter instead, and the
 * CLI cases use what root cannot get past either (a file where a directory should be).
 */

let root: string;
let outDir: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "vigil-faults-"));
  outDir = path.join(root, "generated");
});
afterEach(() => rm(root, { recursive: true, force: true }));

function output(files: Record<string, string>): OutputFile[] {
  const generated = Object.entries(files).map(([p, content]) => ({ path: p, content, sources: ["monitors/checkout.ts"] }));
  return [...generated, emitManifest(generated)];
}

const OLD = output({ "prometheus/payments/checkout.rules.yaml": "groups: []\n", "runbooks/payments/checkout.md": "# Checkout\n" });
const NEW = output(Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`prometheus/team-${i % 3}/service-${i}.rules.yaml`, `groups: [] # ${i}\n`])));

const enospc = () => Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
const eacces = (p: string) => Object.assign(new Error(`EACCES: permission denied, open '${p}'`), { code: "EACCES" });

/** The real file system, but for the calls `fail` throws from (it sees every call, in order). */
function failing(fail: (call: keyof WriteFs, args: unknown[]) => Error | undefined): WriteFs {
  const wrap = <K extends keyof WriteFs>(call: K): WriteFs[K] =>
    (async (...args: unknown[]) => {
      const failure = fail(call, args);
      if (failure) throw failure;
      return (realFs[call] as (...a: unknown[]) => Promise<unknown>)(...args);
    }) as WriteFs[K];
  return { mkdir: wrap("mkdir"), writeFile: wrap("writeFile"), rename: wrap("rename"), rm: wrap("rm"), cp: wrap("cp") };
}

/** After a failed write: the previous output byte for byte, a user's file kept, no staging or backup left. */
async function expectUntouched(before: Record<string, string>) {
  expect(await snapshotDir(outDir)).toEqual(before);
  expect((await readdir(root)).sort()).toEqual(["generated"]);
}

describe("writeOutput under a failing file system", () => {
  beforeEach(async () => {
    await writeOutput(outDir, OLD);
    await writeFile(path.join(outDir, "NOTES.md"), "kept by hand\n");
  });

  for (const after of [0, 1, 5, NEW.length - 1]) {
    it(`keeps the previous output when the disk fills up after ${after} files`, async () => {
      const before = await snapshotDir(outDir);
      let writes = 0;
      const fs = failing((call) => (call === "writeFile" && writes++ >= after ? enospc() : undefined));
      await expect(writeOutput(outDir, NEW, fs)).rejects.toMatchObject({ code: "ENOSPC" });
      // Writes go several at a time: those already under way finish, no new one starts.
      expect(writes).toBeGreaterThanOrEqual(after + 1);
      expect(writes).toBeLessThanOrEqual(after + WRITES_IN_FLIGHT);
      await expectUntouched(before);
    });
  }

  for (const after of [0, 5]) {
    it(`keeps the previous output when the disk fills up after ${after} files of a write that takes them one by one`, async () => {
      const before = await snapshotDir(outDir);
      let writes = 0;
      const staged = openOutput(outDir, failing((call) => (call === "writeFile" && writes++ >= after ? enospc() : undefined)));
      let failed: unknown;
      for (const file of NEW) {
        failed = await staged.write(file).then(() => undefined, (error: unknown) => error);
        if (failed) break;
      }
      // The failure shows at a later write or at the end, once the writes under way finished.
      failed ??= await staged.finish().then(() => undefined, (error: unknown) => error);
      expect(failed).toMatchObject({ code: "ENOSPC" });
      await expect(staged.finish()).rejects.toMatchObject({ code: "ENOSPC" });
      await expectUntouched(before);
    });
  }

  it("touches nothing when a write that takes files one by one is dropped before its first file", async () => {
    const before = await snapshotDir(outDir);
    let calls = 0;
    const staged = openOutput(outDir, failing(() => void calls++));
    await staged.abort();
    expect(calls).toBe(0);
    await expectUntouched(before);
  });

  it("keeps the previous output when the staging directory cannot be created (EACCES)", async () => {
    const before = await snapshotDir(outDir);
    const fs = failing((call, [p]) => (call === "mkdir" && String(p).endsWith(".vigil-staging") ? eacces(String(p)) : undefined));
    await expect(writeOutput(outDir, NEW, fs)).rejects.toMatchObject({ code: "EACCES" });
    await expectUntouched(before);
  });

  it("keeps the previous output when carrying the user's files over fails", async () => {
    const before = await snapshotDir(outDir);
    const fs = failing((call) => (call === "cp" ? enospc() : undefined));
    await expect(writeOutput(outDir, NEW, fs)).rejects.toMatchObject({ code: "ENOSPC" });
    await expectUntouched(before);
  });

  it("puts the previous output back when the second rename of the swap fails", async () => {
    const before = await snapshotDir(outDir);
    const fs = failing((call, [from]) => (call === "rename" && String(from).endsWith(".vigil-staging") ? Object.assign(new Error("EXDEV"), { code: "EXDEV" }) : undefined));
    await expect(writeOutput(outDir, NEW, fs)).rejects.toMatchObject({ code: "EXDEV" });
    await expectUntouched(before);
  });

  it("restores the old tree and reports the first failure when the clean-up fails too", async () => {
    const before = await snapshotDir(outDir);
    let failed = false;
    const fs = failing((call, [target]) => {
      const staging = String(target).endsWith(".vigil-staging");
      if (call === "rename" && staging) return (failed = true), enospc();
      if (call === "rm" && staging && failed) return eacces(String(target));
      return undefined;
    });
    await expect(writeOutput(outDir, NEW, fs)).rejects.toMatchObject({ code: "ENOSPC" });
    expect(await snapshotDir(outDir)).toEqual(before);
    // The staging directory could not be removed; the next write starts by removing it.
    await writeOutput(outDir, NEW);
    expect((await readdir(root)).sort()).toEqual(["generated"]);
    expect(await readFile(path.join(outDir, "NOTES.md"), "utf8")).toBe("kept by hand\n");
  });

  it("counts a write whose old tree cannot be removed afterwards as done; the next run removes it", async () => {
    let swapped = false;
    const fs = failing((call, [from, to]) => {
      if (call === "rename" && String(to).endsWith(".vigil-previous")) swapped = true;
      return call === "rm" && swapped && String(from).endsWith(".vigil-previous") ? eacces(String(from)) : undefined;
    });
    const report = await writeOutput(outDir, NEW, fs);
    expect(report.unchanged).toBe(false);
    expect(Object.keys(await snapshotDir(outDir))).toEqual([...NEW.map((f) => f.path), "NOTES.md"].sort());
    await writeOutput(outDir, OLD);
    expect((await readdir(root)).sort()).toEqual(["generated"]);
  });
});

describe("writeOutput and what stands where the output directory goes", () => {
  it("refuses to replace a file named like the output directory", async () => {
    await writeFile(outDir, "my notes\n");
    await expect(writeOutput(outDir, NEW)).rejects.toMatchObject({ code: "ENOTDIR", message: expect.stringContaining("is a file, not a directory") });
    expect(await readFile(outDir, "utf8")).toBe("my notes\n");
    expect(await readdir(root)).toEqual(["generated"]);
  });

  it("says which parent is a file when the output directory cannot be created", async () => {
    await writeFile(path.join(root, "blocker"), "x\n");
    await expect(writeOutput(path.join(root, "blocker", "generated"), NEW)).rejects.toMatchObject({ code: "ENOTDIR", message: expect.stringContaining(`${path.join(root, "blocker")}, or a directory above it, is a file`) });
    expect(await readdir(root)).toEqual(["blocker"]);
  });

  it("writes through a symlinked output directory and keeps the link", async () => {
    await writeOutput(path.join(root, "real"), OLD);
    await symlink("real", outDir);
    await writeOutput(outDir, NEW);
    expect((await lstat(outDir)).isSymbolicLink()).toBe(true);
    expect(Object.keys(await snapshotDir(path.join(root, "real")))).toEqual(NEW.map((f) => f.path).sort());
    expect((await readdir(root)).sort()).toEqual(["generated", "real"]);
  });

  it("refuses a dangling symlink in place of the output directory", async () => {
    await symlink("nowhere", outDir);
    await expect(writeOutput(outDir, NEW)).rejects.toMatchObject({ code: "ENOENT", message: expect.stringContaining("symbolic link to nothing") });
    expect((await lstat(outDir)).isSymbolicLink()).toBe(true);
  });
});

describe("vigil compile when the output directory cannot be written", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeProject(BASE_FILES);
  });
  afterEach(() => removeProject(dir));

  const changeMonitors = () => writeFiles(dir, { "monitors/checkout.ts": BASE_FILES["monitors/checkout.ts"]!.replace("Checkout is down.", "Checkout has no healthy target.") });

  it("exits 1 with output-write-failed when a file stands where the output directory goes", async () => {
    await writeFile(path.join(dir, "generated"), "my notes\n");
    const run = await runMain(["compile", "--cwd", dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("[output-write-failed]");
    expect(run.stdout).toContain("is a file, not a directory");
    expect(run.stderr).not.toContain("internal error");
    expect(await readFile(path.join(dir, "generated"), "utf8")).toBe("my notes\n");
  });

  it("exits 1 with output-write-failed when outDir's parent is a file, and creates nothing", async () => {
    await writeFiles(dir, {
      blocker: "x\n",
      "vigil.config.ts": `import { defineConfig } from "vigil";\nexport default defineConfig({ monitors: "monitors/**/*.ts", outDir: "blocker/generated" });\n`,
    });
    const run = await runMain(["compile", "--cwd", dir, "--format", "json"]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject([{ severity: "error", code: "output-write-failed", message: expect.stringContaining("is a file") }]);
    expect(await readFile(path.join(dir, "blocker"), "utf8")).toBe("x\n");
    expect((await readdir(dir)).filter((e) => e.includes("vigil"))).toEqual(["vigil.config.ts"]);
  });

  it("compiles into a symlinked output directory, leaving the link a link", async () => {
    expect((await runMain(["compile", "--cwd", dir])).code).toBe(0);
    await rename(path.join(dir, "generated"), path.join(dir, "real-out"));
    await symlink("real-out", path.join(dir, "generated"));
    await changeMonitors();
    const run = await runMain(["compile", "--cwd", dir]);
    expect(run.stdout + run.stderr).not.toContain("error");
    expect(run.code).toBe(0);
    expect((await lstat(path.join(dir, "generated"))).isSymbolicLink()).toBe(true);
    expect(await readFile(path.join(dir, "real-out", "runbooks", "payments", "checkout.md"), "utf8")).toContain("Checkout has no healthy target.");
  });

  it("leaves a previous output whole when writing fails midway (a file name too long for the file system)", async () => {
    expect((await runMain(["compile", "--cwd", dir])).code).toBe(0);
    const before = await snapshotDir(path.join(dir, "generated"));
    const long = "x".repeat(300);
    await writeFiles(dir, { "monitors/checkout.ts": BASE_FILES["monitors/checkout.ts"]!.replace('name: "checkout"', `name: "${long}"`) });
    const run = await runMain(["compile", "--cwd", dir]);
    expect(run.stderr).not.toContain("internal error");
    expect(run.code).toBe(1);
    expect(await snapshotDir(path.join(dir, "generated"))).toEqual(before);
    expect((await readdir(dir)).filter((e) => e.includes("vigil-"))).toEqual([]);
  });
});
