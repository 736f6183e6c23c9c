import { describe, expect, it } from "vitest";
import { declareMetrics, exprCode } from "../../src/import/promql.js";

const handles = new Map([["http_requests_total", "requests"], ["up", "up"]]);

describe("imported PromQL", () => {
  it("interpolates a handle where it renders the selector's exact text", () => {
    expect(exprCode('sum(rate(http_requests_total{code=~"5..", job="api"}[5m])) > 0', handles).text).toBe(
      'promql`sum(rate(${requests.where({ code: /5../, job: "api" })}[5m])) > 0`',
    );
    expect(exprCode('up{job!="a", instance!~"b.*"} == 0', handles).text).toBe('promql`${up.where({ job: { not: "a" }, instance: { not: /b.*/ } })} == 0`');
  });

  it("keeps the text where a handle would write it differently", () => {
    for (const expr of [
      "http_requests_total{code='500'}", // single quotes
      'http_requests_total{code="500",job="a"}', // no space after the comma
      'http_requests_total{code=~"(?i)err"}', // RE2 flags JavaScript does not read
      'http_requests_total{code=~"a/b"}', // a slash, which JavaScript escapes
      'http_requests_total{code="1", code!="2"}', // one label twice
      "http_requests_total", // nothing to select
      'other_total{code="1"}', // no handle
    ]) {
      expect(exprCode(expr, handles).text).toBe(`promql\`${expr}\``);
    }
  });

  it("escapes what a template literal would read", () => {
    expect(exprCode('label_replace(up, "a", "${1}`\\\\", "b", "(.*)")', new Map()).text).toBe('promql`label_replace(up, "a", "\\${1}\\`\\\\\\\\", "b", "(.*)")`');
  });

  it("declares counters and gauges from names, histogram and summary families from their parts; recorded series get none", () => {
    const declared = declareMetrics(
      [
        'sum(rate(http_requests_total{code="500"}[{{window}}])) / job:up:sum',
        'histogram_quantile(0.9, rate(latency_seconds_bucket{route=~"$route"}[$__rate_interval])) * queue_depth',
        'sum(rate(latency_seconds_bucket{le="0.25"}[5m])) / sum(rate(latency_seconds_count[5m])) + rate(gc_seconds_sum[5m])',
      ],
      new Set(["job:up:sum"]),
      new Set(["queueDepth"]),
    );
    expect(declared.declarations).toEqual([
      'const httpRequestsTotal = counter("http_requests_total", { labels: ["code"] });',
      'const queueDepth2 = gauge("queue_depth");',
      'const gcSeconds = summary("gc_seconds");',
      'const latencySeconds = histogram("latency_seconds", { labels: ["route"], buckets: [0.25] });',
    ]);
    expect([...declared.handles.keys()]).toEqual(["http_requests_total", "queue_depth"]);
    expect(declared.guessed).toHaveLength(2);
  });

  it("takes a series read by rate(), increase() or resets() for a counter, whatever its name", () => {
    const declared = declareMetrics(["rate(pg_xact_commit[5m]) + increase(pg_deadlocks[1h] offset 1d) + pg_connections"], new Set(), new Set());
    expect(declared.declarations).toEqual([
      'const pgConnections = gauge("pg_connections");',
      'const pgDeadlocks = counter("pg_deadlocks");',
      'const pgXactCommit = counter("pg_xact_commit");',
    ]);
  });
});
