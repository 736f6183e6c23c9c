import { afterEach, describe, expect, it } from "vitest";
import { MissingToolError, runTool } from "../../src/tools/run.js";

describe("runTool", () => {
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
  });

  it("says how to install a tool that is missing", async () => {
    process.env.PATH = "/nonexistent";
    const failure = runTool("promtool", ["--version"]);
    await expect(failure).rejects.toBeInstanceOf(MissingToolError);
    await expect(failure).rejects.toThrow("promtool is not installed or not on PATH: apt-get install -y prometheus");
    await expect(runTool("amtool", ["--version"])).rejects.toThrow("apt-get install -y prometheus-alertmanager");
  });

  it("returns the exit code and output of a tool that runs", async () => {
    const ok = await runTool("promtool", ["--version"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout + ok.stderr).toMatch(/promtool, version 2\.\d+/);
    const failed = await runTool("promtool", ["check", "rules", "/nonexistent.yaml"]);
    expect(failed.code).not.toBe(0);
  });
});
