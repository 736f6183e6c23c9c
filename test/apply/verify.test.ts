import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MANIFEST } from "../../src/apply/files.js";
import { makeProject, removeProject, snapshotDir, writeFiles } from "../helpers/project.js";
import { vigil } from "./cli.js";
import { rulesAnswer, startFakeAlertmanager, startFakePrometheus, type FakeAlertmanager, type FakePrometheus } from "./fakes/prometheus.js";
import { applyProjectFiles, checkout } from "./project.js";

/**
 * `vigil apply --target prometheus,alertmanager` against FAKE servers, for answers a real
 * Prometheus or Alertmanager would not give on demand: a /api/v1/rules without data.groups, an
 * old copy of the rule files served from another directory, a status without config.original.
 * What must hold: apply fails (exit 1) with a sentence naming what differs and where, never a
 * raw JavaScript error, and the files it wrote are rolled back.
 */
describe("vigil apply verifies what Prometheus and Alertmanager loaded (fake servers)", () => {
  let work: string;
  let rulesDir: string;
  let oldDir: string;
  let amFile: string;
  let project: string;
  let prometheus: FakePrometheus;
  let alertmanager: FakeAlertmanager;

  const apply = (...args: string[]) => vigil(["apply", ...args], project, { VIGIL_PROMETHEUS_URL: prometheus.url, VIGIL_ALERTMANAGER_URL: alertmanager.url });
  const teams = (repeatInterval: string) => `import { defineTeam } from "vigil";
export const payments = defineTeam({ name: "payments", repeatInterval: "${repeatInterval}", receivers: { ticket: { webhook: { url: "http://127.0.0.1:9/hook" } } } });
export const platform = defineTeam({ name: "platform", receivers: { ticket: { webhook: { url: "http://127.0.0.1:9/hook" } } } });
`;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), "vigil-apply-verify-"));
    rulesDir = path.join(work, "rules");
    oldDir = path.join(work, "old");
    amFile = path.join(work, "alertmanager.yml");
    await mkdir(rulesDir);
    await writeFile(amFile, "route:\n  receiver: initial\nreceivers:\n  - name: initial\n");
    project = await makeProject({
      ...applyProjectFiles(`{ prometheus: { rulesDir: ${JSON.stringify(rulesDir)} }, alertmanager: { configFile: ${JSON.stringify(amFile)} } }`),
      "monitors/teams.ts": teams("4h"),
    });
    prometheus = await startFakePrometheus([rulesDir]);
    alertmanager = await startFakeAlertmanager(amFile);
  });
  afterAll(async () => {
    await prometheus?.stop();
    await alertmanager?.stop();
    if (project) await removeProject(project);
    if (work) await rm(work, { recursive: true, force: true });
  });
  beforeEach(async () => {
    prometheus.dirs = [rulesDir];
    prometheus.rules = undefined;
    alertmanager.original = () => readFileSync(amFile, "utf8");
    await writeFiles(project, { "monitors/checkout.ts": checkout("5m"), "monitors/teams.ts": teams("4h") });
  });

  it("applies and verifies when the servers load what was written", async () => {
    const run = await apply("--yes");
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain("prometheus: reloaded; 3 rule groups loaded");
    expect(run.stdout).toContain("alertmanager: reloaded");
  });

  it("/api/v1/rules without data.groups: a sentence naming the answer, exit 1, rolled back", async () => {
    await writeFiles(project, { "monitors/checkout.ts": checkout("6m") });
    const before = await snapshotDir(rulesDir);
    prometheus.rules = () => ({ status: 200, body: { status: "success", data: {} } });
    const run = await apply("--yes", "--target", "prometheus");
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain("is not iterable");
    expect(run.stdout).toContain(`prometheus: FAILED: Prometheus answered GET ${prometheus.url}/api/v1/rules without data.groups: is ${prometheus.url} a Prometheus server? Answer: {"status":"success","data":{}}. Rolled back`);
    expect(await snapshotDir(rulesDir)).toEqual(before);
  });

  it("an older copy of the rule files served from another directory (rule_files elsewhere) fails, naming the files", async () => {
    // The old directory holds what the last apply wrote; Prometheus reads only that one now.
    await mkdir(oldDir, { recursive: true });
    for (const [file, content] of Object.entries(await snapshotDir(rulesDir))) await writeFile(path.join(oldDir, file), content);
    prometheus.dirs = [oldDir];
    await writeFiles(project, { "monitors/checkout.ts": checkout("10m") });
    const before = await snapshotDir(rulesDir);
    const run = await apply("--yes", "--target", "prometheus");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `prometheus: FAILED: Prometheus reloaded but serves rule group checkout.rules from ${oldDir}/payments.checkout.rules.yaml, not from ${rulesDir}/payments.checkout.rules.yaml where apply wrote it (and 2 more problems): do its rule_files cover the rules directory? Rolled back`,
    );
    expect(await snapshotDir(rulesDir)).toEqual(before);
  });

  it("the right file but other rules (a reload that did not take) fails, naming group, file and rule", async () => {
    const stale = rulesAnswer([rulesDir]);
    prometheus.rules = () => ({ status: 200, body: stale });
    await writeFiles(project, { "monitors/checkout.ts": checkout("10m") });
    const run = await apply("--yes", "--target", "prometheus");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`prometheus: FAILED: Prometheus reloaded but rule group checkout.alerts in ${rulesDir}/payments.checkout.rules.yaml is not what apply wrote: alert CheckoutErrors: for is 5m in Prometheus, 10m in the file. Rolled back`);
  });

  it("a corrupt manifest names the file and how to fix it: exit 1, nothing applied", async () => {
    const manifest = path.join(rulesDir, MANIFEST);
    const saved = await readFile(manifest, "utf8");
    try {
      for (const [content, problem] of [["{,", "is not valid JSON ("], ["[]", 'has no "files" object']] as const) {
        await writeFile(manifest, content);
        const run = await apply("--yes", "--target", "prometheus");
        expect(run.code).toBe(1);
        expect(run.stdout).toContain(`  error: ${manifest} ${problem}`);
        expect(run.stdout).toContain("It is Vigil's record of the rule files apply wrote in");
        expect(run.stdout).toContain("or delete it together with Vigil's rule files beside it (<team>.<service>.rules.yaml and .slo.rules.yaml, each starting \"# Generated by Vigil\"), which the next apply writes again");
        expect(run.stderr).toContain("nothing applied");
      }
    } finally {
      await writeFile(manifest, saved);
    }
  });

  it("Alertmanager serving a config other than the file written (another --config.file) fails, naming the route and field", async () => {
    const previous = await readFile(amFile, "utf8");
    alertmanager.original = () => previous;
    await writeFiles(project, { "monitors/teams.ts": teams("2h") });
    const run = await apply("--yes", "--target", "alertmanager");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'alertmanager: FAILED: Alertmanager reloaded but /api/v2/status shows another config (route team="payments": repeat_interval is 4h in Alertmanager, 2h in the file): is --config.file the file apply writes? Rolled back',
    );
    expect(await readFile(amFile, "utf8")).toBe(previous);
  });

  it("an /api/v2/status without config.original: a sentence, exit 1", async () => {
    alertmanager.original = () => undefined;
    await writeFiles(project, { "monitors/teams.ts": teams("2h") });
    const run = await apply("--yes", "--target", "alertmanager");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`alertmanager: FAILED: Alertmanager answered GET ${alertmanager.url}/api/v2/status without config.original: is ${alertmanager.url} an Alertmanager?`);
  });
});
