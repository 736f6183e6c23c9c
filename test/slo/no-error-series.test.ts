import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { counter, histogram } from "../../src/model/metric.js";
import { sloSchema } from "../../src/model/slo.js";
import { planSlo, type SloPlan } from "../../src/slo/rules.js";
import { sliQueries } from "../../src/slo/sli.js";
import { testRules } from "../../src/tools/promtool.js";

/**
 * Client libraries create a labelled counter series on its first increment: until a service
 * fails once, http_requests_total{code="500"} (or "404") does not exist. The SLO rules must then
 * record an error ratio of 0, not nothing: otherwise the SLI, the budget left, the dashboards and
 * `vigil status` all show "no data" for a healthy, busy service. Checked with the real promtool.
 */
const requests = counter("http_requests_total", { labels: ["code", "handler"] });
const latency = histogram("http_request_duration_seconds", { labels: ["handler"], buckets: [0.1, 0.5, 1] });
const context = { service: "api", team: "shop", serviceLabels: {}, defaults: {}, runbookBaseUrl: undefined, grafanaUrl: undefined, escalation: [] };
const plan = (fields: Record<string, unknown>) => planSlo(sloSchema.parse({ objective: 99.9, period: "30d", ...fields }), context);

const byHandler = plan({ name: "by-handler", groupBy: ["handler"], sli: { errors: requests.where({ code: "404" }), total: requests.where({}) } });
const whole = plan({ name: "whole", sli: { errors: requests.where({ code: "404" }), total: requests.where({}) } });
const good = plan({ name: "good", sli: { good: requests.where({ code: "200" }), total: requests.where({}) } });
const promqlEvents = plan({
  name: "promql",
  groupBy: ["handler"],
  sli: { errors: 'sum by (handler) (rate(http_requests_total{code="404"}[{{window}}]))', total: "sum by (handler) (rate(http_requests_total[{{window}}]))" },
});
const guarded = plan({ name: "guarded", minEvents: 100, groupBy: ["handler"], sli: { errors: requests.where({ code: "404" }), total: requests.where({}) } });
const PLANS = [byHandler, whole, good, promqlEvents, guarded];

/** One request per second on /a (all 200) and /b (3 of 4 200, 1 of 4 404); a 500 nowhere. */
const INPUTS = [
  { series: 'http_requests_total{code="200", handler="/a"}', values: "0+60x180" },
  { series: 'http_requests_total{code="200", handler="/b"}', values: "0+45x180" },
  { series: 'http_requests_total{code="404", handler="/b"}', values: "0+15x180" },
];

const labelsOf = (p: SloPlan, extra: Record<string, string> = {}) =>
  Object.entries({ ...p.labels, ...extra }).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ");
const sample = (name: string, p: SloPlan, value: number, extra: Record<string, string> = {}) => ({ labels: `${name}{${labelsOf(p, extra)}}`, value });
const exprTest = (expr: string, samples: { labels: string; value: number }[], at = "1h") => ({ expr, eval_time: at, exp_samples: samples });

/**
 * Every series an SLO records, for one group: each window's ratio, the events, the period and the
 * budget. Whole numbers are compared exactly; others within 1e-9 (rates carry float noise).
 */
function recorded(p: SloPlan, group: Record<string, string>, ratio: number, errorsPerSecond: number, totalPerSecond: number) {
  const m = p.matchers.slice(1, -1);
  const where = Object.entries(group).map(([k, v]) => `, ${k}=${JSON.stringify(v)}`).join("");
  const check = (name: string, value: number) =>
    Number.isInteger(value)
      ? exprTest(`${name}{${m}${where}}`, [sample(name, p, value, group)])
      : exprTest(`abs(${name}{${m}${where}} - ${value}) < bool 1e-9`, [{ labels: `{${labelsOf(p, group)}}`, value: 1 }]);
  return [
    ...[...p.windows, p.period].map((w) => check(`slo:sli_error:ratio_rate${w}`, ratio)),
    check("slo:sli_error_events:rate5m", errorsPerSecond),
    check("slo:sli_total_events:rate5m", totalPerSecond),
    check("slo:current_burn_rate:ratio", ratio / 0.001),
    check("slo:period_error_budget_remaining:ratio", 1 - ratio / 0.001),
  ];
}

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "vigil-slo-no-errors-"));
  const rule = (r: { record?: string; alert?: string; expr: string; labels: Record<string, string> }) => ({ ...r });
  const groups = PLANS.flatMap((p) => [
    { name: `api.slo.${p.name}`, rules: p.recording.map(rule) },
    { name: `api.slo.${p.name}.alerts`, rules: p.alerts.map((a) => ({ alert: a.plan.rule.alert, expr: a.plan.rule.expr, labels: a.plan.rule.labels })) },
  ]);
  await writeFile(path.join(dir, "rules.yaml"), stringify({ groups }, { lineWidth: 0 }));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Runs one promtool test group against every SLO's rules, evaluated every minute. */
async function promtool(name: string, inputs: { series: string; values: string }[], checks: ReturnType<typeof exprTest>[]) {
  const file = path.join(dir, `${name}.test.yaml`);
  const tests = { rule_files: ["rules.yaml"], evaluation_interval: "1m", tests: [{ interval: "1m", input_series: inputs, promql_expr_test: checks }] };
  await writeFile(file, stringify(tests, { lineWidth: 0 }));
  const result = await testRules([file]);
  expect(result.code, result.stdout + result.stderr).toBe(0);
  expect(result.stdout).toContain("SUCCESS");
}

const firing = (p: SloPlan) => `count by (handler, severity) (ALERTS{alertstate="firing", slo="${p.name}"})`;
const pageAndTicket = (labels: string) => [{ labels: `{${labels}${labels ? ", " : ""}severity="page"}`, value: 1 }, { labels: `{${labels}${labels ? ", " : ""}severity="ticket"}`, value: 1 }];

describe("SLO rules when the error series does not exist yet", () => {
  it("record an error ratio of 0 and the whole budget left for every group with traffic (promtool)", async () => {
    await promtool("grouped", INPUTS, [
      // /a has traffic and no 404 series: 0, and the whole budget left. /b: one in four fails.
      ...recorded(byHandler, { handler: "/a" }, 0, 0, 1),
      ...recorded(byHandler, { handler: "/b" }, 0.25, 0.25, 1),
      ...recorded(promqlEvents, { handler: "/a" }, 0, 0, 1),
      ...recorded(promqlEvents, { handler: "/b" }, 0.25, 0.25, 1),
      ...recorded(guarded, { handler: "/a" }, 0, 0, 1),
      // Burn alerts: /b burns 250x its budget and fires both severities; /a, with no errors, nothing.
      exprTest(firing(byHandler), pageAndTicket('handler="/b"')),
      exprTest(firing(guarded), pageAndTicket('handler="/b"')),
    ]);
  });

  it("without groupBy too: one series with empty labels, 0 when no 404 exists anywhere (promtool)", async () => {
    await promtool("whole", INPUTS.slice(0, 2), [...recorded(whole, {}, 0, 0, 1.75), exprTest('count(ALERTS{alertstate="firing"})', [])]);
  });

  it("record an error ratio of 1 for a good/total SLI whose good series does not exist while there is traffic (promtool)", async () => {
    await promtool("good", [{ series: 'http_requests_total{code="500", handler="/a"}', values: "0+60x180" }], [
      ...recorded(good, {}, 1, 1, 1),
      exprTest(firing(good), pageAndTicket("")),
    ]);
  });

  it("fall back to 0 x the total of the same window, on the groupBy labels", () => {
    const ratio = byHandler.recording.find((r) => r.record === "slo:sli_error:ratio_rate1h")!.expr;
    expect(ratio).toBe(
      '(sum by (handler) (rate(http_requests_total{code="404"}[1h])) or 0 * sum by (handler) (rate(http_requests_total[1h]))) / (sum by (handler) (rate(http_requests_total[1h])))',
    );
    expect(whole.recording.find((r) => r.record === "slo:sli_error_events:rate5m")!.expr).toBe(
      'sum(rate(http_requests_total{code="404"}[5m])) or 0 * sum(rate(http_requests_total[5m]))',
    );
    expect(good.recording.find((r) => r.record === "slo:sli_error:ratio_rate5m")!.expr).toBe(
      '1 - ((sum(rate(http_requests_total{code="200"}[5m])) or 0 * sum(rate(http_requests_total[5m]))) / (sum(rate(http_requests_total[5m]))))',
    );
    expect(good.recording.find((r) => r.record === "slo:sli_error_events:rate5m")!.expr).toBe(
      '(sum(rate(http_requests_total[5m]))) - (sum(rate(http_requests_total{code="200"}[5m])) or 0 * sum(rate(http_requests_total[5m])))',
    );
  });

  it("wrap PromQL events only when both sides aggregate by the same labels; leave other PromQL as written", () => {
    expect(promqlEvents.recording.find((r) => r.record === "slo:sli_error:ratio_rate5m")!.expr).toBe(
      '((sum by (handler) (rate(http_requests_total{code="404"}[5m]))) or 0 * (sum by (handler) (rate(http_requests_total[5m])))) / (sum by (handler) (rate(http_requests_total[5m])))',
    );
    const errors = 'sum(rate(http_requests_total{code="404"}[{{window}}])) by (handler)';
    expect(sliQueries(sloSchema.parse({ name: "x", objective: 99, sli: { errors, total: "sum by (handler) (rate(http_requests_total[{{window}}]))" } }).sli, []).errorRatio("5m")).toContain("or 0 *");
    for (const sli of [
      // Different labels: the user's matching is theirs to get right.
      { errors: 'sum(rate(http_requests_total{code="404"}[{{window}}]))', total: "sum by (handler) (rate(http_requests_total[{{window}}]))" },
      { errors: 'sum without (code) (rate(http_requests_total{code="404"}[{{window}}]))', total: "sum without (code) (rate(http_requests_total[{{window}}]))" },
      { errors: 'rate(http_requests_total{code="404"}[{{window}}])', total: "rate(http_requests_total[{{window}}])" },
      { errors: 'topk by (handler) (1, rate(http_requests_total{code="404"}[{{window}}]))', total: "topk by (handler) (1, rate(http_requests_total[{{window}}]))" },
      { good: 'sum(rate(http_requests_total{code="200"}[{{window}}])) or vector(0)', total: "sum(rate(http_requests_total[{{window}}]))" },
    ]) {
      const queries = sliQueries(sloSchema.parse({ name: "x", objective: 99, sli }).sli, []);
      expect(queries.errorRatio("5m"), JSON.stringify(sli)).not.toContain("or 0 *");
    }
  });

  it("leave latency, raw and probe SLIs as they were: a histogram has every bucket once it has a count", () => {
    const slo = plan({ name: "latency", sli: { latency: latency.where({}), threshold: 0.5 } });
    expect(slo.recording[0]!.expr).toBe('1 - ((sum(rate(http_request_duration_seconds_bucket{le="0.5"}[5m]))) / (sum(rate(http_request_duration_seconds_count[5m]))))');
    expect(plan({ name: "raw", sli: { errorRatio: "1 - avg_over_time(up[{{window}}])" } }).recording[0]!.expr).toBe("1 - avg_over_time(up[5m])");
  });
});
