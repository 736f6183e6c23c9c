import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadFiles } from "../../dist/load/load.js";
import { discoverMonitorFiles } from "../../dist/load/discover.js";
import { makeProject, removeProject } from "../helpers/project.js";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map(removeProject)));

async function load(files: Record<string, string>) {
  const dir = await makeProject(files);
  dirs.push(dir);
  const found = await discoverMonitorFiles(dir, "monitors/**/*.ts");
  return { dir, found, result: await loadFiles(dir, found) };
}

describe("loadFiles", () => {
  it("records every define call with its file, line and column in the TypeScript source", async () => {
    const { result } = await load({
      "monitors/a.ts": `import { defineTeam } from "vigil";\n\n// a comment that shifts lines\nexport const a = defineTeam({ name: "a", receivers: {} });\n`,
      "monitors/sub/b.ts": `import { defineService } from "vigil";\ntype Unused = { x: number };\nexport default defineService({\n  name: "b",\n  team: "a",\n});\n`,
    });
    expect(result.diagnostics).toEqual([]);
    const byKind = Object.fromEntries(result.declarations.map((d) => [d.kind, d.location]));
    expect(byKind.team).toEqual({ file: "monitors/a.ts", line: 4, column: 18 });
    expect(byKind.service).toEqual({ file: "monitors/sub/b.ts", line: 3, column: 16 });
  });

  it("reports a file that throws and still loads the others", async () => {
    const { result } = await load({
      "monitors/a.ts": `import { defineTeam } from "vigil";\nexport const a = defineTeam({ name: "a", receivers: {} });\n`,
      "monitors/b.ts": `import { defineService } from "vigil";\nexport default defineService({ name: "b", team: "a" });\nthrow new RangeError("out of range");\n`,
      "monitors/c.ts": `import { defineService } from "vigil";\nexport default defineService({ name: "c", team: "a" });\n`,
    });
    expect(result.diagnostics.map((d) => [d.code, d.location?.file, d.location?.line])).toEqual([["monitor-threw", "monitors/b.ts", 3]]);
    expect(result.diagnostics[0]!.message).toContain("RangeError: out of range");
    const names = result.declarations.map((d) => (d.value as { name: string }).name).sort();
    expect(names).toEqual(["a", "b", "c"]);
  });

  it("reports every syntax error of every file from one bundle", async () => {
    const { result } = await load({
      "monitors/a.ts": `export const a = {;\n`,
      "monitors/b.ts": `export const b = [1 2];\n`,
    });
    expect(result.diagnostics.map((d) => [d.code, d.location?.file, d.location?.line]).sort()).toEqual([
      ["syntax-error", "monitors/a.ts", 1],
      ["syntax-error", "monitors/b.ts", 1],
    ]);
    expect(result.declarations).toEqual([]);
  });

  it("imports packages from the project's node_modules and leaves no bundle behind", async () => {
    const { dir, result } = await load({
      "monitors/a.ts": `import { DashboardBuilder } from "@grafana/grafana-foundation-sdk/dashboard";\nexport const d = new DashboardBuilder("x").uid("x").build();\n`,
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.exports.get("monitors/a.ts")?.d).toMatchObject({ uid: "x", title: "x" });
    const { readdir } = await import("node:fs/promises");
    expect(await readdir(path.join(dir, "node_modules/.cache/vigil")).catch(() => [])).toEqual([]);
  });
});

describe("discoverMonitorFiles", () => {
  it("finds files by glob, sorted, without declarations, tests or node_modules", async () => {
    const { dir, found } = await load({
      "monitors/z.ts": "",
      "monitors/a/b.ts": "",
      "monitors/types.d.ts": "",
      "monitors/a/b.test.ts": "",
      "monitors/readme.md": "",
    });
    expect(found.map((f) => path.relative(dir, f))).toEqual(["monitors/a/b.ts", "monitors/z.ts"]);
  });
});
