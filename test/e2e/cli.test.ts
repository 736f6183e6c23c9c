import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { makeProject, REPO_ROOT, removeProject, snapshotDir } from "../helpers/project.js";

/** The `vigil` binary on a copy of the example repository, as a user runs it. */
describe("vigil CLI on the examples", () => {
  let dir: string;
  let committed: Record<string, string>;

  beforeAll(async () => {
    dir = await makeProject({});
    for (const entry of ["monitors", "vigil.config.ts", "generated"]) await cp(path.join(REPO_ROOT, entry), path.join(dir, entry), { recursive: true });
    committed = await snapshotDir(path.join(dir, "generated"));
  });
  afterAll(() => removeProject(dir));

  const generated = () => snapshotDir(path.join(dir, "generated"));
  const edit = async (file: string, change: (text: string) => string) => {
    const target = path.join(dir, file);
    const before = await readFile(target, "utf8");
    await writeFile(target, change(before));
    return () => writeFile(target, before);
  };

  it("compiles to exactly the committed generated/ (it is fresh), twice in a row", async () => {
    const first = await runCli(["compile"], dir);
    expect(first.code, first.stderr).toBe(0);
    expect(await generated()).toEqual(committed);
    const second = await runCli(["compile"], dir);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain("up to date");
    expect(await generated()).toEqual(committed);
  });

  it("places warnings at their declaration in compile, and at the exact property in lint", async () => {
    const source = await readFile(path.join(dir, "monitors/platform/orders-postgres.ts"), "utf8");
    const lineOf = (needle: string) => source.slice(0, source.indexOf(needle)).split("\n").length;
    const compiled = await runCli(["compile"], dir);
    const linted = await runCli(["lint"], dir);
    expect(compiled.stdout).toContain(`monitors/platform/orders-postgres.ts:${lineOf("defineService(")}:`);
    expect(linted.stdout).toContain(`monitors/platform/orders-postgres.ts:${lineOf('name: "replica-freshness"')}:`);
    expect(linted.stdout).toContain("[slo-tests-not-generated]");
  });

  it("check passes on the examples, type check included", async () => {
    const checked = await runCli(["check"], dir);
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
  });

  it.each([
    ["a syntax error", "monitors/payments/checkout-api.ts", (t: string) => t.replace("defineService({", "defineService({{"), "syntax-error"],
    ["a duration in words", "monitors/payments/checkout-api.ts", (t: string) => t.replace(/for: "\d+m"/, 'for: "five minutes"'), "invalid-duration"],
  ])("on %s: exits 1, names file and line, leaves generated/ untouched", async (_what, file, change, code) => {
    const restore = await edit(file, change);
    try {
      const result = await runCli(["compile"], dir);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(new RegExp(`${file.replace(/[.]/g, "\\.")}:\\d+:\\d+\\s+error\\s.*\\[${code}\\]`));
      expect(result.stderr).toContain("nothing written");
      expect(await generated()).toEqual(committed);
    } finally {
      await restore();
    }
  });

  it("on a copied service file: exits 1 naming both files, leaves generated/ untouched", async () => {
    await cp(path.join(dir, "monitors/payments/checkout-api.ts"), path.join(dir, "monitors/payments/checkout-api-copy.ts"));
    try {
      const result = await runCli(["compile", "--format", "json"], dir);
      expect(result.code).toBe(1);
      const diagnostics = JSON.parse(result.stdout) as { code: string; location: { file: string; line: number }; related?: { location: { file: string } }[] }[];
      const duplicate = diagnostics.find((d) => d.code === "duplicate-service");
      expect(duplicate?.location.file).toMatch(/^monitors\/payments\/checkout-api(-copy)?\.ts$/);
      expect(duplicate?.location.line).toBeGreaterThan(0);
      expect(duplicate?.related?.[0]?.location.file).toMatch(/^monitors\/payments\/checkout-api(-copy)?\.ts$/);
      expect(await generated()).toEqual(committed);
    } finally {
      await removeProject(path.join(dir, "monitors/payments/checkout-api-copy.ts"));
    }
  });

  it("check fails naming each stale file, and writes nothing", async () => {
    const restore = await edit("monitors/payments/checkout-api.ts", (t) => t.replace(/summary: "([A-Z])/, 'summary: "Changed. $1'));
    try {
      const result = await runCli(["check", "--no-typecheck"], dir);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/generated\/prometheus\/payments\/checkout-api\.rules\.yaml differs.*\[output-changed\]/);
      expect(result.stdout).toMatch(/generated\/runbooks\/payments\/checkout-api\.md differs/);
      expect(await generated()).toEqual(committed);
    } finally {
      await restore();
    }
  });

  it("keeps files in generated/ that Vigil did not write, and removes the ones it no longer writes", async () => {
    await writeFile(path.join(dir, "generated/NOTES.md"), "my own notes\n");
    const restore = await edit("monitors/payments/stripe-gateway.ts", (t) => t.replace(/name: "stripe-gateway"/, 'name: "stripe"'));
    try {
      const result = await runCli(["compile"], dir);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const after = await generated();
      expect(after["NOTES.md"]).toBe("my own notes\n");
      expect(Object.keys(after).some((f) => f.includes("stripe-gateway.rules.yaml"))).toBe(false);
      expect(Object.keys(after).some((f) => f.endsWith("/stripe.rules.yaml"))).toBe(true);
    } finally {
      await restore();
      await runCli(["compile"], dir);
    }
    const { "NOTES.md": notes, ...rest } = await generated();
    expect(notes).toBe("my own notes\n");
    expect(rest).toEqual(committed);
  });

  // promtool runs every generated test of the examples: about 40 s on two cores.
  it("runs promtool and amtool through `vigil test`", { timeout: 300_000 }, async () => {
    const result = await runCli(["test"], dir);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stderr).toMatch(/promtool check rules: \d+ files ok/);
    expect(result.stderr).toMatch(/promtool test rules: (\d+)\/\1 files ok/);
    expect(result.stderr).toMatch(/amtool routes: (\d+)\/\1 cases ok/);
  });

  it("`vigil test` does not test when the monitors do not compile: their errors, exit 1", async () => {
    const restore = await edit("monitors/payments/checkout-api.ts", (t) => t.replace(/for: "5m"/, 'for: "ten minutes"'));
    try {
      const result = await runCli(["test"], dir);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/monitors\/payments\/checkout-api\.ts:\d+:\d+\s+error\s.*\[invalid-duration\]/);
      expect(result.stderr).toContain("not tested");
      expect(result.stderr).not.toMatch(/promtool|amtool/);
    } finally {
      await restore();
    }
  });

  it("`vigil test` does not test files the monitors no longer compile to: each named, exit 1", async () => {
    const restore = await edit("monitors/payments/checkout-api.ts", (t) => t.replace(/summary: "([A-Z])/, 'summary: "Changed. $1'));
    try {
      const result = await runCli(["test"], dir);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/generated\/prometheus\/payments\/checkout-api\.rules\.yaml differs.*\[output-changed\]/);
      expect(result.stdout).toContain("run `vigil compile` first");
      expect(result.stderr).not.toMatch(/promtool|amtool/);
    } finally {
      await restore();
    }
  });

  it("exits 2 on a usage error", async () => {
    expect((await runCli(["compile", "--format", "xml"], dir)).code).toBe(2);
    expect((await runCli(["frobnicate"], dir)).code).toBe(2);
  });

  it("prints GitHub annotations with --format github", async () => {
    const restore = await edit("monitors/payments/checkout-api.ts", (t) => t.replace(/for: "\d+m"/, 'for: "soon"'));
    try {
      const result = await runCli(["lint", "--format", "github"], dir);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^::error file=monitors\/payments\/checkout-api\.ts,line=\d+,col=\d+,title=invalid-duration::/m);
    } finally {
      await restore();
    }
  });
});

describe("vigil compile when the output cannot be written", () => {
  it("exits 1 with output-write-failed, not as a bug", async () => {
    const { BASE_FILES } = await import("../helpers/project.js");
    const dir = await makeProject({
      ...BASE_FILES,
      "vigil.config.ts": `import { defineConfig } from "vigil";\nexport default defineConfig({ outDir: "blocker/generated" });\n`,
      blocker: "a file where a directory should be\n",
    });
    try {
      const result = await runCli(["compile"], dir);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain("[output-write-failed]");
      expect(result.stderr).not.toContain("this is a bug");
      expect(await readFile(path.join(dir, "blocker"), "utf8")).toBe("a file where a directory should be\n");
    } finally {
      await removeProject(dir);
    }
  });
});
