import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cp } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { makeProject, removeProject, REPO_ROOT, snapshotDir } from "../helpers/project.js";
import { INSTALL_HINT, SECOND_NODE_VERSION, secondNode } from "./second-node.js";

const run = promisify(execFile);
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map(removeProject)));

/** Compiles a copy of the example monitors with the given Node; returns sha256 per generated file. */
async function compileExamples(node: string): Promise<Record<string, string>> {
  const dir = await makeProject({});
  dirs.push(dir);
  await cp(path.join(REPO_ROOT, "monitors"), path.join(dir, "monitors"), { recursive: true });
  await cp(path.join(REPO_ROOT, "vigil.config.ts"), path.join(dir, "vigil.config.ts"));
  await run(node, [path.join(REPO_ROOT, "bin/vigil.js"), "compile", "--quiet"], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
  const files = await snapshotDir(path.join(dir, "generated"));
  return Object.fromEntries(Object.entries(files).map(([file, content]) => [file, createHash("sha256").update(content).digest("hex")]));
}

const digest = (hashes: Record<string, string>) => createHash("sha256").update(JSON.stringify(hashes)).digest("hex");

describe("the output", () => {
  it(`is the same bytes under Node ${process.versions.node} and Node ${SECOND_NODE_VERSION}`, async (context) => {
    const second = await secondNode();
    if (!second.binary) {
      // CI must run it: a silent skip would hide a difference.
      if (process.env.CI) throw new Error(`no second Node to compare with: ${second.why}; ${INSTALL_HINT}`);
      console.warn(`skipped: no second Node (${second.why}); ${INSTALL_HINT}`);
      context.skip();
    }
    const { stdout: version } = await run(second.binary!, ["--version"]);
    expect(version.trim()).toBe(`v${SECOND_NODE_VERSION}`);
    expect(process.versions.node.split(".")[0]).not.toBe(SECOND_NODE_VERSION.split(".")[0]);

    const [here, there] = await Promise.all([compileExamples(process.execPath), compileExamples(second.binary!)]);
    expect(Object.keys(here).length).toBeGreaterThan(50);
    // Per file, so that a difference names the file.
    expect(there).toEqual(here);
    expect(digest(there)).toBe(digest(here));
    console.info(`output sha256 ${digest(here)} (${Object.keys(here).length} files) under Node ${process.versions.node} and ${SECOND_NODE_VERSION}`);
    // On a fresh clone the second Node is downloaded first (up to 300 s allowed for npm).
  }, 420_000);
});
