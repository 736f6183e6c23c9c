import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prometheusRangeQuery } from "../../src/backtest/query.js";
import { runCli } from "../helpers/cli.js";
import { makeProject, removeProject } from "../helpers/project.js";
import { backfill, requireBinary, startPrometheus, type Prometheus } from "./harness/index.js";

/**
 * `vigil backtest` and `vigil tune` on a real Prometheus 2.42 holding a week of backfilled
 * history designed so that every number can be worked out by hand.
 *
 * Time is counted in minutes m from W0 = END - 7d; END is a whole minute in the past, and the
 * evaluation grid (step 1m, the groups' interval) is W0 + m minutes, m = 0..10080. Samples are
 * written every minute on that grid, so each evaluation sees the sample at its own time.
 *
 * vigil_bt_queue_depth (alert QueueBacklog: > 100 for 5m), 10 except 200 during
 *   a: m in [1000,1030) fires 1005-1030 (25m); [2000,2003) 3 minutes: never fires;
 *      [3000,3008) fires 3005-3008 (3m, flapping); [5000,5120) fires 5005-5120 (115m, the longest)
 *   b: m in [4000,4012) fires 4005-4012 (7m, flapping)
 *   => 4 firings, 150m firing, longest 1h55m, 2 flapping (under 10m).
 * vigil_bt_latency_seconds (alert LatencyHigh: > 0.5 for 2m), 0.1 except 0.9 during c: [6000,6004),
 *   [6006,6010), [6020,6022).
 *   keep_firing_for 3m (the working tree): fires at 6002; missing from 6004, kept at 6004 and 6005;
 *     back at 6006 (clock reset); missing from 6010, kept 6010-6012, resolved at 6013: one 11m episode.
 *     [6020,6022) is pending for 2 evaluations only.
 *   without keep_firing_for (the base commit): 6002-6004 and 6008-6010: two 2m episodes, both flapping.
 * vigil_bt_cpu (alert CpuHigh: > 45 for 5m), from m = 1 (m = 0 has no sample): hour h = (m-1) div 60,
 *   minute k = (m-1) mod 60; level [50, 40, 30, 20][h mod 4]; in hours h = 1 mod 8, 50 at k in
 *   [20,32) (a 12-minute burst); in hours h = 2 mod 4 up to 30, 500 at k = 30 (8 outliers).
 *   Values: 20 x 2520, 30 x 2512, 40 x 2268, 50 x 2772, 500 x 8 (10080 samples).
 *   Firings at > 45: 42 hours at 50 (h = 0 mod 4) fire 5m after their start for 55m each; 21 bursts
 *   fire for 7m each (flapping); single spikes never outlast `for` => 63 firings, 2457m, 21 flapping.
 *   Tune: Q1 = rank 2519.75 of the sorted 10080 = 20 + 0.75 x 10 = 27.5, Q3 = rank 7559.25 = 50,
 *   fences 27.5 - 33.75 = -6.25 and 83.75: the 8 spikes are out. Of the 10072 left: mean 355080 /
 *   10072, mean of squares 13827600 / 10072, p50 = rank 5035.5 = 40, p95 = p99 = 50.
 *   At mean + 2 and 3 sigma (58.06, 69.46) and at p95 = p99 = 50 (> 50) only the isolated
 *   spikes cross: no firing. The bursts run 12 minutes from activeAt (11m to their last sample):
 *   `for: 12m` keeps them pending, leaving the 42 hours.
 */

const MINUTE = 60;
const END = Math.floor(Date.now() / 1000 / MINUTE) * MINUTE - MINUTE;
const W0 = END - 7 * 86_400;
const minuteOf = (t: number) => Math.round((t - W0) / MINUTE);
const within = (m: number, ranges: [number, number][]) => ranges.some(([from, to]) => m >= from && m < to);

function cpu(m: number): number {
  const h = Math.floor((m - 1) / 60);
  const k = (m - 1) % 60;
  if (h % 8 === 1 && k >= 20 && k < 32) return 50;
  if (h % 4 === 2 && h <= 30 && k === 30) return 500;
  return [50, 40, 30, 20][h % 4]!;
}

const service = (keepFiringFor: string) => `import { defineService, gauge } from "vigil";
import { ops } from "./teams";
const metrics = ["vigil_bt_queue_depth", "vigil_bt_latency_seconds", "vigil_bt_cpu"].map((name) => gauge(name, { labels: ["instance"] }));
const runbook = { triage: ["Look at the dashboard."], mitigation: ["Scale out."] };
export default defineService({
  name: "worker",
  team: ops,
  metrics,
  alerts: [
    { name: "QueueBacklog", expr: "vigil_bt_queue_depth > 100", for: "5m", severity: "page", summary: "The queue is backing up.", description: "{{ $value }} jobs wait.", runbook },
    { name: "LatencyHigh", expr: "vigil_bt_latency_seconds > 0.5", for: "2m",${keepFiringFor} severity: "page", summary: "Jobs are slow.", description: "{{ $value }}s per job.", runbook },
    { name: "CpuHigh", expr: "vigil_bt_cpu > 45", for: "5m", severity: "ticket", summary: "The CPU is busy.", description: "{{ $value }}% busy.", runbook },
  ],
});
`;

const FILES = {
  ".gitignore": "node_modules\n",
  "vigil.config.ts": `import { defineConfig } from "vigil";
export default defineConfig({ monitors: "monitors/**/*.ts" });
`,
  "monitors/teams.ts": `import { defineTeam } from "vigil";
export const ops = defineTeam({
  name: "ops",
  receivers: { page: { webhook: { url: "http://127.0.0.1:9/page" } }, ticket: { webhook: { url: "http://127.0.0.1:9/ticket" } } },
});
`,
  // The base commit: LatencyHigh without keep_firing_for.
  "monitors/worker.ts": service(""),
};

const git = (dir: string, ...args: string[]) => {
  const run = spawnSync("git", ["-c", "user.name=Vigil Test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", ...args], { cwd: dir, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${run.stderr}`);
  return run.stdout;
};

let project: string;
let dataDir: string;
let prometheus: Prometheus;

beforeAll(async () => {
  requireBinary("promtool");
  requireBinary("git");
  project = await makeProject(FILES);
  const compiled = await runCli(["compile"], project);
  expect(compiled.code, compiled.stdout + compiled.stderr).toBe(0);
  git(project, "init", "--quiet");
  git(project, "add", "-A");
  git(project, "commit", "--quiet", "-m", "base");
  // The working tree: LatencyHigh keeps firing for 3m.
  await writeFile(path.join(project, "monitors/worker.ts"), service(' keepFiringFor: "3m",'));

  dataDir = await mkdtemp(path.join(tmpdir(), "vigil-e2e-backtest-"));
  const week = { start: W0, end: END, stepSeconds: MINUTE, type: "gauge" as const };
  await backfill(dataDir, [
    { ...week, name: "vigil_bt_queue_depth", labels: { instance: "a" }, value: (t) => (within(minuteOf(t), [[1000, 1030], [2000, 2003], [3000, 3008], [5000, 5120]]) ? 200 : 10) },
    { ...week, name: "vigil_bt_queue_depth", labels: { instance: "b" }, value: (t) => (within(minuteOf(t), [[4000, 4012]]) ? 200 : 10) },
    { ...week, name: "vigil_bt_latency_seconds", labels: { instance: "c" }, value: (t) => (within(minuteOf(t), [[6000, 6004], [6006, 6010], [6020, 6022]]) ? 0.9 : 0.1) },
    { ...week, start: W0 + MINUTE, name: "vigil_bt_cpu", labels: { instance: "t" }, value: (t) => cpu(minuteOf(t)) },
  ]);
  prometheus = await startPrometheus({ ruleFiles: [], dataDir });
});

afterAll(async () => {
  await prometheus?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  if (project) await removeProject(project);
});

const backtest = (...args: string[]) => runCli(["backtest", "--prometheus", prometheus.url, "--end", String(END), ...args], project);
const iso = (m: number) => new Date((W0 + m * MINUTE) * 1000).toISOString().replace(".000Z", "Z");

interface JsonVersion {
  firings: number;
  firingSeconds: number;
  longestSeconds: number;
  flapping: number;
  ongoing: number;
  seriesReturned: number;
  start: string;
  end: string;
  episodes: { labels: Record<string, string>; activeAt: string; firedAt: string; resolvedAt?: string; durationSeconds: number }[];
}
interface JsonAlert {
  name: string;
  severity: string;
  status?: string;
  head?: JsonVersion;
  base?: JsonVersion;
}

describe("vigil backtest on a week of known history", () => {
  it("replays every alert: the firing episodes the series imply", async () => {
    const result = await backtest("--format", "json");
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { end: string; rangeSeconds: number; alerts: JsonAlert[] };
    expect(report.end).toBe(iso(10_080));
    expect(report.alerts.map((a) => [a.name, a.severity])).toEqual([["CpuHigh", "ticket"], ["LatencyHigh", "page"], ["QueueBacklog", "page"]]);
    const [cpuHigh, latency, queue] = report.alerts.map((a) => a.head!);

    expect(queue).toMatchObject({ start: iso(0), end: iso(10_080), seriesReturned: 2, firings: 4, firingSeconds: 150 * 60, longestSeconds: 115 * 60, flapping: 2, ongoing: 0 });
    expect(queue!.episodes).toEqual([
      { labels: { instance: "a" }, activeAt: iso(1000), firedAt: iso(1005), resolvedAt: iso(1030), durationSeconds: 25 * 60 },
      { labels: { instance: "a" }, activeAt: iso(3000), firedAt: iso(3005), resolvedAt: iso(3008), durationSeconds: 3 * 60 },
      { labels: { instance: "a" }, activeAt: iso(5000), firedAt: iso(5005), resolvedAt: iso(5120), durationSeconds: 115 * 60 },
      { labels: { instance: "b" }, activeAt: iso(4000), firedAt: iso(4005), resolvedAt: iso(4012), durationSeconds: 7 * 60 },
    ]);
    expect(latency).toMatchObject({ firings: 1, firingSeconds: 11 * 60, longestSeconds: 11 * 60, flapping: 0 });
    expect(latency!.episodes).toEqual([{ labels: { instance: "c" }, activeAt: iso(6000), firedAt: iso(6002), resolvedAt: iso(6013), durationSeconds: 11 * 60 }]);
    expect(cpuHigh).toMatchObject({ firings: 63, firingSeconds: 2457 * 60, longestSeconds: 55 * 60, flapping: 21, ongoing: 0 });
    expect(cpuHigh!.episodes[0]).toEqual({ labels: { instance: "t" }, activeAt: iso(1), firedAt: iso(6), resolvedAt: iso(61), durationSeconds: 55 * 60 });
    expect(cpuHigh!.episodes[1]).toEqual({ labels: { instance: "t" }, activeAt: iso(81), firedAt: iso(86), resolvedAt: iso(93), durationSeconds: 7 * 60 });
  });

  it("against the base commit: LatencyHigh flapped twice without keep_firing_for", async () => {
    const result = await backtest("--format", "json", "--base", "HEAD", "LatencyHigh", "QueueBacklog");
    expect(result.code, result.stderr).toBe(0);
    const alerts = (JSON.parse(result.stdout) as { alerts: JsonAlert[] }).alerts;
    expect(alerts.map((a) => [a.name, a.status])).toEqual([["LatencyHigh", "changed"], ["QueueBacklog", "unchanged"]]);
    expect(alerts[0]!.base).toMatchObject({ firings: 2, firingSeconds: 4 * 60, longestSeconds: 2 * 60, flapping: 2 });
    expect(alerts[0]!.base!.episodes.map((e) => [e.firedAt, e.resolvedAt])).toEqual([[iso(6002), iso(6004)], [iso(6008), iso(6010)]]);
    expect(alerts[1]!.base).toEqual(alerts[1]!.head);

    const markdown = await backtest("--format", "markdown", "--base", "HEAD", "LatencyHigh", "QueueBacklog");
    expect(markdown.code, markdown.stderr).toBe(0);
    expect(markdown.stdout).toBe(
      [
        "<!-- vigil-backtest -->",
        `### Vigil backtest: 7d of history up to ${iso(10_080)}, against HEAD`,
        "",
        "| Alert | Severity | Firings | Firing time | Longest | Flapping (< 10m) | Against base |",
        "|---|---|---|---|---|---|---|",
        "| `LatencyHigh` | page | 1 (was 2) | 11m (was 4m) | 11m (was 2m) | 0 (was 2) | changed |",
        "| `QueueBacklog` | page | 4 | 2h30m | 1h55m | 2 | unchanged |",
        "",
      ].join("\n"),
    );
  });

  it("text, with a flap threshold of 5m and an unknown alert refused", async () => {
    const text = await backtest("--flap", "5m", "QueueBacklog");
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^QueueBacklog +page +4 +2h30m +1h55m +1$/m);
    const unknown = await backtest("QueueBaclog");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no alert named QueueBaclog");
    expect(unknown.stderr).toContain("did you mean QueueBacklog?");
  });

  it("splits the week into requests of at most --max-points and gets the same answer", async () => {
    const whole = await backtest("--format", "json");
    const pieces = await backtest("--format", "json", "--max-points", "997");
    expect(pieces.code, pieces.stderr).toBe(0);
    expect(pieces.stdout).toBe(whole.stdout);
  });

  it("Prometheus refuses more than 11,000 steps in one query; the client splits them", async () => {
    const range = { startMs: (END - 11_001 * 30) * 1000, endMs: END * 1000, stepMs: 30_000 };
    const refused = await fetch(`${prometheus.url}/api/v1/query_range?${new URLSearchParams({ query: "vigil_bt_cpu", start: String(range.startMs / 1000), end: String(END), step: "30" })}`);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("exceeded maximum resolution of 11,000 points per timeseries");
    let requests = 0;
    const series = await prometheusRangeQuery({ url: prometheus.url, onChunk: () => requests++ })("vigil_bt_cpu", range);
    expect(requests).toBe(2);
    // 11,002 evaluation times, each within 5m of a sample.
    expect(series.map((s) => [s.labels, s.timestamps.length])).toEqual([[{ instance: "t" }, 11_002]]);
  });

  it("reports a Prometheus that cannot be reached, with exit 2", async () => {
    const result = await runCli(["backtest", "--prometheus", "http://127.0.0.1:9", "--end", String(END)], project);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("cannot reach Prometheus at http://127.0.0.1:9");
  });
});

describe("vigil tune on the same week", () => {
  const mean = 355_080 / 10_072;
  const stddev = Math.sqrt(13_827_600 / 10_072 - mean ** 2);

  it("CpuHigh: the baseline, thresholds, firings per week and the `for` that removes the flapping", async () => {
    const result = await runCli(["tune", "CpuHigh", "--prometheus", prometheus.url, "--end", String(END), "--format", "json"], project);
    expect(result.code, result.stderr).toBe(0);
    const [report] = JSON.parse(result.stdout) as { baseline: Record<string, number>; candidates: { label: string; threshold: number; firings: number; firingsPerWeek: number; flapping: number; forWithoutFlappingSeconds?: number; firingsWithThatFor?: number }[]; target: { expr: string; op: string; threshold: number } }[];
    expect(report!.target).toMatchObject({ expr: "vigil_bt_cpu", op: ">", threshold: 45 });
    expect(report!.baseline).toMatchObject({ samples: 10_080, outliers: 8, q1: 27.5, q3: 50, lowerFence: -6.25, upperFence: 83.75, min: 20, max: 50, p50: 40, p95: 50, p99: 50 });
    expect(report!.baseline.mean).toBeCloseTo(mean, 10);
    expect(report!.baseline.stddev).toBeCloseTo(stddev, 10);
    expect(report!.baseline.stability).toBe(Math.round(100 * (1 - 8 / 10_080) * (1 - stddev / mean)));
    expect(report!.baseline.stability).toBe(68);
    const round4 = (v: number) => Number(v.toPrecision(4));
    expect(report!.candidates.map((c) => [c.label, c.threshold, c.firings, c.firingsPerWeek, c.flapping, c.forWithoutFlappingSeconds, c.firingsWithThatFor])).toEqual([
      ["current", 45, 63, 63, 21, 12 * 60, 42],
      ["mean+1σ", round4(mean + stddev), 63, 63, 21, 12 * 60, 42],
      ["mean+2σ", round4(mean + 2 * stddev), 0, 0, 0, undefined, undefined],
      ["mean+3σ", round4(mean + 3 * stddev), 0, 0, 0, undefined, undefined],
      ["p95", 50, 0, 0, 0, undefined, undefined],
      ["p99", 50, 0, 0, 0, undefined, undefined],
    ]);
    expect([round4(mean + stddev), round4(mean + 2 * stddev), round4(mean + 3 * stddev)]).toEqual([46.66, 58.06, 69.46]);

    const text = await runCli(["tune", "CpuHigh", "--prometheus", prometheus.url, "--end", String(END)], project);
    expect(text.stdout).toContain("Suggested for: 12m (now 5m): it would have removed all 21 flapping episodes, leaving 42 of 63.");
    expect(text.stdout).toContain("stability 68/100");
  });

  it("a metric: statistics of the expression, firings counted with --for", async () => {
    const result = await runCli(["tune", 'vigil_bt_queue_depth{instance="b"}', "--for", "5m", "--prometheus", prometheus.url, "--end", String(END), "--format", "json"], project);
    expect(result.code, result.stderr).toBe(0);
    const [report] = JSON.parse(result.stdout) as { baseline: Record<string, number>; candidates: { label: string; threshold: number; firings: number }[] }[];
    // 10081 samples, 12 of them 200: quartiles 10, so the 12 are outliers and the rest is constant.
    expect(report!.baseline).toMatchObject({ samples: 10_081, outliers: 12, mean: 10, stddev: 0, stability: Math.round(100 * (1 - 12 / 10_081)) });
    expect(report!.candidates.map((c) => [c.label, c.threshold, c.firings])).toEqual([
      ["mean+1σ", 10, 1],
      ["mean+2σ", 10, 1],
      ["mean+3σ", 10, 1],
      ["p95", 10, 1],
      ["p99", 10, 1],
    ]);
  });

  it("a metric measured at --step: one sample per step over the week; a step that is no duration refused", async () => {
    const result = await runCli(["tune", 'vigil_bt_queue_depth{instance="b"}', "--step", "5m", "--prometheus", prometheus.url, "--end", String(END), "--format", "json"], project);
    expect(result.code, result.stderr).toBe(0);
    const [report] = JSON.parse(result.stdout) as { baseline: { samples: number } }[];
    // The grid ends on a multiple of 5m at or before --end: its first step may fall just before the history.
    expect(report!.baseline.samples).toBeGreaterThanOrEqual((7 * 24 * 60) / 5);
    expect(report!.baseline.samples).toBeLessThanOrEqual((7 * 24 * 60) / 5 + 1);
    const bad = await runCli(["tune", 'vigil_bt_queue_depth{instance="b"}', "--step", "often", "--prometheus", prometheus.url, "--end", String(END)], project);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--step "often" is not a duration');
  });
});
