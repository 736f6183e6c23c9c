import { describe, expect, it } from "vitest";
import { detect } from "../../src/detection/detect.js";
import { sloDetection, tierPending } from "../../src/detection/slo.js";
import { detectionText } from "../../src/detection/text.js";
import { thresholdDetection } from "../../src/detection/threshold.js";
import { firingTime, firstEvaluation, rampShare, sampleShare } from "../../src/detection/timing.js";
import { integer, mul, toDecimal } from "../../src/slo/decimal.js";
import { errorBudget, resolveTiers, WORKBOOK_TIERS } from "../../src/slo/tiers.js";
import { sloSchema, type Tier } from "../../src/model/slo.js";

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const clock = { evaluationMs: M, scrapeMs: 15 * S };

function tiersOf(objective: number, period: string, tiers?: Tier[], forValue?: string) {
  const slo = sloSchema.parse({ name: "a", objective, period, sli: { errorRatio: "x" }, alerting: { ...(tiers && { tiers }), ...(forValue && { for: forValue }) } });
  return resolveTiers(slo, {}).tiers.filter((t) => t.severity === "page");
}

const fired = (o: { fires: boolean; ms?: number }) => (o.fires ? o.ms : "never");

describe("the evaluation grid", () => {
  it("the first evaluation that holds, never when nothing holds by the horizon", () => {
    expect(firstEvaluation((t) => t > 52 * S, M, H)).toBe(M);
    expect(firstEvaluation((t) => t >= 0, M, H)).toBe(0);
    expect(firstEvaluation((t) => t > 2 * H, M, H)).toBeUndefined();
  });

  it("`for` counts from the first pending evaluation and rounds up to the grid", () => {
    expect(firingTime(M, 0, M)).toBe(M);
    expect(firingTime(M, 5 * M, M)).toBe(6 * M);
    // 90s is not a multiple of 1m: the first evaluation at least 90s after pending is 2m after it.
    expect(firingTime(M, 90 * S, M)).toBe(3 * M);
  });

  it("rate() sees the share of its window since the last sample; avg_over_time() counts samples, both ends in", () => {
    expect(toDecimal(rampShare(M, 5 * M, 15 * S))).toBe("0.2");
    expect(toDecimal(rampShare(70 * S, 5 * M, 15 * S))).toBe("0.2");
    expect(toDecimal(rampShare(H, 5 * M, 15 * S))).toBe("1");
    // 5m at 15s: 21 samples; at the failure one of them fails, a minute later five.
    expect(sampleShare(0, 5 * M, 15 * S)).toEqual({ num: 1n, den: 21n });
    expect(sampleShare(M, 5 * M, 15 * S)).toEqual({ num: 5n, den: 21n });
  });
});

describe("SLO burn alerts", () => {
  it("the Workbook's page tiers on 99.9% / 30d: a full outage fires at the first evaluation, 10x the budget only on the 6h/30m tier", () => {
    const tiers = tiersOf(99.9, "30d");
    // 1h at 14.4x: the error ratio 0.0144 is passed after 51.84s of outage, so at the 1m evaluation.
    expect(tierPending(tiers[0]!, "ratio", integer(1), clock)).toBe(M);
    const d = sloDetection(tiers, "ratio", errorBudget(99.9), 0, clock);
    expect(d.outage).toEqual({ fires: true, ms: M, pendingMs: M, via: "1h/5m" });
    // 1%: never over 1.44% (1h tier); over 0.6% once 60% of both 30m and 6h have failed: 3h36m is
    // exactly at the threshold (">" does not hold), so the next evaluation.
    expect(tierPending(tiers[0]!, "ratio", mul(errorBudget(99.9), integer(10)), clock)).toBeUndefined();
    expect(d.tenfold).toEqual({ fires: true, ms: 3 * H + 37 * M, pendingMs: 3 * H + 37 * M, via: "6h/30m" });
    expect(d.tenfoldText).toBe("1%");
  });

  it("adds `for` to the fastest tier, rounded up to the grid", () => {
    const tiers = tiersOf(99.9, "30d", undefined, "2m");
    const d = detect({ expr: "", for: "2m", clock, slo: { tiers, kind: "ratio", budget: errorBudget(99.9) } });
    expect(d.kind === "slo" && fired(d.outage)).toBe(3 * M);
    const slow = detect({ expr: "", for: "150s", clock: { evaluationMs: 2 * M, scrapeMs: 15 * S }, slo: { tiers, kind: "ratio", budget: errorBudget(99.9) } });
    // Pending at 2m (the first evaluation), then the first evaluation 150s later: 6m.
    expect(slow.kind === "slo" && fired(slow.outage)).toBe(6 * M);
  });

  it("a ratio under every threshold never fires, and says why", () => {
    const tiers = tiersOf(99.9, "30d", [{ severity: "page", long: "1h", short: "5m", budgetConsumed: 2 }]);
    const d = sloDetection(tiers, "ratio", errorBudget(99.9), 0, clock);
    expect(d.tenfold.fires).toBe(false);
    expect(detectionText(d)).toContain("never");
  });

  it("a long window at a low factor is what makes a full outage slow: 1% of a 7d budget over 6h/30m", () => {
    // 99% over 7d, 10% of the budget in 6h: 2.8x, threshold 0.028; a full outage passes it after
    // 10.08m of the 6h window (1.68m of the 30m one): at the 11m evaluation.
    const tiers = tiersOf(99, "7d", [{ severity: "page", long: "6h", short: "30m", budgetConsumed: 10 }]);
    expect(toDecimal(tiers[0]!.threshold)).toBe("0.028");
    expect(sloDetection(tiers, "ratio", errorBudget(99), 0, clock).outage).toMatchObject({ ms: 11 * M });
  });

  it("probe SLIs count failing samples, one more than rate() at the step", () => {
    const tiers = tiersOf(99.9, "30d", [{ severity: "page", long: "5m", short: "1m", budgetConsumed: 0.1 }]);
    // factor 0.1% x 30d / 5m = 8.64, threshold 0.00864: one failing sample of 21 (0.048) passes it.
    expect(sloDetection(tiers, "probe", errorBudget(99.9), 0, clock).outage).toMatchObject({ ms: 0 });
    expect(sloDetection(tiers, "ratio", errorBudget(99.9), 0, clock).outage).toMatchObject({ ms: M });
  });

  it("uses the Workbook's tiers as resolved by default", () => {
    expect(tiersOf(99.9, "30d").map((t) => `${t.long}/${t.short}`)).toEqual(WORKBOOK_TIERS.filter((t) => t.severity === "page").map((t) => `${t.long}/${t.short}`));
  });
});

describe("threshold alerts", () => {
  const at = (expr: string, forValue = 0, c = clock) => {
    const d = thresholdDetection(expr, forValue, c);
    return d.kind === "unknown" ? `unknown: ${d.reason}` : fired(d.step);
  };

  it("an instant selector shows a step in the sample at it: `for` alone", () => {
    expect(at('up{job="api"} == 0', 5 * M)).toBe(5 * M);
    expect(at("queue_depth > 100")).toBe(0);
    expect(at("100 < queue_depth", 2 * M)).toBe(2 * M);
    expect(at("node_memory_used_bytes / node_memory_total_bytes * 100 > 80", 5 * M)).toBe(5 * M);
  });

  it("rate() and increase() show a step far over one scrape after it, at the next evaluation", () => {
    expect(at("sum(rate(http_requests_total[5m])) > 10", 5 * M)).toBe(6 * M);
    expect(at("increase(jobs_failed_total[1h]) > 0")).toBe(M);
    expect(at("sum(rate(x[5m])) > 10", 0, { evaluationMs: 30 * S, scrapeMs: 15 * S })).toBe(30 * S);
    expect(at("sum(rate(x[5m])) > 10", 0, { evaluationMs: 10 * S, scrapeMs: 15 * S })).toBe(20 * S);
  });

  it("a ratio of two rates ramps over its window: a full outage passes 5% after 5% of 5m", () => {
    const ratio = 'sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))';
    expect(at(`${ratio} > 0.05`, M)).toBe(2 * M);
    // 15s of failures is exactly 5%: ">" needs the 30s sample.
    expect(at(`${ratio} > 0.05`, 0, { evaluationMs: 15 * S, scrapeMs: 15 * S })).toBe(30 * S);
    expect(at(`${ratio} >= 0.05`, 0, { evaluationMs: 15 * S, scrapeMs: 15 * S })).toBe(15 * S);
    expect(at(`(${ratio}) * 100 > 50`, 0)).toBe(3 * M);
    // Availability: the good ratio falls from 1; under 99.95% after 0.05% of the window.
    expect(at(`sum(rate(ok_total[1h])) / sum(rate(all_total[1h])) < 0.9995`, 0, { evaluationMs: S, scrapeMs: S })).toBe(2 * S);
    expect(at(`1 - sum(rate(ok_total[10m])) / sum(rate(all_total[10m])) > 0.5`, 0)).toBe(6 * M);
    expect(at(`${ratio} > 1`)).toBe("never");
  });

  it("histogram_quantile passes once more than 1 - q of the window's requests are slow", () => {
    const p95 = "histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[10m])))";
    expect(at(`${p95} > 0.2`, 0, { evaluationMs: 15 * S, scrapeMs: 15 * S })).toBe(45 * S);
    expect(at(`${p95} * 1000 > 200`, 2 * M)).toBe(3 * M);
  });

  it("min_over_time needs its whole window; max_over_time and avg_over_time show a far step at once", () => {
    expect(at("min_over_time(temperature[10m]) > 80")).toBe(10 * M);
    expect(at("max_over_time(temperature[10m]) > 80")).toBe(0);
    expect(at("avg_over_time(temperature[10m]) > 80", M)).toBe(M);
    expect(at("max_over_time(free_bytes[10m]) < 1000")).toBe(10 * M);
  });

  it("`or` fires with its faster side; an absent() side answers another failure and is left out", () => {
    expect(at('sum by (job) (up{job="api"}) == 0 or absent(up{job="api"})', 5 * M)).toBe(5 * M);
    expect(at("min_over_time(x[10m]) > 5 or max_over_time(x[10m]) > 50")).toBe(0);
    expect(at('absent(up{job="api"})')).toMatch(/^unknown: .*absent/);
  });

  it("a 0/1 series falling to 0 under avg_over_time: counted in samples", () => {
    // 5m at 15s: 21 samples; under 0.5 once 11 of them are 0, the 10th scrape after the step (2m30s).
    expect(at('avg_over_time(probe_success{job="x"}[5m]) < 0.5', 0, { evaluationMs: 30 * S, scrapeMs: 15 * S })).toBe(150 * S);
    expect(at('avg_over_time(probe_success{job="x"}[5m]) < 0.5', 2 * M)).toBe(5 * M);
  });

  it("time() minus a timestamp that stopped: the threshold itself, then the next evaluation", () => {
    expect(at("time() - last_success_timestamp_seconds > 50 * 3600")).toBe(50 * H + M);
    expect(at("time() - last_success_timestamp_seconds > 3600")).toBe(H + M);
    expect(at("(time() - last_success_timestamp_seconds) / 3600 > 2", 5 * M)).toBe(2 * H + 6 * M);
    expect(at("time() - last_success_timestamp_seconds >= 3600")).toBe(H);
  });

  it("says unknown rather than guess", () => {
    for (const expr of [
      'absent(up{job="api"})',
      "rate(x[5m]) > 1 and rate(y[5m]) > 1",
      "sum(rate(x[5m])) < 1",
      "rate(x[5m] offset 1h) > 1",
      "deriv(x[5m]) > 1",
      "rate(x[5m]) / rate(y[10m]) > 0.1",
      "sum(time() - last_success_timestamp_seconds) > 3600",
      "avg_over_time(up[5m]) < 2",
      "rate(x[5m]) > bool 1",
    ]) {
      expect(at(expr), expr).toMatch(/^unknown: /);
    }
  });
});

describe("the runbook sentence", () => {
  it("states both SLO failures with their windows, and the alignment assumption", () => {
    const d = sloDetection(tiersOf(99.9, "30d"), "ratio", errorBudget(99.9), 0, clock);
    expect(detectionText(d)).toBe(
      "a full outage pages within 1m (1h/5m windows); an error ratio of 1% (10x the budget) within 3h37m (6h/30m windows). Both windows ramp up as the failure fills them. Counted from a rule evaluation (every 1m): up to 1m more for a failure that starts between two.",
    );
  });

  it("states a threshold alert's step and how it shows", () => {
    const d = thresholdDetection("sum(rate(x[5m])) > 10", 5 * M, clock);
    expect(detectionText(d)).toBe(
      "a step far over the threshold pages within 6m: rate() shows it one scrape (15s) after the step, seen by the evaluation 1m after it, then for 5m. Counted from a rule evaluation (every 1m): up to 1m more for a failure that starts between two.",
    );
    expect(detectionText(thresholdDetection("rate(x[5m]) > 1 unless y", 0, clock))).toBe("unknown: the expression is not a comparison with a number.");
  });
});
