import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchLiveCatalog, LiveCatalogError, liveCatalogProblems, type LiveCatalog, type UsedMetric } from "../../src/lint/live-catalog.js";
import { runCli } from "../helpers/cli.js";
import { BASE_FILES, makeProject, removeProject } from "../helpers/project.js";
import { backfill, freePort, isAlive, prometheusConfig, secondsAgo, startedPids, startPrometheus, waitFor, type Prometheus } from "./harness/index.js";

/**
 * The live catalog against a real Prometheus 2.42 on 127.0.0.1: backfilled series (names and
 * labels, no metadata: blocks carry none) and Prometheus scraping itself (its own metrics with
 * metadata: types and help).
 */
describe("live catalog from a real Prometheus", () => {
  let dataDir: string;
  let prometheus: Prometheus | undefined;
  let live: LiveCatalog;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "vigil-e2e-live-catalog-"));
    const end = secondsAgo(0);
    const start = end - 1800;
    await backfill(dataDir, [
      { name: "checkout_requests_total", type: "counter", help: "Requests.", labels: { service: "checkout", route: "/pay", code: "200" }, start, end, stepSeconds: 60, value: (t) => t - start },
      { name: "checkout_queue_depth", type: "gauge", labels: { service: "checkout", shard: "a" }, start, end, stepSeconds: 60, value: () => 3 },
    ]);
    prometheus = await startPrometheus({ ruleFiles: [], dataDir });
    // Scrape itself, so that its own metrics get metadata. The port is known only once it runs.
    const self = { scrape_configs: [{ job_name: "prometheus", scrape_interval: "1s", static_configs: [{ targets: [new URL(prometheus.url).host] }] }] };
    await writeFile(prometheus.configFile, prometheusConfig({ ruleFiles: [], extraConfig: self }));
    expect((await prometheus.reload()).status).toBe(200);
    live = await waitFor(
      async () => {
        const catalog = await fetchLiveCatalog(prometheus!.url);
        return catalog.metrics.get("prometheus_build_info")?.type ? catalog : undefined;
      },
      { timeoutMs: 30_000, what: "Prometheus to scrape itself and report metadata", processes: [prometheus.process] },
    );
  });

  afterAll(async () => {
    await prometheus?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("knows backfilled names and labels, and Prometheus' own metrics with their metadata", () => {
    expect(live.metrics.get("checkout_requests_total")).toEqual({});
    expect(live.metrics.has("checkout_queue_depth")).toBe(true);
    for (const label of ["service", "route", "code", "shard", "job", "instance", "le"]) expect(live.labels.has(label), label).toBe(true);
    expect(live.metrics.get("prometheus_build_info")).toMatchObject({ type: "gauge", help: expect.stringMatching(/\S/) });
    expect(live.metrics.get("prometheus_http_request_duration_seconds")?.type).toBe("histogram");
    // Prometheus 2.42 scrapes itself in the text format: a counter's metadata has its _total name.
    expect(live.metrics.get("prometheus_http_requests_total")?.type).toBe("counter");
    expect(live.metrics.has("prometheus_http_requests")).toBe(false);
  });

  it("finds the names monitors use that the server has", () => {
    const used: UsedMetric[] = [
      { metric: "checkout_requests_total", labels: ["service", "route", "code"], type: "counter", ref: 1 },
      { metric: "checkout_queue_depth", labels: ["service", "shard"], type: "gauge", ref: 2 },
      { metric: "prometheus_http_requests_total", labels: ["handler", "code", "job"], type: "counter", ref: 3 },
      { metric: "prometheus_http_request_duration_seconds", labels: ["handler", "le"], type: "histogram", ref: 4 },
      { metric: "prometheus_http_request_duration_seconds_bucket", labels: ["le"], ref: 5 },
      { metric: "prometheus_engine_query_duration_seconds", labels: ["quantile", "slice"], type: "summary", ref: 6 },
      { metric: "up", labels: ["job", "instance"], type: "gauge", ref: 7 },
    ];
    expect(liveCatalogProblems(used, live)).toEqual([]);
  });

  it("reports unknown names and labels, and kinds the metadata contradicts", () => {
    const problems = liveCatalogProblems(
      [
        { metric: "checkout_request_total", labels: ["service"], type: "counter", ref: 1 },
        { metric: "checkout_requests_total", labels: ["service", "rout"], ref: 2 },
        { metric: "prometheus_build_info", labels: [], type: "counter", ref: 3 },
        { metric: "prometheus_http_request_duration_seconds", labels: [], type: "summary", ref: 4 },
      ],
      live,
    );
    expect(problems.map((p) => [p.ref, p.code])).toEqual([
      [1, "metric-not-in-prometheus"],
      [2, "label-not-in-prometheus"],
      [3, "metric-kind-mismatch"],
      [4, "metric-kind-mismatch"],
    ]);
    expect(problems[0]!.hint).toMatch(/did you mean "checkout_requests_total"/);
    expect(problems[1]!.hint).toMatch(/did you mean "route"/);
    expect(problems[2]!.message).toBe('"prometheus_build_info" is declared as a counter, but Prometheus\' metadata says gauge');
  });

  it("vigil lint --prometheus reports, at each expression, the names and labels the server lacks", async () => {
    const dir = await makeProject({
      ...BASE_FILES,
      "monitors/checkout.ts": `import { counter, defineService, gauge, promql } from "vigil";
import { payments } from "./teams";
const requests = counter("checkout_requests_total", { labels: ["service", "route", "code", "region"] });
const depth = gauge("checkout_queue_depth", { labels: ["service", "shard"] });
const build = counter("prometheus_build_info");
const payments = counter("checkout_payments_total");
export default defineService({
  name: "checkout",
  team: payments,
  metrics: [requests, depth, build, payments],
  recordingRules: [
    { record: "service:checkout_requests:rate5m", expr: promql\`sum by (service) (rate(\${requests.where({ region: "eu" })}[5m]))\` },
    { record: "service:checkout_queue_depth:max", expr: "max by (service) (checkout_queue_depth) + sum(rate(prometheus_build_info[5m]))" },
    { record: "service:checkout_payments:rate5m", expr: "sum by (service) (rate(checkout_payments_total[5m]))" },
  ],
  alerts: [
    {
      name: "CheckoutQueueStuck",
      expr: "service:checkout_queue_depth:max > 100",
      for: "10m",
      severity: "ticket",
      summary: "The checkout queue is stuck.",
      description: "{{ $value }} items wait.",
    },
  ],
});
`,
    });
    try {
      const result = await runCli(["lint", "--prometheus", prometheus!.url, "--format", "json"], dir);
      const found = (JSON.parse(result.stdout) as { code: string; message: string; location?: { line: number } }[]).filter((d) => /prometheus|mismatch/.test(d.code)).map((d) => [d.code, d.location?.line, d.message.split(" (")[0]]);
      // The recorded series are this repository's own: not asked about.
      expect(found).toEqual([
        ["label-not-in-prometheus", 12, expect.stringContaining('"region"')],
        ["metric-kind-mismatch", 13, '"prometheus_build_info" is declared as a counter, but Prometheus\' metadata says gauge'],
        ["metric-not-in-prometheus", 14, expect.stringContaining('"checkout_payments_total"')],
      ]);
      expect(result.code).toBe(1);
      const gone = await runCli(["lint", "--prometheus", `${prometheus!.url}/nope`], dir);
      expect(gone.code).toBe(1);
      expect(gone.stdout).toContain("[prometheus-unreachable]");
    } finally {
      await removeProject(dir);
    }
  });

  it("throws LiveCatalogError for a path that is not the API, naming the URL", async () => {
    const wrong = `${prometheus!.url}/not-prometheus`;
    await expect(fetchLiveCatalog(wrong)).rejects.toBeInstanceOf(LiveCatalogError);
    await expect(fetchLiveCatalog(wrong)).rejects.toThrow(new RegExp(`^Prometheus at ${wrong.replace(/[.]/g, "\\.")}: GET /api/v1/\\S+ answered HTTP 404`));
  });
});

describe("live catalog from an unreachable URL", () => {
  it("throws LiveCatalogError naming the URL and the refused connection", async () => {
    // A port that was free a moment ago and that nothing here listens on.
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const failure = fetchLiveCatalog(url, { timeoutMs: 5_000 });
    await expect(failure).rejects.toBeInstanceOf(LiveCatalogError);
    await expect(failure).rejects.toThrow(`Prometheus at ${url}: GET /api/v1/`);
    await expect(failure).rejects.toThrow(/failed: the server cannot be reached: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
  });

  it("leaves no process of this file running", () => {
    // The suite above stopped its own processes by PID (Prometheus, and promtool for the backfill).
    expect(startedPids().length).toBeGreaterThanOrEqual(2);
    expect(startedPids().filter(isAlive)).toEqual([]);
  });
});
