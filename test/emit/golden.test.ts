import { readFile, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../helpers/vigil.js";
import { REPO_ROOT, snapshotDir } from "../helpers/project.js";

const FIXTURE = path.join(REPO_ROOT, "test/fixtures/basic");
const GOLDEN = path.join(FIXTURE, "generated");

/**
 * Every emitted file of a small, feature-complete fixture, byte for byte. After an intended
 * change of output: `UPDATE_GOLDEN=1 npx vitest run test/emit/golden.test.ts`, then review the diff.
 */
describe("golden output of test/fixtures/basic", () => {
  it("matches the committed files exactly", async () => {
    const result = await compile({ cwd: FIXTURE });
    expect(result.diagnostics).toEqual([]);
    const produced = Object.fromEntries(result.files.map((f) => [f.path, f.content]));
    if (process.env.UPDATE_GOLDEN) {
      for (const [file, content] of Object.entries(produced)) {
        await mkdir(path.dirname(path.join(GOLDEN, file)), { recursive: true });
        await writeFile(path.join(GOLDEN, file), content);
      }
    }
    const golden = await snapshotDir(GOLDEN);
    expect(Object.keys(produced).sort()).toEqual(Object.keys(golden).sort());
    for (const [file, content] of Object.entries(produced)) expect(content, file).toBe(golden[file]);
  });

  it("is byte-identical on a second compile", async () => {
    const [a, b] = [await compile({ cwd: FIXTURE }), await compile({ cwd: FIXTURE })];
    expect(b.files).toEqual(a.files);
  });

  it("writes LF line endings, a final newline and no timestamps", async () => {
    const golden = await snapshotDir(GOLDEN);
    for (const [file, content] of Object.entries(golden)) {
      expect(content.endsWith("\n"), file).toBe(true);
      expect(content.includes("\r"), file).toBe(false);
      expect(content, file).not.toMatch(/20\d\d-\d\d-\d\dT\d\d:/);
    }
  });

  it("records every file with its hash and sources in the manifest", async () => {
    const manifest = JSON.parse(await readFile(path.join(GOLDEN, "manifest.json"), "utf8")) as {
      files: { path: string; sha256: string; sources: string[] }[];
    };
    const golden = await snapshotDir(GOLDEN);
    const { createHash } = await import("node:crypto");
    expect(manifest.files.map((f) => f.path).sort()).toEqual(Object.keys(golden).filter((f) => f !== "manifest.json").sort());
    for (const entry of manifest.files) {
      expect(entry.sha256, entry.path).toBe(createHash("sha256").update(golden[entry.path]!).digest("hex"));
    }
    const rules = manifest.files.find((f) => f.path === "prometheus/payments/checkout.rules.yaml");
    expect(rules?.sources).toEqual(["monitors/payments/checkout.ts", "monitors/teams.ts"]);
  });
});
