import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MANIFEST, readOwnedFiles } from "../../src/apply/files.js";
import { preparePrometheus } from "../../src/apply/prometheus.js";
import { makeProject, removeProject, snapshotDir, writeFiles } from "../helpers/project.js";
import { vigil } from "../apply/cli.js";
import { metricValue, request, startAlertmanager, startPrometheus, type Alertmanager, type Prometheus } from "./harness/index.js";

/**
 * `vigil apply` against a real Prometheus 2.42 and Alertmanager 0.25 on 127.0.0.1: the dry run
 * changes nothing, --yes writes Vigil's rule files and the Alertmanager config, reloads and
 * verifies, a second run has nothing to do, stale files Vigil owns go and others' stay, and a
 * config the server refuses (or rules it does not load) is rolled back with exit 1.
 */
const teams = (receiver: string) => `import { defineTeam } from "vigil";
export const payments = defineTeam({ name: "payments", receivers: { page: ${receiver} } });
`;
const WEBHOOK = '{ webhook: { url: "http://127.0.0.1:9/hook" } }';

const files = (rulesDir: string, amFile: string, amVersion = "0.25"): Record<string, string> => ({
  "vigil.config.ts": `import { defineConfig } from "vigil";
export default defineConfig({
  alertmanager: { version: "${amVersion}" },
  apply: { prometheus: { rulesDir: ${JSON.stringify(rulesDir)} }, alertmanager: { configFile: ${JSON.stringify(amFile)} } },
});
`,
  "monitors/teams.ts": teams(WEBHOOK),
  "monitors/checkout.ts": `import { counter, defineService } from "vigil";
import { payments } from "./teams";
const requests = counter("http_requests_total", { labels: ["service", "code"] });
export default defineService({
  name: "checkout",
  team: payments,
  metrics: [requests],
  alerts: [{ name: "CheckoutDown", expr: 'up{job="checkout"} == 0', for: "5m", severity: "page", summary: "Checkout is down.", description: "{{ $labels.instance }} is down.",
    runbook: { triage: ["Check the last deploy."], mitigation: ["Roll it back."] } }],
});
`,
  "monitors/cart.ts": `import { counter, defineService, promql } from "vigil";
import { payments } from "./teams";
const carts = counter("carts_created_total", { labels: ["service"] });
export default defineService({
  name: "cart",
  team: payments,
  metrics: [carts],
  recordingRules: [{ record: "service:carts_created:rate5m", expr: promql\`sum by (service) (rate(\${carts.where({})}[5m]))\` }],
});
`,
});

/** A hand-written Alertmanager config, as on a server before Vigil manages it. */
const INITIAL_AM = `route:
  receiver: initial
receivers:
  - name: initial
`;
/** A rule file someone else put in the rules directory: apply must never touch it. */
const FOREIGN_RULES = `groups:
  - name: hand.written
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
`;

describe("vigil apply on a real Prometheus and Alertmanager", () => {
  let work: string;
  let rulesDir: string;
  let amFile: string;
  let project: string;
  let prometheus: Prometheus;
  let alertmanager: Alertmanager;
  let env: Record<string, string>;

  const apply = (...args: string[]) => vigil(["apply", ...args], project, env);
  const groups = async () => (await prometheus.rules()).map((g) => g.name).sort();
  const reloadedAt = async () => metricValue((await request(`${prometheus.url}/metrics`)).text, "prometheus_config_last_reload_success_timestamp_seconds");
  const amStatus = async () => JSON.parse((await request(`${alertmanager.url}/api/v2/status`)).text) as { config: { original: string } };
  const amReloadOk = async () => metricValue((await request(`${alertmanager.url}/metrics`)).text, "alertmanager_config_last_reload_successful");

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), "vigil-apply-e2e-"));
    rulesDir = path.join(work, "rules");
    amFile = path.join(work, "alertmanager.yml");
    await mkdir(rulesDir, { recursive: true });
    await writeFile(path.join(rulesDir, "hand-written.rules.yaml"), FOREIGN_RULES);
    await writeFile(amFile, INITIAL_AM);
    project = await makeProject(files(rulesDir, amFile));
    alertmanager = await startAlertmanager({ configFile: amFile });
    // rule_files as the README says: every *.rules.yaml in the rules directory (Vigil's and others').
    prometheus = await startPrometheus({ ruleFiles: [path.join(rulesDir, "*.rules.yaml")] });
    env = { VIGIL_PROMETHEUS_URL: prometheus.url, VIGIL_ALERTMANAGER_URL: alertmanager.url };
  });
  afterAll(async () => {
    await prometheus?.stop();
    await alertmanager?.stop();
    if (project) await removeProject(project);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("dry run: prints the plan, writes no file and reloads nothing", async () => {
    const before = await snapshotDir(work);
    const reloaded = await reloadedAt();
    const run = await apply();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^prometheus {2}http:\/\/127\.0\.0\.1:\d+, rules in .*\/rules$/m);
    expect(run.stdout).toContain("+ create    file  payments.checkout.rules.yaml");
    expect(run.stdout).toContain("+ create    file  payments.cart.rules.yaml");
    expect(run.stdout).toContain(`~ update    file  ${amFile}`);
    expect(run.stdout).not.toContain("hand-written");
    expect(run.stderr).toContain("Plan: 2 to create, 1 to update, 0 to delete, 0 unchanged.");
    expect(run.stderr).toContain("dry run: nothing was changed; run with --yes to apply");
    expect(await snapshotDir(work)).toEqual(before);
    expect(await reloadedAt()).toBe(reloaded);
  });

  it("--yes writes Vigil's files and the Alertmanager config, reloads both and verifies them", async () => {
    const run = await apply("--yes");
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stderr).toContain("prometheus: reloading");
    expect(run.stdout).toContain("prometheus: reloaded; 2 rule groups loaded");
    expect(run.stdout).toContain("alertmanager: reloaded");
    expect(await groups()).toEqual(["cart.rules", "checkout.alerts", "hand.written"]);
    const manifest = JSON.parse(await readFile(path.join(rulesDir, MANIFEST), "utf8")) as { files: Record<string, string> };
    expect(Object.keys(manifest.files)).toEqual(["payments.cart.rules.yaml", "payments.checkout.rules.yaml"]);
    expect(await readFile(path.join(rulesDir, "hand-written.rules.yaml"), "utf8")).toBe(FOREIGN_RULES);
    expect((await amStatus()).config.original).toContain("payments-page");
    expect(await amReloadOk()).toBe(1);
  });

  it("a second apply has nothing to do: no write, no reload", async () => {
    const before = await snapshotDir(work);
    const reloaded = await reloadedAt();
    const run = await apply("--yes");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("Plan: 0 to create, 0 to update, 0 to delete, 3 unchanged.");
    expect(run.stderr).toContain("no changes: everything is up to date");
    expect(await snapshotDir(work)).toEqual(before);
    expect(await reloadedAt()).toBe(reloaded);
  });

  it("a removed service's rule file is deleted; the file Vigil did not write stays", async () => {
    await rm(path.join(project, "monitors/cart.ts"));
    try {
      const run = await apply("--yes", "--target", "prometheus");
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toContain("- delete    file  payments.cart.rules.yaml");
      expect(run.stdout).not.toContain("alertmanager");
      expect(await groups()).toEqual(["checkout.alerts", "hand.written"]);
      expect(Object.keys(await snapshotDir(rulesDir)).sort()).toEqual([MANIFEST, "hand-written.rules.yaml", "payments.checkout.rules.yaml"]);
    } finally {
      await writeFiles(project, { "monitors/cart.ts": files(rulesDir, amFile)["monitors/cart.ts"]! });
    }
  });

  it("a config Alertmanager refuses is rolled back: previous file restored and reloaded, exit 1", async () => {
    const previous = await readFile(amFile, "utf8");
    // Monitors written for Alertmanager 0.26 (msteams) against the 0.25 server: a real mismatch.
    await writeFiles(project, { "vigil.config.ts": files(rulesDir, amFile, "0.26")["vigil.config.ts"]!, "monitors/teams.ts": teams('{ msteams: { webhookUrlFile: "/etc/alertmanager/secrets/teams" } }') });
    try {
      const run = await apply("--yes", "--target", "alertmanager");
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/alertmanager: FAILED: Alertmanager refused the config \(POST \/-\/reload: HTTP 500\): .*msteams_configs.*Rolled back: the previous config is restored and Alertmanager reloaded it\./s);
      expect(await readFile(amFile, "utf8")).toBe(previous);
      expect(await amReloadOk()).toBe(1);
      expect((await amStatus()).config.original).toContain("payments-page");
    } finally {
      await writeFiles(project, { "vigil.config.ts": files(rulesDir, amFile)["vigil.config.ts"]!, "monitors/teams.ts": teams(WEBHOOK) });
    }
  });

  it("rule files Prometheus refuses are rolled back (a corrupted file injected into apply's input)", async () => {
    const before = await snapshotDir(rulesDir);
    const loaded = await groups();
    // The test hook: apply's own entry point given a desired state with one broken rule file.
    const { owned } = await readOwnedFiles(rulesDir, []);
    const desired = new Map(owned);
    desired.set("payments.checkout.rules.yaml", owned.get("payments.checkout.rules.yaml")!.replace(/expr: .*/, "expr: sum(("));
    desired.set("payments.new.rules.yaml", "groups:\n  - name: new.rules\n    rules:\n      - record: x:up:sum\n        expr: sum(up)\n");
    const steps: string[] = [];
    const target = await preparePrometheus({ url: prometheus.url, rulesDir }, desired, (s) => steps.push(s));
    expect(target.changes.map((c) => `${c.kind} ${c.name}`)).toEqual(["update payments.checkout.rules.yaml", "create payments.new.rules.yaml"]);
    const outcome = await target.apply((s) => steps.push(s));
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/^Prometheus refused the rules \(POST \/-\/reload: HTTP 500\): .*Rolled back: the previous rule files are restored and Prometheus reloaded them\.$/s);
    expect(steps).toContain("prometheus: rolling back");
    expect(await snapshotDir(rulesDir)).toEqual(before);
    expect(await prometheus.metric("prometheus_config_last_reload_successful")).toBe(1);
    expect(await groups()).toEqual(loaded);
  });

  it("rules Prometheus does not load (rule_files miss the directory) fail verification and are rolled back", async () => {
    const before = await snapshotDir(rulesDir);
    expect((await prometheus.setRuleFiles([path.join(work, "elsewhere/*.yaml")])).status).toBe(200);
    await writeFiles(project, { "monitors/checkout.ts": files(rulesDir, amFile)["monitors/checkout.ts"]!.replace('for: "5m"', 'for: "10m"') });
    try {
      const run = await apply("--yes", "--target", "prometheus");
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("~ update    file  payments.checkout.rules.yaml");
      expect(run.stdout).toContain("prometheus: FAILED: Prometheus reloaded but does not list 2 expected rule group(s) (cart.rules, checkout.alerts) as written: do its rule_files cover the rules directory?");
      expect(run.stdout).toContain("Rolled back: the previous rule files are restored and Prometheus reloaded them.");
      expect(await snapshotDir(rulesDir)).toEqual(before);
    } finally {
      await writeFiles(project, { "monitors/checkout.ts": files(rulesDir, amFile)["monitors/checkout.ts"]! });
      await prometheus.setRuleFiles([path.join(rulesDir, "*.rules.yaml")]);
    }
  });

  it("monitors with errors: exit 1 and nothing applied", async () => {
    const before = await snapshotDir(work);
    await writeFiles(project, { "monitors/checkout.ts": files(rulesDir, amFile)["monitors/checkout.ts"]!.replace('for: "5m"', 'for: "five minutes"') });
    try {
      const run = await apply("--yes");
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("[invalid-duration]");
      expect(run.stderr).toContain("nothing applied");
      expect(await snapshotDir(work)).toEqual(before);
    } finally {
      await writeFiles(project, { "monitors/checkout.ts": files(rulesDir, amFile)["monitors/checkout.ts"]! });
    }
  });
});
