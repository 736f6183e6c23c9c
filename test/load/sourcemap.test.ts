import { describe, expect, it } from "vitest";
import { tabulatedLocator, type Locator } from "../../dist/load/sourcemap.js";
import { collectCallSites, captureCallSite } from "../../dist/model/location.js";

const url = "file:///repo/node_modules/.cache/vigil/bundle.mjs";
const counting = () => {
  const calls: number[] = [];
  const locate: Locator = (site) => {
    if (!site) return undefined;
    calls.push(site.line);
    return { file: "monitors/a.ts", line: site.line * 10, column: site.column };
  };
  return { calls, locate };
};

describe("tabulatedLocator", () => {
  it("answers the sites it was given from its table, each mapped once", () => {
    const once = counting();
    const fallback = counting();
    const locate = tabulatedLocator([{ url, line: 1, column: 2 }, { url, line: 1, column: 2 }, { url, line: 3, column: 4 }, undefined], once.locate, () => fallback.locate);
    expect(locate({ url, line: 3, column: 4 })).toEqual({ file: "monitors/a.ts", line: 30, column: 4 });
    expect(locate({ url, line: 1, column: 2 })).toEqual({ file: "monitors/a.ts", line: 10, column: 2 });
    expect(once.calls).toEqual([1, 3]);
    expect(fallback.calls).toEqual([]);
  });

  it("makes the full locator again only for a site it has not seen, and only once", () => {
    const fallback = counting();
    let made = 0;
    const locate = tabulatedLocator([], counting().locate, () => (made++, fallback.locate));
    expect(locate({ url, line: 5, column: 1 })).toEqual({ file: "monitors/a.ts", line: 50, column: 1 });
    expect(locate({ url, line: 6, column: 1 })?.line).toBe(60);
    expect(locate(undefined)).toBeUndefined();
    expect(made).toBe(1);
  });
});

describe("collectCallSites", () => {
  it("collects the sites captured while it runs, and no others", () => {
    captureCallSite();
    const stop = collectCallSites();
    const first = captureCallSite();
    const second = captureCallSite();
    const collected = stop();
    captureCallSite();
    expect(collected).toEqual([first, second]);
    expect(first?.url).toContain("sourcemap.test.ts");
  });
});
