import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { BASE_FILES, makeProject, removeProject, REPO_ROOT } from "../helpers/project.js";

let dir: string;

beforeAll(async () => {
  dir = await makeProject(BASE_FILES);
});

afterAll(async () => {
  if (dir) await removeProject(dir);
});

it("vigil compile --watch prints a line per compile, the diagnostics when broken, and stops on SIGTERM", async () => {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, "bin/vigil.js"), "compile", "--watch"], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
  let stderr = "";
  let stdout = "";
  let check: (() => void) | undefined;
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
    check?.();
  });
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
    check?.();
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  /** Waits for the output (both streams) to match, after `from` characters of stderr. */
  const waitFor = (pattern: RegExp, from: number) =>
    new Promise<void>((resolve) => {
      check = () => {
        if (pattern.test(stderr.slice(from))) {
          check = undefined;
          resolve();
        }
      };
      check();
    });
  try {
    await waitFor(/watching for changes/, 0);
    expect(stderr).toMatch(/compiled in \d+ ms: \d+ files changed/);

    const file = path.join(dir, "monitors/checkout.ts");
    const good = await readFile(file, "utf8");
    let seen = stderr.length;
    await writeFile(file, good.replace('for: "5m"', 'for: "6m"'));
    await waitFor(/compiled in \d+ ms: [1-9]\d* files? changed\n/, seen);
    expect(await readFile(path.join(dir, "generated/prometheus/payments/checkout.rules.yaml"), "utf8")).toContain("for: 6m");

    seen = stderr.length;
    await writeFile(file, good.replace('for: "5m"', 'for: "six minutes"'));
    await waitFor(/\d+ errors?/, seen);
    expect(stdout).toContain("[invalid-duration]");
    expect(await readFile(path.join(dir, "generated/prometheus/payments/checkout.rules.yaml"), "utf8")).toContain("for: 6m");
  } finally {
    // Exactly this process, by its PID.
    child.kill("SIGTERM");
  }
  expect(await exited).toBe(0);
});
