import { existsSync } from "node:fs";
import { cp, mkdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readablePaths, sandboxFlags } from "../../dist/sandbox/permissions.js";
import { runCli } from "../helpers/cli.js";
import { BASE_FILES, removeProject, REPO_ROOT, snapshotDir, tempProjects } from "../helpers/project.js";

const project = tempProjects();

// Outside the repository, where each refused action would leave its mark.
const marks = path.join(tmpdir(), `vigil-sandbox-marks-${process.pid}`);
afterAll(() => removeProject(marks));
const mark = (name: string) => JSON.stringify(path.join(marks, name));

/** Monitors that each try something a monitor under --sandbox may not do. */
const HOSTILE: Record<string, string> = {
  "monitors/writes.ts": `import { writeFileSync } from "node:fs";\nwriteFileSync(${mark("written")}, "x");\n`,
  "monitors/reads.ts": `import { readFileSync } from "node:fs";\nexport const users = readFileSync("/etc/passwd", "utf8");\n`,
  "monitors/spawns.ts": `import { execFileSync } from "node:child_process";\nexecFileSync("touch", [${mark("spawned")}]);\n`,
  "monitors/worker.ts": `import { Worker } from "node:worker_threads";\nnew Worker(\`require("node:fs").writeFileSync(${mark("worker").replace(/"/g, "'")}, "x")\`, { eval: true });\n`,
};

describe("--sandbox", () => {
  it("refuses writes, reads outside the repository, processes and workers, each at its line", async () => {
    await mkdir(marks, { recursive: true });
    const dir = await project({ ...BASE_FILES, ...HOSTILE });
    const run = await runCli(["compile", "--sandbox", "--format", "json"], dir);
    expect(run.code).toBe(1);
    const diagnostics = JSON.parse(run.stdout) as { code: string; message: string; location: { file: string; line: number } }[];
    expect(diagnostics.map((d) => [d.code, d.location.file, d.location.line])).toEqual([
      ["monitor-threw", "monitors/reads.ts", 2],
      ["monitor-threw", "monitors/spawns.ts", 2],
      ["monitor-threw", "monitors/worker.ts", 2],
      ["monitor-threw", "monitors/writes.ts", 2],
    ]);
    for (const d of diagnostics) expect(d.message).toMatch(/ERR_ACCESS_DENIED|Access to this API has been restricted/);
    expect(diagnostics.map((d) => /\((\w+)/.exec(d.message.split("restricted")[1] ?? "")?.[1])).toEqual(["FileSystemRead", "ChildProcess", "WorkerThreads", "FileSystemWrite"]);
    expect(run.stdout).not.toContain("root:x:0:0");
    expect(existsSync(path.join(marks, "written"))).toBe(false);
    expect(existsSync(path.join(marks, "spawned"))).toBe(false);
    expect(existsSync(path.join(marks, "worker"))).toBe(false);
    expect(existsSync(path.join(dir, "generated"))).toBe(false);
  });

  it("is what stops them: without it the same monitor writes its file", async () => {
    await mkdir(marks, { recursive: true });
    const dir = await project({ ...BASE_FILES, "monitors/writes.ts": HOSTILE["monitors/writes.ts"]!.replace("written", "written-unsandboxed") });
    const run = await runCli(["compile", "--quiet"], dir);
    expect(run.code).toBe(0);
    expect(existsSync(path.join(marks, "written-unsandboxed"))).toBe(true);
  });

  it("lets monitors read the repository, and gives them no environment variables", async () => {
    const dir = await project({
      ...BASE_FILES,
      "monitors/data/team.json": `{ "name": "from-json" }\n`,
      "monitors/reader.ts": `import { readFileSync } from "node:fs";\nimport { defineTeam } from "vigil";\nconst { name } = JSON.parse(readFileSync("monitors/data/team.json", "utf8"));\nexport const t = defineTeam({ name: \`\${name}-\${process.env.VIGIL_TEST_SECRET ?? "no-env"}\`, receivers: { page: { webhook: { url: "http://127.0.0.1:9/hook" } } } });\n`,
    });
    process.env.VIGIL_TEST_SECRET = "leaked";
    try {
      const run = await runCli(["compile", "--sandbox", "--quiet"], dir);
      expect(run.code).toBe(0);
      const alertmanager = await readFile(path.join(dir, "generated/alertmanager/alertmanager.yaml"), "utf8");
      expect(alertmanager).toContain("from-json-no-env");
      expect(alertmanager).not.toContain("leaked");
    } finally {
      delete process.env.VIGIL_TEST_SECRET;
    }
  });

  it("stops a monitor that never returns, even after an await, and one that ends the process", async () => {
    const dir = await project({ ...BASE_FILES, "monitors/spin.ts": `await null;\nwhile (true) {}\n` });
    const spin = await runCli(["lint", "--sandbox", "--timeout", "1s"], dir);
    expect(spin.code).toBe(1);
    expect(spin.stdout).toContain("monitors/spin.ts did not finish loading within 1s, so it was stopped  [monitor-timeout]");

    const exits = await project({ ...BASE_FILES, "monitors/exits.ts": `process.exit(0);\n` });
    const exit = await runCli(["compile", "--sandbox"], exits);
    expect(exit.code).toBe(1);
    expect(exit.stdout).toContain("the sandboxed compile ended (exit code 0) before it returned, while loading monitors/checkout.ts, monitors/exits.ts, monitors/teams.ts  [sandbox-exited]");
    expect(existsSync(path.join(exits, "generated"))).toBe(false);
  });

  it("compiles the examples to the same bytes as without it; check agrees", async () => {
    const dir = await project({});
    await cp(path.join(REPO_ROOT, "monitors"), path.join(dir, "monitors"), { recursive: true });
    await cp(path.join(REPO_ROOT, "vigil.config.ts"), path.join(dir, "vigil.config.ts"));
    const plain = await runCli(["compile", "--quiet"], dir);
    expect(plain.code).toBe(0);
    const before = await snapshotDir(path.join(dir, "generated"));
    await removeProject(path.join(dir, "generated"));
    const sandboxed = await runCli(["compile", "--quiet", "--sandbox"], dir);
    expect(sandboxed.code).toBe(0);
    const after = await snapshotDir(path.join(dir, "generated"));
    expect(Object.keys(after).length).toBeGreaterThan(50);
    expect(after).toEqual(before);
    const check = await runCli(["check", "--sandbox", "--no-typecheck", "--quiet"], dir);
    expect(check.code).toBe(0);
  });
});

describe("the sandbox's permissions", () => {
  it("read the repository, its parents' node_modules and Vigil; nothing else, and nothing more", async () => {
    const dir = await project({});
    const readable = await readablePaths([dir], REPO_ROOT);
    // The project's node_modules links into this repository's: both are read, the outermost named.
    expect(readable).toContain(dir);
    expect(readable).toContain(REPO_ROOT);
    expect(readable.filter((p) => p !== dir && p !== REPO_ROOT && !p.endsWith("/node_modules"))).toEqual([]);
    expect(readable.filter((p) => readable.some((q) => p.startsWith(`${q}/`)))).toEqual([]);
    const flags = sandboxFlags(["/repo"], "--experimental-permission");
    expect(flags).toEqual(["--experimental-permission", "--allow-fs-read=/repo", "--disable-warning=ExperimentalWarning"]);
  });
});
