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

  it("declares a colon series no imported rule records (recorded elsewhere) by its full name, and none for Vigil's slo: series", () => {
    const declared = declareMetrics(
      [
        'sum(job:http_requests_errors:rate5m{job="api"}) / sum(job:http_requests:rate5m{job="api"})',
        'histogram_quantile(0.99, sum by (le) (job_le:latency_seconds_bucket:rate5m{route="/x"})) + rate(job:jobs_failed:sum[5m])',
        "job:errors_total:sum + job:up:sum + slo:sli_error:ratio_rate5m",
      ],
      new Set(["job:up:sum"]),
      new Set(),
    );
    const comment = "// Recorded by rules outside the imported files: declared so that lint knows it (kind guessed).";
    expect(declared.declarations).toEqual([
      `${comment}\nconst jobErrorsTotalSum = gauge("job:errors_total:sum");`,
      `${comment}\nconst jobHttpRequestsRate5m = gauge("job:http_requests:rate5m");`,
      `${comment}\nconst jobHttpRequestsErrorsRate5m = gauge("job:http_requests_errors:rate5m");`,
      `${comment}\nconst jobJobsFailedSum = counter("job:jobs_failed:sum");`,
      // A recorded bucket series is one series of its own, not part of a family to declare.
      `${comment}\nconst jobLeLatencySecondsBucketRate5m = gauge("job_le:latency_seconds_bucket:rate5m", { labels: ["route"] });`,
    ]);
    expect(declared.guessed).toEqual([]);
    // Their selectors render as written, so the queries interpolate them.
    expect(exprCode('sum(job:http_requests:rate5m{job="api"})', declared.handles).text).toBe('promql`sum(${jobHttpRequestsRate5m.where({ job: "api" })})`');
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
