import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  backfill,
  isAlive,
  renderOpenMetrics,
  secondsAgo,
  startAlertmanager,
  startedPids,
  startPrometheus,
  startWebhookSink,
  waitFor,
  type Alertmanager,
  type BackfillResult,
  type Prometheus,
  type WebhookSink,
} from "./harness/index.js";

/**
 * Proves the end-to-end harness against the real Prometheus 2.42, Alertmanager 0.25 and
 * promtool, all on 127.0.0.1 with free ports. A missing binary fails with the apt-get command.
 */

const ALWAYS_FIRING = `groups:
  - name: harness
    interval: 1s
    rules:
      - alert: HarnessAlwaysFiring
        expr: vector(1)
        labels:
          severity: page
          team: t
        annotations:
          summary: Always firing, for the harness test.
`;
const NO_RULES = "groups: []\n";
const BROKEN_RULES = `groups:
  - name: harness
    rules:
      - alert: HarnessBroken
        expr: sum((
`;

/** Every PID a test started, checked at the end independently of the harness's own registry. */
const pidsSeen: number[] = [];

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), "vigil-e2e-harness-test-"));
}

function alertmanagerYaml(webhookUrl: string): string {
  return `global:
  resolve_timeout: 5s
route:
  receiver: sink
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: sink
    webhook_configs:
      - url: ${webhookUrl}
        send_resolved: true
`;
}

describe("alert pipeline: Prometheus -> Alertmanager -> webhook sink", () => {
  let dir: string;
  let ruleFile: string;
  let sink: WebhookSink | undefined;
  let alertmanager: Alertmanager | undefined;
  let prometheus: Prometheus | undefined;

  beforeAll(async () => {
    dir = await tempDir();
    sink = await startWebhookSink();
    const amConfig = path.join(dir, "alertmanager.yml");
    await writeFile(amConfig, alertmanagerYaml(sink.urlFor("/page")));
    alertmanager = await startAlertmanager({ configFile: amConfig });
    pidsSeen.push(alertmanager.pid);
    ruleFile = path.join(dir, "harness.rules.yaml");
    await writeFile(ruleFile, ALWAYS_FIRING);
    prometheus = await startPrometheus({ ruleFiles: [ruleFile], alertmanagerUrl: alertmanager.url });
    pidsSeen.push(prometheus.pid);
  });

  afterAll(async () => {
    await prometheus?.stop();
    await alertmanager?.stop();
    await sink?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("delivers the firing alert to the webhook", async () => {
    const { notification, alert } = await sink!.waitForAlert({ alertname: "HarnessAlwaysFiring", status: "firing", path: "/page", timeoutMs: 30_000 });
    expect(notification.body.receiver).toBe("sink");
    expect(notification.body.status).toBe("firing");
    expect(alert.labels).toMatchObject({ alertname: "HarnessAlwaysFiring", severity: "page", team: "t" });
  });

  it("delivers the resolved notification once the rule is removed", async () => {
    const since = Date.now();
    await writeFile(ruleFile, NO_RULES);
    expect((await prometheus!.reload()).status).toBe(200);
    await waitFor(async () => (await prometheus!.rules()).length === 0, { timeoutMs: 5_000, what: "the rule group to be unloaded", processes: [prometheus!.process] });
    // Without further evaluations, Alertmanager resolves the alert when the endsAt Prometheus
    // last sent (4 x max(resend delay, interval) ahead) passes, then notifies the webhook.
    const { notification } = await sink!.waitForAlert({ alertname: "HarnessAlwaysFiring", status: "resolved", path: "/page", since, timeoutMs: 30_000 });
    expect(notification.body.status).toBe("resolved");
  });
});

describe("a broken rule file pushed with /-/reload", () => {
  let dir: string;
  let ruleFile: string;
  let prometheus: Prometheus | undefined;

  beforeAll(async () => {
    dir = await tempDir();
    ruleFile = path.join(dir, "harness.rules.yaml");
    await writeFile(ruleFile, ALWAYS_FIRING);
    prometheus = await startPrometheus({ ruleFiles: [ruleFile] });
    pidsSeen.push(prometheus.pid);
  });

  afterAll(async () => {
    await prometheus?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("is rejected with 500 and the previous rules keep evaluating and firing", async () => {
    const prom = prometheus!;
    const firing = async () => (await prom.alerts()).some((a) => a.labels.alertname === "HarnessAlwaysFiring" && a.state === "firing");
    await waitFor(firing, { timeoutMs: 15_000, what: "HarnessAlwaysFiring to fire", processes: [prom.process] });
    expect(await prom.metric("prometheus_config_last_reload_successful")).toBe(1);

    await writeFile(ruleFile, BROKEN_RULES);
    const reloadedAt = Date.now();
    const result = await prom.reload();
    expect(result.status).toBe(500);
    expect(result.body).toMatch(/failed to reload config/);
    // The body names only prometheus.yml; the log names the rule file and the parse error.
    expect(prom.process.logs()).toMatch(/harness\.rules\.yaml/);
    expect(await prom.metric("prometheus_config_last_reload_successful")).toBe(0);

    // The old group is still there and still being evaluated after the failed reload.
    await waitFor(
      async () => {
        const group = (await prom.rules()).find((g) => g.name === "harness");
        return group !== undefined && Date.parse(group.lastEvaluation) > reloadedAt + 1_000;
      },
      { timeoutMs: 10_000, what: "the old rule group to evaluate after the failed reload", processes: [prom.process] },
    );
    expect(await firing()).toBe(true);
    expect((await prom.rules()).flatMap((g) => g.rules.map((r) => r.name))).toEqual(["HarnessAlwaysFiring"]);
  });
});

describe("backfilled history", () => {
  const RATE = 2;
  const STEP = 15;
  let dataDir: string;
  let ruleDir: string;
  let start: number;
  let end: number;
  let filled: BackfillResult;
  let prometheus: Prometheus | undefined;

  beforeAll(async () => {
    dataDir = await tempDir();
    ruleDir = await tempDir();
    // Whole seconds: promtool converts timestamps with int64(seconds * 1000), which can lose
    // a millisecond of a fractional second and make exact window counts flaky.
    end = secondsAgo(0);
    start = end - 2 * 3600;
    filled = await backfill(dataDir, [
      { name: "harness_backfill_requests_total", type: "counter", help: "Requests.", labels: { job: "backfill" }, start, end, stepSeconds: STEP, value: (t) => RATE * (t - start) },
      { name: "harness_backfill_temperature", type: "gauge", labels: { job: "backfill" }, start, end, stepSeconds: STEP, value: () => 21.5 },
    ]);
    const ruleFile = path.join(ruleDir, "backfill.rules.yaml");
    await writeFile(
      ruleFile,
      `groups:
  - name: backfill
    interval: 1s
    rules:
      - alert: HarnessBackfillRateHigh
        expr: rate(harness_backfill_requests_total[5m]) > ${RATE * 0.75}
      - alert: HarnessBackfillRateNotThatHigh
        expr: rate(harness_backfill_requests_total[5m]) > ${RATE * 1.25}
`,
    );
    prometheus = await startPrometheus({ ruleFiles: [ruleFile], dataDir });
    pidsSeen.push(prometheus.pid);
  });

  afterAll(async () => {
    await prometheus?.stop();
    for (const dir of [dataDir, ruleDir]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("writes the OpenMetrics format promtool expects", () => {
    const { text } = renderOpenMetrics([{ name: "x_total", type: "counter", labels: { a: 'q"\\' }, start: 100, end: 130, stepSeconds: 15, value: (t) => t }], 200_000);
    expect(text).toBe('# TYPE x counter\nx_total{a="q\\"\\\\"} 100 100.000\nx_total{a="q\\"\\\\"} 115 115.000\nx_total{a="q\\"\\\\"} 130 130.000\n# EOF\n');
    expect(() => renderOpenMetrics([{ name: "x", type: "gauge", start: 0, end: 300, stepSeconds: 1, value: () => 1 }], 200_000)).toThrow(/future/);
  });

  it("makes every sample of the last hour queryable at now", async () => {
    expect(filled.samples).toBe(2 * (Math.floor((end - start) / STEP) + 1));
    expect(filled.maxTime).toBe(end);
    const at = (expr: string, time?: number) => prometheus!.query(expr, time);
    // At the last sample's time, exactly 3600/STEP + 1 samples lie in [end - 1h, end].
    expect((await at("count_over_time(harness_backfill_requests_total[1h])", end))[0]?.value).toBe(3600 / STEP + 1);
    // Ten seconds later the window has slid past the oldest of them.
    expect((await at("count_over_time(harness_backfill_requests_total[1h])", end + 10))[0]?.value).toBe(3600 / STEP);
    // At now (how long after the last sample depends on the machine's load), the data is there.
    expect((await at("last_over_time(harness_backfill_temperature[1h])"))[0]?.value).toBe(21.5);
  });

  it("gives rate() the backfilled constant rate at and just after the last sample", async () => {
    const exact = await prometheus!.query("rate(harness_backfill_requests_total[5m])", end);
    expect(exact).toHaveLength(1);
    expect(exact[0]!.metric).toEqual({ job: "backfill" });
    expect(exact[0]!.value).toBeCloseTo(RATE, 9);
    // Ten seconds after the last sample (under 1.1 steps), rate() still extrapolates to the
    // full window. A fixed time, not now: once the newest sample is 16.5 s old, rate() falls.
    const later = await prometheus!.query("rate(harness_backfill_requests_total[5m])", end + 10);
    expect(Math.abs(later[0]!.value - RATE) / RATE).toBeLessThan(0.05);
  });

  it("lets Prometheus fire an alert on the backfilled data, and not the one above the rate", async () => {
    const prom = prometheus!;
    const evaluated = await waitFor(
      async () => {
        const rules = (await prom.rules()).flatMap((g) => g.rules);
        const high = rules.find((r) => r.name === "HarnessBackfillRateHigh");
        const notThatHigh = rules.find((r) => r.name === "HarnessBackfillRateNotThatHigh");
        return high?.state === "firing" && notThatHigh?.health === "ok" ? { high, notThatHigh } : undefined;
      },
      { timeoutMs: 15_000, what: "HarnessBackfillRateHigh to fire", processes: [prom.process] },
    );
    expect(evaluated.notThatHigh.state).toBe("inactive");
    const alert = (await prom.alerts()).find((a) => a.labels.alertname === "HarnessBackfillRateHigh");
    expect(alert?.labels.job).toBe("backfill");
    // Evaluated at now: no sample arrives after `end`, so the longer Prometheus took to start,
    // the lower the extrapolated rate; it fires above 0.75x and never exceeds the rate.
    expect(Number(alert?.value)).toBeGreaterThan(RATE * 0.75);
    expect(Number(alert?.value)).toBeLessThanOrEqual(RATE * (1 + 1e-9));
  });
});

describe("after the tests", () => {
  it("leaves no started process running", () => {
    const pids = new Set([...pidsSeen, ...startedPids()]);
    // 3 Prometheus + 1 Alertmanager + 1 promtool run.
    expect(pids.size).toBeGreaterThanOrEqual(5);
    expect([...pids].filter(isAlive)).toEqual([]);
    for (const pid of pids) expect(() => process.kill(pid, 0), `PID ${pid}`).toThrow();
  });
});
