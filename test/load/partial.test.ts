import { readdir, symlink } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { bundleMonitors } from "../../dist/load/bundle.js";
import { discoverMonitorFiles } from "../../dist/load/discover.js";
import { loadFiles } from "../../dist/load/load.js";
import { compileInSandbox } from "../../dist/sandbox/run.js";
import { BASE_FILES, removeProject, tempProjects } from "../helpers/project.js";
import { compile } from "../helpers/vigil.js";

/**
 * A syntax error (or an import that cannot be found) in one file must not hide the problems
 * of the others: the broken files, and the files that import them, are left out and the rest
 * is bundled again, loaded and validated.
 */
const project = tempProjects();

async function bundle(files: Record<string, string>) {
  const dir = await project(files);
  const found = await discoverMonitorFiles(dir, "monitors/**/*.ts");
  return { dir, found, result: await bundleMonitors(dir, found, path.join(dir, "node_modules/.cache/vigil/test.mjs")) };
}

async function load(files: Record<string, string>) {
  const dir = await project(files);
  return loadFiles(dir, await discoverMonitorFiles(dir, "monitors/**/*.ts"));
}

const where = (d: { code: string; location?: { file: string; line: number; column: number } }) => `${d.location?.file}:${d.location?.line}:${d.location?.column} ${d.code}`;
const names = (declarations: { value: unknown }[]) => declarations.map((d) => (d.value as { name: string }).name).sort();
/** The files a bundle runs, by the relative paths its entry module lists. */
const bundled = (code: string | undefined) => [...(code ?? "").matchAll(/^\s*\["((?:monitors|lib)\/[^"]+)", \(\) =>/gm)].map((m) => m[1]).sort();

const TEAM = `import { defineTeam } from "vigil";\nexport const payments = defineTeam({ name: "payments", receivers: {} });\n`;
const svc = (name: string, imports = "") => `import { defineService } from "vigil";\n${imports}export default defineService({ name: "${name}", team: "payments" });\n`;

/** The base repository with `checkout`'s alert waiting "ten minutes" (an invalid duration). */
const INVALID_DURATION = BASE_FILES["monitors/checkout.ts"]!.replace('for: "5m"', 'for: "ten minutes"');

describe("a repository with a syntax error in one file", () => {
  it("reports the syntax error and the invalid duration of another file, in one compile, writing nothing", async () => {
    const dir = await project({ ...BASE_FILES, "monitors/checkout.ts": INVALID_DURATION, "monitors/broken.ts": "const x = ;\n" });
    const result = await compile({ cwd: dir });
    expect(result.diagnostics.filter((d) => d.severity === "error").map(where)).toEqual([
      "monitors/broken.ts:1:11 syntax-error",
      "monitors/checkout.ts:12:12 invalid-duration",
    ]);
    expect(result.files).toEqual([]);
    expect(await readdir(dir)).not.toContain("generated");
  });

  it("holds back 'not declared' findings while a file is set aside: it may declare the names", async () => {
    // teams.ts is broken: the config's route to payments-page and the string team reference
    // would otherwise be reported as undeclared, only repeating the syntax error.
    const config = `import { defineConfig } from "vigil";
export default defineConfig({ monitors: "monitors/**/*.ts", alertmanager: { routes: [{ match: { env: "staging" }, receiver: "payments-page" }] } });
`;
    const files = { ...BASE_FILES, "vigil.config.ts": config, "monitors/storefront.ts": svc("storefront"), "monitors/teams.ts": `${TEAM}const x = ;\n` };
    const dir = await project(files);
    const result = await compile({ cwd: dir });
    expect(result.diagnostics.filter((d) => d.severity === "error").map(where)).toEqual(["monitors/teams.ts:3:11 syntax-error"]);
    // Fixed, the same references are fine; a name really missing is still reported.
    const fixed = await project({ ...files, "monitors/teams.ts": TEAM.replace("receivers: {}", 'receivers: { page: { webhook: { url: "http://127.0.0.1:9/hook" } } }') });
    expect((await compile({ cwd: fixed })).diagnostics.filter((d) => d.severity === "error").map((d) => d.code)).toEqual([]);
    const missing = await project({ ...files, "monitors/teams.ts": TEAM });
    expect((await compile({ cwd: missing })).diagnostics.filter((d) => d.severity === "error").map((d) => d.code)).toEqual(["unknown-receiver"]);
  });

  it("also reports a file that throws, and loads the files that do not", async () => {
    const result = await load({
      "monitors/a.ts": TEAM,
      "monitors/b.ts": `export const b = [1 2];\n`,
      "monitors/c.ts": `${svc("c")}throw new RangeError("out of range");\n`,
      "monitors/d.ts": svc("d"),
    });
    expect(result.diagnostics.map(where)).toEqual(["monitors/b.ts:1:21 syntax-error", "monitors/c.ts:3:7 monitor-threw"]);
    expect(names(result.declarations)).toEqual(["c", "d", "payments"]);
    expect([...result.exports.keys()].sort()).toEqual(["monitors/a.ts", "monitors/d.ts"]);
  });

  it("reports an import that cannot be found, and loads the rest", async () => {
    const result = await load({ "monitors/a.ts": TEAM, "monitors/b.ts": `import { x } from "./missing";\nexport const b = x;\n`, "monitors/c.ts": svc("c") });
    expect(result.diagnostics.map(where)).toEqual(["monitors/b.ts:1:19 import-not-found"]);
    expect(names(result.declarations)).toEqual(["c", "payments"]);
  });

  it("reports each broken file once, and bundles nothing when no file is left", async () => {
    const { result } = await bundle({ "monitors/a.ts": `export const a = {;\n`, "monitors/b.ts": `export const b = [1 2];\n` });
    expect(result.diagnostics.map(where).sort()).toEqual(["monitors/a.ts:1:19 syntax-error", "monitors/b.ts:1:21 syntax-error"]);
    expect(result.bundle).toBeUndefined();
    expect(result.builds).toBe(1);
  });
});

describe("a broken file that other files import", () => {
  it("a broken monitor imported by another: its error once, the importer left out, the rest loaded", async () => {
    const { result } = await bundle({
      "monitors/a.ts": TEAM,
      "monitors/broken.ts": `export const limit = ;\n`,
      "monitors/uses-broken.ts": svc("uses", `import { limit } from "./broken";\nconsole.log(limit);\n`),
      "monitors/z.ts": svc("z"),
    });
    expect(result.diagnostics.map(where)).toEqual(["monitors/broken.ts:1:22 syntax-error"]);
    expect(bundled(result.bundle?.code)).toEqual(["monitors/a.ts", "monitors/z.ts"]);
    expect(result.builds).toBeLessThanOrEqual(3);
  });

  it("a broken helper outside the monitors, imported through another file: every importer left out, one error", async () => {
    const result = await load({
      "lib/helper.ts": `export function threshold( { return 1; }\n`,
      "lib/shared.ts": `export { threshold } from "./helper";\n`,
      "monitors/a.ts": TEAM,
      "monitors/b.ts": svc("b", `import { threshold } from "../lib/helper";\nconsole.log(threshold);\n`),
      "monitors/c.ts": svc("c", `import { threshold } from "../lib/shared";\nconsole.log(threshold);\n`),
      "monitors/d.ts": svc("d"),
    });
    expect(result.diagnostics.map(where)).toEqual(["lib/helper.ts:1:37 syntax-error"]);
    expect(names(result.declarations)).toEqual(["d", "payments"]);
  });

  it("files that import each other around a broken one: left out, without looping", async () => {
    const { result } = await bundle({
      "monitors/a.ts": `import { b } from "./b";\nexport const a = () => b;\n`,
      "monitors/b.ts": `import { a } from "./a";\nimport { c } from "./c";\nexport const b = () => [a, c];\n`,
      "monitors/c.ts": `export const c = (;\n`,
      "monitors/d.ts": `export const d = 1;\n`,
    });
    expect(result.diagnostics.map(where)).toEqual(["monitors/c.ts:1:19 syntax-error"]);
    expect(bundled(result.bundle?.code)).toEqual(["monitors/d.ts"]);
  });

  it("through symbolic links (a linked folder, a root reached by a link): the broken file and its importers left out", async () => {
    const real = await project({
      "shared/real.ts": `export const r = ;\n`,
      "monitors/a.ts": `export const a = 1;\n`,
      "monitors/b.ts": `import { r } from "../linked/real";\nexport const b = r;\n`,
      "monitors/c.ts": `export const c = ;\n`,
      "monitors/d.ts": `import { c } from "./c";\nexport const d = c;\n`,
    });
    await symlink(path.join(real, "shared"), path.join(real, "linked"), "dir");
    const dir = `${real}-link`;
    await symlink(real, dir, "dir");
    onTestFinished(() => removeProject(dir));
    const found = await discoverMonitorFiles(dir, "monitors/**/*.ts");
    const result = await bundleMonitors(dir, found, path.join(dir, "node_modules/.cache/vigil/test.mjs"));
    expect(result.diagnostics.map((d) => `${path.basename(d.location!.file)}:${d.location?.line}:${d.location?.column} ${d.code}`).sort()).toEqual([
      "c.ts:1:18 syntax-error",
      "real.ts:1:18 syntax-error",
    ]);
    expect(bundled(result.bundle?.code)).toEqual(["monitors/a.ts"]);
  });

  it("in the base repository: a broken teams file, which every service imports, is reported once", async () => {
    const dir = await project({ ...BASE_FILES, "monitors/teams.ts": `${BASE_FILES["monitors/teams.ts"]}export const oops = ;\n` });
    const result = await compile({ cwd: dir });
    expect(result.diagnostics.filter((d) => d.code === "syntax-error").map(where)).toEqual(["monitors/teams.ts:6:21 syntax-error"]);
    expect(result.files).toEqual([]);
  });
});

describe("the cost and the limits", () => {
  it("a repository without errors is bundled once", async () => {
    const { result } = await bundle({ "monitors/a.ts": TEAM, "monitors/b.ts": svc("b"), "monitors/c.ts": svc("c", `import { payments } from "./a";\nconsole.log(payments);\n`) });
    expect(result.diagnostics).toEqual([]);
    expect(result.builds).toBe(1);
    expect(bundled(result.bundle?.code)).toEqual(["monitors/a.ts", "monitors/b.ts", "monitors/c.ts"]);
  });

  it("a file deleted after it was found: reported once, the others bundled", async () => {
    const dir = await project({ "monitors/a.ts": `export const a = 1;\n`, "monitors/c.ts": `export const c = 3;\n` });
    const files = ["a", "gone", "c"].map((name) => path.join(dir, `monitors/${name}.ts`));
    const result = await bundleMonitors(dir, files, path.join(dir, "node_modules/.cache/vigil/test.mjs"));
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([["import-not-found", `Could not resolve ${JSON.stringify(files[1])}`]]);
    expect(bundled(result.bundle?.code)).toEqual(["monitors/a.ts", "monitors/c.ts"]);
    expect(result.builds).toBe(2);
  });

  it("a syntax error in the config stops there: no monitor is loaded or judged", async () => {
    const dir = await project({ ...BASE_FILES, "vigil.config.ts": `${BASE_FILES["vigil.config.ts"]}const x = ;\n`, "monitors/checkout.ts": INVALID_DURATION });
    const result = await compile({ cwd: dir });
    expect(result.diagnostics.map(where)).toEqual(["vigil.config.ts:3:11 syntax-error"]);
  });

  it("under --sandbox, the parent's bundler reports the syntax error and the rest is still judged", async () => {
    const dir = await project({ ...BASE_FILES, "monitors/checkout.ts": INVALID_DURATION, "monitors/broken.ts": "const x = ;\n" });
    const result = await compileInSandbox({ cwd: dir });
    expect(result.diagnostics.filter((d) => d.severity === "error").map(where)).toEqual([
      "monitors/broken.ts:1:11 syntax-error",
      "monitors/checkout.ts:12:12 invalid-duration",
    ]);
    expect(result.files).toEqual([]);
    expect(await readdir(dir)).not.toContain("generated");
  });
});
