import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeOutput } from "../../src/output/write.js";
import { compile } from "../helpers/vigil.js";
import { makeProject, removeProject } from "../helpers/project.js";
import { backfill, secondsAgo, startPrometheus, waitFor, type Prometheus } from "./harness/index.js";

/**
 * The SLO rules Vigil writes, on a real Prometheus 2.42 holding two hours of backfilled
 * traffic: a burn just above 14.4x fires the fast page; a 0.5x burn fires nothing.
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
const requests = counter("http_requests_total", { labels: ["service", "code"] });
export default defineService({
  name: "api",
  team: shop,
  metrics: [requests],
  slos: [{
    name: "availability",
    objective: 99.9,
    sli: { errors: requests.where({ service: "api", code: /5../ }), total: requests.where({ service: "api" }) },
  }],
});
`,
};

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Two hours of requests at 100/s, `errorRatio` of them failing, ending now. */
let lastPlan: Awaited<ReturnType<typeof compile>>["plan"];

async function prometheusWithHistory(errorRatio: number): Promise<Prometheus> {
  const project = await makeProject(FILES);
  cleanups.push(() => removeProject(project));
  const result = await compile({ cwd: project });
  expect(result.diagnostics).toEqual([]);
  lastPlan = result.plan;
  const out = path.join(project, "generated");
  await writeOutput(out, result.files);

  const dataDir = await mkdtemp(path.join(tmpdir(), "vigil-e2e-slo-"));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const start = secondsAgo(2 * 3600);
  const rate = (perSecond: number) => (t: number) => perSecond * (t - start);
  await backfill(dataDir, [
    { name: "http_requests_total", type: "counter", labels: { service: "api", code: "500" }, start, stepSeconds: 15, value: rate(100 * errorRatio) },
    { name: "http_requests_total", type: "counter", labels: { service: "api", code: "200" }, start, stepSeconds: 15, value: rate(100 * (1 - errorRatio)) },
  ]);
  const prometheus = await startPrometheus({ ruleFiles: [path.join(out, "prometheus/shop/api.slo.rules.yaml")], dataDir });
  cleanups.push(() => prometheus.stop());
  return prometheus;
}

/** Waits until every rule group was evaluated at least twice since `since`. */
async function evaluatedTwice(prometheus: Prometheus, since: number): Promise<void> {
  await waitFor(async () => {
    const groups = await prometheus.rules();
    return groups.length > 0 && groups.every((g) => Date.parse(g.lastEvaluation) > since + 2000);
  }, { timeoutMs: 30_000, what: "two evaluations of every rule group", processes: [prometheus.process] });
}

describe("SLO burn-rate alerts on a real Prometheus", () => {
  it("fires the fast page at 15x the error budget (0.015 errors, the 1h/5m tier is at 0.0144)", async () => {
    const prometheus = await prometheusWithHistory(0.015);
    const firing = await waitFor(async () => {
      const alerts = await prometheus.alerts();
      return alerts.find((a) => a.state === "firing" && a.labels.severity === "page");
    }, { timeoutMs: 30_000, what: "the page burn alert to fire", processes: [prometheus.process] });
    expect(firing.labels).toMatchObject({ alertname: "ApiAvailabilityErrorBudgetBurn", slo: "availability", service: "api", team: "shop" });
    const [ratio1h] = await prometheus.query('slo:sli_error:ratio_rate1h{slo="availability"}');
    expect(Number(ratio1h!.value)).toBeCloseTo(0.015, 4);
    const [burn] = await prometheus.query('slo:current_burn_rate:ratio{slo="availability"}');
    expect(Number(burn!.value)).toBeCloseTo(15, 1);
    // The runbook's first triage query shows the burn of every window, one series each.
    const triage = lastPlan!.services[0]!.alerts.find((a) => a.severity === "page")!.triage[0]!.query!;
    const byWindow = await prometheus.query(triage);
    expect(byWindow.map((s) => s.metric.window).sort()).toEqual(["1d", "1h", "2h", "30m", "3d", "5m", "6h"]);
    for (const sample of byWindow) expect(Number(sample.value)).toBeCloseTo(15, 0);
  });

  it("fires nothing at 0.5x the error budget", async () => {
    const prometheus = await prometheusWithHistory(0.0005);
    await evaluatedTwice(prometheus, Date.now());
    const [ratio1h] = await prometheus.query('slo:sli_error:ratio_rate1h{slo="availability"}');
    expect(Number(ratio1h!.value)).toBeCloseTo(0.0005, 5);
    expect(await prometheus.alerts()).toEqual([]);
  });
});
