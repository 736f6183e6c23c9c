import { describe, expect, it } from "vitest";
import { counter, histogram } from "../../src/model/metric.js";
import { exprSchema, exprText, isPromQL, panelExprSchema, promql } from "../../src/model/promql.js";

const requests = counter("http_requests_total", { labels: ["code", "job"] });
const latency = histogram("http_request_duration_seconds", { buckets: [0.1, 0.5, 1], labels: ["job"] });

type Issue = { code: string; message: string; params?: Record<string, unknown> };
const issuesOf = (schema: typeof exprSchema, value: unknown): Issue[] => {
  const result = schema.safeParse(value);
  return result.success ? [] : (result.error.issues as Issue[]);
};

describe("promql tag", () => {
  it("renders interpolated selectors into the text", () => {
    const sel = requests.where({ code: /5../ });
    const expr = promql`sum(rate(${sel}[5m]))`;
    expect(expr.text).toBe('sum(rate(http_requests_total{code=~"5.."}[5m]))');
    expect(String(expr)).toBe(expr.text);
    expect(`${expr}`).toBe(expr.text);
    expect(isPromQL(expr)).toBe(true);
  });

  it("records where each literal chunk starts and how long it is", () => {
    const sel = requests.where({ code: "500" });
    const expr = promql`sum(rate(${sel}[5m])) / ${2}`;
    const selText = 'http_requests_total{code="500"}';
    expect(expr.chunks).toEqual([
      { offset: 0, length: "sum(rate(".length },
      { offset: "sum(rate(".length + selText.length, length: "[5m])) / ".length },
      { offset: expr.text.length, length: 0 },
    ]);
    for (const [i, literal] of ["sum(rate(", "[5m])) / ", ""].entries()) {
      const chunk = expr.chunks[i]!;
      expect(expr.text.slice(chunk.offset, chunk.offset + chunk.length)).toBe(literal);
    }
  });

  it("has one chunk when nothing is interpolated", () => {
    const expr = promql`up{job="api"} == 0`;
    expect(expr.text).toBe('up{job="api"} == 0');
    expect(expr.chunks).toEqual([{ offset: 0, length: expr.text.length }]);
  });

  it("handles adjacent interpolations and a leading one", () => {
    const a = requests.where({ job: "a" });
    const b = latency.where({ job: "b" });
    const expr = promql`${a}${b}`;
    expect(expr.text).toBe(`${a.render()}${b.render()}`);
    expect(expr.chunks).toEqual([
      { offset: 0, length: 0 },
      { offset: a.render().length, length: 0 },
      { offset: expr.text.length, length: 0 },
    ]);
  });

  it("renders a bare metric handle as its name", () => {
    expect(promql`rate(${requests}[5m])`.text).toBe("rate(http_requests_total[5m])");
  });
});

describe("exprText", () => {
  it("returns a string as it is", () => {
    expect(exprText("up == 0")).toBe("up == 0");
  });

  it("returns the text of a promql template", () => {
    expect(exprText(promql`max(${latency.where({ job: "api" })})`)).toBe('max(http_request_duration_seconds{job="api"})');
  });

  it("renders a selector", () => {
    expect(exprText(requests.where({ code: { not: "200" } }))).toBe('http_requests_total{code!="200"}');
  });
});

describe("exprSchema", () => {
  it("accepts valid PromQL as a string, a template and a selector", () => {
    const sel = requests.where({ code: /5../ });
    expect(exprSchema.safeParse("sum(rate(http_requests_total[5m])) by (job)").success).toBe(true);
    expect(exprSchema.safeParse(promql`sum(rate(${sel}[5m]))`).success).toBe(true);
    expect(exprSchema.safeParse(sel).success).toBe(true);
  });

  it("keeps the value it was given", () => {
    const expr = promql`up == 0`;
    const result = exprSchema.safeParse(expr);
    expect(result.success && result.data).toBe(expr);
  });

  it("reports a syntax error as a custom issue with code promql-syntax and the offset of the bad token", () => {
    const text = "sum(rate(x[5m]) by";
    const issues = issuesOf(exprSchema, text);
    expect(issues).toHaveLength(1);
    const issue = issues[0]!;
    expect(issue.code).toBe("custom");
    expect(issue.params).toEqual({ code: "promql-syntax", offset: text.indexOf("by") });
    expect(issue.message).toMatch(/^PromQL syntax error/);
  });

  it.each([
    ["foo bar", 4],
    ["x +* y", 3],
    ['x{a="b"}}', 8],
    ['up{job="api",,}', 13],
  ])("points the offset of %j at %d", (text, offset) => {
    const issues = issuesOf(exprSchema, text);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.params).toEqual({ code: "promql-syntax", offset });
  });

  it("says the expression ends too early when it is cut short", () => {
    const issues = issuesOf(exprSchema, "rate(x[5m]");
    expect(issues).toHaveLength(1);
    expect(issues[0]!.params).toEqual({ code: "promql-syntax", offset: 10 });
    expect(issues[0]!.message).toContain("ends too early");
  });

  it("offsets errors in a template into its rendered text", () => {
    const sel = requests.where({ code: "500" });
    const expr = promql`sum(rate(${sel}[5m]) by`;
    const issues = issuesOf(exprSchema, expr);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.params).toEqual({ code: "promql-syntax", offset: expr.text.lastIndexOf("by") });
  });

  it("reports only the first syntax error", () => {
    const text = 'x{a~"b"}';
    expect(issuesOf(exprSchema, text)).toHaveLength(1);
    expect(issuesOf(exprSchema, text)[0]!.params).toEqual({ code: "promql-syntax", offset: 3 });
  });

  it("rejects an empty string as empty", () => {
    const issues = issuesOf(exprSchema, "");
    expect(issues.map((i) => i.message)).toEqual(["the expression is empty"]);
  });

  it("rejects values that are not expressions without a syntax issue", () => {
    for (const value of [42, null, { text: "up" }]) {
      const issues = issuesOf(exprSchema, value);
      expect(issues.length).toBeGreaterThan(0);
      expect(issues.some((i) => i.params?.code === "promql-syntax")).toBe(false);
    }
  });

  it("checks Grafana variables as PromQL (they are not valid there)", () => {
    const issues = issuesOf(exprSchema, "rate(x[$__rate_interval])");
    expect(issues).toHaveLength(1);
    expect(issues[0]!.params).toEqual({ code: "promql-syntax", offset: 7 });
  });
});

describe("panelExprSchema", () => {
  it("skips the syntax check for expressions with Grafana variables", () => {
    expect(panelExprSchema.safeParse("rate(x[$__rate_interval])").success).toBe(true);
    expect(panelExprSchema.safeParse('sum(rate(http_requests_total{job="$service"}[$__rate_interval])) by (code)').success).toBe(true);
  });

  it("still checks expressions without variables", () => {
    const issues = issuesOf(panelExprSchema, "sum(rate(x[5m]) by");
    expect(issues).toHaveLength(1);
    expect(issues[0]!.params).toEqual({ code: "promql-syntax", offset: 16 });
    expect(panelExprSchema.safeParse("sum(rate(x[5m])) by (job)").success).toBe(true);
  });
});
