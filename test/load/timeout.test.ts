import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadFiles } from "../../dist/load/load.js";
import { discoverMonitorFiles } from "../../dist/load/discover.js";
import { parseTimeout } from "../../dist/load/timeout.js";
import { runCli } from "../helpers/cli.js";
import { BASE_FILES, tempProjects } from "../helpers/project.js";

const project = tempProjects();

async function load(files: Record<string, string>, timeoutMs: number) {
  const dir = await project(files);
  return loadFiles(dir, await discoverMonitorFiles(dir, "monitors/**/*.ts"), { timeoutMs });
}

const TEAM = `import { defineTeam } from "vigil";\n`;

describe("a monitor file that never returns", () => {
  it("is stopped when it loops at its top level, and named", async () => {
    const result = await load({
      "monitors/a.ts": `${TEAM}export const a = defineTeam({ name: "a", receivers: {} });\n`,
      "monitors/b.ts": `let n = 0;\nwhile (true) { n++; }\n`,
    }, 300);
    expect(result.diagnostics.map((d) => [d.code, d.location?.file])).toEqual([["monitor-timeout", "monitors/b.ts"]]);
    expect(result.diagnostics[0]!.message).toBe("monitors/b.ts did not finish loading within 300ms, so it was stopped");
    expect(result.diagnostics[0]!.hint).toContain('pass --timeout 600ms, or set loadTimeout: "600ms" in vigil.config.ts');
  });

  it("is stopped when it awaits a promise that never settles", async () => {
    const result = await load({
      "monitors/a.ts": `${TEAM}export const a = defineTeam({ name: "a", receivers: {} });\n`,
      "monitors/hangs.ts": `await new Promise(() => {});\nexport const never = 1;\n`,
    }, 300);
    expect(result.diagnostics.map((d) => [d.code, d.location?.file])).toEqual([["monitor-timeout", "monitors/hangs.ts"]]);
  });

  it("stops a loop in a function the top level calls, in a file the others import", async () => {
    const result = await load({
      "monitors/lib/spin.ts": `export function spin(): number {\n  for (;;) {}\n}\n`,
      "monitors/a.ts": `import { spin } from "./lib/spin";\nexport const x = spin();\n`,
    }, 300);
    expect(result.diagnostics.map((d) => [d.code, d.location?.file])).toEqual([["monitor-timeout", "monitors/a.ts"]]);
  });
});

describe("top-level await in monitor files", () => {
  it("records what is declared after an await", async () => {
    const result = await load({
      "monitors/a.ts": `${TEAM}await new Promise((resolve) => setTimeout(resolve, 20));\nexport const late = defineTeam({ name: "late", receivers: {} });\n`,
    }, 30_000);
    expect(result.diagnostics).toEqual([]);
    expect(result.declarations.map((d) => [d.kind, (d.value as { name: string }).name, d.location?.line])).toEqual([["team", "late", 3]]);
  });

  it("reports a throw after an await at its line", async () => {
    const result = await load({
      "monitors/a.ts": `await null;\n\nthrow new TypeError("after the await");\n`,
      "monitors/b.ts": `${TEAM}export const b = defineTeam({ name: "b", receivers: {} });\n`,
    }, 30_000);
    expect(result.diagnostics.map((d) => [d.code, d.location?.file, d.location?.line])).toEqual([["monitor-threw", "monitors/a.ts", 3]]);
    expect(result.diagnostics[0]!.message).toContain("TypeError: after the await");
    expect(result.declarations.map((d) => (d.value as { name: string }).name)).toEqual(["b"]);
  });
});

describe("--timeout", () => {
  it("takes a duration or a number of seconds", () => {
    expect([parseTimeout("90s"), parseTimeout("2m"), parseTimeout("45"), parseTimeout("500ms")]).toEqual([90_000, 120_000, 45_000, 500]);
    expect([parseTimeout("0"), parseTimeout("soon"), parseTimeout("-1"), parseTimeout("1.5s")]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it("ends compile with monitor-timeout, exit 1 and nothing written", async () => {
    const dir = await project({ ...BASE_FILES, "monitors/spin.ts": `while (true) {}\n` });
    const run = await runCli(["compile", "--timeout", "1s"], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("monitors/spin.ts:1:1  error  monitors/spin.ts did not finish loading within 1s, so it was stopped  [monitor-timeout]");
    expect(run.stdout).toContain('pass --timeout 2s, or set loadTimeout: "2s" in vigil.config.ts');
    expect(run.stderr).toContain("nothing written");
    expect(existsSync(path.join(dir, "generated"))).toBe(false);
  });

  it("defaults to the config's loadTimeout, and limits the config file itself", async () => {
    const dir = await project({
      ...BASE_FILES,
      "vigil.config.ts": `import { defineConfig } from "vigil";\nexport default defineConfig({ monitors: "monitors/**/*.ts", loadTimeout: "1s" });\n`,
      "monitors/hangs.ts": `await new Promise(() => {});\n`,
    });
    const fromConfig = await runCli(["lint", "--format", "json"], dir);
    expect(fromConfig.code).toBe(1);
    expect(JSON.parse(fromConfig.stdout).map((d: { code: string; message: string }) => [d.code, d.message])).toEqual([
      ["monitor-timeout", "monitors/hangs.ts did not finish loading within 1s, so it was stopped"],
    ]);

    const config = await project({ ...BASE_FILES, "vigil.config.ts": `while (true) {}\n` });
    const ownLimit = await runCli(["check", "--timeout", "1s", "--no-typecheck"], config);
    expect(ownLimit.code).toBe(1);
    expect(ownLimit.stdout).toContain("vigil.config.ts did not finish loading within 1s");
    // Its own limit cannot come from itself.
    expect(ownLimit.stdout).toContain("(pass --timeout 2s)");
  });

  it("refuses a value that is not a duration", async () => {
    const run = await runCli(["compile", "--timeout", "soon"], await project(BASE_FILES));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('expected a duration such as "90s" or "2m", or a number of seconds');
  });
});
