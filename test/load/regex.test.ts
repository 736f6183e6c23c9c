import { readdir } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { discoverMonitorFiles } from "../../dist/load/discover.js";
import { loadFiles } from "../../dist/load/load.js";
import { scriptErrorSite } from "../../dist/load/parse-error.js";
import { compileInSandbox } from "../../dist/sandbox/run.js";
import { runCli } from "../helpers/cli.js";
import { BASE_FILES, tempProjects } from "../helpers/project.js";
import { compile } from "../helpers/vigil.js";

/**
 * esbuild does not check regular expression literals; Node does, when it parses the whole
 * bundle, and its SyntaxError names no file. Such an error must be reported at the literal in
 * its monitor file, and the other files still loaded and judged.
 */
const project = tempProjects();

type Located = { code: string; message: string; location?: { file: string; line: number; column: number } };
const where = (d: Located) => `${d.location?.file}:${d.location?.line}:${d.location?.column} ${d.code}`;
const errors = (diagnostics: (Located & { severity: string })[]) => diagnostics.filter((d) => d.severity === "error").map(where);

const INVALID_DURATION = BASE_FILES["monitors/checkout.ts"]!.replace('for: "5m"', 'for: "ten minutes"');
/** A monitor whose regular expression does not parse: the literal is at line 4, column 47. */
const BAD_REGEX = `import { counter } from "vigil";
const requests = counter("http_requests_total", { labels: ["service", "code"] });

export const failing = requests.where({ code: /5(0/ });
`;
const MESSAGE = "Invalid regular expression: /5(0/: Unterminated group";

describe("an invalid regular expression literal", () => {
  it("is a syntax error at the literal, and another file's invalid duration is still reported, nothing written", async () => {
    const dir = await project({ ...BASE_FILES, "monitors/checkout.ts": INVALID_DURATION, "monitors/regex.ts": BAD_REGEX });
    const result = await compile({ cwd: dir });
    expect(errors(result.diagnostics)).toEqual(["monitors/checkout.ts:12:12 invalid-duration", "monitors/regex.ts:4:47 syntax-error"]);
    expect(result.diagnostics.find((d) => d.code === "syntax-error")?.message).toBe(MESSAGE);
    expect(result.files).toEqual([]);
    expect(await readdir(dir)).not.toContain("generated");
  });

  it("leaves out the files that import the broken one, and loads the rest", async () => {
    const dir = await project({
      ...BASE_FILES,
      "lib/patterns.ts": `export const ok = /ok/;\nexport const server = /5(0/u;\n`,
      "monitors/uses.ts": `import { server } from "../lib/patterns";\nexport const used = server;\n`,
      "monitors/other.ts": `export const fine = /x+/g;\n`,
    });
    const result = await loadFiles(dir, await discoverMonitorFiles(dir, "monitors/**/*.ts"));
    expect(result.diagnostics.map(where)).toEqual(["lib/patterns.ts:2:23 syntax-error"]);
    expect(result.diagnostics[0]!.message).toBe("Invalid regular expression: /5(0/u: Unterminated group");
    expect([...result.exports.keys()].sort()).toEqual(["monitors/checkout.ts", "monitors/other.ts", "monitors/teams.ts"]);
    expect(result.declarations.map((d) => d.kind).sort()).toEqual(["service", "team"]);
  });

  it("in two files: both are reported, each once, with an esbuild syntax error of a third", async () => {
    const dir = await project({
      ...BASE_FILES,
      "monitors/checkout.ts": INVALID_DURATION,
      "monitors/a.ts": `export const a = [\n  /a{2,1}/,\n];\n`,
      "monitors/b.ts": `export const b = 1;\nexport const c = "x".replace(/(?<n>a)(?<n>b)/, "");\n`,
      "monitors/c.ts": "const x = ;\n",
    });
    const result = await compile({ cwd: dir });
    expect(errors(result.diagnostics)).toEqual([
      "monitors/a.ts:2:3 syntax-error",
      "monitors/b.ts:2:30 syntax-error",
      "monitors/c.ts:1:11 syntax-error",
      "monitors/checkout.ts:12:12 invalid-duration",
    ]);
  });

  it("in the config stops there, at the literal", async () => {
    const config = `import { defineConfig } from "vigil";\nexport const pattern = /(/;\nexport default defineConfig({ monitors: "monitors/**/*.ts" });\n`;
    const dir = await project({ ...BASE_FILES, "vigil.config.ts": config, "monitors/checkout.ts": INVALID_DURATION });
    const result = await compile({ cwd: dir });
    expect(result.diagnostics.map(where)).toEqual(["vigil.config.ts:2:24 syntax-error"]);
  });

  it("is a syntax error at the literal under --sandbox too, and the rest is still judged", async () => {
    const dir = await project({ ...BASE_FILES, "monitors/checkout.ts": INVALID_DURATION, "monitors/regex.ts": BAD_REGEX });
    const result = await compileInSandbox({ cwd: dir });
    expect(errors(result.diagnostics)).toEqual(["monitors/checkout.ts:12:12 invalid-duration", "monitors/regex.ts:4:47 syntax-error"]);
    expect(result.files).toEqual([]);
  });

  it("makes the command exit 1, naming the file, writing nothing", async () => {
    const dir = await project({ ...BASE_FILES, "monitors/checkout.ts": INVALID_DURATION, "monitors/regex.ts": BAD_REGEX });
    const run = await runCli(["compile", "--format", "json"], dir);
    expect(run.code).toBe(1);
    const diagnostics = JSON.parse(run.stdout) as Located[];
    expect(diagnostics.map(where)).toEqual(["monitors/checkout.ts:12:12 invalid-duration", "monitors/regex.ts:4:47 syntax-error"]);
    expect(await readdir(dir)).not.toContain("generated");
  });
});

describe("the position of a parse error in the bundle", () => {
  const url = "file:///bundle.mjs";
  it("is found past esbuild's import and export statements and import.meta, on the first line too", () => {
    const code = [
      `import { a } from "vigil";`,
      `import * as fs from "node:fs";`,
      `import {`,
      `  b,`,
      `  c as d`,
      `} from "vigil";`,
      `var u = import.meta.url;`,
      `var t = \``,
      `import x from "y";`,
      `\`;`,
      `var r = { a: /x(/ };`,
      `export {`,
      `  u`,
      `};`,
    ].join("\n");
    expect(scriptErrorSite(code, url, "Invalid regular expression: /x(/: Unterminated group")).toEqual({ url, line: 11, column: 14 });
    expect(scriptErrorSite(`var r = /x(/;`, url, "Invalid regular expression: /x(/: Unterminated group")).toEqual({ url, line: 1, column: 9 });
  });

  it("is found on a line longer than Node underlines", () => {
    const code = `var s = "${"x".repeat(1100)}", r = /x(/g;`;
    expect(scriptErrorSite(code, url, "Invalid regular expression: /x(/g: Unterminated group")).toEqual({ url, line: 1, column: code.indexOf("/x(/g") + 1 });
  });

  it("is not guessed when the script fails otherwise, or not at all", () => {
    expect(scriptErrorSite(`var r = /x(/;`, url, "some other message")).toBeUndefined();
    expect(scriptErrorSite(`var r = /x/;`, url, "Invalid regular expression: /x(/: Unterminated group")).toBeUndefined();
  });
});
