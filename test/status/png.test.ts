import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { colourCounts, decodePng } from "./png.js";

function chunk(type: string, body: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  // The decoder does not check CRCs: zeros will do.
  return Buffer.concat([length, Buffer.from(type, "latin1"), body, Buffer.alloc(4)]);
}

/** A 3x2 RGB PNG whose rows use the Sub and Paeth filters. */
function tinyPng(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(3, 0);
  header.writeUInt32BE(2, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  // Row 0, Sub: red, then +0 -> red, then (-255, +255, 0) -> green.
  // Row 1, Paeth: predictor is up for the first pixel; raw deltas chosen to give blue, blue, white.
  const rows = Buffer.from([1, 255, 0, 0, 0, 0, 0, 1, 255, 0, 4, 1, 0, 255, 0, 0, 0, 255, 0, 0]);
  return Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), chunk("IHDR", header), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
}

describe("decodePng", () => {
  it("undoes the row filters and counts colours", () => {
    const png = decodePng(tinyPng());
    expect([png.width, png.height]).toEqual([3, 2]);
    expect(Object.fromEntries(colourCounts(png))).toEqual({ "#ff0000": 2, "#00ff00": 1, "#0000ff": 2, "#ffffff": 1 });
  });

  it("refuses what is not a PNG", () => {
    expect(() => decodePng(Buffer.from("GIF89a"))).toThrow("not a PNG");
  });
});
