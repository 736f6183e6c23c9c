import { createServer, type Server } from "node:http";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeOutput } from "../../src/output/write.js";
import { compile } from "../helpers/vigil.js";
import { makeProject, removeProject } from "../helpers/project.js";
import { backfill, listenOnFreePort, metricValue, request, secondsAgo, startAlertmanager, startPrometheus, startWebhookSink, waitFor, type Alertmanager, type Prometheus, type WebhookSink } from "./harness/index.js";

/**
 * Monitors compiled by Vigil, on a real Prometheus 2.42 and Alertmanager 0.25 on 127.0.0.1:
 * alerts reach the receivers the routing says, resolve, the page inhibits the ticket, and a
 * broken config pushed with /-/reload is refused while the old one keeps working. Receivers
 * are pointed at a local webhook sink with the documented `alertmanager.redirectReceivers`.
 */
const files = (sink: string): Record<string, string> => ({
  "vigil.config.ts": `import { defineConfig } from "vigil";
export default defineConfig({
  prometheus: { evaluationInterval: "1s" },
  alertmanager: {
    groupWait: "1s", groupInterval: "1s",
    // The ticket waits longer than the page, as real timings do: the SLO's page and ticket fire
    // at about the same evaluation, and the page must reach Alertmanager before the ticket's
    // group is sent for the inhibition to hold (1s was a race on a loaded machine).
    timing: { page: { groupWait: "1s", groupInterval: "1s", repeatInterval: "1h" }, ticket: { groupWait: "8s", groupInterval: "1s", repeatInterval: "1h" } },
    redirectReceivers: "${sink}",
  },
});
`,
  "monitors/teams.ts": `import { defineTeam } from "vigil";
export const shop = defineTeam({
  name: "shop",
  receivers: {
    page: { pagerduty: { routingKeyFile: "/etc/alertmanager/secrets/shop-pd" } },
    ticket: { slack: { channel: "#shop", apiUrlFile: "/etc/alertmanager/secrets/slack" } },
  },
});
`,
  "monitors/queue.ts": `import { defineService, gauge, promql } from "vigil";
import { shop } from "./teams";
const depth = gauge("queue_depth", { labels: ["queue"] });
const backlog = (severity: "page" | "ticket", threshold: number) => ({
  name: "QueueBacklog",
  expr: promql\`max by (queue) (\${depth.where({ queue: "orders" })}) > \${threshold}\`,
  severity,
  summary: "The orders queue is backing up.",
  description: "{{ $value }} messages wait.",
  runbook: { triage: ["Look at the consumers."], mitigation: ["Scale the consumers up."] },
  // Fires at the first evaluation so that the test sees it within seconds.
  suppress: { "paging-alert-for": "an end-to-end test, not a real page" },
});
export default defineService({ name: "queue", team: shop, metrics: [depth], alerts: [backlog("ticket", 100), backlog("page", 1000)] });
`,
  "monitors/api.ts": `import { counter, defineService } from "vigil";
import { shop } from "./teams";
const requests = counter("http_requests_total", { labels: ["service", "code"] });
export default defineService({
  name: "api",
  team: shop,
  metrics: [requests],
  slos: [{ name: "availability", objective: 99.9, sli: { errors: requests.where({ service: "api", code: /5../ }), total: requests.where({ service: "api" }) } }],
});
`,
});

type AmAlert = { labels: Record<string, string>; status: { inhibitedBy: string[] } };
/** Alertmanager's own API (v2 answers a bare array, not Prometheus' envelope). */
const amAlerts = async (url: string): Promise<AmAlert[]> => JSON.parse((await request(`${url}/api/v2/alerts`)).text) as AmAlert[];

describe("alerts on a real Prometheus and Alertmanager", () => {
  let project: string;
  let dataDir: string;
  let metrics: Server;
  let depth = 500;
  let sink: WebhookSink;
  let prometheus: Prometheus;
  let alertmanager: Alertmanager;
  let out: string;

  beforeAll(async () => {
    sink = await startWebhookSink();
    project = await makeProject(files(sink.url));
    const result = await compile({ cwd: project });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    out = path.join(project, "generated");
    await writeOutput(out, result.files);

    // The queue is scraped from a local /metrics; the API's traffic is two hours of history at 15x burn.
    metrics = createServer((_, res) => res.end(`# TYPE queue_depth gauge\nqueue_depth{queue="orders"} ${depth}\n`));
    const port = await listenOnFreePort(metrics);
    dataDir = await mkdtemp(path.join(tmpdir(), "vigil-e2e-alerting-"));
    const start = secondsAgo(2 * 3600);
    await backfill(dataDir, [
      { name: "http_requests_total", type: "counter", labels: { service: "api", code: "500" }, start, stepSeconds: 15, value: (t) => 1.5 * (t - start) },
      { name: "http_requests_total", type: "counter", labels: { service: "api", code: "200" }, start, stepSeconds: 15, value: (t) => 98.5 * (t - start) },
    ]);

    alertmanager = await startAlertmanager({ configFile: path.join(out, "alertmanager/alertmanager.yaml") });
    prometheus = await startPrometheus({
      ruleFiles: [path.join(out, "prometheus/shop/queue.rules.yaml"), path.join(out, "prometheus/shop/api.slo.rules.yaml")],
      alertmanagerUrl: alertmanager.url,
      dataDir,
      extraConfig: { scrape_configs: [{ job_name: "app", static_configs: [{ targets: [`127.0.0.1:${port}`] }] }] },
    });
  });

  afterAll(async () => {
    await prometheus?.stop();
    await alertmanager?.stop();
    await sink?.stop();
    await new Promise((resolve) => metrics?.close(resolve));
    await rm(dataDir, { recursive: true, force: true });
    await removeProject(project);
  });

  it("sends a ticket to the ticket receiver, and nothing to the page receiver, below the page threshold", async () => {
    const { alert } = await sink.waitForAlert({ alertname: "QueueBacklog", status: "firing", path: "/shop-ticket", timeoutMs: 30_000 });
    expect(alert.labels).toMatchObject({ severity: "ticket", team: "shop", service: "queue", queue: "orders" });
    expect(sink.notifications("/shop-page").some((n) => n.body.alerts.some((a) => a.labels.alertname === "QueueBacklog"))).toBe(false);
  });

  it("routes the SLO's fast-burn page to the page receiver, and inhibits its ticket", async () => {
    const { alert } = await sink.waitForAlert({ alertname: "ApiAvailabilityErrorBudgetBurn", status: "firing", path: "/shop-page", timeoutMs: 30_000 });
    expect(alert.labels).toMatchObject({ severity: "page", slo: "availability", service: "api" });
    const alerts = await amAlerts(alertmanager.url);
    const ticket = alerts.find((a) => a.labels.alertname === "ApiAvailabilityErrorBudgetBurn" && a.labels.severity === "ticket");
    expect(ticket?.status.inhibitedBy.length).toBeGreaterThan(0);
    expect(sink.notifications("/shop-ticket").some((n) => n.body.alerts.some((a) => a.labels.alertname === "ApiAvailabilityErrorBudgetBurn"))).toBe(false);
  });

  it("pages when the queue passes the page threshold, and inhibits the queue's ticket meanwhile", async () => {
    const since = Date.now();
    depth = 1500;
    await sink.waitForAlert({ alertname: "QueueBacklog", status: "firing", path: "/shop-page", since, timeoutMs: 30_000 });
    await waitFor(async () => {
      const alerts = await amAlerts(alertmanager.url);
      return alerts.find((a) => a.labels.alertname === "QueueBacklog" && a.labels.severity === "ticket")?.status.inhibitedBy.length;
    }, { timeoutMs: 15_000, what: "the queue ticket to be inhibited by the page", processes: [alertmanager.process] });
  });

  it("refuses a broken config on /-/reload and keeps routing with the old one", async () => {
    const configFile = path.join(out, "alertmanager/alertmanager.yaml");
    const good = (await import("node:fs/promises")).readFile(configFile, "utf8");
    await writeFile(configFile, "route:\n  receiver: nobody\nreceivers: []\n");
    const reload = await alertmanager.reload();
    expect(reload.status).toBe(500);
    expect(metricValue((await request(`${alertmanager.url}/metrics`)).text, "alertmanager_config_last_reload_successful")).toBe(0);
    await writeFile(configFile, await good);

    // The old config still routes: the page resolves at the page receiver.
    const since = Date.now();
    depth = 10;
    const { alert } = await sink.waitForAlert({ alertname: "QueueBacklog", status: "resolved", path: "/shop-page", since, timeoutMs: 30_000 });
    expect(alert.labels.severity).toBe("page");
  });
});
