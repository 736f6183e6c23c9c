import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzePromQL, builtinCatalog, catalogOf, DEFAULT_ANALYZE_OPTIONS, type AnalyzeOptions } from "../../src/promql/analyze.js";
import { BROKEN, CATALOG, OPTIONS, VALID } from "./corpus.js";

const findingsOf = (expr: string, options: AnalyzeOptions = OPTIONS) => analyzePromQL(expr, options).findings;
const codes = (expr: string, options: AnalyzeOptions = OPTIONS) => findingsOf(expr, options).map((f) => `${f.code}@${f.offset}`);

describe("analyzePromQL on the valid corpus", () => {
  it("has at least 40 tricky valid expressions", () => {
    expect(VALID.length).toBeGreaterThanOrEqual(40);
  });

  it.each(VALID)("finds nothing in %s", (expr) => {
    expect(findingsOf(expr)).toEqual([]);
  });

  it.each(VALID)("gives a canonical text that analyses to itself: %s", (expr) => {
    const canonical = analyzePromQL(expr, OPTIONS).canonical!;
    expect(canonical).toBeDefined();
    const again = analyzePromQL(canonical, OPTIONS);
    expect(again.findings).toEqual([]);
    expect(again.canonical).toBe(canonical);
  });
});

describe("analyzePromQL on broken expressions", () => {
  it.each(BROKEN)("reports $code at $offset in $expr", ({ expr, code, offset, length }) => {
    const found = findingsOf(expr);
    const match = found.find((f) => f.code === code && f.offset === offset);
    expect(match, JSON.stringify(found, null, 2)).toBeDefined();
    if (length !== undefined) expect(match!.length).toBe(length);
    expect(match!.message.length).toBeGreaterThan(10);
  });

  it("has several cases for every code", () => {
    const count = new Map<string, number>();
    for (const b of BROKEN) count.set(b.code, (count.get(b.code) ?? 0) + 1);
    for (const code of ["promql-syntax", "promql-type", "invalid-regex", "unknown-metric", "unknown-label", "rate-over-non-counter",
      "counter-without-rate", "histogram-quantile-without-le", "range-too-short"]) {
      expect(count.get(code) ?? 0, code).toBeGreaterThanOrEqual(3);
    }
  });

  it("reports the first lezer error only, and no canonical text", () => {
    const analysis = analyzePromQL("sum(x +* (y", OPTIONS);
    expect(analysis.findings).toHaveLength(1);
    expect(analysis.findings[0]).toMatchObject({ code: "promql-syntax", offset: 7 });
    expect(analysis.canonical).toBeUndefined();
  });

  it("reports a type error once, not again in every operator around it", () => {
    expect(codes("up > -queue_depth[5m:1m]")).toEqual(["promql-type@5"]);
  });

  it("says how to fix each problem in words of the monitor", () => {
    expect(findingsOf("rate(queue_depth)")[0]).toMatchObject({
      message: "argument 1 of rate() needs a range vector, got an instant vector",
      hint: "Add a range selector, e.g. [5m], to the metric inside.",
    });
    expect(findingsOf("1 > 2")[0]!.hint).toBe('Write "> bool" to get 0 or 1.');
    expect(findingsOf("rate(htp_requests_total[5m])")[0]!.message).toBe('metric "htp_requests_total" is not declared');
    expect(findingsOf('queue_depth{queu="a"}')[0]!.hint).toBe('Its labels are: instance, job, queue. Declare "queu" on the metric or fix the matcher.');
    expect(findingsOf("rate(http_requests_total[30s])")[0]!.hint).toBe("Use a range of at least [1m] (or $__rate_interval in dashboards).");
    expect(findingsOf("histogram_quantile(0.9, sum by (service) (rate(http_request_duration_seconds_bucket[5m])))")[0]!.hint)
      .toContain("sum by (service, le)");
  });
});

describe("catalog checks", () => {
  const noCatalog: AnalyzeOptions = { ...OPTIONS, catalog: undefined };

  it("are skipped without a catalog", () => {
    for (const b of BROKEN.filter((x) => !["promql-syntax", "promql-type", "invalid-regex", "invalid-label-name"].includes(x.code))) {
      expect(findingsOf(b.expr, noCatalog).filter((f) => f.code === b.code), b.expr).toEqual([]);
    }
  });

  it("know Prometheus' own series", () => {
    const builtins = builtinCatalog();
    expect(builtins.lookup("up")).toMatchObject({ kind: "gauge", origin: "builtin" });
    expect(builtins.lookup("ALERTS")?.labels).toBeUndefined();
    expect(builtins.lookup("http_requests_total")).toBeUndefined();
    const empty = { ...OPTIONS, catalog: catalogOf({}) };
    expect(findingsOf('ALERTS{alertname="X", anything="y"} + ALERTS_FOR_STATE + scrape_duration_seconds + scrape_samples_scraped + scrape_samples_post_metric_relabeling + scrape_series_added{job="a"}', empty)).toEqual([]);
    expect(codes('up{service="a"}', empty)).toEqual(["unknown-label@3"]);
  });

  it("skip selectors without a literal metric name, and accept any label where labels are not declared", () => {
    expect(findingsOf('{__name__=~"nothing_.*", whatever="a"}')).toEqual([]);
    expect(findingsOf('{job="a"}')).toEqual([]);
    expect(findingsOf('process_start_time_seconds{anything="a"}')).toEqual([]);
    expect(findingsOf('queue_depth{job="a", instance="b"}')).toEqual([]);
  });

  it("resolve histogram and summary series to their family", () => {
    expect(findingsOf('http_request_duration_seconds_bucket{le="0.5", service="a"} + http_request_duration_seconds_count{service="a"}')).toEqual([]);
    expect(codes('http_request_duration_seconds_count{le="0.5"}')).toEqual(["unknown-label@36"]);
    expect(findingsOf('rpc_duration_seconds{quantile="0.5"} + rpc_duration_seconds_sum + rpc_duration_seconds_count')).toEqual([]);
    expect(codes("rpc_duration_seconds_bucket")).toEqual(["unknown-metric@0"]);
  });

  it("lets rate() over counters, suffixed series and unknown kinds pass", () => {
    expect(findingsOf("rate(http_requests_total[5m]) + rate(http_request_duration_seconds_sum[5m]) + rate(job:http_requests:rate5m[5m])")).toEqual([]);
  });

  it("do not flag too-short ranges of recorded series or subqueries, nor counters compared to vectors", () => {
    expect(findingsOf("max_over_time(job:http_requests:rate5m[30s])")).toEqual([]);
    expect(findingsOf("max_over_time(rate(http_requests_total[5m])[10m:10s])")).toEqual([]);
    expect(findingsOf("http_requests_total > on(service) group_left errors_total")).toEqual([]);
    expect(findingsOf("rate(http_requests_total[5m]) > 100")).toEqual([]);
    expect(findingsOf("count(http_requests_total) > 100")).toEqual([]);
  });

  it("respect the options: target labels, scrape interval and minimum scrapes", () => {
    expect(codes('queue_depth{cluster="a"}')).toEqual(["unknown-label@12"]);
    expect(findingsOf('queue_depth{cluster="a"}', { ...OPTIONS, targetLabels: ["cluster"] })).toEqual([]);
    expect(codes("rate(http_requests_total[2m])", { ...OPTIONS, scrapeIntervalSeconds: 60 })).toEqual(["range-too-short@25"]);
    expect(findingsOf("rate(http_requests_total[2m])", { ...OPTIONS, scrapeIntervalSeconds: 60, minRangeScrapes: 2 })).toEqual([]);
    expect(DEFAULT_ANALYZE_OPTIONS).toEqual({ targetLabels: ["job", "instance"], scrapeIntervalSeconds: 15, minRangeScrapes: 4 });
  });
});

describe("metrics", () => {
  it("lists metric families in order of first use, once each", () => {
    expect(analyzePromQL("histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) / up + on() group_left rate(http_request_duration_seconds_count[5m]) + nope_total", OPTIONS).metrics)
      .toEqual(["http_request_duration_seconds", "up", "nope_total"]);
    expect(analyzePromQL('{__name__="x"} + rpc_duration_seconds_sum', OPTIONS).metrics).toEqual(["rpc_duration_seconds"]);
  });
});

describe("canonical text", () => {
  const canonical = (expr: string) => analyzePromQL(expr, OPTIONS).canonical;

  it("ignores formatting, keyword case, modifier place and label order", () => {
    const forms = [
      'sum by (service, code) (rate(http_requests_total{code=~"5..", service="api"}[5m]))',
      "SUM(rate( http_requests_total{service='api',code=~\"5..\",}[300s] ))BY(code,service)",
      "sum by (code , service)(\n rate(http_requests_total{service=\"api\", code=~`5..`}[5m]) # errors\n)",
    ];
    expect(new Set(forms.map(canonical)).size).toBe(1);
    expect(canonical(forms[0]!)).toBe('sum by (code, service) (rate(http_requests_total{code=~"5..", service="api"}[5m]))');
  });

  it("tells different expressions apart", () => {
    const different = ["rate(http_requests_total[5m])", "rate(http_requests_total[10m])", "irate(http_requests_total[5m])",
      "rate(http_requests_total[5m] offset 1m)", "sum(up)", "sum by (job) (up)", "sum without (job) (up)", "up > 1", "up > bool 1",
      "up + on() up", "up + ignoring() up", "1 - 2 - 3", "1 - (2 - 3)"];
    expect(new Set(different.map(canonical)).size).toBe(different.length);
  });
});

describe("Grafana queries", () => {
  const grafana: AnalyzeOptions = { ...OPTIONS, grafana: true };

  it.each([
    'sum by (route) (rate(http_requests_total{service="$service"}[$__rate_interval]))',
    "rate(http_requests_total[$__interval]) > $threshold",
    'sum by ($group) (rate(http_requests_total{service=~"${service:regex}"}[5m]))',
    "topk($n, queue_depth offset $__range)",
    "max_over_time(queue_depth[${__range}] @ ${__to:date:seconds})",
    "increase(http_requests_total[$__range]) / $__range_s",
    '$metric{job="api"} > 0',
    "rate([[metric]][5m])",
  ])("substitutes the variables of %s", (expr) => {
    const analysis = analyzePromQL(expr, grafana);
    expect(analysis.findings).toEqual([]);
    expect(analysis.canonical).toMatch(/\$|\[\[/);
  });

  it("prints variables as written in the canonical text", () => {
    expect(analyzePromQL("sum by ($group, route) (rate(http_requests_total[$__rate_interval] offset $__range)) > $threshold", grafana).canonical)
      .toBe("sum by ($group, route) (rate(http_requests_total[$__rate_interval] offset $__range)) > $threshold");
  });

  it("keeps offsets pointing into the original text", () => {
    const expr = "rate(queue_depth[$__rate_interval]) + rate(nope[$__interval]) + $x + queue_depth[30s]";
    expect(codes(expr, grafana)).toEqual(["rate-over-non-counter@5", "unknown-metric@43", "promql-type@69", "range-too-short@81"]);
  });

  it("are syntax errors without the grafana option", () => {
    expect(codes("rate(http_requests_total[$__rate_interval])")).toEqual(["promql-syntax@25"]);
  });
});

describe("robustness", () => {
  const pieces = ["up", "queue_depth", "http_requests_total", "sum", "by", "(", ")", "{", "}", "[", "]", "5m", ":", ",", "job", "=", "=~",
    '"a"', "'\\q'", "offset", "@", "start()", "1", "-", "+", ">", "bool", "on", "group_left", "and", "rate", "histogram_quantile", "0.9",
    "le", "$__rate_interval", "#", "\n", " ", "`x`", "Inf", "0x1f", "atan2", "topk", "count_values"];

  it("never throws, and findings stay inside the text", () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 14 }), fc.boolean(), (parts, grafana) => {
      const text = parts.join(" ");
      const analysis = analyzePromQL(text, { ...OPTIONS, grafana });
      for (const f of analysis.findings) {
        expect(f.offset).toBeGreaterThanOrEqual(0);
        expect(f.offset + f.length).toBeLessThanOrEqual(text.length);
      }
    }), { numRuns: 2000, seed: 42 });
  });

  it("uses the catalog through lookup only", () => {
    const asked: string[] = [];
    analyzePromQL("rate(http_requests_total[5m])", { ...OPTIONS, catalog: { lookup: (n) => (asked.push(n), CATALOG.lookup(n)) } });
    expect(asked).toEqual(["http_requests_total"]);
  });
});
