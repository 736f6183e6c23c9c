import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { glob } from "tinyglobby";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareAlertmanager } from "../../src/apply/alertmanager.js";
import { preparePrometheus } from "../../src/apply/prometheus.js";
import { makeProject, REPO_ROOT, removeProject, snapshotDir, writeFiles } from "../helpers/project.js";
import { vigil } from "../apply/cli.js";
import { request, startAlertmanager, startPrometheus, type Alertmanager, type Prometheus } from "./harness/index.js";

/**
 * What `vigil apply` checks after a reload, against a real Prometheus 2.42 and Alertmanager
 * 0.25 on 127.0.0.1: the rules Prometheus serves must come from the files apply wrote and say
 * what they say, and the config Alertmanager serves must have the route tree, inhibit rules and
 * receivers apply wrote. A rules directory or config file the server does not read fails and
 * is rolled back even when the names match; the servers' re-printing of what they load (PromQL
 * re-formatted, durations respelled, defaults added, secrets hidden) is not a difference,
 * down to the example repository's whole output.
 */
const config = (rulesDir: string, amFile: string) => `import { defineConfig } from "vigil";
export default defineConfig({
  alertmanager: { version: "0.25", timing: { page: { groupWait: "10s", repeatInterval: "1h" } } },
  apply: { prometheus: { rulesDir: ${JSON.stringify(rulesDir)} }, alertmanager: { configFile: ${JSON.stringify(amFile)} } },
});
`;
const teams = (repeatInterval: string) => `import { defineTeam } from "vigil";
export const payments = defineTeam({
  name: "payments",
  repeatInterval: "${repeatInterval}",
  groupBy: ["alertname", "service", "instance"],
  receivers: { page: { webhook: { url: "http://127.0.0.1:9/page" } }, ticket: { webhook: { url: "http://127.0.0.1:9/ticket" } } },
});
`;
const checkout = (threshold: number) => `import { counter, defineService } from "vigil";
import { payments } from "./teams";
const requests = counter("http_requests_total", { labels: ["service", "code"] });
export default defineService({
  name: "checkout",
  team: payments,
  metrics: [requests],
  alerts: [{ name: "CheckoutErrors", expr: 'sum(rate(http_requests_total{service="checkout", code=~"5.."}[5m])) by (service) > ${threshold}', for: "5m", severity: "ticket",
    summary: "Checkout fails.", description: "{{ $value }} errors per second." }],
});
`;
const CART = `import { counter, defineService } from "vigil";
import { payments } from "./teams";
const carts = counter("carts_created_total", { labels: ["service"] });
export default defineService({
  name: "cart",
  team: payments,
  metrics: [carts],
  recordingRules: [{ record: "service:carts_created:rate5m", expr: 'sum(rate(carts_created_total{service="cart"}[5m])) by (service)' }],
});
`;

describe("vigil apply verifies what a real Prometheus serves", () => {
  let work: string;
  let rules: string;
  let rules2: string;
  let link: string;
  let project: string;
  let prometheus: Prometheus;

  const apply = () => vigil(["apply", "--yes", "--target", "prometheus"], project, { VIGIL_PROMETHEUS_URL: prometheus.url });
  const setup = (rulesDir: string, threshold: number) => writeFiles(project, { "vigil.config.ts": config(rulesDir, path.join(work, "unused.yml")), "monitors/checkout.ts": checkout(threshold) });
  /** The query of CheckoutErrors as Prometheus serves it, and the file it comes from. */
  const served = async () => {
    const group = (await prometheus.rules()).find((g) => g.name === "checkout.alerts")!;
    return { file: group.file, query: group.rules[0]!.query };
  };

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), "vigil-apply-verify-e2e-"));
    rules = path.join(work, "rules");
    rules2 = path.join(work, "rules2");
    link = path.join(work, "link");
    await mkdir(rules);
    await symlink(rules, link);
    project = await makeProject({ "vigil.config.ts": config(rules, path.join(work, "unused.yml")), "monitors/teams.ts": teams("3h"), "monitors/checkout.ts": checkout(1), "monitors/cart.ts": CART });
    prometheus = await startPrometheus({ ruleFiles: [path.join(rules, "*.rules.yaml")] });
    const first = await apply();
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toContain("prometheus: reloaded; 2 rule groups loaded");
  });
  afterAll(async () => {
    await prometheus?.stop();
    if (project) await removeProject(project);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("rulesDir moved to a directory Prometheus does not read, threshold changed: fails naming both files, rolled back", async () => {
    await setup(rules2, 2);
    try {
      const run = await apply();
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("+ create    file  payments.checkout.rules.yaml");
      expect(run.stdout).toMatch(
        new RegExp(`prometheus: FAILED: Prometheus reloaded but serves rule group (checkout\\.alerts|cart\\.rules) from ${rules}/payments\\.(checkout|cart)\\.rules\\.yaml, not from ${rules2}/payments\\.(checkout|cart)\\.rules\\.yaml where apply wrote it \\(and 1 more problem\\): do its rule_files cover the rules directory\\? Rolled back: the previous rule files are restored and Prometheus reloaded them\\.`),
      );
      expect(await snapshotDir(rules2)).toEqual({});
      expect(await served()).toEqual({ file: `${rules}/payments.checkout.rules.yaml`, query: 'sum by (service) (rate(http_requests_total{code=~"5..",service="checkout"}[5m])) > 1' });
    } finally {
      await setup(rules, 1);
    }
  });

  it("the same rules written to a directory Prometheus does not read fail too (names and counts match)", async () => {
    await setup(rules2, 1);
    try {
      const run = await apply();
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`not from ${rules2}/payments.`);
      expect(await snapshotDir(rules2)).toEqual({});
    } finally {
      await setup(rules, 1);
    }
  });

  it("a rules directory reached through a symbolic link, on either side, is the file Prometheus reads", async () => {
    await setup(link, 3);
    try {
      const run = await apply();
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(await served()).toEqual({ file: `${rules}/payments.checkout.rules.yaml`, query: 'sum by (service) (rate(http_requests_total{code=~"5..",service="checkout"}[5m])) > 3' });

      expect((await prometheus.setRuleFiles([path.join(link, "*.rules.yaml")])).status).toBe(200);
      await setup(rules, 4);
      const again = await apply();
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(await served()).toEqual({ file: `${link}/payments.checkout.rules.yaml`, query: 'sum by (service) (rate(http_requests_total{code=~"5..",service="checkout"}[5m])) > 4' });
    } finally {
      await prometheus.setRuleFiles([path.join(rules, "*.rules.yaml")]);
      await setup(rules, 1);
    }
  });

  it("the example repository's rule files (every PromQL construct it uses, as 2.42 re-prints them) verify without a difference", async () => {
    const example = path.join(work, "example");
    const desired = new Map<string, string>();
    for (const file of await glob("prometheus/**/*.rules.yaml", { cwd: path.join(REPO_ROOT, "generated") })) {
      desired.set(file.slice("prometheus/".length).split("/").join("."), await readFile(path.join(REPO_ROOT, "generated", file), "utf8"));
    }
    expect(desired.size).toBeGreaterThan(5);
    expect((await prometheus.setRuleFiles([path.join(example, "*.rules.yaml")])).status).toBe(200);
    try {
      const target = await preparePrometheus({ url: prometheus.url, rulesDir: example }, desired, () => {});
      const outcome = await target.apply(() => {});
      expect(outcome, JSON.stringify(outcome)).toMatchObject({ ok: true });
      expect(outcome.notes[0]).toMatch(/^reloaded; \d+ rule groups loaded$/);
    } finally {
      await prometheus.setRuleFiles([path.join(rules, "*.rules.yaml")]);
    }
  });
});

describe("vigil apply verifies what a real Alertmanager serves", () => {
  let work: string;
  let readFileAm: string;
  let otherFile: string;
  let project: string;
  let alertmanager: Alertmanager;

  const apply = () => vigil(["apply", "--yes", "--target", "alertmanager"], project, { VIGIL_ALERTMANAGER_URL: alertmanager.url });
  const original = async () => (JSON.parse((await request(`${alertmanager.url}/api/v2/status`)).text) as { config: { original: string } }).config.original;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), "vigil-apply-verify-am-"));
    readFileAm = path.join(work, "alertmanager.yml");
    otherFile = path.join(work, "other.yml");
    await writeFile(readFileAm, "route:\n  receiver: initial\nreceivers:\n  - name: initial\n");
    project = await makeProject({ "vigil.config.ts": config(path.join(work, "rules"), readFileAm), "monitors/teams.ts": teams("3h"), "monitors/checkout.ts": checkout(1) });
    alertmanager = await startAlertmanager({ configFile: readFileAm });
  });
  afterAll(async () => {
    await alertmanager?.stop();
    if (project) await removeProject(project);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("the config file Alertmanager reads: applied and verified (its re-serialisation is no difference)", async () => {
    const run = await apply();
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain("alertmanager: reloaded");
    expect(await original()).toContain("repeat_interval: 3h");
  });

  it("configFile Alertmanager does not read, a team's repeatInterval changed: fails naming the route, rolled back", async () => {
    const served = await original();
    await writeFile(otherFile, await readFile(readFileAm, "utf8"));
    await writeFiles(project, { "vigil.config.ts": config(path.join(work, "rules"), otherFile), "monitors/teams.ts": teams("2h") });
    try {
      const previous = await readFile(otherFile, "utf8");
      const run = await apply();
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        'alertmanager: FAILED: Alertmanager reloaded but /api/v2/status shows another config (route team="payments": repeat_interval is 3h in Alertmanager, 2h in the file): is --config.file the file apply writes? Rolled back: the previous config is restored and Alertmanager reloaded it.',
      );
      expect(await readFile(otherFile, "utf8")).toBe(previous);
      expect(await original()).toBe(served);
    } finally {
      await writeFiles(project, { "vigil.config.ts": config(path.join(work, "rules"), readFileAm), "monitors/teams.ts": teams("3h") });
    }
  });

  it("the example repository's Alertmanager config (time intervals, inhibitions, every integration kind) verifies without a difference", async () => {
    const desired = await readFile(path.join(REPO_ROOT, "generated/alertmanager/alertmanager.yaml"), "utf8");
    const target = await prepareAlertmanager({ url: alertmanager.url, configFile: readFileAm }, desired, () => {});
    const outcome = await target.apply(() => {});
    expect(outcome, JSON.stringify(outcome)).toEqual({ ok: true, notes: ["reloaded"] });
    expect(await original()).toContain("db-maintenance");
  });
});
