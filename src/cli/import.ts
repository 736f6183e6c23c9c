import { Command } from "commander";
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { IMPORTERS } from "../import/kinds.js";
import { importModules } from "../import/modules.js";
import type { ImportOptions, SourceFile } from "../import/types.js";

export interface ImportCommandOptions extends ImportOptions {
  out: string;
  cwd?: string;
  force?: boolean;
  quiet?: boolean;
}

/** The input files: files as given, directories searched for YAML and JSON files. */
async function inputs(cwd: string, names: readonly string[]): Promise<SourceFile[] | string> {
  const files: SourceFile[] = [];
  for (const name of names) {
    const full = path.resolve(cwd, name);
    const info = await stat(full).catch(() => undefined);
    if (!info) return `${name}: no such file or directory`;
    if (info.isDirectory()) {
      const found = (await readdir(full, { recursive: true })).filter((f) => /\.(ya?ml|json)$/i.test(f)).sort();
      for (const f of found) files.push({ name: path.join(name, f), text: await readFile(path.join(full, f), "utf8") });
    } else {
      files.push({ name, text: await readFile(full, "utf8") });
    }
  }
  return files;
}

/**
 * `vigil import KIND FILE...`: existing configuration into monitor files under `--out`.
 * What cannot be expressed is said on stderr and in a comment of the output; an existing file
 * is never overwritten without `--force` (teams.ts only gains the teams it lacks).
 */
export async function importCommand(kind: string, names: readonly string[], options: ImportCommandOptions): Promise<number> {
  const importer = IMPORTERS[kind];
  if (!importer) {
    process.stderr.write(`vigil import: unknown kind ${JSON.stringify(kind)}; use one of ${Object.keys(IMPORTERS).join(", ")}\n`);
    return 2;
  }
  const cwd = path.resolve(options.cwd ?? ".");
  const files = await inputs(cwd, names);
  if (typeof files === "string") {
    process.stderr.write(`vigil import: ${files}\n`);
    return 1;
  }
  const imported = importer(files, options);
  for (const p of imported.problems) process.stderr.write(`${p.source}: ${p.severity}: ${p.message}\n`);
  if (imported.problems.some((p) => p.severity === "error")) return 1;

  const outDir = path.resolve(cwd, options.out);
  const teamsText = await readFile(path.join(outDir, "teams.ts"), "utf8").catch(() => undefined);
  const { files: modules, kept } = await importModules(imported, kind, teamsText);
  for (const team of kept) process.stderr.write(`teams.ts: warning: team ${team} is declared already: left as it is, the imported one is not written\n`);
  const existing = [];
  for (const m of modules) {
    if (m.extends) continue;
    if (await stat(path.join(outDir, m.path)).catch(() => undefined)) existing.push(path.join(options.out, m.path));
  }
  if (existing.length > 0 && !options.force) {
    process.stderr.write(`vigil import: these files exist; nothing was written (--force to overwrite):\n${existing.map((f) => `  ${f}\n`).join("")}`);
    return 1;
  }
  for (const m of modules) {
    await mkdir(path.dirname(path.join(outDir, m.path)), { recursive: true });
    await writeFile(path.join(outDir, m.path), m.content);
    if (!options.quiet) process.stderr.write(`${m.extends ? "extended" : "wrote"} ${path.join(options.out, m.path)}\n`);
  }
  const warnings = imported.problems.length;
  if (!options.quiet) process.stderr.write(`imported ${imported.services.length} services${warnings ? `, ${warnings} warnings (each also a comment in the output)` : ""}\n`);
  return 0;
}

/** Registers `vigil import` on the program. */
export function importCli(root: Command, run: (work: () => Promise<number>) => void): void {
  root
    .command("import")
    .description(`existing configuration into TypeScript monitors; KIND is one of ${Object.keys(IMPORTERS).join(", ")}`)
    .argument("<kind>", "what the files are")
    .argument("<files...>", "files, or directories to search for .yaml, .yml and .json files")
    .option("--out <dir>", "where the monitor files go", "monitors")
    .option("--team <name>", "team of every imported service (default: the team label the rules share)")
    .option("--service <name>", "name of the imported service (default: from the input)")
    .option("--per-group", "prometheus-rules: one service per rule group (default: one per file)")
    .option("--force", "overwrite existing files")
    .option("--cwd <dir>", "run as if started in this directory")
    .option("--quiet", "print problems only")
    .exitOverride()
    .action((kind: string, files: string[], options: ImportCommandOptions) => run(() => importCommand(kind, files, options)));
}
