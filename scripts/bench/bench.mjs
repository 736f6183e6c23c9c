// `npm run bench [-- SIZES...] [--keep]`: cold compiles of synthetic repositories of 10, 100 and
// 1,000 services, each in a fresh process, against two references on the same output: the
// floor (only serialising and writing those bytes: floor.mjs) and `promtool check rules` over the
// same rule files.
// The last line is one JSON object with the figures of the largest repository.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateRepo, REPO_ROOT, serviceName, teamCount } from "./generate.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const keep = args.includes("--keep");
const sizes = args.filter((a) => /^\d+$/.test(a)).map(Number);
if (sizes.length === 0) sizes.push(10, 100, 1000);

/** Runs a command to its end: wall time in ms, exit code, output. */
function run(command, commandArgs, options = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, commandArgs, { ...options, env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ ms: performance.now() - started, code, stdout, stderr }));
  });
}

const lastJson = (text) => JSON.parse(text.trim().split("\n").at(-1));
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);

async function ruleFiles(outDir) {
  const entries = await readdir(path.join(outDir, "prometheus"), { recursive: true });
  return entries.filter((e) => e.endsWith(".rules.yaml")).map((e) => path.join("prometheus", e)).sort();
}

async function promtool(outDir) {
  const files = await ruleFiles(outDir);
  try {
    const result = await run("promtool", ["check", "rules", ...files], { cwd: outDir });
    if (result.code !== 0) {
      console.error(result.stderr.split("\n").slice(0, 10).join("\n"));
      throw new Error(`promtool check rules failed (exit ${result.code})`);
    }
    return { ms: result.ms, files: files.length };
  } catch (failure) {
    if (failure.code === "ENOENT") {
      console.error("promtool not found: install it with `apt-get install -y prometheus` (promtool_ms is null)");
      return { ms: null, files: files.length };
    }
    throw failure;
  }
}

/**
 * A one-file edit recompiled by `vigil compile --watch`: from writing the file to the watcher's
 * next "compiled in" line (scripts/bench/watch.mjs). Null when the compiler has no watch mode.
 */
async function incremental(repo) {
  if (!existsSync(path.join(REPO_ROOT, "dist", "watch", "watch.js"))) return null;
  const { measureWatch } = await import("./watch.mjs");
  return measureWatch(repo, path.join(repo, "monitors", "team-000", `${serviceName(0)}.ts`));
}

const summary = [];
console.log(`vigil bench: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), node ${process.version}, load average ${load()}`);
for (const services of sizes) {
  const dir = await mkdtemp(path.join(os.tmpdir(), `vigil-bench-${services}-`));
  try {
    const repo = path.join(dir, "repo");
    const monitorFiles = await generateRepo(repo, services);

    const cold = await run(process.execPath, [path.join(HERE, "compile-once.mjs"), repo]);
    if (cold.code !== 0) throw new Error(`compile of ${services} services failed:\n${cold.stderr}`);
    const figures = lastJson(cold.stdout);
    const outDir = path.join(repo, "generated");

    const floorRun = await run(process.execPath, [path.join(HERE, "floor.mjs"), outDir, path.join(dir, "floor-out")]);
    if (floorRun.code !== 0) throw new Error(`floor failed:\n${floorRun.stderr}`);
    const floor = lastJson(floorRun.stdout);
    const check = await promtool(outDir);
    const watched = await incremental(repo);
    const incrementalMs = watched ? watched.wallMs : null;

    const coldMs = Math.round(cold.ms);
    const line = {
      services,
      cold_ms: coldMs,
      floor_ms: floor.floor_ms,
      promtool_ms: check.ms === null ? null : Math.round(check.ms),
      rss_mb: figures.rss_mb,
      incremental_ms: incrementalMs,
    };
    summary.push(line);
    const stages = Object.entries(figures.stages).map(([k, v]) => `${k} ${v}`).join(", ");
    console.log(
      [
        ``,
        `${services} services (${monitorFiles.length} monitor files, ${teamCount(services)} teams), load average ${load()}`,
        `  cold compile     ${coldMs} ms wall in a fresh process (node start and imports ${figures.import_ms} ms)`,
        `  stages (ms)      ${stages}`,
        `  peak RSS         ${figures.rss_mb} MB`,
        `  written          ${figures.files} files, ${mb(figures.bytes)} MB; ${figures.rules} rules in ${check.files} rule files`,
        `  floor            ${floor.floor_ms} ms to serialise (${floor.serialise_ms} ms, js-yaml and JSON.stringify, ${floor.same_bytes} of ${floor.files} files byte-identical) and write (${floor.write_ms} ms) the same files: compile is ${(coldMs / Math.max(floor.floor_ms, 1)).toFixed(1)}x the floor (${(coldMs / Math.max(floor.write_ms, 1)).toFixed(1)}x the write alone)`,
        check.ms === null
          ? `  promtool         not installed`
          : `  promtool         ${Math.round(check.ms)} ms for check rules on the ${check.files} rule files: compile is ${(coldMs / check.ms).toFixed(2)}x promtool`,
        incrementalMs === null
          ? `  incremental      null: vigil compile --watch does not exist yet (dist/watch/)`
          : `  incremental      ${incrementalMs} ms from a one-file edit to the watcher's "compiled in" line (median of 3; the watcher reports ${watched.reportedMs} ms)`,
      ].join("\n"),
    );
  } finally {
    if (keep) console.log(`  kept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}
const largest = summary.reduce((a, b) => (b.services > a.services ? b : a));
console.log(JSON.stringify(largest));
