import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { makeProject, removeProject, writeFiles } from "../helpers/project.js";
import { vigil } from "./cli.js";
import { startFakeMimir, type FakeMimir } from "./fakes/mimir.js";
import { applyProjectFiles, checkout } from "./project.js";

/**
 * `vigil apply --target mimir` against a FAKE Mimir ruler: Mimir cannot be installed on these
 * machines, so fakes/mimir.ts implements the documented ruler configuration API (tenant header,
 * GET 404 for a tenant without rules, POST one group as YAML, DELETE a group, 401, 400) on
 * 127.0.0.1. The tests prove the client against that contract, not against a real Mimir.
 */
describe("vigil apply to a Mimir ruler (fake server)", () => {
  let mimir: FakeMimir;
  let project: string;
  const TOKEN = "mimir-token-7d1e";
  const apply = (...args: string[]) => vigil(["apply", "--target", "mimir", ...args], project, { VIGIL_MIMIR_URL: mimir.url, MIMIR_TOKEN: TOKEN });
  const groups = (tenant = "acme") => Object.fromEntries([...(mimir.rules.get(tenant) ?? new Map())].map(([ns, g]) => [ns, [...g.keys()].sort()]));

  beforeAll(async () => {
    mimir = await startFakeMimir();
    project = await makeProject(applyProjectFiles(`{ mimir: { tenant: "acme", tokenEnv: "MIMIR_TOKEN" } }`));
  });
  afterAll(async () => {
    await mimir?.stop();
    if (project) await removeProject(project);
  });
  beforeEach(() => {
    mimir.seen.length = 0;
  });

  it("dry run on a tenant without rules (GET answers 404): plans a group per rule group, sends only GETs", async () => {
    const run = await apply();
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain("(tenant acme)");
    expect(run.stdout).toContain("+ create    group  vigil-payments/checkout.alerts");
    expect(run.stdout).toContain("+ create    group  vigil-payments/checkout.rules");
    expect(run.stdout).toContain("+ create    group  vigil-platform/db.alerts");
    expect(mimir.seen.map((r) => r.method)).toEqual(["GET"]);
    expect(mimir.seen[0]!.headers["x-scope-orgid"]).toBe("acme");
    expect(mimir.seen[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(groups()).toEqual({});
  });

  it("--yes: one namespace per team, each group POSTed as YAML; a second run changes nothing", async () => {
    const run = await apply("--yes");
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(groups()).toEqual({ "vigil-payments": ["checkout.alerts", "checkout.rules"], "vigil-platform": ["db.alerts"] });
    const post = mimir.seen.find((r) => r.method === "POST" && r.url === "/prometheus/config/v1/rules/vigil-payments" && r.body.includes("checkout.alerts"))!;
    expect(post.headers["content-type"]).toBe("application/yaml");
    expect(parse(post.body)).toMatchObject({ name: "checkout.alerts", rules: [{ alert: "CheckoutErrors", for: "5m" }] });

    mimir.seen.length = 0;
    const again = await apply("--yes");
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("Plan: 0 to create, 0 to update, 0 to delete, 3 unchanged.");
    expect(mimir.seen.map((r) => r.method)).toEqual(["GET"]);
  });

  it("updates a changed group; prunes only groups in Vigil's namespaces, and only with --prune", async () => {
    mimir.rules.get("acme")!.set("team-made", new Map([["keep.me", { name: "keep.me", rules: [{ record: "x", expr: "sum(up)" }] }]]));
    mimir.rules.get("acme")!.get("vigil-payments")!.set("retired.alerts", { name: "retired.alerts", rules: [{ alert: "Old", expr: "up == 0" }] });
    await writeFiles(project, { "monitors/checkout.ts": checkout("10m") });
    const run = await apply("--yes");
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain("~ update    group  vigil-payments/checkout.alerts");
    expect(run.stdout).toContain("! stale     group  vigil-payments/retired.alerts");
    expect(run.stdout).not.toContain("keep.me");
    expect(groups()["vigil-payments"]).toContain("retired.alerts");

    mimir.seen.length = 0;
    const pruned = await apply("--yes", "--prune");
    expect(pruned.code).toBe(0);
    expect(mimir.seen.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.url}`)).toEqual(["DELETE /prometheus/config/v1/rules/vigil-payments/retired.alerts"]);
    expect(groups()).toEqual({ "team-made": ["keep.me"], "vigil-payments": ["checkout.alerts", "checkout.rules"], "vigil-platform": ["db.alerts"] });
  });

  it("a 500 or 400 from the ruler: exit 1 with its message, the count of changes made, the token masked", async () => {
    await writeFiles(project, { "monitors/checkout.ts": checkout("15m") });
    mimir.failNext("POST", "/prometheus/config/v1/rules/", { status: 500, text: `ruler storage unavailable (auth Bearer ${TOKEN})` });
    const failed = await apply("--yes");
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/mimir: FAILED: POST http:\/\/127\.0\.0\.1:\d+\/prometheus\/config\/v1\/rules\/vigil-payments: HTTP 500: ruler storage unavailable \(auth Bearer \*\*\*\)\. 0 of 1 group change\(s\) were made before it/);
    expect(failed.stdout + failed.stderr).not.toContain(TOKEN);

    mimir.failNext("POST", "/prometheus/config/v1/rules/", { status: 400, text: "invalid rule group" });
    expect((await apply("--yes")).stdout).toContain("HTTP 400: invalid rule group");
    expect((await apply("--yes")).code).toBe(0);
  });

  it("--format json: one JSON document with the plan", async () => {
    const run = await apply("--format", "json");
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { dryRun: boolean; applied: boolean; ok: boolean; targets: { target: string; changes: { kind: string }[] }[] };
    expect(out).toMatchObject({ dryRun: true, applied: false, ok: true });
    expect(out.targets.map((t) => t.target)).toEqual(["mimir"]);
    expect(out.targets[0]!.changes.length).toBeGreaterThan(0);
  });

  it("without the tenant header the ruler answers 401: reported, nothing applied", async () => {
    await writeFiles(project, { "vigil.config.ts": applyProjectFiles(`{ mimir: { tokenEnv: "MIMIR_TOKEN" } }`)["vigil.config.ts"]! });
    try {
      const run = await apply("--yes");
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("HTTP 401 (no org id): multi-tenant Mimir needs a tenant; set apply.mimir.tenant (sent as X-Scope-OrgID)");
      expect(mimir.seen.map((r) => r.method)).toEqual(["GET"]);
    } finally {
      await writeFiles(project, { "vigil.config.ts": applyProjectFiles(`{ mimir: { tenant: "acme", tokenEnv: "MIMIR_TOKEN" } }`)["vigil.config.ts"]! });
    }
  });
});
