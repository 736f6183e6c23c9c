import { mkdtemp, readFile, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runCli } from "../helpers/cli.js";
import { makeProject, removeProject, REPO_ROOT } from "../helpers/project.js";

describe("vigil init", () => {
  let dir: string;
  beforeAll(async () => {
    // A project with node_modules linked as a user's `npm install` would leave it, and nothing else.
    dir = await makeProject({});
  });
  afterAll(() => removeProject(dir));

  it("scaffolds a repository that compiles, checks and tests at once", async () => {
    const init = await runCli(["init", dir, "--team", "payments", "--service", "checkout-api"]);
    expect(init.code, init.stderr).toBe(0);
    // The next step installs this copy of Vigil: the registry's `vigil` is another project.
    expect(init.stderr).toContain(`npm install --save-dev ${REPO_ROOT} && npx vigil compile`);
    const compiled = await runCli(["compile"], dir);
    expect(compiled.code, compiled.stdout + compiled.stderr).toBe(0);
    const checked = await runCli(["check"], dir);
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    expect(checked.stdout).toBe(""); // not even a warning
    const tested = await runCli(["test"], dir);
    expect(tested.code, tested.stdout + tested.stderr).toBe(0);
    expect(tested.stderr).toMatch(/promtool test rules: 2\/2 files ok/);
  });

  it("writes a service with a metric, an alert with runbook and tests, and an SLO", async () => {
    const monitor = await readFile(path.join(dir, "monitors/checkout-api.ts"), "utf8");
    expect(monitor).toContain('counter("http_requests_total"');
    expect(monitor).toMatch(/name: "CheckoutApiHighErrorRate"[\s\S]*runbook: \{[\s\S]*tests: \[/);
    expect(monitor).toMatch(/slos: \[\s*\{\s*name: "availability"/);
    const pkg = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
    const ours = JSON.parse(await readFile(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    expect(pkg.devDependencies.vigil).toBe(`^${ours.version}`);
  });

  it("writes the repository's own CI workflow: check, test, diff comment on PRs, apply on main", async () => {
    const workflow = parse(await readFile(path.join(dir, ".github/workflows/vigil.yml"), "utf8")) as { jobs: Record<string, { steps: { run?: string }[]; needs?: string[] }> };
    const runs = (job: string) => workflow.jobs[job]!.steps.map((s) => s.run ?? "").join("\n");
    expect(runs("check")).toContain("npx vigil check");
    expect(runs("check")).toContain("npx vigil test");
    expect(runs("diff")).toContain('npx vigil diff --base "origin/$BASE_REF" --format markdown');
    expect(runs("apply")).toContain("npx vigil apply --yes");
    expect(workflow.jobs.apply!.needs).toEqual(["check"]);
    expect(Object.keys(workflow.jobs)).not.toContain("test");
    // In step with the repository's own workflow, less its unit-test job.
    const ours = parse(await readFile(path.join(REPO_ROOT, ".github/workflows/vigil.yml"), "utf8")) as typeof workflow & { on: unknown };
    const { test: _unitTests, ...jobs } = ours.jobs;
    expect(workflow.jobs).toEqual({ ...jobs, apply: { ...jobs.apply, needs: ["check"] } });
    expect((workflow as typeof ours).on).toEqual(ours.on);
  });

  it("refuses to overwrite, listing the files, unless --force", async () => {
    await writeFile(path.join(dir, "monitors/teams.ts"), "// mine\n");
    const again = await runCli(["init", dir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("monitors/teams.ts");
    expect(again.stderr).toContain("package.json");
    expect(await readFile(path.join(dir, "monitors/teams.ts"), "utf8")).toBe("// mine\n");
    const forced = await runCli(["init", dir, "--team", "payments", "--service", "checkout-api", "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(await readFile(path.join(dir, "monitors/teams.ts"), "utf8")).toContain('name: "payments"');
  });

  it("writes into an empty directory that exists, and refuses bad names", async () => {
    const empty = await mkdtemp(path.join(tmpdir(), "vigil-init-"));
    await symlink(path.join(REPO_ROOT, "node_modules"), path.join(empty, "node_modules"), "dir").catch(() => undefined);
    const bad = await runCli(["init", empty, "--team", "Payments Team"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("not a valid name");
    const ok = await runCli(["init", empty]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(await readFile(path.join(empty, "monitors/example-api.ts"), "utf8")).toContain('name: "example-api"');
    await removeProject(empty);
  });

  it("refuses a target that is a file, or under one, writing nothing (was an internal error)", async () => {
    const parent = await mkdtemp(path.join(tmpdir(), "vigil-init-file-"));
    const file = path.join(parent, "notes.txt");
    await writeFile(file, "mine\n");
    for (const target of [file, path.join(file, "sub")]) {
      const result = await runCli(["init", target]);
      expect(result.code, target).toBe(1);
      expect(result.stderr).toContain(`${file} is a file, not a directory; nothing was written`);
    }
    expect(await readFile(file, "utf8")).toBe("mine\n");
    await removeProject(parent);
  });
});
