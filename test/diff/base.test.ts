import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBase } from "../../src/diff/base.js";
import { writeFiles } from "../helpers/project.js";

const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd, encoding: "utf8" });

/** A git repository whose Vigil project sits in a subdirectory: outDir is relative to the top. */
describe("readBase", () => {
  let top: string;
  let project: string;
  const context = () => ({ cwd: project, rootDir: project, outDir: path.join(project, "generated") });

  beforeAll(async () => {
    top = await mkdtemp(path.join(tmpdir(), "vigil-diff-base-"));
    project = path.join(top, "ops", "monitoring");
    git(top, "init", "-q", "-b", "main");
    await writeFiles(project, { "vigil.config.ts": "export default {};\n" });
    git(top, "add", "-A");
    git(top, "commit", "-q", "-m", "no output yet");
    await writeFiles(project, {
      "generated/alertmanager/alertmanager.yaml": "route: {}\n",
      "generated/runbooks/a b.md": "# ünïcode\n",
      "generated/empty.txt": "",
      "elsewhere/generated/x.txt": "not the output\n",
    });
    git(top, "add", "-A");
    git(top, "commit", "-q", "-m", "output");
    // The working tree changes after the commit: the base must come from the commit alone.
    await writeFiles(project, { "generated/alertmanager/alertmanager.yaml": "route: { receiver: changed }\n" });
  });
  afterAll(() => rm(top, { recursive: true, force: true }));

  it("reads the output directory of a commit, relative to the output directory, bytes exact", async () => {
    const base = await readBase("HEAD", context());
    expect("files" in base && Object.fromEntries(base.files)).toEqual({
      "alertmanager/alertmanager.yaml": "route: {}\n",
      "runbooks/a b.md": "# ünïcode\n",
      "empty.txt": "",
    });
  });

  it("reads nothing from a commit that has no output yet: everything will be added", async () => {
    const base = await readBase("HEAD~1", context());
    expect("files" in base && base.files.size).toBe(0);
  });

  it("refuses a revision that does not exist, and one that looks like an option, with a hint", async () => {
    for (const ref of ["no-such-branch", "--output=/tmp/x"]) {
      const base = await readBase(ref, context());
      expect(base).toEqual({ error: expect.stringContaining(`--base ${ref}: no such commit`), hint: expect.stringContaining("origin/main") });
    }
  });

  it("reads a directory that holds the output directory, or is one", async () => {
    const holder = await readBase(".", context());
    expect("files" in holder && holder.files.get("alertmanager/alertmanager.yaml")).toBe("route: { receiver: changed }\n");
    await writeFiles(project, { "generated/manifest.json": '{"generator":"vigil","files":[]}\n' });
    const itself = await readBase("generated", { ...context(), cwd: project });
    expect("files" in itself && itself.files.has("manifest.json")).toBe(true);
  });

  it("refuses a directory with no output in it", async () => {
    const base = await readBase(path.join(project, "..", ".."), { ...context(), outDir: path.join(project, "out") });
    expect(base).toEqual({ error: expect.stringContaining("holds no generated output"), hint: expect.any(String) });
  });

  it("says when there is no git repository to read a revision from", async () => {
    const outside = await mkdtemp(path.join(tmpdir(), "vigil-diff-nogit-"));
    try {
      const base = await readBase("HEAD", { cwd: outside, rootDir: outside, outDir: path.join(outside, "generated") });
      expect(base).toEqual({ error: expect.stringContaining("not in a git repository"), hint: expect.stringContaining("--base DIR") });
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});
