import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { BASE_FILES, makeProject, removeProject } from "../helpers/project.js";

/** Warnings fail `vigil lint` and `vigil check` only beyond --max-warnings. */
describe("--max-warnings", () => {
  let dir: string;
  beforeAll(async () => {
    // One warning: a declared gauge nobody queries.
    dir = await makeProject({
      ...BASE_FILES,
      "monitors/checkout.ts": BASE_FILES["monitors/checkout.ts"]!.replace('import { counter, defineService } from "vigil";', 'import { counter, defineService, gauge } from "vigil";').replace("metrics: [requests],", 'metrics: [requests, gauge("checkout_queue_depth")],'),
    });
  });
  afterAll(() => removeProject(dir));

  it("passes with the warning when no limit is set, and within the limit", async () => {
    const plain = await runCli(["lint"], dir);
    expect(plain.stdout).toContain("[unused-metric]");
    expect(plain.code).toBe(0);
    expect((await runCli(["lint", "--max-warnings", "1"], dir)).code).toBe(0);
  });

  it("fails beyond the limit, saying why, for lint and check alike", async () => {
    const lint = await runCli(["lint", "--max-warnings", "0"], dir);
    expect(lint.code).toBe(1);
    expect(lint.stderr).toContain("1 warning, more than --max-warnings 0 allows");
    const check = await runCli(["check", "--no-typecheck", "--max-warnings", "0", "--format", "github"], dir);
    expect(check.stdout).toMatch(/^::warning file=monitors\/checkout\.ts,line=\d+,col=\d+,title=unused-metric::/m);
    expect(check.code).toBe(1);
  });

  it("refuses a limit that is not a whole number (usage error, exit 2)", async () => {
    const bad = await runCli(["lint", "--max-warnings", "some"], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("expected a whole number");
  });
});
