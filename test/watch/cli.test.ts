import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { BASE_FILES, makeProject, removeProject, REPO_ROOT, saveAtomically } from "../helpers/project.js";

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
  const file = path.join(dir, "monitors/checkout.ts");
  const good = await readFile(file, "utf8");
  try {
    await waitFor(/watching for changes/, 0);
    expect(stderr).toMatch(/compiled in \d+ ms: \d+ files changed/);

    let seen = stderr.length;
    await saveAtomically(dir, file, good.replace('for: "5m"', 'for: "6m"'));
    await waitFor(/compiled in \d+ ms: [1-9]\d* files? changed\n/, seen);
    expect(await readFile(path.join(dir, "generated/prometheus/payments/checkout.rules.yaml"), "utf8")).toContain("for: 6m");

    seen = stderr.length;
    await saveAtomically(dir, file, good.replace('for: "5m"', 'for: "six minutes"'));
    await waitFor(/\d+ errors?/, seen);
    expect(stdout).toContain("[invalid-duration]");
    expect(await readFile(path.join(dir, "generated/prometheus/payments/checkout.rules.yaml"), "utf8")).toContain("for: 6m");
  } finally {
    // Exactly this process, by its PID.
    child.kill("SIGTERM");
    await writeFile(file, good);
  }
  expect(await exited).toBe(0);
});

/** Runs `vigil compile --watch ARGS...` in the project; `waitFor` resolves when its output (both streams) matches. */
function watchProcess(args: string[]) {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, "bin/vigil.js"), "compile", "--watch", ...args], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
  let output = "";
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of waiters) waiter();
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  // Within a minute, or the test fails (and its finally stops the process).
  const waitFor = (pattern: RegExp, from = 0) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no ${pattern} in:\n${output.slice(from)}`));
      }, 60_000);
      const check = () => {
        if (pattern.test(output.slice(from))) {
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        }
      };
      waiters.add(check);
      check();
    });
  return { child, exited, waitFor, output: () => output };
}

it("vigil compile --watch --timeout stops a monitor that never returns, reports it and keeps watching", async () => {
  const file = path.join(dir, "monitors/checkout.ts");
  const good = await readFile(file, "utf8");
  await writeFile(file, `while (true) {}\n${good}`);
  const watch = watchProcess(["--timeout", "1s"]);
  try {
    await watch.waitFor(/watching for changes/);
    expect(watch.output()).toContain("[monitor-timeout]");
    expect(watch.output()).toMatch(/did not finish loading within 1s/);
    const seen = watch.output().length;
    await saveAtomically(dir, file, good);
    await watch.waitFor(/compiled in \d+ ms/, seen);
  } finally {
    await writeFile(file, good);
    // Exactly this process, by its PID.
    watch.child.kill("SIGTERM");
  }
  expect(await watch.exited).toBe(0);
});

it("vigil compile --watch --sandbox is refused: a usage error, nothing written", async () => {
  const watch = watchProcess(["--sandbox"]);
  expect(await watch.exited).toBe(2);
  expect(watch.output()).toContain("--watch does not support --sandbox yet");
});
