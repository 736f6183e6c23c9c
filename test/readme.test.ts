import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "./helpers/vigil.js";
import { makeProject, REPO_ROOT, removeProject } from "./helpers/project.js";

/** The monitors shown in README.md compile as a new user would copy them. */
describe("README example", () => {
  let dir: string | undefined;
  afterAll(() => dir && removeProject(dir));

  it("compiles without diagnostics", async () => {
    const readme = await readFile(path.join(REPO_ROOT, "README.md"), "utf8");
    const files: Record<string, string> = {};
    for (const [, code] of readme.matchAll(/```ts\n(\/\/ (\S+)\n[\s\S]*?)```/g)) {
      const name = /^\/\/ (\S+)/.exec(code!)![1]!;
      files[name] = code!;
    }
    expect(Object.keys(files).sort()).toEqual(["monitors/payments/checkout.ts", "monitors/teams.ts", "vigil.config.ts"]);
    dir = await makeProject(files);
    const result = await compile({ cwd: dir });
    expect(result.diagnostics).toEqual([]);
    const rules = result.files.find((f) => f.path === "prometheus/payments/checkout.rules.yaml");
    expect(rules?.content).toContain("alert: CheckoutHighErrorRate");
    expect(rules?.content).toContain("runbook_url: https://github.com/acme/monitoring/blob/main/generated/runbooks/payments/checkout.md#checkouthigherrorrate");
  });
});
