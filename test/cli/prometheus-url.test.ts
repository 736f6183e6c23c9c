import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { BASE_FILES, tempProjects } from "../helpers/project.js";
import { freePort } from "../e2e/harness/index.js";

/**
 * Commands that read a Prometheus take --prometheus, else $VIGIL_PROMETHEUS_URL, else
 * prometheus.url. CI passes a secret that is not defined as an empty variable: that is unset.
 */
const project = tempProjects();

describe("the Prometheus that status, backtest and tune read", () => {
  it("is prometheus.url when $VIGIL_PROMETHEUS_URL is empty", async () => {
    const configured = `http://127.0.0.1:${await freePort()}`;
    const dir = await project({
      ...BASE_FILES,
      "vigil.config.ts": `import { defineConfig } from "vigil";\nexport default defineConfig({ monitors: "monitors/**/*.ts", prometheus: { url: "${configured}" } });\n`,
    });
    const empty = { VIGIL_PROMETHEUS_URL: "" };
    for (const args of [["status"], ["backtest", "--end", "1767225600"], ["tune", "up", "--end", "1767225600"]]) {
      const result = await runCli(args, dir, empty);
      // Before: "which Prometheus?" / "no Prometheus to read history from". Now it tries the configured one, which is down.
      expect(result.stderr, args[0]).toContain(configured);
      expect(result.stderr, args[0]).not.toMatch(/which Prometheus|no Prometheus to read/);
    }
    // The variable still wins when it has a value.
    const other = `http://127.0.0.1:${await freePort()}`;
    expect((await runCli(["status"], dir, { VIGIL_PROMETHEUS_URL: other })).stderr).toContain(other);
  });
});
