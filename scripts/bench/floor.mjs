// The floor a compiler cannot beat, as the benchmark's issue defines it: "only serialising and
// writing those bytes". `node floor.mjs OUTPUT_DIR FRESH_DIR` reads a compile's output and parses
// every YAML and JSON file back into data (not timed), then times
//   serialise: each document written back to text with the compiler's own serialisers and
//              options (js-yaml for YAML, JSON.stringify for JSON; Markdown is text already),
//   write:     the bytes written with the same file system calls as the compiler's atomic write
//              (a staging directory, each directory made once, WRITES_IN_FLIGHT files at a time,
//              a rename into place),
// and prints `{"floor_ms":..., "serialise_ms":..., "write_ms":..., "files":..., "same_bytes":...}`:
// floor_ms is their sum; same_bytes counts the files whose serialised text equals the compiler's
// (all of them but for hand-built YAML, should there be any: a check the floor serialises the same bytes).
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { load } from "js-yaml";

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist");
const { inParallel, WRITES_IN_FLIGHT } = await import(path.join(DIST, "output/write.js"));
const { yamlFile } = await import(path.join(DIST, "emit/output.js"));

const [source, target] = process.argv.slice(2);
const entries = await readdir(source, { recursive: true, withFileTypes: true });
const originals = await Promise.all(
  entries
    .filter((e) => e.isFile())
    .map(async (e) => {
      const absolute = path.join(e.parentPath ?? e.path, e.name);
      return { path: path.relative(source, absolute), content: await readFile(absolute, "utf8") };
    }),
);

// The documents, as data: what a compiler has in hand once it has decided what to write.
const HEADER = /^# (.*)\n\n/;
const documents = originals.map((file) => {
  if (file.path.endsWith(".json")) return { path: file.path, json: JSON.parse(file.content) };
  if (file.path.endsWith(".yaml") && HEADER.test(file.content)) {
    const header = HEADER.exec(file.content)[1];
    return { path: file.path, yaml: load(file.content.slice(HEADER.exec(file.content)[0].length)), header };
  }
  return { path: file.path, text: file.content };
});

const serialiseStarted = performance.now();
const files = documents.map((doc) => ({
  path: doc.path,
  content: doc.json !== undefined ? `${JSON.stringify(doc.json, null, 2)}\n` : doc.yaml !== undefined ? yamlFile(doc.yaml, doc.header) : doc.text,
}));
const serialiseMs = performance.now() - serialiseStarted;

const writeStarted = performance.now();
const staging = path.join(path.dirname(target), `.${path.basename(target)}.staging`);
await mkdir(staging, { recursive: true });
for (const dir of [...new Set(files.map((file) => path.dirname(path.join(staging, file.path))))].sort()) await mkdir(dir, { recursive: true });
await inParallel(files, WRITES_IN_FLIGHT, (file) => writeFile(path.join(staging, file.path), file.content));
await rename(staging, target);
const writeMs = performance.now() - writeStarted;

const same = files.filter((file, i) => file.content === originals[i].content).length;
// Rounded part by part, so the printed parts add up to the printed floor.
const serialise = Math.round(serialiseMs);
const write = Math.round(writeMs);
console.log(
  JSON.stringify({
    floor_ms: serialise + write,
    serialise_ms: serialise,
    write_ms: write,
    files: files.length,
    same_bytes: same,
  }),
);
