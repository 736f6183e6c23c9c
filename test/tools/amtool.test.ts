import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { quoted, testRoute } from "../../src/tools/amtool.js";

/** Label values amtool's matcher parser would misread unquoted: each must reach its own route. */
const TRICKY = ['db"x,y', "~starts-with-tilde", "back\\slash", "two\nlines", "a=b", "ünïcode"];

describe("testRoute with the real amtool", () => {
  let dir: string;
  let config: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "vigil-amtool-"));
    config = path.join(dir, "alertmanager.yaml");
    const routes = TRICKY.map((value, i) => ({ receiver: `r${i}`, matchers: [`component=${quoted(value)}`] }));
    const receivers = [{ name: "default" }, ...TRICKY.map((_, i) => ({ name: `r${i}` }))];
    await writeFile(config, stringify({ route: { receiver: "default", routes }, receivers }));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("quotes values so that each reaches the route that matches it exactly", async () => {
    const results = await Promise.all(TRICKY.map((value, i) => testRoute(config, { labels: { component: value }, receivers: [`r${i}`] })));
    expect(results.map((r) => [r.labels.component, r.ok, r.output])).toEqual(TRICKY.map((value, i) => [value, true, `r${i}`]));
  });

  it("says where the labels go when they miss, without amtool's chatter", async () => {
    const miss = await testRoute(config, { labels: { component: "db" }, receivers: ["r0"] });
    expect(miss).toMatchObject({ ok: false, output: "default" });
  });
});
