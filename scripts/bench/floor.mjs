// The floor a compiler cannot beat: writing the bytes of a compile's output, with the same
// file system calls as the compiler's atomic write (a staging directory, each directory made
// once, the files written WRITES_IN_FLIGHT at a time as the compiler does, a rename into place). `node floor.mjs OUTPUT_DIR FRESH_DIR` reads OUTPUT_DIR into
// memory first (not timed), then times the write into FRESH_DIR, and prints `{"floor_ms":...}`.
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist");
const { inParallel, WRITES_IN_FLIGHT } = await import(path.join(DIST, "output/write.js"));

const [source, target] = process.argv.slice(2);
const entries = await readdir(source, { recursive: true, withFileTypes: true });
const files = await Promise.all(
  entries
    .filter((e) => e.isFile())
    .map(async (e) => {
      const absolute = path.join(e.parentPath ?? e.path, e.name);
      return { path: path.relative(source, absolute), content: await readFile(absolute, "utf8") };
    }),
);

const started = performance.now();
const staging = path.join(path.dirname(target), `.${path.basename(target)}.staging`);
await mkdir(staging, { recursive: true });
for (const dir of [...new Set(files.map((file) => path.dirname(path.join(staging, file.path))))].sort()) await mkdir(dir, { recursive: true });
await inParallel(files, WRITES_IN_FLIGHT, (file) => writeFile(path.join(staging, file.path), file.content));
await rename(staging, target);
console.log(JSON.stringify({ floor_ms: Math.round(performance.now() - started), files: files.length }));
