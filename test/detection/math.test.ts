import { describe, expect, it } from "vitest";
import { detect } from "../../src/detection/detect.js";
import { sloDetection, tierPending } from "../../src/detection/slo.js";
import { detectionText } from "../../src/detection/text.js";
import { thresholdDetection } from "../../src/detection/threshold.js";
import { extrapolatedRate, fewestSamples, stepRate, windowSamples } from "../../src/detection/rate.js";
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
    expect(detectionText(thresholdDetection("rate(x[5m]) > 1 unless y", 0, clock))).toBe("unknown: `unless` something other than a counter's rate compared with a number is not modelled.");
  });
});

describe("rate() as Prometheus 2.42 extrapolates it", () => {
  const r = (x: ReturnType<typeof stepRate>) => (x === undefined ? "none" : toDecimal(x, 12));

  it("a range holds both its ends", () => {
    expect(windowSamples(10 * M, 10 * M, 15 * S)).toEqual({ first: 0, last: 40 });
    expect(windowSamples(10 * S, M, 15 * S)).toEqual({ first: -3, last: 0 });
  });

  it("stretches the growth to the edges within 1.1 intervals, by half an interval otherwise; nothing from one sample", () => {
    // Samples at 30s and 45s of a [0, 60s] range: 15s apart, 30s from the start (half an interval
    // then, 7.5s) and 15s from the end (all of it): 10 x 37.5 / 15 = 25 over 60s.
    expect(toDecimal(extrapolatedRate({ growth: integer(10), firstMs: 30 * S, lastMs: 45 * S, count: 2 }, 0, M, true)!, 12)).toBe(toDecimal({ num: 25n, den: 60n }, 12));
    expect(extrapolatedRate({ growth: integer(10), firstMs: 30 * S, lastMs: 30 * S, count: 1 }, 0, M, true)).toBeUndefined();
  });

  it("a steady counter's rate is exact at any phase; a stopped one's is 0 once its window holds only samples from the stop", () => {
    // One unit a scrape of 15s.
    expect(r(stepRate(integer(1), integer(1), 10 * S, M, 15 * S))).toBe(toDecimal({ num: 1n, den: 15n }, 12));
    expect(r(stepRate(integer(1), integer(1), 0, 30 * M, 15 * S))).toBe(toDecimal({ num: 1n, den: 15n }, 12));
    // 9m45s after the stop the 10m window still holds the samples 15s before it and at it.
    expect(r(stepRate(integer(1), integer(0), 9 * M + 45 * S, 10 * M, 15 * S))).toBe(toDecimal({ num: 1n, den: 600n }, 12));
    expect(r(stepRate(integer(1), integer(0), 10 * M, 10 * M, 15 * S))).toBe("0");
  });

  it("the fewest samples a window holds at any evaluation", () => {
    // 20s at 15s scrapes: at evaluations 10s past a scrape, only one.
    expect(fewestSamples(20 * S, { evaluationMs: 10 * S, scrapeMs: 15 * S })).toBe(1);
    expect(fewestSamples(20 * S, { evaluationMs: 15 * S, scrapeMs: 15 * S })).toBe(2);
    expect(fewestSamples(10 * M, clock)).toBe(41);
  });
});

describe("`unless` a counter's rate over 0: the counter stopping", () => {
  const notConsuming = "sum by (queue) (payment_worker_queue_depth) > 0 unless sum by (queue) (rate(payment_worker_jobs_processed_total[10m])) > 0";
  const at = (expr: string, forMs = 0, c = clock) => {
    const d = thresholdDetection(expr, forMs, c);
    return d.kind === "unknown" ? `unknown: ${d.reason}` : d.step.fires ? [d.step.pendingMs, d.step.ms] : "never";
  };

  it("rate() is 0 once the last growth has left its window: more than a window minus a scrape after the stop", () => {
    // 1m evaluations, 15s scrapes: past 9m45s, so the 10m evaluation; then 10m of `for`.
    expect(at(notConsuming, 10 * M)).toEqual([10 * M, 20 * M]);
    // 15s evaluations: 9m45s still holds the growth into the sample at the stop; the range keeps its start.
    expect(at(notConsuming, 0, { evaluationMs: 15 * S, scrapeMs: 15 * S })).toEqual([10 * M, 10 * M]);
    // 40s scrapes, 30s evaluations, 5m: past 4m20s, so 4m30s.
    expect(at("x > 0 unless rate(c_total[5m]) > 0", 0, { evaluationMs: 30 * S, scrapeMs: 40 * S })).toEqual([270 * S, 270 * S]);
  });

  it("reads `!= 0`, `0 <`, increase() and a bare left side alike", () => {
    for (const right of ["sum(rate(c_total[10m])) != 0", "0 < sum(rate(c_total[10m]))", "increase(c_total[10m]) > 0"]) {
      expect(at(`queue_depth > 0 unless ${right}`, 10 * M), right).toEqual([10 * M, 20 * M]);
    }
    expect(at("queue_depth unless rate(c_total[10m]) > 0", 10 * M)).toEqual([10 * M, 20 * M]);
  });

  it("says unknown where the stop does not decide it", () => {
    expect(at("x > 0 unless rate(c_total[10m])")).toMatch(/^unknown: `unless` a bare rate\(\).*going missing/);
    expect(at("x > 0 unless rate(c_total[10m]) > 1")).toMatch(/^unknown: `unless rate\(\) > 1` is not modelled/);
    expect(at("x > 0 unless deriv(x[10m]) > 0")).toMatch(/^unknown: `unless` something other than a counter's rate/);
    expect(at("x > 0 unless rate(c_total[10m] offset 1h) > 0")).toMatch(/^unknown: `unless` a counter's rate in the past/);
    // A window that can hold one sample: rate() returns nothing, `unless` keeps the left side with no failure.
    expect(at("x > 0 unless rate(c_total[20s]) > 0", 0, { evaluationMs: 10 * S, scrapeMs: 15 * S })).toMatch(/^unknown: rate\(\) over 20s holds fewer than two samples/);
    // The left side reads the counter that stops: it cannot be taken to hold.
    expect(at("rate(c_total[5m]) >= 0 unless rate(c_total[10m]) > 0")).toMatch(/^unknown: the side `unless` keeps `rate\(c_total\[5m\]\) >= 0` reads c_total, which the failure stops/);
  });

  it("states the stop, the window and what it takes to hold", () => {
    expect(detectionText(thresholdDetection(notConsuming, 10 * M, clock))).toBe(
      "the counter `payment_worker_jobs_processed_total` stopping pages within 20m: rate() over 10m is 0 once the last growth, in the scrape (15s) before the stop, has left its window, seen by the evaluation 10m after it, then for 10m. Assumes: the counter `payment_worker_jobs_processed_total` growing at every scrape until it stops; `sum by (queue) (payment_worker_queue_depth) > 0` holding (the side `unless` keeps). Counted from a rule evaluation (every 1m): up to 1m more for a failure that starts between two.",
    );
  });
});

describe("a rate against its own past (offset)", () => {
  const orders = 'sum(rate(checkout_orders_total{outcome="completed"}[30m]))';
  const lastWeek = 'sum(rate(checkout_orders_total{outcome="completed"}[30m] offset 1w))';
  const dropped = `${orders} < 0.5 * ${lastWeek} and ${lastWeek} > 0.05`;
  const tier1 = { evaluationMs: 30 * S, scrapeMs: 15 * S };
  const at = (expr: string, forMs = 0, c = clock) => {
    const d = thresholdDetection(expr, forMs, c);
    if (d.kind === "unknown") return `unknown: ${d.reason}`;
    const ms = (o: typeof d.step) => (o.fires ? o.ms : "never");
    return { step: ms(d.step), ...(d.also && { also: ms(d.also.outcome) }) };
  };

  it("a full stop passes half of last week's once more than half the window is past it; any drop under half once all of it is", () => {
    // 30s evaluations: exactly half at 15m (not under), so 15m30s, then 15m of `for`; the whole 30m window at 30m.
    expect(at(dropped, 15 * M, tier1)).toEqual({ step: 30 * M + 30 * S, also: 45 * M });
    expect(at(`${orders} <= 0.5 * ${lastWeek}`, 0, tier1)).toEqual({ step: 15 * M, also: 30 * M });
  });

  it("reads the factor on either side, and a ratio to the past", () => {
    for (const expr of [`0.5 * ${lastWeek} > ${orders}`, `${orders} * 2 < ${lastWeek}`, `${orders} < ${lastWeek} / 2`, `${orders} / ${lastWeek} < 0.5`, `0.5 > ${orders} / ${lastWeek}`]) {
      expect(at(expr, 0, tier1), expr).toEqual({ step: 15 * M + 30 * S, also: 30 * M });
    }
  });

  it("counts samples, not time, when evaluations fall between scrapes", () => {
    // 10s evaluations, 15s scrapes, 5m: at 2m30s 10 of 20 steps are before the stop (half, not
    // under); at 2m40s 9 of 19.
    expect(at("rate(x_total[5m]) < 0.5 * rate(x_total[5m] offset 1h)", 0, { evaluationMs: 10 * S, scrapeMs: 15 * S })).toEqual({ step: 160 * S, also: 290 * S });
  });

  it("a spike far over a multiple of yesterday's shows a scrape after it; a rise to just over, once the window is past it", () => {
    const spike = "sum(rate(client_errors_total[15m])) > 3 * sum(rate(client_errors_total[15m] offset 1d)) and sum(rate(client_errors_total[15m])) > 1";
    expect(at(spike, 10 * M)).toEqual({ step: 11 * M, also: 25 * M });
  });

  it("states both failures and what it takes to hold", () => {
    expect(detectionText(thresholdDetection(dropped, 15 * M, tier1))).toBe(
      "a full stop (from last week's rate to 0) pages within 30m30s: rate() over 30m falls under 0.5x last week's rate once more than 50% of its window is past the stop, seen by the evaluation 15m30s after it, then for 15m; a drop to just under 0.5x last week's rate within 45m, once its whole 30m window is past the drop. Assumes: last week's rate steady, and the rate at its level until the drop; last week's rate over 0.05/s (the `and` guard). Counted from a rule evaluation (every 30s): up to 30s more for a failure that starts between two.",
    );
  });

  it("says unknown rather than guess", () => {
    for (const [expr, reason] of [
      ["sum(rate(x[30m])) < 0.5 * sum(rate(x[30m] offset 1w)) and sum(rate(x[30m])) > 0.05", /the `and` guard `sum\(rate\(x\[30m\]\)\) > 0.05` reads x, which the failure stops/],
      ["rate(x[5m]) < 0.5 * rate(y[5m] offset 1w)", /other series, or over another window/],
      ["rate(x[5m]) < 0.5 * rate(x[10m] offset 1w)", /other series, or over another window/],
      ["rate(x[5m]) < 1.5 * rate(x[5m] offset 1w)", /already < 1.5x it, with no failure/],
      ["rate(x[5m]) <= rate(x[5m] offset 1w)", /already <= 1x it/],
      ["rate(x[5m]) != rate(x[5m] offset 1w)", /"!=" against the past/],
      ["rate(x[5m] offset 1h) > 1", /the past with a number/],
      ["rate(x[5m] offset 1w) / rate(x[5m]) > 2", /ratio to the past/],
      ["rate(x[5m]) < 0.5 * rate(x[5m] offset -1h)", /not of now with the past/],
      ["x < 0.5 * x offset 1w", /something other than a counter's rate/],
    ] as const) {
      expect(at(expr), expr).toMatch(new RegExp(`^unknown: .*${reason.source}`));
    }
    expect(at("rate(x[20s]) < 0.5 * rate(x[20s] offset 1w)", 0, { evaluationMs: 10 * S, scrapeMs: 15 * S })).toMatch(/^unknown: rate\(\) over 20s holds fewer than two samples/);
  });
});

describe("`and` guards", () => {
  it("the main condition's detection while every guard holds, each stated", () => {
    const d = thresholdDetection('sum(rate(x[5m])) > 10 and sum(rate(y[5m])) > 1 and on (job) up{job="a"} == 1', 5 * M, clock);
    expect(d.kind === "threshold" && d.step).toMatchObject({ fires: true, ms: 6 * M });
    expect(d.kind === "threshold" && d.assuming).toEqual(["`sum(rate(y[5m])) > 1` holding (the `and` guard)", '`up{job="a"} == 1` holding (the `and` guard)']);
    // Guards of an `unless` and of the `and` around it, in order.
    const e = thresholdDetection("(x > 0 and y > 0 unless rate(c_total[10m]) > 0) and z == 1", 0, clock);
    expect(e.kind === "threshold" && e.assuming).toEqual([
      "the counter `c_total` growing at every scrape until it stops",
      "`x > 0` holding (the side `unless` keeps)",
      "`y > 0` holding (the side `unless` keeps)",
      "`z == 1` holding (the `and` guard)",
    ]);
  });

  it("names a rate in the past in words, and fences source with backticks in it", () => {
    const d = thresholdDetection("x > 1 and increase(y[1h] offset 1d) >= 10 and 3 > rate(z[5m] offset 2h) and w{a=`q`} == 1", 0, clock);
    expect(d.kind === "threshold" && d.assuming).toEqual([
      "yesterday's increase at least 10 per 1h (the `and` guard)",
      "the rate 2h earlier under 3/s (the `and` guard)",
      "`` w{a=`q`} == 1 `` holding (the `and` guard)",
    ]);
  });

  it("the main condition decides: unknown when it is", () => {
    expect(thresholdDetection("deriv(x[15m]) > 1 and x > 500", 0, clock)).toMatchObject({ kind: "unknown", reason: "deriv() is not modelled" });
  });
});
