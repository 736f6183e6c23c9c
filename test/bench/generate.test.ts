import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateRepo, serviceFile, serviceName, teamCount } from "../../scripts/bench/generate.mjs";
import { runTool } from "../../src/tools/run.js";
import { runCli } from "../helpers/cli.js";
import { removeProject } from "../helpers/project.js";

/**
 * `npm run bench` measures the compiler on generated repositories: they must be what a real
 * repository is, valid and lint-clean, or the figures measure the error path.
 */
describe("the benchmark's generated repository of 10 services", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "vigil-bench-test-"));
    await generateRepo(dir, 10);
  });
  afterAll(async () => {
    await removeProject(dir);
  });

  it("has a config, the teams and one file per service, each with the declared shape", async () => {
    const monitors = await readdir(path.join(dir, "monitors"), { recursive: true });
    expect(monitors.filter((f) => f.endsWith(".ts")).sort()).toEqual(
      ["teams.ts", ...Array.from({ length: 10 }, (_, i) => path.join(`team-00${i % teamCount(10)}`, `${serviceName(i)}.ts`))].sort(),
    );
    const text = await readFile(path.join(dir, "monitors", "team-000", `${serviceName(0)}.ts`), "utf8");
    expect(text).toBe(serviceFile(0, teamCount(10)));
    expect(text.match(/^const \w+ = (counter|gauge|histogram)\(/gm)).toHaveLength(5);
    expect(text.match(/^ {6}name: "[A-Z]\w+",$/gm)).toHaveLength(10); // alerts: CamelCase, SLOs are lowercase
    expect(text.match(/^ {6}for: "/gm)).toHaveLength(10);
    expect(text.match(/^ {6}runbook: \{/gm)).toHaveLength(10);
    expect(text.match(/^ {6}objective: /gm)).toHaveLength(4);
    expect(text.match(/^ {6}title: "/gm)).toHaveLength(2);
  });

  it("lints clean: no errors and no warnings", async () => {
    const lint = await runCli(["lint", "--max-warnings", "0"], dir);
    expect(lint.stderr + lint.stdout).not.toMatch(/error|warning  /);
    expect(lint.code).toBe(0);
  });

  it("compiles, and promtool accepts every rule file", async () => {
    const compiled = await runCli(["compile"], dir);
    expect(compiled.stderr).toMatch(/wrote \d+ files/);
    expect(compiled.code).toBe(0);
    const out = path.join(dir, "generated");
    const rules = (await readdir(path.join(out, "prometheus"), { recursive: true })).filter((f) => f.endsWith(".rules.yaml"));
    expect(rules).toHaveLength(20); // declared and SLO rules of each service
    const check = await runTool("promtool", ["check", "rules", "--lint-fatal", ...rules.map((f) => path.join("prometheus", f))], { cwd: out });
    expect(check.stderr + check.stdout).not.toMatch(/FAILED/);
    expect(check.code).toBe(0);
  });

  // The floor is "serialising and writing those bytes": it must serialise to the very bytes the
  // compiler wrote, or it measures some other output.
  it("gives a floor that serialises every file back to the compiler's bytes and writes them", async () => {
    const out = path.join(dir, "generated");
    const fresh = path.join(dir, "floor-out");
    const run = spawnSync(process.execPath, [path.resolve("scripts/bench/floor.mjs"), out, fresh], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    const figures = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as Record<string, number>;
    const files = (await readdir(out, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length;
    expect(figures.files).toBe(files);
    expect(figures.same_bytes).toBe(files);
    expect(figures.floor_ms).toBe(figures.serialise_ms! + figures.write_ms!);
    const written = (await readdir(fresh, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
    expect(written).toHaveLength(files);
    expect(await readFile(path.join(fresh, "alertmanager", "alertmanager.yaml"), "utf8")).toBe(await readFile(path.join(out, "alertmanager", "alertmanager.yaml"), "utf8"));
  });
});
