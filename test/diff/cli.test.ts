import { execFileSync } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MARKER } from "../../src/diff/markdown.js";
import { runCli } from "../helpers/cli.js";
import { BASE_FILES, makeProject, removeProject } from "../helpers/project.js";

/** The helpers' minimal repository, its alert with the runbook steps a paging alert needs. */
const FILES = {
  ...BASE_FILES,
  "monitors/checkout.ts": BASE_FILES["monitors/checkout.ts"]!.replace(
    'description: "{{ $labels.instance }} is down.",',
    'description: "{{ $labels.instance }} is down.",\n      runbook: { triage: ["Check the pods."], mitigation: ["Roll back."] },',
  ),
};

const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd, encoding: "utf8" });

/** The "done when": `vigil diff` in a git repository, as a reviewer's workflow runs it. */
describe("vigil diff", () => {
  let dir: string;
  let copy: string;
  const monitor = () => path.join(dir, "monitors/checkout.ts");

  beforeAll(async () => {
    dir = await makeProject(FILES);
    await writeFile(path.join(dir, ".gitignore"), "node_modules\n");
    const compiled = await runCli(["compile"], dir);
    expect(compiled.code, compiled.stdout + compiled.stderr).toBe(0);
    git(dir, "init", "-q", "-b", "main");
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "monitors and their output");
    // A directory base: another checkout's tree, taken before the change below.
    copy = await mkdtemp(path.join(tmpdir(), "vigil-diff-copy-"));
    await cp(path.join(dir, "generated"), path.join(copy, "generated"), { recursive: true });
  });
  afterAll(async () => {
    if (dir) await removeProject(dir);
    if (copy) await rm(copy, { recursive: true, force: true });
  });

  it("exits 0 on an unchanged tree", async () => {
    const result = await runCli(["diff"], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("no changes against HEAD");
  });

  it("after an alert's `for` changes: exits 1 and the Markdown names the alert and the field", async () => {
    const before = await readFile(monitor(), "utf8");
    await writeFile(monitor(), before.replace('for: "5m"', 'for: "10m"'));
    try {
      const result = await runCli(["diff", "--format", "markdown"], dir);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stdout.startsWith(`${MARKER}\n`)).toBe(true);
      expect(result.stdout).toContain("- **changed** `CheckoutDown (page)` in `prometheus/payments/checkout.rules.yaml`\n  - `for`: `5m` → `10m`");
      expect(result.stdout).toContain("| Alerts | 0 | 0 | 1 |");

      // The same change against a directory base, as JSON; the working tree's generated/ is untouched.
      const json = await runCli(["diff", "--base", copy, "--format", "json"], dir);
      expect(json.code, json.stderr).toBe(1);
      const report = JSON.parse(json.stdout) as { equal: boolean; changes: { kind: string; name: string; fields: unknown[] }[] };
      expect(report.equal).toBe(false);
      expect(report.changes).toContainEqual({
        kind: "alert",
        op: "changed",
        name: "CheckoutDown (page)",
        file: "prometheus/payments/checkout.rules.yaml",
        fields: [{ field: "for", before: "5m", after: "10m" }],
      });
      expect(git(dir, "status", "--porcelain")).toBe(" M monitors/checkout.ts\n");
    } finally {
      await writeFile(monitor(), before);
    }
  });

  it("refuses a revision that does not exist: exit 2 and a clear error", async () => {
    const result = await runCli(["diff", "--base", "no-such-branch"], dir);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("vigil diff: --base no-such-branch: no such commit");
  });

  it("exits 1 with the diagnostics when the monitors do not compile", async () => {
    const before = await readFile(monitor(), "utf8");
    await writeFile(monitor(), before.replace('for: "5m"', 'for: "five minutes"'));
    try {
      const result = await runCli(["diff", "--format", "markdown"], dir);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`${MARKER}\n### Vigil: the monitors do not compile`);
      expect(result.stdout).toMatch(/monitors\/checkout\.ts:\d+:\d+\s+error\s.*\[invalid-duration\]/);
    } finally {
      await writeFile(monitor(), before);
    }
  });
});
