import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { requireChromium } from "./chromium.js";

describe("requireChromium", () => {
  const saved = process.env.PATH;
  afterEach(() => {
    process.env.PATH = saved;
  });

  it("fails with the install command when chromium is not on PATH (in CI too: never a skip)", async () => {
    const empty = await mkdtemp(path.join(tmpdir(), "vigil-no-chromium-"));
    try {
      process.env.PATH = empty;
      expect(() => requireChromium()).toThrow("chromium is not installed or not on PATH: apt-get install -y chromium");
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
