import { createHash } from "node:crypto";
import { stableJson, type OutputFile } from "./output.js";

export const MANIFEST = "manifest.json";

export interface Manifest {
  generator: "vigil";
  files: { path: string; sha256: string; sources: string[] }[];
}

export function sha256(content: string): string {
  return createHash("sha256").update(content).digest("hex");
}

/** Every file Vigil wrote, its hash and the monitor files it came from. */
export function emitManifest(files: readonly OutputFile[]): OutputFile {
  return manifestFrom(files.map((file) => ({ path: file.path, sha256: sha256(file.content), sources: file.sources })));
}

/** manifest.json from hashes already known (a streamed compile, watch mode): no file is hashed again. */
export function manifestFrom(files: readonly { path: string; sha256: string; sources: string[] }[]): OutputFile {
  const manifest: Manifest = {
    generator: "vigil",
    files: [...files].sort((a, b) => (a.path < b.path ? -1 : 1)).map((f) => ({ path: f.path, sha256: f.sha256, sources: f.sources })),
  };
  return { path: MANIFEST, content: stableJson(manifest), sources: [] };
}

export function parseManifest(text: string | undefined): Manifest | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Manifest;
    return value.generator === "vigil" && Array.isArray(value.files) ? value : undefined;
  } catch {
    return undefined;
  }
}
