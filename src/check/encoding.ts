import { readFile } from "node:fs/promises";
import path from "node:path";
import { error, type Diagnostic } from "./diagnostic.js";

const strict = new TextDecoder("utf-8", { fatal: true });
const lenient = new TextDecoder("utf-8");

/** Length of the well-formed UTF-8 sequence at `i`, or 0 when the bytes there are not one. */
function sequenceAt(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i]!;
  if (b0 < 0x80) return 1;
  const cont = (j: number, lo = 0x80, hi = 0xbf) => i + j < bytes.length && bytes[i + j]! >= lo && bytes[i + j]! <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    // No overlong forms (E0 80..9F) and no surrogates (ED A0..BF).
    const second = b0 === 0xe0 ? cont(1, 0xa0) : b0 === 0xed ? cont(1, 0x80, 0x9f) : cont(1);
    return second && cont(2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const second = b0 === 0xf0 ? cont(1, 0x90) : b0 === 0xf4 ? cont(1, 0x80, 0x8f) : cont(1);
    return second && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/** Byte offset of the first byte that is not UTF-8, or undefined when the whole text is. */
export function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  try {
    strict.decode(bytes);
    return undefined;
  } catch {
    for (let i = 0; i < bytes.length; ) {
      const length = sequenceAt(bytes, i);
      if (length === 0) return i;
      i += length;
    }
    return undefined;
  }
}

/**
 * Monitor files that are not UTF-8. esbuild reads them anyway and turns each bad byte into
 * U+FFFD, which would end up, silently, in alert texts and runbooks: an error at the first bad
 * byte instead (a file saved as Latin-1 or UTF-16 by an editor, usually).
 */
export async function checkEncoding(rootDir: string, files: readonly string[]): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    const bytes = await readFile(file).catch(() => undefined);
    const offset = bytes && firstInvalidUtf8(bytes);
    if (bytes === undefined || offset === undefined) continue;
    const before = lenient.decode(bytes.subarray(0, offset));
    const lineStart = before.lastIndexOf("\n") + 1;
    const location = { file: path.relative(rootDir, file).split(path.sep).join("/"), line: before.split("\n").length, column: [...before.slice(lineStart)].length + 1 };
    const hex = [...bytes.subarray(offset, offset + 4)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
    diagnostics.push(error("invalid-encoding", `this file is not UTF-8: the bytes at offset ${offset} (${hex}) are not a UTF-8 character`, location, "save the file as UTF-8; an editor that saved it as Latin-1, Windows-1252 or UTF-16 can convert it"));
  }
  return diagnostics;
}
