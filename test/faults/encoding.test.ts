import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkEncoding, firstInvalidUtf8 } from "../../src/check/encoding.js";

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : Buffer.from(p))));

describe("firstInvalidUtf8", () => {
  it("accepts UTF-8, multi-byte characters and a BOM included", () => {
    expect(firstInvalidUtf8(bytes("plain ascii\n"))).toBeUndefined();
    expect(firstInvalidUtf8(bytes([0xef, 0xbb, 0xbf], "naïve — 漢字 🚨 \uFFFD\n"))).toBeUndefined();
    expect(firstInvalidUtf8(new Uint8Array())).toBeUndefined();
  });

  it("finds the first byte that is not UTF-8", () => {
    expect(firstInvalidUtf8(bytes("caf", [0xe9], " au lait"))).toBe(3); // Latin-1 é
    expect(firstInvalidUtf8(bytes("ok ", [0xff, 0xfe]))).toBe(3);
    expect(firstInvalidUtf8(bytes("é", [0x80]))).toBe(2); // a lone continuation byte
    expect(firstInvalidUtf8(bytes("x", [0xe2, 0x82]))).toBe(1); // truncated at the end
    expect(firstInvalidUtf8(bytes([0xc0, 0xaf]))).toBe(0); // overlong "/"
    expect(firstInvalidUtf8(bytes("a", [0xed, 0xa0, 0x80]))).toBe(1); // a UTF-16 surrogate
    expect(firstInvalidUtf8(bytes([0xf4, 0x90, 0x80, 0x80]))).toBe(0); // above U+10FFFF
  });
});

describe("checkEncoding", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "vigil-encoding-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("reports each file that is not UTF-8 at the line and column of its first bad byte, and only those", async () => {
    await writeFile(path.join(dir, "good.ts"), "export const a = \"naïve\";\n");
    await writeFile(path.join(dir, "bad.ts"), bytes("export const a = 1;\nconst summary = \"Caf", [0xe9], " is down.\";\n"));
    const diagnostics = await checkEncoding(dir, [path.join(dir, "good.ts"), path.join(dir, "bad.ts"), path.join(dir, "missing.ts")]);
    expect(diagnostics).toEqual([
      {
        severity: "error",
        code: "invalid-encoding",
        message: "this file is not UTF-8: the bytes at offset 40 (e9 20 69 73) are not a UTF-8 character",
        location: { file: "bad.ts", line: 2, column: 21 },
        hint: expect.stringContaining("save the file as UTF-8"),
      },
    ]);
  });
});
