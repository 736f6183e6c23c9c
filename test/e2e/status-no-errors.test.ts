import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeOutput } from "../../src/output/write.js";
import type { StatusReport } from "../../src/status/report.js";
import { runCli } from "../helpers/cli.js";
import { makeProject, removeProject } from "../helpers/project.js";
import { compile } from "../helpers/vigil.js";
import { backfill, secondsAgo, startPrometheus, waitFor, type Prometheus } from "./harness/index.js";

/**
 * A healthy, busy service whose error series were never created: client libraries add
 * http_requests_total{code="404"} on the first 404 only. Two hours of backfilled traffic on a real
 * Prometheus 2.42, with Vigil's SLO rules loaded:
 *
 *   /a  10 req/s, all 200;  /c  1 req/s, all 500.  No code="404" series anywhere.
 *   not-found (errors code="404" / total, by handler): no 404 series, so an error ratio of 0 for
 *     both handlers: SLI 100%, budget left 100%, burn 0 in every window, verdict ok.
 *   succeeded (good code="200" / total, by handler): /a all good (ratio 0); /c has traffic and no
 *     200 series, so every event failed: ratio 1, burn 1000x, budget left 1 - 1000 = -99900%.
 */
const FILES = {
  "vigil.config.ts": `import { defineConfig } from "vigil";
export default defineConfig({ prometheus: { evaluationInterval: "2s" } });
`,
  "monitors/teams.ts": `import { defineTeam } from "vigil";
export const shop = defineTeam({ name: "shop", receivers: { page: { webhook: { url: "http://127.0.0.1:9/page" } }, ticket: { webhook: { url: "http://127.0.0.1:9/ticket" } } } });
`,
  "monitors/api.ts": `import { counter, defineService } from "vigil";
import { shop } from "./teams";
const requests = counter("http_requests_total", { labels: ["handler", "code"] });
export default defineService({
  name: "api",
  team: shop,
  metrics: [requests],
  slos: [
    { name: "not-found", objective: 99.9, period: "7d", groupBy: ["handler"], sli: { errors: requests.where({ code: "404" }), total: requests.where({}) } },
    { name: "succeeded", objective: 99.9, period: "7d", groupBy: ["handler"], sli: { good: requests.where({ code: "200" }), total: requests.where({}) } },
  ],
});
`,
};

let project: string;
let dataDir: string;
let prometheus: Prometheus;
let report: StatusReport;

beforeAll(async () => {
  project = await makeProject(FILES);
  const result = await compile({ cwd: project });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  await writeOutput(path.join(project, "generated"), result.files);

  dataDir = await mkdtemp(path.join(tmpdir(), "vigil-e2e-status-no-errors-"));
  const start = secondsAgo(2 * 3600);
  const counter = (handler: string, code: string, perSecond: number) => ({
    name: "http_requests_total",
    type: "counter" as const,
    labels: { handler, code },
    start,
    stepSeconds: 15,
    value: (t: number) => perSecond * (t - start),
  });
  await backfill(dataDir, [counter("/a", "200", 10), counter("/c", "500", 1)]);
  prometheus = await startPrometheus({ ruleFiles: [path.join(project, "generated/prometheus/shop/api.slo.rules.yaml")], dataDir });

  // Ready when every group of both SLOs has a recorded budget (before the fix, not-found had none).
  await waitFor(async () => (await prometheus.query("slo:period_error_budget_remaining:ratio")).length === 4, {
    timeoutMs: 60_000,
    what: "a recorded budget for every SLO group",
    processes: [prometheus.process],
  });

  const json = await runCli(["status", "--prometheus", prometheus.url, "--format", "json"], project);
  expect(json.stderr).toBe("");
  expect(json.code).toBe(0);
  report = JSON.parse(json.stdout) as StatusReport;
});

afterAll(async () => {
  await prometheus?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  if (project) await removeProject(project);
});

const group = (slo: string, handler: string) => report.slos.find((s) => s.name === slo)!.groups.find((g) => g.labels.handler === handler)!;

describe("vigil status on a real Prometheus when the error series does not exist yet", () => {
  it("reports an SLI of 100% and the whole budget left for every handler with traffic, not no data", () => {
    expect(report.problems).toEqual([]);
    expect(report.slos.find((s) => s.name === "not-found")!.groups.map((g) => g.labels)).toEqual([{ handler: "/a" }, { handler: "/c" }]);
    for (const handler of ["/a", "/c"]) {
      const g = group("not-found", handler);
      expect(g.sli).toBe(1);
      expect(g.budgetRemaining).toBe(1);
      expect(g.burnRates.map((b) => b.window)).toEqual(["5m", "30m", "1h", "2h", "6h", "1d", "3d"]);
      for (const burn of g.burnRates) expect(burn.rate, `${handler} ${burn.window}`).toBe(0);
      expect(g.burnDown.length).toBeGreaterThan(0);
      expect(g.burnDown.every((p) => p.remaining === 1)).toBe(true);
    }
  });

  it("counts traffic without any good series as all failed (good/total)", () => {
    const a = group("succeeded", "/a");
    expect([a.sli, a.budgetRemaining]).toEqual([1, 1]);
    const c = group("succeeded", "/c");
    expect(c.sli).toBe(0);
    expect(c.budgetRemaining).toBeCloseTo(-999, 6);
    for (const burn of c.burnRates) expect(burn.rate).toBeCloseTo(1000, 6);
    expect(c.burnDown.at(-1)!.remaining).toBeCloseTo(-999, 6);
  });

  it("prints OK, not NO DATA, and no hint about unloaded rules", async () => {
    const text = await runCli(["status", "--prometheus", prometheus.url, "--at", String(report.at)], project);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/\{handler="\/a"\}\s+OK\s+SLI 100\.00%\s+budget left 100\.0%\s+burn 5m 0\.00x/);
    expect(text.stdout).toMatch(/\{handler="\/c"\}\s+EXHAUSTED\s+SLI 0\.00%/);
    expect(text.stdout).not.toContain("NO DATA");
    expect(text.stdout).not.toContain("No recorded SLO series");
  });
});
