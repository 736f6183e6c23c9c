import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeOutput } from "../src/output/write.js";
import { testRules } from "../src/tools/promtool.js";
import { compile } from "./helpers/vigil.js";
import { makeProject, REPO_ROOT, removeProject } from "./helpers/project.js";

/** What README.md shows, compiled as a new user would copy it. */
async function readmeFiles(): Promise<{ files: Record<string, string>; slos: string }> {
  const readme = await readFile(path.join(REPO_ROOT, "README.md"), "utf8");
  const files: Record<string, string> = {};
  for (const [, code] of readme.matchAll(/```ts\n(\/\/ (\S+)\n[\s\S]*?)```/g)) {
    files[/^\/\/ (\S+)/.exec(code!)![1]!] = code!;
  }
  const slos = /```ts\n\/\/ in defineService\(\{ \.\.\. \}\)\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!slos) throw new Error("README has no SLO example");
  return { files, slos };
}

describe("README examples", () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => removeProject(d))));

  it("compile without diagnostics", async () => {
    const { files } = await readmeFiles();
    expect(Object.keys(files).sort()).toEqual(["monitors/payments/checkout.ts", "monitors/teams.ts", "vigil.config.ts"]);
    const dir = await makeProject(files);
    dirs.push(dir);
    const result = await compile({ cwd: dir });
    expect(result.diagnostics).toEqual([]);
    const rules = result.files.find((f) => f.path === "prometheus/payments/checkout.rules.yaml");
    expect(rules?.content).toContain("alert: CheckoutHighErrorRate");
    expect(rules?.content).toContain("runbook_url: https://github.com/acme/monitoring/blob/main/generated/runbooks/payments/checkout.md#checkouthigherrorrate");
  });

  it("turn the README's SLOs into the Workbook's windows and factors, and their generated tests pass", async () => {
    const { files, slos } = await readmeFiles();
    const service = files["monitors/payments/checkout.ts"]!.replace("  alerts: [", `${slos.trimEnd()}\n  alerts: [`);
    const dir = await makeProject({ ...files, "monitors/payments/checkout.ts": service });
    dirs.push(dir);
    const result = await compile({ cwd: dir });
    expect(result.diagnostics).toEqual([]);
    const rules = result.files.find((f) => f.path === "prometheus/payments/checkout.slo.rules.yaml")!.content;
    for (const [long, short, threshold] of [["1h", "5m", "(14.4 * 0.001)"], ["6h", "30m", "(6 * 0.001)"], ["1d", "2h", "(3 * 0.001)"], ["3d", "6h", "(1 * 0.001)"]]) {
      expect(rules).toContain(`slo:sli_error:ratio_rate${long}{slo="availability", service="checkout"} > ${threshold}`);
      expect(rules).toContain(`slo:sli_error:ratio_rate${short}{slo="availability", service="checkout"} > ${threshold}`);
    }
    for (const threshold of ["(13.44 * 0.01)", "(5.6 * 0.01)", "(2.8 * 0.01)", "(0.93333 * 0.01)"]) {
      expect(rules).toContain(`{slo="latency", service="checkout"} > ${threshold}`);
    }
    const out = await mkdtemp(path.join(tmpdir(), "vigil-readme-"));
    try {
      await writeOutput(out, result.files);
      const tested = await testRules([path.join(out, "prometheus/payments/checkout.test.yaml")]);
      expect(tested.code, tested.stdout + tested.stderr).toBe(0);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
