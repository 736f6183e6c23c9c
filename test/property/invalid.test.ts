import fc from "fast-check";
import { rm, stat } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProject, removeProject, snapshotDir, writeFiles } from "../helpers/project.js";
import { renderSet } from "./files.js";
import { runMain } from "./main.js";
import { monitorSetArb } from "./monitor-set.js";
import { MUTATIONS } from "./mutations.js";
import { propertyRuns, propertySeed } from "./seed.js";

/**
 * A valid set broken by one mutation: `vigil compile` (the CLI entry, in-process) must answer
 * with error diagnostics and exit code 1, never an internal error, and leave `generated/` as it
 * was: absent stays absent, a previous output stays byte for byte.
 */

const SEED = propertySeed("property/invalid");
const RUNS = propertyRuns(3);

/** Output of an earlier compile, as far as this test is concerned. */
const PREVIOUS = {
  "generated/prometheus/payments/old.rules.yaml": "groups: []\n",
  "generated/README.md": "kept by hand\n",
};

const exists = (p: string) => stat(p).then(() => true, () => false);

let base: string;
let count = 0;

beforeAll(async () => {
  base = await makeProject({});
});
afterAll(() => removeProject(base));

describe("random invalid monitor sets", () => {
  for (const [m, mutation] of MUTATIONS.entries()) {
    it(`${mutation.name}: errors (${mutation.expect.join(" or ")}), exit 1, nothing written`, async () => {
      await fc.assert(
        fc.asyncProperty(monitorSetArb, fc.nat(), fc.boolean(), async (set, pick, previous) => {
          const dir = path.join(base, "sets", String(count++));
          const mutated = mutation.apply(set, pick);
          const files = renderSet("set" in mutated ? mutated.set : mutated);
          if ("files" in mutated) mutated.files(files);
          await writeFiles(dir, { ...files, ...(previous ? PREVIOUS : {}) });
          const before = await snapshotDir(path.join(dir, "generated"));

          const run = await runMain(["compile", "--cwd", dir, "--format", "json"]);

          expect(run.stderr).not.toContain("internal error");
          expect(run.code).toBe(1);
          const errors = (JSON.parse(run.stdout) as { severity: string; code: string }[]).filter((d) => d.severity === "error").map((d) => d.code);
          expect(errors.filter((c) => mutation.expect.includes(c)), `errors: ${errors.join(", ")}`).not.toEqual([]);
          expect(await snapshotDir(path.join(dir, "generated"))).toEqual(before);
          if (!previous) expect(await exists(path.join(dir, "generated"))).toBe(false);
          await rm(dir, { recursive: true, force: true });
        }),
        { seed: SEED + m, numRuns: RUNS, endOnFailure: true },
      );
    });
  }
});
