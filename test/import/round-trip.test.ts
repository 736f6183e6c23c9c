import { readFile } from "node:fs/promises";
import path from "node:path";
import { glob } from "tinyglobby";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runCli, type CliResult } from "../helpers/cli.js";
import { makeProject, removeProject, REPO_ROOT } from "../helpers/project.js";

/**
 * The "done when": importing the example repository's generated rule files and
 * compiling the imported monitors gives the same rules. Compared: the parsed YAML of every
 * declared rule file (`<team>/<service>.rules.yaml`), whole: group names and intervals, and
 * each rule's record or alert name, expr, for, keep_firing_for, labels (team, service and
 * severity included: Vigil adds them back) and annotations (summary, description, runbook_url
 * and dashboard_url, kept as annotations). SLO rule files are Vigil's SLO output, which the
 * importer names in a comment and a warning instead of importing (SLOs are declared, not rules).
 */
/**
 * Rule files carry no runbooks, and one example alert pages without `for`: the lint rules that
 * judge that content, not the import, warn here instead of failing.
 */
export const IMPORTED_CONFIG = `import { defineConfig } from "vigil";
export default defineConfig({
  monitors: "monitors/**/*.ts",
  lint: { rules: { "runbook-missing-steps": "warn", "paging-alert-for": "warn" } },
});
`;

describe("vigil import prometheus-rules: round trip of the examples", () => {
  let dir: string;
  let imported: CliResult;
  const generated = path.join(REPO_ROOT, "generated");

  beforeAll(async () => {
    dir = await makeProject({ "vigil.config.ts": IMPORTED_CONFIG });
    imported = await runCli(["import", "prometheus-rules", "generated/prometheus", "--out", path.join(dir, "monitors")], REPO_ROOT);
  });
  afterAll(() => removeProject(dir));

  it("imports every service and compiles", async () => {
    expect(imported.code, imported.stderr).toBe(0);
    const compiled = await runCli(["compile"], dir);
    expect(compiled.code, compiled.stdout + compiled.stderr).toBe(0);
  });

  it("gives the same declared rule files", async () => {
    const files = (await glob("prometheus/**/*.rules.yaml", { cwd: generated })).filter((f) => !f.endsWith(".slo.rules.yaml")).sort();
    expect(files.length).toBe(8);
    for (const file of files) {
      const original = parse(await readFile(path.join(generated, file), "utf8")) as unknown;
      const again = parse(await readFile(path.join(dir, "generated", file), "utf8")) as unknown;
      expect(again, file).toEqual(original);
    }
  });

  it("names every SLO rule group it leaves out, on stderr and in the monitor", async () => {
    const sloFiles = await glob("prometheus/**/*.slo.rules.yaml", { cwd: generated });
    for (const file of sloFiles) {
      const { groups } = parse(await readFile(path.join(generated, file), "utf8")) as { groups: { name: string }[] };
      const service = path.basename(file, ".slo.rules.yaml");
      const monitor = await readFile(path.join(dir, "monitors", path.dirname(file).replace(/^prometheus\//, ""), `${service}.ts`), "utf8");
      for (const group of groups.filter((g) => !g.name.endsWith(".alerts"))) {
        expect(imported.stderr).toContain(`group "${group.name}"`);
        expect(monitor).toContain(`group "${group.name}"`);
      }
    }
    expect(await glob("prometheus/**/*.slo.rules.yaml", { cwd: path.join(dir, "generated") })).toEqual([]);
  });

  it("passes vigil check (types included)", async () => {
    const checked = await runCli(["check"], dir);
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
  });
});
