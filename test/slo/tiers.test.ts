import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { sloSchema } from "../../src/model/slo.js";
import { parseDuration } from "../../src/model/duration.js";
import { burnFactor, errorBudget, resolveTiers, timeToExhaustion, WORKBOOK_TIERS } from "../../src/slo/tiers.js";
import { toDecimal } from "../../src/slo/decimal.js";
import { planSlo } from "../../src/slo/rules.js";
import { checkRules } from "../../src/tools/promtool.js";
import { counter } from "../../src/model/metric.js";

const requests = counter("http_requests_total", { labels: ["code", "route"] });
const slo = (fields: Record<string, unknown>) =>
  sloSchema.parse({ name: "availability", objective: 99.9, sli: { errors: requests.where({ code: /5../ }), total: requests.where({}) }, ...fields });
const context = { service: "api", team: "shop", serviceLabels: {}, defaults: {}, runbookBaseUrl: undefined, grafanaUrl: undefined, escalation: [] };

describe("burn-rate tiers", () => {
  it("are the SRE Workbook's for 30d: 14.4, 6, 3, 1", () => {
    const { tiers, problems } = resolveTiers(slo({ period: "30d" }), {});
    expect(tiers.map((t) => [t.severity, t.long, t.short, t.factorText, t.thresholdText])).toEqual([
      ["page", "1h", "5m", "14.4", "(14.4 * 0.001)"],
      ["page", "6h", "30m", "6", "(6 * 0.001)"],
      ["ticket", "1d", "2h", "3", "(3 * 0.001)"],
      ["ticket", "3d", "6h", "1", "(1 * 0.001)"],
    ]);
    expect(problems).toEqual([]);
  });

  it("scale with the period: 28d gives 13.44, 5.6, 2.8 and 0.93333", () => {
    expect(resolveTiers(slo({ period: "28d" }), {}).tiers.map((t) => t.factorText)).toEqual(["13.44", "5.6", "2.8", "0.93333"]);
    expect(resolveTiers(slo({ period: "4w" }), {}).tiers.map((t) => t.factorText)).toEqual(["13.44", "5.6", "2.8", "0.93333"]);
  });

  it("write error budgets as exact decimals", () => {
    expect([99.9, 99.95, 99.999, 99, 95.5, 99.12345].map((o) => toDecimal(errorBudget(o), 12))).toEqual(["0.001", "0.0005", "0.00001", "0.01", "0.045", "0.0087655"]);
  });

  it("refuse declared tiers below 1x or longer than the period", () => {
    const { problems } = resolveTiers(slo({ period: "7d", alerting: { tiers: [
      { severity: "page", long: "1h", short: "5m", budgetConsumed: 5 },
      { severity: "ticket", long: "1d", short: "2h", budgetConsumed: 10 },
      { severity: "ticket", long: "14d", short: "1d", budgetConsumed: 100 },
    ] } }), {});
    expect(problems.map((p) => [p.code, p.index])).toEqual([
      ["slo-burn-rate-below-one", 1],
      ["slo-window-exceeds-period", 2],
      ["slo-burn-rate-below-one", 2],
    ]);
  });

  it("drop page or ticket tiers when the SLO says so, and take the config's defaults", () => {
    expect(resolveTiers(slo({ alerting: { page: false } }), {}).tiers.map((t) => t.severity)).toEqual(["ticket", "ticket"]);
    const fromConfig = resolveTiers(slo({}), { tiers: [{ severity: "page", long: "2h", short: "10m", budgetConsumed: 4, for: "2m" }] });
    expect(fromConfig.tiers.map((t) => [t.origin, t.factorText, t.for])).toEqual([["config", "14.4", "2m"]]);
  });

  it("say how long the budget lasts at each burn rate", () => {
    expect(WORKBOOK_TIERS.map((t) => timeToExhaustion("30d", burnFactor(t.budgetConsumed, "30d", t.long)))).toEqual(["2d2h", "5d", "10d", "30d"]);
  });

  it("are budget x period / long window, exactly, for any objective and period (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99_99999 }).map((n) => Number((n / 100000).toFixed(5))).filter((o) => o > 0 && o < 100),
        fc.oneof(fc.integer({ min: 1, max: 120 }).map((d) => `${d}d`), fc.integer({ min: 1, max: 16 }).map((w) => `${w}w`)),
        fc.constantFrom(...WORKBOOK_TIERS),
        (objective, period, tier) => {
          const [resolved] = resolveTiers(slo({ objective, period, alerting: { tiers: [tier] } }), {}).tiers;
          const exact = (tier.budgetConsumed / 100) * (parseDuration(period)! / parseDuration(tier.long)!);
          expect(Math.abs(Number(resolved!.factorText) - exact)).toBeLessThanOrEqual(0.000005 + exact * 1e-12);
          // Written as decimals a reviewer can check, never float noise.
          expect(resolved!.thresholdText).toMatch(/^\(\d+(\.\d{1,5})? \* \d+(\.\d{1,7})?\)$/);
          const budget = toDecimal(errorBudget(objective), 12);
          expect(Number(budget)).toBeCloseTo(1 - objective / 100, 12);
          expect(budget.length).toBeLessThanOrEqual(9);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("compile to rules promtool accepts, for random objectives, periods and groupings (batched)", async () => {
    const samples = fc.sample(
      fc.record({
        objective: fc.constantFrom(90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999, 97.12345),
        period: fc.constantFrom("7d", "14d", "28d", "30d", "4w", "90d"),
        groupBy: fc.constantFrom([], ["route"], ["route", "code"]),
        minEvents: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
        per: fc.constantFrom("severity", "tier"),
      }),
      { numRuns: 40, seed: 42 },
    );
    const groups = samples.flatMap((s, i) => {
      const plan = planSlo(slo({ name: `s${i}`, objective: s.objective, period: s.period, groupBy: s.groupBy, minEvents: s.minEvents, alerting: { per: s.per, tiers: s.period === "7d" || s.period === "14d" ? [{ severity: "page", long: "1h", short: "5m", budgetConsumed: 5 }] : undefined } }), context);
      const toRule = (r: { record?: string; alert?: string; expr: string; labels: Record<string, string>; for?: string; annotations?: Record<string, string> }) => ({ ...r });
      return [
        { name: `s${i}`, rules: plan.recording.map(toRule) },
        { name: `s${i}-alerts`, rules: plan.alerts.map((a) => ({ alert: a.plan.rule.alert, expr: a.plan.rule.expr, ...(a.plan.rule.for && { for: a.plan.rule.for }), labels: a.plan.rule.labels, annotations: a.plan.rule.annotations })) },
      ];
    });
    const dir = await mkdtemp(path.join(tmpdir(), "vigil-slo-property-"));
    try {
      const file = path.join(dir, "rules.yaml");
      await writeFile(file, stringify({ groups }, { lineWidth: 0 }));
      const checked = await checkRules([file]);
      expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
