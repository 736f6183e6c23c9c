import { MANIFEST, sha256 } from "../emit/manifest.js";
import { stableJson } from "../emit/output.js";
import { outputFiles, type HashedFile, type Output } from "./cache.js";
import { manifestFrom } from "../emit/manifest.js";

/** Entries per piece of the manifest joined once and kept. */
const CHUNK = 256;
const SEPARATOR = ",\n    ";

/** One file's entry as stableJson writes it inside the manifest's "files" array (once per file object). */
const entries = new WeakMap<HashedFile, string>();
function entryOf(file: HashedFile): string {
  let entry = entries.get(file);
  if (entry === undefined) {
    entry = stableJson({ path: file.path, sha256: file.sha256, sources: file.sources }).slice(0, -1).replace(/\n/g, "\n    ");
    entries.set(file, entry);
  }
  return entry;
}

/**
 * manifest.json, as emitManifest writes it, kept up to date from one output to the next: the
 * entries (sorted by path) of the groups of files that changed are replaced, and only the
 * pieces of the text holding them are joined again. Serialising and sorting 12,000 entries at
 * every change cost more than the rest of the change. A file added or removed sorts anew.
 *
 * The text is built by hand from stableJson's entries, so the first build is checked against
 * manifestFrom (stableJson on the whole manifest); should they ever differ, manifestFrom it is.
 */
export class ManifestBuilder {
  private groups = new Set<readonly HashedFile[]>();
  private index = new Map<string, number>();
  private entries: string[] = [];
  private chunks: string[] = [];
  private agree: boolean | undefined;

  /** The manifest of `output` (its groups, the manifest not among them). */
  build(output: Output): HashedFile {
    if (this.agree === false) return hashedManifest(manifestFrom(outputFiles(output)).content);
    if (!this.update(output)) {
      const files = outputFiles(output);
      this.entries = files.map(entryOf);
      this.index = new Map(files.map((f, i) => [f.path, i]));
      this.chunks = [];
      for (let i = 0; i < this.entries.length; i += CHUNK) this.chunks.push(this.entries.slice(i, i + CHUNK).join(SEPARATOR));
      if (this.agree === undefined) {
        const reference = manifestFrom(files).content;
        this.agree = reference === this.text();
        if (!this.agree) return hashedManifest(reference);
      }
    }
    this.groups = new Set(output);
    return hashedManifest(this.text());
  }

  /** Replaces the entries of the groups that changed, if no path came or went; false otherwise. */
  private update(output: Output): boolean {
    if (this.agree === undefined) return false;
    const next = new Set(output);
    let gone = 0;
    for (const group of this.groups) if (!next.has(group)) gone += group.length;
    let came = 0;
    const dirty = new Set<number>();
    const replaced = new Map<number, string>();
    for (const group of output) {
      if (this.groups.has(group)) continue;
      came += group.length;
      for (const file of group) {
        const at = this.index.get(file.path);
        if (at === undefined) return false;
        const entry = entryOf(file);
        if (entry !== this.entries[at]) replaced.set(at, entry);
      }
    }
    // As many files in the groups that came as in those gone, each at a path known: the same paths.
    if (came !== gone) return false;
    for (const [at, entry] of replaced) {
      this.entries[at] = entry;
      dirty.add(Math.floor(at / CHUNK));
    }
    for (const chunk of dirty) this.chunks[chunk] = this.entries.slice(chunk * CHUNK, (chunk + 1) * CHUNK).join(SEPARATOR);
    return true;
  }

  private text(): string {
    const files = this.chunks.length ? `[\n    ${this.chunks.join(SEPARATOR)}\n  ]` : "[]";
    return `{\n  "files": ${files},\n  "generator": "vigil"\n}\n`;
  }
}

function hashedManifest(content: string): HashedFile {
  return { path: MANIFEST, content, sources: [], sha256: sha256(content) };
}
