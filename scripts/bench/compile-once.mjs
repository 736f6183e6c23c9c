// One cold compile in a fresh process, as `vigil compile` does it (compile, then the atomic
// write), printing its figures as one JSON line: `node compile-once.mjs REPO_DIR`.
// Run by bench.mjs; the parent measures the process's wall time around it.
import path from "node:path";
import { fileURLToPath } from "node:url";

const started = performance.now();
const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist");
const { compile } = await import(path.join(DIST, "pipeline.js"));
const { openOutput } = await import(path.join(DIST, "output/write.js"));
const imported = performance.now();

const cwd = process.argv[2];
// As `vigil compile`: warnings at their declaration, so the TypeScript parser is not loaded,
// and each service's files written while the next one renders (the staged write swapped in at
// the end). The bytes and rules are counted as the files go by.
let staged;
let bytes = 0;
let rules = 0;
const count = (file) => {
  bytes += Buffer.byteLength(file.content);
  // Rules Prometheus loads: the prometheus/ rule files (thanos/ and kubernetes/ are copies).
  if (file.path.startsWith("prometheus/") && file.path.endsWith(".rules.yaml")) {
    rules += file.content.match(/^\s*- (alert|record): /gm)?.length ?? 0;
  }
};
const output = (outDir) => {
  staged = openOutput(outDir);
  return { write: (file) => (count(file), staged.write(file)) };
};
const result = await compile({ cwd, preciseWarnings: false, output });
const errors = result.diagnostics.filter((d) => d.severity === "error");
if (errors.length > 0) {
  await staged?.abort();
  console.error(errors.slice(0, 5).map((d) => `${d.location?.file}:${d.location?.line} ${d.code} ${d.message}`).join("\n"));
  process.exit(1);
}
const finishStarted = performance.now();
await staged.finish();
const write = result.timings.write + (performance.now() - finishStarted);

const round = (ms) => Math.round(ms);
console.log(
  JSON.stringify({
    import_ms: round(imported - started),
    // "write": waiting for the disk while rendering (the writes themselves overlap the render), then the swap.
    stages: Object.fromEntries(Object.entries({ ...result.timings, write }).map(([k, v]) => [k, round(v)])),
    in_process_ms: round(performance.now() - started),
    files: result.streamed,
    bytes,
    rules,
    warnings: result.diagnostics.length,
    // KiB on Linux: the peak resident set of this process.
    rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
