import { mkdtemp, mkdir, readdir, readFile, rename, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { glob } from "tinyglobby";
import { afterAll } from "vitest";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * A throwaway monitoring repository, set up as a user's would be: its node_modules holds
 * `vigil` (this repository) and the packages it depends on (links to this repository's).
 */
export async function makeProject(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "vigil-test-"));
  const modules = path.join(dir, "node_modules");
  await mkdir(modules);
  for (const entry of await readdir(path.join(REPO_ROOT, "node_modules"))) {
    if (entry === ".cache" || entry === ".bin") continue;
    await symlink(path.join(REPO_ROOT, "node_modules", entry), path.join(modules, entry), "dir");
  }
  await symlink(REPO_ROOT, path.join(modules, "vigil"), "dir");
  await writeFiles(dir, files);
  return dir;
}

export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
}

/**
 * Replaces a file in one step, as editors save: the new content is written in the project's
 * node_modules (same file system, not watched) and renamed over the file, so a watcher sees one
 * burst of events and never a half-written file.
 */
export async function saveAtomically(projectDir: string, file: string, content: string): Promise<void> {
  const scratch = path.join(projectDir, "node_modules", `.vigil-save-${process.pid}-${saves++}`);
  await writeFile(scratch, content);
  await rename(scratch, path.resolve(projectDir, file));
}
let saves = 0;

export async function removeProject(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Every file under a directory, by relative path, for byte-for-byte comparison. */
export async function snapshotDir(dir: string): Promise<Record<string, string>> {
  const files = await glob("**/*", { cwd: dir, dot: true, onlyFiles: true });
  const entries = await Promise.all(files.sort().map(async (f) => [f, await readFile(path.join(dir, f), "utf8")] as const));
  return Object.fromEntries(entries);
}

/** A minimal valid repository: one team, one service with one alert. Tests override files of it. */
export const BASE_FILES: Record<string, string> = {
  "vigil.config.ts": `import { defineConfig } from "vigil";
export default defineConfig({ monitors: "monitors/**/*.ts" });
`,
  "monitors/teams.ts": `import { defineTeam } from "vigil";
export const payments = defineTeam({
  name: "payments",
  receivers: { page: { webhook: { url: "http://127.0.0.1:9/hook" } } },
});
`,
  "monitors/checkout.ts": `import { counter, defineService } from "vigil";
import { payments } from "./teams";
const requests = counter("http_requests_total", { labels: ["service", "code"] });
export default defineService({
  name: "checkout",
  team: payments,
  metrics: [requests],
  alerts: [
    {
      name: "CheckoutDown",
      expr: 'up{job="checkout"} == 0',
      for: "5m",
      severity: "page",
      summary: "Checkout is down.",
      description: "{{ $labels.instance }} is down.",
      runbook: {
        triage: [{ step: "See which responses fail.", query: 'sum by (code) (rate(http_requests_total{service="checkout"}[5m]))' }],
        mitigation: ["Roll back the last deploy."],
      },
    },
  ],
});
`,
};

/** `project(files)`: makeProject, each project removed once the test file's tests are done. */
export function tempProjects(): (files: Record<string, string>) => Promise<string> {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map(removeProject)));
  return async (files) => {
    const dir = await makeProject(files);
    dirs.push(dir);
    return dir;
  };
}
