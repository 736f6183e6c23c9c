import { describe, expect, it } from "vitest";
import { declareMetrics, exprCode, planMetrics } from "../../src/import/promql.js";

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

describe("imported PromQL: one declaration per metric", () => {
  it("declares a plain name that is also a family base (its _sum, _count or _bucket is read) as that family, once", () => {
    const declared = declareMetrics(
      [
        'go_gc_duration_seconds{quantile="1"} > 0.5',
        "rate(go_gc_duration_seconds_sum[5m]) / rate(go_gc_duration_seconds_count[5m]) > 0.1",
        'rpc_seconds{code="500"} > 1 and histogram_quantile(0.9, rate(rpc_seconds_bucket{le="0.5"}[5m])) > 1',
      ],
      new Set(),
      new Set(),
    );
    // Before: gauge("go_gc_duration_seconds", { labels: ["quantile"] }) and summary("go_gc_duration_seconds") both.
    expect(declared.declarations).toEqual([
      'const goGcDurationSeconds = summary("go_gc_duration_seconds");',
      'const rpcSeconds = histogram("rpc_seconds", { labels: ["code"], buckets: [0.5] });',
    ]);
    expect(declared.handles.size).toBe(0);
    expect(declared.kinds).toEqual(new Set(["summary", "histogram"]));
  });

  it("declares none of Prometheus' own series: ALERTS (any label), up and scrape_* by target labels", () => {
    const declared = declareMetrics(
      [
        'absent(ALERTS{alertname="Watchdog", alertstate="firing"})',
        'ALERTS_FOR_STATE{alertname="X"} > 0 and up{job="api", instance="a:1"} == 0',
        "scrape_duration_seconds > 10 and rate(scrape_samples_scraped[5m]) > 1",
      ],
      new Set(),
      new Set(),
    );
    // Before: gauge("ALERTS", { labels: ["alertname", "alertstate"] }), which narrowed ALERTS for every other query.
    expect(declared.declarations).toEqual([]);
    expect(declared.variables).toEqual([]);
  });

  it("declares up with the labels other than target labels it is selected by (relabelling adds them), saying why", () => {
    const declared = declareMetrics(['up{job="alertmanager", namespace="monitoring"} == 0', 'absent(up{metrics_path="/metrics"})'], new Set(), new Set());
    expect(declared.declarations).toHaveLength(1);
    expect(declared.declarations[0]).toMatch(/^\/\/ Prometheus' own series: [^\n]*\n\/\/ [^\n]*lint\.targetLabels[^\n]*\nconst up = gauge\("up", \{ labels: \["metrics_path","namespace"\] \}\);$/);
  });

  it("declares each metric as the plan over all the import's queries says, in every service that reads it", () => {
    const a = "sum by (job) (rate(grpc_server_handling_seconds_count[5m])) + rate(jobs[5m])";
    const b = 'histogram_quantile(0.99, sum by (job, le) (rate(grpc_server_handling_seconds_bucket{le="0.1", method="Get"}[5m]))) and jobs > 3';
    const plan = planMetrics([a, b], new Set());
    // Before: a alone read grpc_server_handling_seconds as a summary and jobs as a counter, b as a histogram and a gauge.
    expect(declareMetrics([a], new Set(), new Set(), plan).declarations).toEqual([
      'const jobs = counter("jobs");',
      'const grpcServerHandlingSeconds = histogram("grpc_server_handling_seconds", { labels: ["method"], buckets: [0.1] });',
    ]);
    expect(declareMetrics([b], new Set(), new Set(), plan).declarations).toEqual([
      'const jobs = counter("jobs");',
      'const grpcServerHandlingSeconds = histogram("grpc_server_handling_seconds", { labels: ["method"], buckets: [0.1] });',
    ]);
  });
});
