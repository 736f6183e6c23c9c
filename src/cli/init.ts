import type { Command } from "commander";
import { mkdir, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { scaffold } from "../init/scaffold.js";
import { SLUG } from "../model/names.js";

export interface InitOptions {
  team: string;
  service: string;
  force?: boolean;
}

const VERSION = (createRequire(import.meta.url)("../../package.json") as { version: string }).version;
const VIGIL_ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/[\\/]$/, "");

/** `vigil init [DIR]`: scaffolds a monitoring repository; never overwrites a file without --force. */
export async function initCommand(dir: string, options: InitOptions): Promise<number> {
  for (const [what, value] of [["--team", options.team], ["--service", options.service]] as const) {
    if (!SLUG.test(value)) {
      process.stderr.write(`vigil init: ${what} ${JSON.stringify(value)} is not a valid name: use lowercase letters, digits and "-"\n`);
      return 2;
    }
  }
  const root = path.resolve(dir);
  const blocking = await fileInTheWay(root);
  if (blocking) {
    process.stderr.write(`vigil init: ${blocking} is a file, not a directory; nothing was written: pass a directory to create or to scaffold in\n`);
    return 1;
  }
  const name = path.basename(root).toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "monitoring";
  const files = scaffold({ name, team: options.team, service: options.service, version: VERSION });
  const existing: string[] = [];
  for (const file of Object.keys(files)) if (await stat(path.join(root, file)).catch(() => undefined)) existing.push(file);
  if (existing.length > 0 && !options.force) {
    process.stderr.write(`vigil init: these files exist in ${dir}; nothing was written (--force to overwrite):\n${existing.map((f) => `  ${f}\n`).join("")}`);
    return 1;
  }
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), content);
  }
  // Vigil is not on the npm registry (the name there is another project): the next step
  // installs this copy, whose path is known, rather than `^version` from the registry.
  process.stderr.write(
    `wrote ${Object.keys(files).length} files to ${dir}. Next:\n  cd ${dir} && npm install --save-dev ${VIGIL_ROOT} && npx vigil compile && npx vigil check && npx vigil test\n` +
      `(a path works on this machine only: for CI, install Vigil from a git URL or a tarball made with \`npm pack\`)\n`,
  );
  return 0;
}

/** The nearest existing path of `dir` and its parents, when that is not a directory (mkdir would fail there). */
async function fileInTheWay(dir: string): Promise<string | undefined> {
  for (let at = dir; ; at = path.dirname(at)) {
    const stats = await stat(at).catch(() => undefined);
    if (stats) return stats.isDirectory() ? undefined : at;
    if (path.dirname(at) === at) return undefined;
  }
}

/** Registers `vigil init` on the program. */
export function initCli(root: Command, run: (work: () => Promise<number>) => void): void {
  root
    .command("init")
    .description("scaffold a monitoring repository: config, a team, a service with an alert and an SLO, CI")
    .argument("[dir]", "where to write it", ".")
    .option("--team <name>", "name of the team", "platform")
    .option("--service <name>", "name of the example service", "example-api")
    .option("--force", "overwrite existing files")
    .exitOverride()
    .action((dir: string, options: InitOptions) => run(() => initCommand(dir, options)));
}
