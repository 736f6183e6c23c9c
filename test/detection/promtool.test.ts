import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { detect, headline, type Detection } from "../../src/detection/detect.js";
import { formatDuration, parseDuration } from "../../src/model/duration.js";
import { counter } from "../../src/model/metric.js";
import { sloSchema, type SloInput } from "../../src/model/slo.js";
import { planSlo, SLO_SERIES } from "../../src/slo/rules.js";
import { errorBudget } from "../../src/slo/tiers.js";
import { testRules } from "../../src/tools/promtool.js";

/**
 * Each computed detection time checked by promtool 2.42 itself: input series that are healthy
 * until t0 (a rule evaluation, after every window has filled with healthy data) and fail from
 * then on; the alert must not fire one evaluation before the computed time, and must fire at it.
 */
const S = 1000;
const M = 60 * S;
const H = 60 * M;

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
}

interface Case {
  name: string;
  rules: Rule[];
  alertname: string;
  /** Labels of the firing alert: the series' (but __name__) and the rule's. */
  labels: Record<string, string>;
  evaluationMs: number;
  /** Scrape interval: the spacing of the input samples. */
  scrapeMs: number;
  /** The failure starts here: a multiple of the evaluation interval. */
  t0Ms: number;
  /** Input series in promtool's notation, given the number of samples before t0 and from t0 on. */
  series: (before: number, after: number) => Record<string, string>;
  detection: Detection;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "vigil-detection-"));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A counter growing by `before` per sample until t0 and by `after` per sample from then on (the first increase shows one sample after t0). */
export function counterStep(before: number, after: number, samplesBefore: number, samplesAfter: number, base = 1000): string {
  const atStep = base + before * samplesBefore;
  return `${base}+${before}x${samplesBefore} ${atStep + after}+${after}x${samplesAfter - 1}`;
}

/** A gauge at `before` until t0 and at `after` from the sample at t0 on. */
export const gaugeStep = (before: number, after: number, samplesBefore: number, samplesAfter: number) => `${before}x${samplesBefore - 1} ${after}x${samplesAfter}`;

const timeOf = (ms: number) => (ms === 0 ? "0s" : formatDuration(ms));

async function runCase(c: Case): Promise<{ ms: number; code: number; output: string }> {
  const outcome = headline(c.detection);
  if (!outcome?.fires) throw new Error(`${c.name}: no detection time to check (${JSON.stringify(c.detection)})`);
  expect(c.t0Ms % c.evaluationMs).toBe(0);
  const end = c.t0Ms + outcome.ms + c.evaluationMs;
  const before = c.t0Ms / c.scrapeMs;
  const after = Math.ceil((end - c.t0Ms) / c.scrapeMs) + 1;
  const slug = c.name.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
  const rulesFile = path.join(dir, `${slug}.rules.yaml`);
  const testFile = path.join(dir, `${slug}.test.yaml`);
  await writeFile(rulesFile, stringify({ groups: [{ name: slug, interval: timeOf(c.evaluationMs), rules: c.rules }] }));
  const check = (at: number, fires: boolean) => ({
    eval_time: timeOf(at),
    alertname: c.alertname,
    exp_alerts: fires ? [{ exp_labels: c.labels }] : [],
  });
  const tests = {
    rule_files: [path.basename(rulesFile)],
    evaluation_interval: timeOf(c.evaluationMs),
    tests: [
      {
        name: c.name,
        interval: timeOf(c.scrapeMs),
        input_series: Object.entries(c.series(before, after)).map(([series, values]) => ({ series, values })),
        alert_rule_test: [...(outcome.ms > 0 ? [check(c.t0Ms + outcome.ms - c.evaluationMs, false)] : []), check(c.t0Ms + outcome.ms, true)],
      },
    ],
  };
  await writeFile(testFile, stringify(tests));
  const result = await testRules([testFile]);
  return { ms: outcome.ms, code: result.code, output: result.stdout + result.stderr };
}

/** A threshold alert's case: its detection computed from the expression, `for` and clock. */
function threshold(c: Omit<Case, "rules" | "alertname" | "detection"> & { expr: string; for?: string }): Case {
  const rule: Rule = { alert: "Step", expr: c.expr, ...(c.for && { for: c.for }), labels: { severity: "page" } };
  const detection = detect({ expr: c.expr, for: c.for, clock: { evaluationMs: c.evaluationMs, scrapeMs: c.scrapeMs } });
  return { ...c, rules: [rule], alertname: "Step", labels: { ...c.labels, severity: "page" }, detection };
}

const requests = counter("app_requests_total", { labels: ["code"] });

/** An SLO burn alert's case: the recording rules and page alert Vigil plans for it (annotations left out). */
function slo(c: Omit<Case, "rules" | "alertname" | "detection" | "labels" | "series"> & { slo: Omit<SloInput, "name" | "sli">; ratio: "outage" | "tenfold" }): Case {
  const parsed = sloSchema.parse({ name: "availability", sli: { errors: requests.where({ code: "500" }), total: requests.where({}) }, ...c.slo });
  const plan = planSlo(parsed, { service: "api", team: "core", serviceLabels: {}, defaults: {}, runbookBaseUrl: undefined, grafanaUrl: undefined, escalation: [] });
  const page = plan.alerts.find((a) => a.plan.severity === "page")!;
  const recording = plan.recording.filter((r) => plan.windows.some((w) => r.record === SLO_SERIES.errorRatio(w)));
  const { annotations: _annotations, keepFiringFor: _keep, ...alert } = page.plan.rule;
  const full = detect({ expr: alert.expr, for: alert.for, clock: { evaluationMs: c.evaluationMs, scrapeMs: c.scrapeMs }, slo: { tiers: page.tiers, kind: plan.kind, budget: errorBudget(parsed.objective) } });
  // The SLO's two failures as cases: the headline is the full outage; the tenfold one is swapped in.
  const detection = full.kind === "slo" && c.ratio === "tenfold" ? { ...full, outage: full.tenfold } : full;
  // 1000 requests a sample; from t0 every one fails, or 10x the budget of them.
  const failing = c.ratio === "outage" ? 1000 : Number((errorBudget(parsed.objective).num * 10000n) / errorBudget(parsed.objective).den);
  return {
    ...c,
    rules: [...recording.map((r) => ({ record: r.record, expr: r.expr, labels: r.labels })), { alert: alert.alert, expr: alert.expr, ...(alert.for && { for: alert.for }), labels: alert.labels }],
    alertname: alert.alert,
    labels: { ...plan.labels, ...alert.labels },
    series: (before, after) => ({
      'app_requests_total{code="500"}': counterStep(0, failing, before, after),
      'app_requests_total{code="200"}': counterStep(1000, 1000 - failing, before, after),
    }),
    detection,
  };
}

/** The same case measured against the alert's second, slower failure (a drop to just past a relative threshold). */
function slower(c: Case): Case {
  const d = c.detection;
  if (d.kind !== "threshold" || !d.also) throw new Error(`${c.name}: no second failure`);
  return { ...c, detection: { ...d, failure: d.also.failure, step: d.also.outcome } };
}

/**
 * checkout-api's CheckoutApiOrdersDroppedVsLastWeek on its 30s evaluations, against the past
 * `offset` ("1w" as written; a week of samples takes promtool 10s): `before` orders a scrape until
 * t0, `after` from then on.
 */
function droppedVsPast(name: string, offset: string, before: number, after: number): Case {
  const now = 'sum(rate(checkout_orders_total{outcome="completed"}[30m]))';
  const past = `sum(rate(checkout_orders_total{outcome="completed"}[30m] offset ${offset}))`;
  return threshold({
    name,
    expr: `${now} < 0.5 * ${past} and ${past} > 0.05`,
    for: "15m",
    labels: {},
    evaluationMs: 30 * S,
    scrapeMs: 15 * S,
    t0Ms: parseDuration(offset)! + H,
    series: (samplesBefore, samplesAfter) => ({ 'checkout_orders_total{outcome="completed"}': counterStep(before, after, samplesBefore, samplesAfter) }),
  });
}

/** payment-worker's PaymentWorkerNotConsuming: 42 messages wait throughout; jobs finish at every scrape until t0. */
const notConsuming = (name: string, clock: { evaluationMs: number; scrapeMs: number; t0Ms: number; window?: string; for?: string }) =>
  threshold({
    name,
    expr: `sum by (queue) (payment_worker_queue_depth) > 0 unless sum by (queue) (rate(payment_worker_jobs_processed_total[${clock.window ?? "10m"}])) > 0`,
    ...(clock.for && { for: clock.for }),
    labels: { queue: "refund" },
    evaluationMs: clock.evaluationMs,
    scrapeMs: clock.scrapeMs,
    t0Ms: clock.t0Ms,
    series: (before, after) => ({
      'payment_worker_queue_depth{queue="refund"}': `42x${before + after}`,
      'payment_worker_jobs_processed_total{queue="refund", outcome="succeeded"}': counterStep(3, 0, before, after),
    }),
  });

const cases: Case[] = [
  // The Workbook's page tiers read 1h and 6h: t0 at 6h, so that no window is short of healthy data
  // (a half-filled 6h window would report a higher ratio than the model's full one).
  slo({ name: "SLO 99.9% / 30d, Workbook tiers: a full outage", slo: { objective: 99.9 }, ratio: "outage", evaluationMs: M, scrapeMs: M, t0Ms: 6 * H }),
  // 1% against 0.6% over 6h/30m: exactly at the threshold at 3h36m, where ">" does not hold.
  slo({ name: "SLO 99.9% / 30d, Workbook tiers: 10x the budget", slo: { objective: 99.9 }, ratio: "tenfold", evaluationMs: M, scrapeMs: M, t0Ms: 6 * H }),
  slo({ name: "SLO 99% / 30d, Workbook tiers, for 1m: a full outage", slo: { objective: 99, alerting: { for: "1m" } }, ratio: "outage", evaluationMs: M, scrapeMs: M, t0Ms: 6 * H }),
  slo({
    name: "SLO 99.5% / 7d, custom tiers, 30s evaluations: a full outage",
    slo: { objective: 99.5, period: "7d", alerting: { ticket: false, tiers: [{ severity: "page", long: "2h", short: "10m", budgetConsumed: 10 }] } },
    ratio: "outage",
    evaluationMs: 30 * S,
    scrapeMs: 15 * S,
    t0Ms: 2 * H,
  }),
  slo({
    name: "SLO 99.5% / 7d, custom tiers: 10x the budget",
    slo: { objective: 99.5, period: "7d", alerting: { ticket: false, tiers: [{ severity: "page", long: "1h", short: "5m", budgetConsumed: 5 }] } },
    ratio: "tenfold",
    evaluationMs: M,
    scrapeMs: M,
    t0Ms: H,
  }),
  threshold({
    name: "rate() far over its threshold, for 2m",
    expr: "sum(rate(jobs_total[5m])) > 10",
    for: "2m",
    labels: {},
    evaluationMs: M,
    scrapeMs: 15 * S,
    t0Ms: 10 * M,
    series: (before, after) => ({ "jobs_total": counterStep(15, 15000, before, after) }),
  }),
  threshold({
    name: "an instant gauge stepping to 0, for 5m",
    expr: 'up{job="api"} == 0',
    for: "5m",
    labels: { job: "api" },
    evaluationMs: M,
    scrapeMs: 15 * S,
    t0Ms: 10 * M,
    series: (before, after) => ({ 'up{job="api"}': gaugeStep(1, 0, before, after) }),
  }),
  threshold({
    name: "down or absent: the comparison side",
    expr: 'sum by (job) (up{job="api"}) == 0 or absent(up{job="api"})',
    for: "3m",
    labels: { job: "api" },
    evaluationMs: M,
    scrapeMs: 15 * S,
    t0Ms: 10 * M,
    series: (before, after) => ({ 'up{job="api"}': gaugeStep(1, 0, before, after) }),
  }),
  threshold({
    name: "a ratio of rates, full outage, 15s evaluations",
    expr: 'sum(rate(app_requests_total{code="500"}[5m])) / sum(rate(app_requests_total[5m])) > 0.05',
    labels: {},
    evaluationMs: 15 * S,
    scrapeMs: 15 * S,
    t0Ms: 10 * M,
    series: (before, after) => ({
      'app_requests_total{code="500"}': counterStep(0, 1000, before, after),
      'app_requests_total{code="200"}': counterStep(1000, 0, before, after),
    }),
  }),
  threshold({
    name: "availability under 99%, as a percentage, for 1m",
    expr: '(sum(rate(app_requests_total{code="200"}[10m])) / sum(rate(app_requests_total[10m]))) * 100 < 99',
    for: "1m",
    labels: {},
    evaluationMs: 15 * S,
    scrapeMs: 15 * S,
    t0Ms: 20 * M,
    series: (before, after) => ({
      'app_requests_total{code="500"}': counterStep(0, 1000, before, after),
      'app_requests_total{code="200"}': counterStep(1000, 0, before, after),
    }),
  }),
  threshold({
    name: "p95 latency over 200ms, every request slow",
    expr: "histogram_quantile(0.95, sum by (le) (rate(latency_seconds_bucket[10m]))) > 0.2",
    labels: {},
    evaluationMs: 15 * S,
    scrapeMs: 15 * S,
    t0Ms: 20 * M,
    series: (before, after) => ({
      'latency_seconds_bucket{le="0.1"}': counterStep(100, 0, before, after),
      'latency_seconds_bucket{le="0.5"}': counterStep(100, 0, before, after),
      'latency_seconds_bucket{le="+Inf"}': counterStep(100, 100, before, after),
    }),
  }),
  threshold({
    name: "a probe falling to 0 under avg_over_time, 30s evaluations",
    expr: 'avg_over_time(probe_success{job="blackbox"}[5m]) < 0.5',
    labels: { job: "blackbox" },
    evaluationMs: 30 * S,
    scrapeMs: 15 * S,
    t0Ms: 10 * M,
    series: (before, after) => ({ 'probe_success{job="blackbox"}': gaugeStep(1, 0, before, after) }),
  }),
  threshold({
    name: "min_over_time needs its whole window, for 1m",
    expr: "min_over_time(temperature_celsius[10m]) > 80",
    for: "1m",
    labels: {},
    evaluationMs: M,
    scrapeMs: 15 * S,
    t0Ms: 20 * M,
    series: (before, after) => ({ temperature_celsius: gaugeStep(20, 200, before, after) }),
  }),
  threshold({
    name: "a timestamp that stops: time() minus it over an hour",
    expr: "time() - last_success_timestamp_seconds > 3600",
    labels: {},
    evaluationMs: M,
    scrapeMs: M,
    t0Ms: 10 * M,
    // Current at every sample (its own time in seconds) until t0, then frozen.
    series: (before, after) => ({ last_success_timestamp_seconds: `0+60x${before} ${before * 60}x${after - 1}` }),
  }),
  // 1 order/s (15 a scrape) for a week and an hour, then none.
  droppedVsPast("orders vs last week, and guard: a full stop", "1w", 15, 0),
  // 4999 a scrape against 10000 before: just under half, which only the whole window shows.
  slower(droppedVsPast("orders vs an hour ago, and guard: a drop to just under half", "1h", 10000, 4999)),
  threshold({
    name: "a stop against an hour ago, evaluations between scrapes",
    expr: "rate(jobs_total[5m]) < 0.5 * rate(jobs_total[5m] offset 1h)",
    labels: {},
    evaluationMs: 10 * S,
    scrapeMs: 15 * S,
    t0Ms: H + 10 * M,
    series: (before, after) => ({ jobs_total: counterStep(15, 0, before, after) }),
  }),
  threshold({
    name: "a spike over 3x an hour ago, guarded by its own rate, for 2m",
    expr: "sum(rate(client_errors_total[15m])) > 3 * sum(rate(client_errors_total[15m] offset 1h)) and sum(rate(client_errors_total[15m])) > 1",
    for: "2m",
    labels: {},
    evaluationMs: M,
    scrapeMs: 15 * S,
    t0Ms: H + 20 * M,
    series: (before, after) => ({ client_errors_total: counterStep(15, 15000, before, after) }),
  }),
  // 46 a scrape against 15 an hour ago: just over 3x.
  slower(
    threshold({
      name: "a rise to just over 3x an hour ago, for 2m",
      expr: "sum(rate(client_errors_total[15m])) > 3 * sum(rate(client_errors_total[15m] offset 1h)) and sum(rate(client_errors_total[15m])) > 1",
      for: "2m",
      labels: {},
      evaluationMs: M,
      scrapeMs: 15 * S,
      t0Ms: H + 20 * M,
      series: (before, after) => ({ client_errors_total: counterStep(15, 46, before, after) }),
    }),
  ),
  notConsuming("unless the rate is over 0: the counter stopping, for 10m", { evaluationMs: M, scrapeMs: 15 * S, t0Ms: 20 * M, for: "10m" }),
  // Evaluated at every scrape: 9m45s after the stop the range still starts at the sample before it.
  notConsuming("unless the rate is over 0: a range keeps its start", { evaluationMs: 15 * S, scrapeMs: 15 * S, t0Ms: 20 * M }),
  notConsuming("unless the rate is over 0: 40s scrapes, 30s evaluations", { evaluationMs: 30 * S, scrapeMs: 40 * S, t0Ms: 10 * M, window: "5m" }),
];

describe("detection times, checked by promtool", () => {
  it("computes the figures these cases expect", () => {
    const figures = Object.fromEntries(cases.map((c) => [c.name, timeOf(headline(c.detection)!.fires ? (headline(c.detection) as { ms: number }).ms : -1)]));
    expect(figures).toEqual({
      "SLO 99.9% / 30d, Workbook tiers: a full outage": "1m",
      "SLO 99.9% / 30d, Workbook tiers: 10x the budget": "3h37m",
      "SLO 99% / 30d, Workbook tiers, for 1m: a full outage": "10m",
      // 10% of 7d in 2h: 8.4x, threshold 0.042, passed after 5.04m of the 2h window: at 5m30s.
      "SLO 99.5% / 7d, custom tiers, 30s evaluations: a full outage": "5m30s",
      // 5% of 7d in 1h: 8.4x, threshold 0.042; 5% errors pass it after 50.4m of the hour: at 51m.
      "SLO 99.5% / 7d, custom tiers: 10x the budget": "51m",
      "rate() far over its threshold, for 2m": "3m",
      "an instant gauge stepping to 0, for 5m": "5m",
      "down or absent: the comparison side": "3m",
      "a ratio of rates, full outage, 15s evaluations": "30s",
      // 1% of 10m is 6s: the 15s sample, then 1m of `for`.
      "availability under 99%, as a percentage, for 1m": "1m15s",
      // more than 5% of 10m (30s) slow: the 45s sample.
      "p95 latency over 200ms, every request slow": "45s",
      // 11 of 21 samples at 0: the 10th scrape after the step.
      "a probe falling to 0 under avg_over_time, 30s evaluations": "2m30s",
      "min_over_time needs its whole window, for 1m": "11m",
      "a timestamp that stops: time() minus it over an hour": "1h1m",
      // Half the 30m window past the stop at 15m is exactly half (not under): 15m30s, then 15m.
      "orders vs last week, and guard: a full stop": "30m30s",
      "orders vs an hour ago, and guard: a drop to just under half": "45m",
      // 9 of 19 steps before the stop at 2m40s; 10 of 20 at 2m30s.
      "a stop against an hour ago, evaluations between scrapes": "2m40s",
      "a spike over 3x an hour ago, guarded by its own rate, for 2m": "3m",
      "a rise to just over 3x an hour ago, for 2m": "17m",
      // Past 9m45s: the 10m evaluation, then 10m.
      "unless the rate is over 0: the counter stopping, for 10m": "20m",
      "unless the rate is over 0: a range keeps its start": "10m",
      // Past 5m - 40s = 4m20s: 4m30s.
      "unless the rate is over 0: 40s scrapes, 30s evaluations": "4m30s",
    });
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s: not firing one evaluation before, firing at the computed time", async (_, c) => {
    const result = await runCase(c);
    expect(result.output).toContain("SUCCESS");
    expect(result.code, result.output).toBe(0);
  });
});
