import { describe, expect, it } from "vitest";
import { readRuleFiles, recordsUsed, type AlertSpec } from "../../src/backtest/alerts.js";
import { alertRange, plannedQueries, runBacktest } from "../../src/backtest/backtest.js";
import type { RangeQuery } from "../../src/backtest/query.js";
import { renderJson, renderMarkdown, renderText } from "../../src/backtest/render.js";

const MIN = 60_000;
const END = Date.UTC(2026, 0, 8); // a whole minute

const RULES = `groups:
  - name: api.rules
    interval: 1m
    rules:
      - record: job:errors:rate5m
        expr: sum by (job) (rate(errors_total[5m]))
      - alert: ApiErrors
        expr: job:errors:rate5m > 1
        for: 5m
        labels: { severity: page, service: api }
      - alert: ApiErrors
        expr: job:errors:rate5m > 0.5
        for: 5m
        keep_firing_for: 10m
        labels: { severity: ticket, service: api }
  - name: api.fast
    rules:
      - alert: ApiDown
        expr: up{job="api"} == 0
        labels: { severity: page }
`;

describe("readRuleFiles", () => {
  it("reads alerts with their group's interval (or the default), skipping unit-test files and other files", () => {
    const files = new Map([
      ["prometheus/team/api.rules.yaml", RULES],
      ["prometheus/team/api.alerts.test.yaml", "rule_files: [x]\ntests: []\n"],
      ["alertmanager/alertmanager.yaml", "route: {}\n"],
    ]);
    const { alerts, records } = readRuleFiles(files, 30_000);
    expect(records).toEqual(["job:errors:rate5m"]);
    expect(alerts).toEqual([
      { name: "ApiDown", severity: "page", service: undefined, expr: 'up{job="api"} == 0', forMs: 0, keepFiringForMs: 0, intervalMs: 30_000 },
      { name: "ApiErrors", severity: "page", service: "api", expr: "job:errors:rate5m > 1", forMs: 5 * MIN, keepFiringForMs: 0, intervalMs: MIN },
      { name: "ApiErrors", severity: "ticket", service: "api", expr: "job:errors:rate5m > 0.5", forMs: 5 * MIN, keepFiringForMs: 10 * MIN, intervalMs: MIN },
    ]);
    expect(recordsUsed("job:errors:rate5m > 1", records)).toEqual(["job:errors:rate5m"]);
    expect(recordsUsed("xjob:errors:rate5m > 1", records)).toEqual([]);
  });
});

describe("runBacktest", () => {
  const spec = (over: Partial<AlertSpec>): AlertSpec => ({ name: "A", severity: "page", expr: "x > 1", forMs: 0, keepFiringForMs: 0, intervalMs: MIN, ...over });
  const asked: string[] = [];
  /** x > 1 holds 10 minutes from minute 100 of the range, y > 1 holds 3 minutes twice. */
  const query: RangeQuery = async (expr, range) => {
    asked.push(`${expr} ${range.stepMs}`);
    const minutes = expr.startsWith("x") ? Array.from({ length: 10 }, (_, i) => 100 + i) : [10, 11, 12, 50, 51, 52];
    if (expr.startsWith("none")) return [];
    return [{ labels: { job: "j" }, timestamps: minutes.map((m) => range.startMs + m * range.stepMs), values: minutes.map(() => 2) }];
  };

  it("aligns each alert's grid to its interval, ending at or before --end", () => {
    expect(alertRange({ intervalMs: MIN }, END + 59_999, 7 * 86_400_000)).toEqual({ startMs: END - 7 * 86_400_000, endMs: END, stepMs: MIN });
  });

  it("replays head and base versions, asking each distinct query once", async () => {
    asked.length = 0;
    const head = [spec({ name: "Changed", expr: "y > 1", keepFiringForMs: 40 * MIN }), spec({ name: "New", expr: "x > 1" }), spec({ name: "Same", expr: "x > 1", forMs: 5 * MIN })];
    const base = [spec({ name: "Changed", expr: "y > 1" }), spec({ name: "Gone", expr: "y > 1" }), spec({ name: "Same", expr: "x > 1", forMs: 5 * MIN })];
    const input = { alerts: head, base: { alerts: base, label: "main" }, records: [], endMs: END, rangeMs: 86_400_000, flapMs: 10 * MIN, query };
    expect(plannedQueries(input)).toHaveLength(2);
    const report = await runBacktest(input);
    expect(asked).toEqual(["y > 1 60000", "x > 1 60000"]);
    const view = report.alerts.map((r) => [r.name, r.status, r.head?.stats.episodes, r.head?.stats.firingMs, r.base?.stats.episodes, r.base?.stats.firingMs]);
    expect(view).toEqual([
      // keep_firing_for 40m bridges the 37-minute gap: one episode from 10 to 53 + 40 = 93.
      ["Changed", "changed", 1, 83 * MIN, 2, 6 * MIN],
      ["Gone", "removed", undefined, undefined, 2, 6 * MIN],
      ["New", "new", 1, 10 * MIN, undefined, undefined],
      ["Same", "unchanged", 1, 5 * MIN, 1, 5 * MIN],
    ]);

    const text = renderText(report);
    expect(text).toContain("Backtest: 1d of history up to 2026-01-08T00:00:00Z, against main");
    expect(text).toMatch(/^Changed +page +1 \(was 2\) +1h23m \(was 6m\) +1h23m \(was 3m\) +0 \(was 2\) +changed$/m);
    expect(text).toContain("FLAPPING (< 10m)");
    expect(text).toMatch(/^Gone +page +\(was 2\) +\(was 6m\) +\(was 3m\) +\(was 2\) +removed$/m);
    const markdown = renderMarkdown(report);
    expect(markdown.split("\n").slice(0, 5)).toEqual([
      "<!-- vigil-backtest -->",
      "### Vigil backtest: 1d of history up to 2026-01-08T00:00:00Z, against main",
      "",
      "| Alert | Severity | Firings | Firing time | Longest | Flapping (< 10m) | Against base |",
      "|---|---|---|---|---|---|---|",
    ]);
    expect(markdown).toContain("| `Same` | page | 1 | 5m | 5m | 1 | unchanged |");
    const json = JSON.parse(renderJson(report));
    expect(json.alerts[0].head.episodes).toEqual([{ labels: { job: "j" }, activeAt: "2026-01-07T00:10:00Z", firedAt: "2026-01-07T00:10:00Z", resolvedAt: "2026-01-07T01:33:00Z", durationSeconds: 4980 }]);
  });

  it("explains an empty result of an expression that reads recording rules", async () => {
    const report = await runBacktest({ alerts: [spec({ expr: "none:rate5m > 1" })], records: ["none:rate5m"], endMs: END, rangeMs: 3_600_000, flapMs: MIN, query });
    expect(report.alerts[0]!.notes).toEqual([expect.stringMatching(/reads the recording rule none:rate5m, which must have history/)]);
    expect(renderText(report)).toContain("note: A: the expression returned nothing");
  });
});
