import fc from "fast-check";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkConfig } from "../../src/tools/amtool.js";
import { checkRules } from "../../src/tools/promtool.js";
import { makeProject, removeProject, writeFiles } from "../helpers/project.js";
import { compile, type CompileResult } from "../helpers/vigil.js";
import { renderSet } from "./files.js";
import { monitorSetArb, type MonitorSet } from "./monitor-set.js";
import { propertyRuns, propertySeed } from "./seed.js";
import { shuffledOrder } from "./source.js";

/**
 * Random valid monitor repositories, compiled in-process by the built pipeline. Batched: every
 * set is compiled once, then promtool checks all their rule files in one run and amtool each
 * Alertmanager config, which keeps the suite to seconds instead of a process per set.
 */

const SEED = propertySeed("property/valid");
const RUNS = propertyRuns(30);
/** Sets recompiled for determinism (as is, and with every object literal's keys shuffled). */
const RECOMPILED = Math.min(RUNS, 10);

let base: string;
let sets: MonitorSet[];
let results: CompileResult[];

const setDir = (i: number, variant = "") => path.join(base, "sets", `${i}${variant}`);
const bytes = (r: CompileResult) => Object.fromEntries(r.files.map((f) => [f.path, f.content]));
const label = (i: number) => `set ${i} of seed ${SEED}`;

beforeAll(async () => {
  base = await makeProject({});
  sets = fc.sample(monitorSetArb, { seed: SEED, numRuns: RUNS });
  results = [];
  // One after the other: each compile imports its monitors into this process.
  for (const [i, set] of sets.entries()) {
    await writeFiles(setDir(i), renderSet(set));
    results.push(await compile({ cwd: setDir(i) }));
  }
});

afterAll(() => removeProject(base));

describe(`random valid monitor sets (${RUNS})`, () => {
  it("are lint-clean: no diagnostics at all, and output to write", () => {
    for (const [i, result] of results.entries()) {
      expect(result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.file}:${d.location?.line}: ${d.message}`), label(i)).toEqual([]);
      expect(result.files.some((f) => f.path.endsWith(".rules.yaml")) || !sets[i]!.services.some((s) => s.value.alerts || s.value.slos), label(i)).toBe(true);
    }
  });

  it("produce rule files that promtool check rules --lint-fatal accepts (one run over all sets)", async () => {
    const tree = path.join(base, "rules");
    const ruleFiles: string[] = [];
    for (const [i, result] of results.entries()) {
      for (const file of result.files.filter((f) => f.path.endsWith(".rules.yaml"))) {
        const target = path.join(tree, String(i), file.path);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, file.content);
        ruleFiles.push(target);
      }
    }
    expect(ruleFiles.length).toBeGreaterThan(RUNS);
    const checked = await checkRules(ruleFiles);
    expect(checked.stderr + checked.stdout, `seed ${SEED}`).not.toMatch(/FAILED|error/i);
    expect(checked.code).toBe(0);
  });

  it("produce an Alertmanager config that amtool check-config accepts, for each set", async () => {
    for (const [i, result] of results.entries()) {
      const config = result.files.find((f) => f.path === "alertmanager/alertmanager.yaml");
      expect(config, label(i)).toBeDefined();
      const file = path.join(base, "alertmanager", `${i}.yml`);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, config!.content);
      const checked = await checkConfig(file);
      expect({ code: checked.code, output: checked.code === 0 ? "" : checked.stdout + checked.stderr }, label(i)).toEqual({ code: 0, output: "" });
    }
  });

  it(`compile to identical bytes again, and whatever the key order of their object literals (${RECOMPILED} sets)`, async () => {
    for (let i = 0; i < RECOMPILED; i++) {
      const again = await compile({ cwd: setDir(i) });
      expect(bytes(again), label(i)).toEqual(bytes(results[i]!));

      await writeFiles(setDir(i, "-shuffled"), renderSet(sets[i]!, shuffledOrder(SEED + i)));
      const shuffled = await compile({ cwd: setDir(i, "-shuffled") });
      expect(shuffled.diagnostics, label(i)).toEqual([]);
      expect(bytes(shuffled), `${label(i)}, keys shuffled`).toEqual(bytes(results[i]!));
    }
  });
});
