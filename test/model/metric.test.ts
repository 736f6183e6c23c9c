import { describe, expect, it } from "vitest";
import { counter, gauge, histogram, isSelector, metricSchema, summary } from "../../src/model/metric.js";

const requests = counter("http_requests_total", { help: "Requests served.", labels: ["code", "method", "path"], unit: "requests" });

describe("metric handles", () => {
  it("counter carries its name, kind, help, labels and unit", () => {
    expect(requests.name).toBe("http_requests_total");
    expect(requests.kind).toBe("counter");
    expect(requests.help).toBe("Requests served.");
    expect(requests.labels).toEqual(["code", "method", "path"]);
    expect(requests.unit).toBe("requests");
    expect(requests.buckets).toBeUndefined();
  });

  it("gauge and summary have their own kinds and default to no labels", () => {
    const depth = gauge("queue_depth");
    const latency = summary("rpc_duration_seconds", { unit: "seconds" });
    expect(depth.kind).toBe("gauge");
    expect(depth.labels).toEqual([]);
    expect(latency.kind).toBe("summary");
    expect(latency.unit).toBe("seconds");
  });

  it("histogram keeps a copy of its buckets and labels", () => {
    const buckets = [0.1, 0.5, 1];
    const labels = ["route"] as const;
    const latency = histogram("http_request_duration_seconds", { buckets, labels });
    expect(latency.kind).toBe("histogram");
    expect(latency.buckets).toEqual([0.1, 0.5, 1]);
    expect(latency.labels).toEqual(["route"]);
    buckets.push(5);
    expect(latency.buckets).toEqual([0.1, 0.5, 1]);
  });

  it("renders as its bare name with toString and in template literals", () => {
    expect(String(requests)).toBe("http_requests_total");
    expect(`rate(${requests}[5m])`).toBe("rate(http_requests_total[5m])");
  });

  it("serialises to JSON as plain metric data, without where/toString", () => {
    const json = JSON.parse(JSON.stringify(requests)) as Record<string, unknown>;
    expect(json).toEqual({ name: "http_requests_total", kind: "counter", help: "Requests served.", labels: ["code", "method", "path"], unit: "requests" });
    expect(Object.keys(requests)).not.toContain("where");
    expect(Object.keys(requests)).not.toContain("toString");
    expect(typeof requests.where).toBe("function");
  });

  it("is valid metric data for metricSchema", () => {
    const latency = histogram("http_request_duration_seconds", { buckets: [0.1, 1], labels: ["route"] });
    const parsed = metricSchema.parse(JSON.parse(JSON.stringify(latency)));
    expect(parsed).toEqual({ name: "http_request_duration_seconds", kind: "histogram", labels: ["route"], buckets: [0.1, 1] });
  });
});

describe("where() selectors", () => {
  it("renders a string as an equality matcher", () => {
    expect(requests.where({ code: "500" }).render()).toBe('http_requests_total{code="500"}');
  });

  it("renders a RegExp as =~ with the regex source", () => {
    expect(requests.where({ code: /5../ }).render()).toBe('http_requests_total{code=~"5.."}');
  });

  it("turns the RegExp flags RE2 knows into inline flags", () => {
    const m = counter("x_total", { labels: ["code"] });
    expect(m.where({ code: /abc/i }).render()).toBe('x_total{code=~"(?i)abc"}');
    expect(m.where({ code: { not: /a.b/is } }).render()).toBe('x_total{code!~"(?is)a.b"}');
    expect(m.where({ code: /abc/g }).render()).toBe('x_total{code=~"abc"}');
  });

  it("accepts the target labels job and instance on every metric", () => {
    const q = counter("x_total");
    expect(q.where({ job: "api", instance: /10\..*/ }).render()).toBe('x_total{job="api", instance=~"10\\\\..*"}');
    // @ts-expect-error a metric without labels takes no other label
    q.where({ queue: "x" });
  });

  it("renders { not: string } as !=", () => {
    expect(requests.where({ method: { not: "GET" } }).render()).toBe('http_requests_total{method!="GET"}');
  });

  it("renders { not: RegExp } as !~", () => {
    expect(requests.where({ code: { not: /2../ } }).render()).toBe('http_requests_total{code!~"2.."}');
  });

  it("renders several matchers in the order given, comma separated", () => {
    const sel = requests.where({ method: "POST", code: /5../, path: { not: "/health" } });
    expect(sel.render()).toBe('http_requests_total{method="POST", code=~"5..", path!="/health"}');
  });

  it("JSON-escapes quotes and backslashes in values", () => {
    expect(requests.where({ path: 'say "hi"' }).render()).toBe('http_requests_total{path="say \\"hi\\""}');
    expect(requests.where({ path: "C:\\dir" }).render()).toBe('http_requests_total{path="C:\\\\dir"}');
    expect(requests.where({ path: "a\nb" }).render()).toBe('http_requests_total{path="a\\nb"}');
  });

  it("escapes backslashes of a RegExp source so PromQL sees the same regex", () => {
    expect(requests.where({ path: /\/api\/\d+/ }).render()).toBe('http_requests_total{path=~"\\\\/api\\\\/\\\\d+"}');
  });

  it("renders a bare name when there are no matchers or all are undefined", () => {
    expect(requests.where({}).render()).toBe("http_requests_total");
    expect(requests.where({ code: undefined }).render()).toBe("http_requests_total");
  });

  it("adds a name suffix with render(suffix)", () => {
    const latency = histogram("http_request_duration_seconds", { buckets: [0.1, 1], labels: ["route"] });
    expect(latency.where({ route: "/pay" }).render("_bucket")).toBe('http_request_duration_seconds_bucket{route="/pay"}');
    expect(latency.where({}).render("_count")).toBe("http_request_duration_seconds_count");
  });

  it("interpolates into a template literal as its rendered selector", () => {
    const sel = requests.where({ code: /5../ });
    expect(`sum(rate(${sel}[5m]))`).toBe('sum(rate(http_requests_total{code=~"5.."}[5m]))');
    expect(sel.toString()).toBe(sel.render());
  });

  it("records the metric, kind and matchers and is recognised by isSelector", () => {
    const matchers = { code: "500" };
    const sel = requests.where(matchers);
    expect(isSelector(sel)).toBe(true);
    expect(sel.metric).toBe("http_requests_total");
    expect(sel.kind).toBe("counter");
    expect(sel.matchers).toEqual({ code: "500" });
    expect(isSelector(requests)).toBe(false);
    expect(isSelector("http_requests_total")).toBe(false);
    expect(isSelector(null)).toBe(false);
  });

  it("accepts only the declared label names (type-level)", () => {
    const byCode = counter("http_requests_total", { labels: ["code"] });
    const sel = byCode.where({ code: "5.." });
    // @ts-expect-error "cod" is not one of the labels ["code"]
    byCode.where({ cod: "5.." });
    // @ts-expect-error a number is not a LabelMatch
    byCode.where({ code: 500 });
    expect(sel.render()).toBe('http_requests_total{code="5.."}');
  });
});
