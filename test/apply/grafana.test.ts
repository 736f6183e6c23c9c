import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prepareGrafana } from "../../src/apply/grafana.js";
import type { DesiredDashboard } from "../../src/apply/desired.js";
import { makeProject, removeProject, writeFiles } from "../helpers/project.js";
import { vigil } from "./cli.js";
import { startFakeGrafana, type FakeGrafana } from "./fakes/grafana.js";
import { applyProjectFiles } from "./project.js";

/**
 * `vigil apply --target grafana` against a FAKE Grafana: no Grafana server can be installed on
 * these machines (not in Debian, not on npm), so fakes/grafana.ts implements the documented
 * HTTP API endpoints apply uses, with their error answers (401, 404, 409, 412, 500), on
 * 127.0.0.1. What these tests prove is the client's behaviour against that contract.
 */
const TOKEN = "glsa_fake_token_4f9c2e";
const DASHBOARDS = ["checkout-overview", "checkout-routes", "db-overview", "team-payments", "team-platform"];

describe("vigil apply to Grafana (fake server)", () => {
  let grafana: FakeGrafana;
  let project: string;
  const apply = (...args: string[]) => vigil(["apply", "--target", "grafana", ...args], project, { VIGIL_GRAFANA_URL: grafana.url, GRAFANA_TOKEN: TOKEN });
  const methods = () => [...new Set(grafana.seen.map((r) => r.method))].sort();

  beforeAll(async () => {
    grafana = await startFakeGrafana(TOKEN);
    project = await makeProject(applyProjectFiles(`{ grafana: { folderPrefix: "Vigil / " } }`));
  });
  afterAll(async () => {
    await grafana?.stop();
    if (project) await removeProject(project);
  });
  beforeEach(() => {
    grafana.seen.length = 0;
  });

  it("dry run: plans folders and dashboards, sends only GETs, changes nothing", async () => {
    const run = await apply();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("+ create    folder     vigil-payments");
    expect(run.stdout).toContain("+ create    folder     vigil-platform");
    for (const uid of DASHBOARDS) expect(run.stdout).toContain(`+ create    dashboard  ${uid}`);
    expect(run.stderr).toContain("Plan: 7 to create, 0 to update, 0 to delete, 0 unchanged.");
    expect(methods()).toEqual(["GET"]);
    expect(grafana.folders.size + grafana.dashboards.size).toBe(0);
    expect(grafana.seen.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it("--yes: a folder per team, dashboards in them saved with overwrite and the message", async () => {
    const run = await apply("--yes", "--message", "abc1234");
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain("grafana: 5 dashboard change(s) made");
    expect([...grafana.folders.values()].map((f) => [f.uid, f.title]).sort()).toEqual([["vigil-payments", "Vigil / payments"], ["vigil-platform", "Vigil / platform"]]);
    expect([...grafana.dashboards.keys()].sort()).toEqual(DASHBOARDS);
    expect(grafana.dashboards.get("checkout-routes")).toMatchObject({ folderUid: "vigil-payments", message: "abc1234", version: 1 });
    expect(grafana.dashboards.get("db-overview")?.folderUid).toBe("vigil-platform");
    const saves = grafana.seen.filter((r) => r.url === "/api/dashboards/db").map((r) => JSON.parse(r.body) as { overwrite: boolean; dashboard: { id: unknown } });
    expect(saves).toHaveLength(5);
    expect(saves.every((s) => s.overwrite === true && s.dashboard.id === null)).toBe(true);
  });

  it("a second apply finds everything unchanged (id and version ignored) and writes nothing", async () => {
    const run = await apply("--yes");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("Plan: 0 to create, 0 to update, 0 to delete, 7 unchanged.");
    expect(run.stderr).toContain("no changes");
    expect(methods()).toEqual(["GET"]);
    expect(grafana.dashboards.get("checkout-routes")?.version).toBe(1);
  });

  it("saves over a dashboard edited in Grafana, and moves one that sits in another folder", async () => {
    grafana.dashboards.get("checkout-routes")!.dashboard.title = "Edited by hand";
    grafana.folders.set("elsewhere", { uid: "elsewhere", title: "Elsewhere", version: 1 });
    grafana.dashboards.get("db-overview")!.folderUid = "elsewhere";
    const run = await apply("--yes");
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain("~ update    dashboard  checkout-routes");
    expect(run.stdout).toContain("~ update    dashboard  db-overview  (moves to folder vigil-platform)");
    expect(grafana.dashboards.get("checkout-routes")).toMatchObject({ version: 2, dashboard: { title: "Checkout routes" } });
    expect(grafana.dashboards.get("db-overview")?.folderUid).toBe("vigil-platform");
  });

  it("prunes only dashboards tagged vigil that are no longer generated, and only with --prune", async () => {
    grafana.dashboards.set("old-vigil", { dashboard: { uid: "old-vigil", title: "Old", tags: ["vigil"] }, folderUid: "vigil-payments", version: 3, id: 90 });
    grafana.dashboards.set("hand-made", { dashboard: { uid: "hand-made", title: "Hand made", tags: ["ops"] }, folderUid: "vigil-payments", version: 1, id: 91 });
    const kept = await apply("--yes");
    expect(kept.code).toBe(0);
    expect(kept.stdout).toContain("! stale     dashboard  old-vigil  (no longer generated; --prune deletes it)");
    expect(kept.stdout).not.toContain("hand-made");
    expect(grafana.dashboards.has("old-vigil")).toBe(true);

    grafana.seen.length = 0;
    const pruned = await apply("--yes", "--prune");
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toContain("- delete    dashboard  old-vigil");
    expect(grafana.seen.filter((r) => r.method === "DELETE").map((r) => r.url)).toEqual(["/api/dashboards/uid/old-vigil"]);
    expect(grafana.dashboards.has("old-vigil")).toBe(false);
    expect(grafana.dashboards.has("hand-made")).toBe(true);
  });

  it("refuses to save over a dashboard Vigil does not generate that has a generated title in a team folder", async () => {
    grafana.dashboards.set("someone-elses", { dashboard: { uid: "someone-elses", title: "Checkout routes", tags: [] }, folderUid: "vigil-payments", version: 1, id: 92 });
    try {
      const run = await apply("--yes");
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('dashboard "Checkout routes" (uid someone-elses) in folder vigil-payments has the title of a generated dashboard');
      expect(methods()).toEqual(["GET"]);
    } finally {
      grafana.dashboards.delete("someone-elses");
    }
  });

  it("401: exits 1 naming the variable, and never prints the token even when the server echoes it", async () => {
    const run = await vigil(["apply", "--target", "grafana"], project, { VIGIL_GRAFANA_URL: grafana.url, GRAFANA_TOKEN: `${TOKEN}-revoked` });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("HTTP 401: the token in $GRAFANA_TOKEN was refused");
    expect(run.stdout).toContain("invalid API key: Bearer ***");
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
    expect(run.stderr).toContain("nothing applied: a target could not be read");
  });

  it("without the token variable: exits 1 before any request", async () => {
    const run = await vigil(["apply", "--target", "grafana"], project, { VIGIL_GRAFANA_URL: grafana.url, GRAFANA_TOKEN: "" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("grafana: set $GRAFANA_TOKEN to a Grafana service-account token");
    expect(grafana.seen).toEqual([]);
  });

  it("a 500 while saving: exits 1, says how far it got; the next apply finishes the job", async () => {
    await writeFiles(project, { "monitors/checkout.ts": (await import("./project.js")).checkout("10m").replace('title: "Requests"', 'title: "Requests per second"') });
    grafana.dashboards.get("db-overview")!.dashboard.description = "edited";
    grafana.failNext("POST", "/api/dashboards/db", { status: 500, body: { message: "database is locked" } });
    const failed = await apply("--yes");
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/grafana: FAILED: POST http:\/\/127\.0\.0\.1:\d+\/api\/dashboards\/db: HTTP 500: \{"message":"database is locked"\}\. 0 dashboard change\(s\) were made before it/);
    const again = await apply("--yes");
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toContain("grafana: 2 dashboard change(s) made");
  });
});

/** The client on its own, for answers the CLI runs do not reach. */
describe("prepareGrafana against the fake's error answers", () => {
  let grafana: FakeGrafana;
  beforeAll(async () => {
    grafana = await startFakeGrafana(TOKEN);
  });
  afterAll(() => grafana?.stop());
  beforeEach(() => {
    grafana.folders.clear();
    grafana.dashboards.clear();
    grafana.seen.length = 0;
  });

  const dashboard: DesiredDashboard = { team: "payments", uid: "d1", json: { uid: "d1", title: "D1", tags: ["vigil"] } };
  const settings = { url: "", token: TOKEN, tokenEnv: "GRAFANA_TOKEN", folderPrefix: "", message: "m", prune: false };

  it("412 version-mismatch on save is reported with Grafana's status and message, and stops", async () => {
    const target = await prepareGrafana({ ...settings, url: grafana.url }, [dashboard, { ...dashboard, uid: "d2", json: { uid: "d2", title: "D2" } }], () => {});
    grafana.failNext("POST", "/api/dashboards/db", { status: 412, body: { status: "version-mismatch", message: "The dashboard has been changed by someone else" } });
    const outcome = await target.apply(() => {});
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toContain('HTTP 412: {"status":"version-mismatch","message":"The dashboard has been changed by someone else"}');
    expect(grafana.dashboards.size).toBe(0);
  });

  it("404 on a folder or dashboard means create; a folder the server already has (409) is an error", async () => {
    const target = await prepareGrafana({ ...settings, url: grafana.url }, [dashboard], () => {});
    expect(target.changes.map((c) => `${c.kind} ${c.object} ${c.name}`)).toEqual(["create folder vigil-payments", "create dashboard d1"]);
    grafana.folders.set("vigil-payments", { uid: "vigil-payments", title: "raced", version: 1 });
    const outcome = await target.apply(() => {});
    expect(outcome.error).toContain("HTTP 409");
  });

  it("a v2 dashboard resource is refused before any request", async () => {
    await expect(prepareGrafana({ ...settings, url: grafana.url }, [{ ...dashboard, json: { apiVersion: "dashboard.grafana.app/v2beta1", kind: "Dashboard" } }], () => {})).rejects.toThrow(/grafana.schema is "v2"/);
    expect(grafana.seen).toEqual([]);
  });
});
