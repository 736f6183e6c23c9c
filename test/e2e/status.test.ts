import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeOutput } from "../../src/output/write.js";
import type { StatusReport } from "../../src/status/report.js";
import { runCli } from "../helpers/cli.js";
import { makeProject, removeProject } from "../helpers/project.js";
import { compile } from "../helpers/vigil.js";
import { colourCounts, decodePng } from "../status/png.js";
import { renderInChromium } from "../status/chromium.js";
import { backfill, freePort, secondsAgo, startPrometheus, waitFor, type Prometheus } from "./harness/index.js";

/**
 * `vigil status` against a real Prometheus 2.42 holding a week of backfilled traffic, with the
 * rules Vigil generated loaded. The traffic is constant, so every number has a closed form:
 *
 *   /pay  60 req/s, 0.09 failing (0.15%);  /list  40 req/s, none failing.
 *   availability (99.5% over 7d, budget 0.5%): error ratio 0.09/100 = 0.0009,
 *     burn 0.0009/0.005 = 0.18 in every window, budget left 1 - 0.18 = 82%, SLI 99.91%.
 *   routes (99.9% over 7d by route, budget 0.1%): /pay ratio 0.0015, burn 1.5, budget left
 *     1 - 1.5 = -50% (exhausted); /list ratio 0, burn 0, budget left 100%, SLI 100%.
 *   Burn thresholds over 7d (budget share x period / window): page 1h 3.36x, page 6h 1.4x,
 *     ticket 1d 0.7x, ticket 3d 0.233x. So /pay fires the page (1.5 > 1.4) and the ticket;
 *     availability (0.18) fires nothing.
 */
const FILES = {
  "vigil.config.ts": `import { defineConfig } from "vigil";
export default defineConfig({ prometheus: { evaluationInterval: "2s" } });
`,
  "monitors/teams.ts": `import { defineTeam } from "vigil";
export const shop = defineTeam({ name: "shop", receivers: { page: { webhook: { url: "http://127.0.0.1:9/page" } }, ticket: { webhook: { url: "http://127.0.0.1:9/ticket" } } } });
`,
  "monitors/api.ts": `import { counter, defineService, promql } from "vigil";
import { shop } from "./teams";
const requests = counter("http_requests_total", { labels: ["service", "route", "code"] });
const runbook = { summary: "Traffic is unusual.", impact: "None yet.", triage: ["Look at the dashboard."], mitigation: ["Wait."] };
export default defineService({
  name: "api",
  team: shop,
  metrics: [requests],
  alerts: [
    { name: "ApiTrafficHigh", expr: promql\`sum(rate(\${requests.where({ service: "api" })}[5m])) > 50\`, for: "1h", severity: "ticket", summary: "Much traffic.", description: "{{ $value }} requests per second.", runbook },
    { name: "ApiTrafficLow", expr: promql\`sum(rate(\${requests.where({ service: "api" })}[5m])) < 1\`, for: "5m", severity: "ticket", summary: "Little traffic.", description: "{{ $value }} requests per second.", runbook },
  ],
  slos: [
    { name: "availability", objective: 99.5, period: "7d", description: "Requests succeed.", sli: { errors: requests.where({ service: "api", code: /5../ }), total: requests.where({ service: "api" }) } },
    { name: "routes", objective: 99.9, period: "7d", groupBy: ["route"], sli: { errors: requests.where({ service: "api", code: /5../ }), total: requests.where({ service: "api" }) } },
  ],
});
`,
  "monitors/worker.ts": `import { defineService, gauge, promql } from "vigil";
import { shop } from "./teams";
const up = gauge("up", { labels: ["job"] });
export default defineService({
  name: "worker",
  team: shop,
  metrics: [up],
  alerts: [{ name: "WorkerDown", expr: promql\`\${up.where({ job: "worker" })} == 0\`, for: "5m", severity: "ticket", summary: "The worker is down.", description: "{{ $labels.instance }} is down.", runbook: { summary: "Down.", impact: "Jobs wait.", triage: ["Check it."], mitigation: ["Restart it."] } }],
});
`,
};

/** An alert Vigil does not manage, always firing: the report must list it as foreign. */
const FOREIGN_RULES = `groups:
  - name: foreign
    interval: 2s
    rules:
      - alert: Watchdog
        expr: vector(1)
        labels: { severity: none }
`;

const WEEK = 7 * 86_400;
let project: string;
let dataDir: string;
let prometheus: Prometheus;
let report: StatusReport;

beforeAll(async () => {
  project = await makeProject(FILES);
  const result = await compile({ cwd: project });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  await writeOutput(path.join(project, "generated"), result.files);
  await writeFile(path.join(project, "foreign.yaml"), FOREIGN_RULES);

  dataDir = await mkdtemp(path.join(tmpdir(), "vigil-e2e-status-"));
  const start = secondsAgo(WEEK + 60);
  const counter = (route: string, code: string, perSecond: number) => ({
    name: "http_requests_total",
    type: "counter" as const,
    labels: { service: "api", route, code },
    start,
    stepSeconds: 60,
    value: (t: number) => perSecond * (t - start),
  });
  await backfill(dataDir, [counter("/pay", "200", 59.91), counter("/pay", "500", 0.09), counter("/list", "200", 40), counter("/list", "500", 0)]);
  // The service's alert rules and SLO rules; the worker's are left out on purpose: "not loaded".
  const rules = ["api.rules.yaml", "api.slo.rules.yaml"].map((f) => path.join(project, "generated/prometheus/shop", f));
  prometheus = await startPrometheus({ ruleFiles: [...rules, path.join(project, "foreign.yaml")], dataDir });

  // Ready when the burn alert fires, the 1h-for alert is pending and both SLOs have recorded budgets.
  await waitFor(async () => {
    const alerts = await prometheus.alerts();
    const remaining = await prometheus.query("slo:period_error_budget_remaining:ratio");
    return (
      alerts.some((a) => a.labels.alertname === "ApiRoutesErrorBudgetBurn" && a.labels.severity === "page" && a.state === "firing") &&
      alerts.some((a) => a.labels.alertname === "ApiTrafficHigh" && a.state === "pending") &&
      remaining.length === 3
    );
  }, { timeoutMs: 60_000, what: "the burn alert firing and every SLO recorded", processes: [prometheus.process] });

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

const slo = (name: string) => report.slos.find((s) => s.name === name)!;
const group = (name: string, labels: Record<string, string> = {}) => slo(name).groups.find((g) => JSON.stringify(g.labels) === JSON.stringify(labels))!;

describe("vigil status on a real Prometheus with a week of history", () => {
  it("reports each SLO's SLI, budget left and burn rates from the recorded series", () => {
    expect(report.problems).toEqual([]);
    expect(report.slos.map((s) => `${s.service}/${s.name}`)).toEqual(["api/availability", "api/routes"]);
    const availability = group("availability");
    expect(availability.sli).toBeCloseTo(0.9991, 9);
    expect(availability.budgetRemaining).toBeCloseTo(0.82, 9);
    expect(availability.burnRates.map((b) => b.window)).toEqual(["5m", "30m", "1h", "2h", "6h", "1d", "3d"]);
    for (const burn of availability.burnRates) expect(burn.rate).toBeCloseTo(0.18, 9);

    expect(slo("routes").groups.map((g) => g.labels)).toEqual([{ route: "/list" }, { route: "/pay" }]);
    const pay = group("routes", { route: "/pay" });
    expect(pay.sli).toBeCloseTo(0.9985, 9);
    expect(pay.budgetRemaining).toBeCloseTo(-0.5, 9);
    for (const burn of pay.burnRates) expect(burn.rate).toBeCloseTo(1.5, 9);
    const list = group("routes", { route: "/list" });
    expect(list.sli).toBe(1);
    expect(list.budgetRemaining).toBe(1);
  });

  it("draws the burn-down over the whole week from the counters, ending at the budget left", () => {
    const { burnDown } = group("availability");
    const step = slo("availability").burnDownStep;
    expect(step).toBe(2520);
    expect(burnDown).toHaveLength(WEEK / step);
    expect(burnDown.at(-1)!.t).toBe(report.at);
    // Constant traffic burns linearly: after k of 240 steps, 1 - 0.18 * k / 240 is left. The
    // last step ends at now, a while after the last backfilled sample, so the week's total is
    // extrapolated a little short and the points before the last drift (by 3e-6 at 66 s); a step
    // is 7.5e-4, so 4 digits still tell each step apart. The last point is a ratio: exact.
    for (const k of [1, 60, 120]) expect(burnDown[k - 1]!.remaining).toBeCloseTo(1 - (0.18 * k) / 240, 4);
    expect(burnDown[239]!.remaining).toBeCloseTo(1 - 0.18, 6);
    expect(group("routes", { route: "/pay" }).burnDown.at(-1)!.remaining).toBeCloseTo(-0.5, 6);
    expect(group("routes", { route: "/list" }).burnDown.every((p) => p.remaining === 1)).toBe(true);
  });

  it("reports every alert's state: firing, pending, inactive, and not loaded", () => {
    const state = (name: string, severity: string) => report.alerts.find((a) => a.name === name && a.severity === severity)?.state;
    expect(state("ApiRoutesErrorBudgetBurn", "page")).toBe("firing");
    expect(state("ApiRoutesErrorBudgetBurn", "ticket")).toBe("firing");
    expect(state("ApiAvailabilityErrorBudgetBurn", "page")).toBe("inactive");
    expect(state("ApiAvailabilityErrorBudgetBurn", "ticket")).toBe("inactive");
    expect(state("ApiTrafficHigh", "ticket")).toBe("pending");
    expect(state("ApiTrafficLow", "ticket")).toBe("inactive");
    expect(state("WorkerDown", "ticket")).toBe("not-loaded");
    expect(report.alerts).toHaveLength(7);
  });

  it("lists the firing alerts, Vigil's and others", () => {
    expect(report.firing.map((a) => [a.name, a.labels.severity, a.labels.route, a.vigil])).toEqual([
      ["ApiRoutesErrorBudgetBurn", "page", "/pay", true],
      ["ApiRoutesErrorBudgetBurn", "ticket", "/pay", true],
      ["Watchdog", "none", undefined, false],
    ]);
  });

  it("prints the same numbers as text and markdown", async () => {
    const text = await runCli(["status", "--prometheus", prometheus.url, "--at", String(report.at)], project);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/all\s+OK\s+SLI 99\.91%\s+budget left 82\.0%\s+burn 5m 0\.18x/);
    expect(text.stdout).toMatch(/\{route="\/pay"\}\s+EXHAUSTED\s+SLI 99\.85%\s+budget left -50\.0%\s+burn 5m 1\.50x/);
    expect(text.stdout).toMatch(/WorkerDown\s+worker\s+ticket\s+not-loaded/);
    const markdown = await runCli(["status", "--prometheus", prometheus.url, "--format", "markdown", "--at", String(report.at)], project);
    expect(markdown.stdout).toContain('| api/routes {route="/pay"} | shop | 99.9% / 7d | 99.85% | -50.0% |');
  });

  it("writes a self-contained HTML page that headless Chromium renders with every SLO and its chart", async () => {
    const html = path.join(project, "review/status.html");
    const cli = await runCli(["status", "--prometheus", prometheus.url, "--format", "html", "--out", "review/status.html", "--at", String(report.at)], project);
    expect(cli.code).toBe(0);
    expect(cli.stderr).toBe("wrote review/status.html\n");
    const page = await readFile(html, "utf8");
    // Self-contained: no scripts, stylesheets, images or fonts from anywhere.
    expect(page).not.toMatch(/<script|<link|<img|@import|url\(/i);

    const screenshot = path.join(project, "status.png");
    const { dom, png } = await renderInChromium(html, screenshot, { width: 1200, height: 2000 });
    if (process.env.VIGIL_STATUS_SCREENSHOT) await copyFile(screenshot, process.env.VIGIL_STATUS_SCREENSHOT);
    for (const name of ["api/availability", "api/routes", "ApiRoutesErrorBudgetBurn", "WorkerDown", "Watchdog"]) expect(dom).toContain(name);
    expect(dom.match(/<svg[^>]*class="burndown"/g)).toHaveLength(2);
    // One line for availability, one per route.
    expect(dom.match(/<path class="series"/g)).toHaveLength(3);
    expect(dom).toContain("82.0%");

    const image = decodePng(png);
    expect([image.width, image.height]).toEqual([1200, 2000]);
    const colours = colourCounts(image);
    // Not blank: text anti-aliasing, lines and fills give hundreds of colours.
    expect(colours.size).toBeGreaterThan(200);
    const white = colours.get("#ffffff") ?? 0;
    expect(white / (image.width * image.height)).toBeLessThan(0.8);
    // The header bar, and the badges: green "ok" and red "exhausted"/"firing".
    expect(colours.get("#24292f") ?? 0).toBeGreaterThan(1200 * 50);
    expect(colours.get("#1a7f37") ?? 0).toBeGreaterThan(200);
    expect(colours.get("#cf222e") ?? 0).toBeGreaterThan(200);
    // Two Chromium runs of up to 90 s each (a fresh runner builds its font cache on the first).
  }, 240_000);

  it("fails with the reason when Prometheus cannot be reached, and asks for a URL when none is given", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const down = await runCli(["status", "--prometheus", closed], project);
    expect(down.code).toBe(1);
    expect(down.stdout).toBe("");
    expect(down.stderr).toContain(`Prometheus at ${closed}: GET /api/v1/query (vector(1)) failed: the server cannot be reached`);
    const none = await runCli(["status"], project);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("Pass --prometheus URL, set VIGIL_PROMETHEUS_URL, or set prometheus.url in vigil.config.ts");
  });
});
