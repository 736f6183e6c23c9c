import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { exprSchema } from "../../src/model/promql.js";
import { analyzePromQL } from "../../src/promql/analyze.js";
import { parsePromQL } from "../../src/promql/parser.js";
import { promqlSyntaxErrors } from "../../src/promql/syntax.js";
import { runTool } from "../../src/tools/run.js";
import { OPTIONS } from "./corpus.js";

/** Expressions Prometheus 2.42 parses; each exercises a corner of the grammar. */
const VALID: readonly string[] = [
  String.raw`rate(http_requests_total{job="api"}[5m] offset 1h)`,
  String.raw`rate(http_requests_total[5m] offset -30m)`,
  String.raw`max_over_time(rate(http_requests_total[5m])[30m:1m])`,
  String.raw`avg_over_time(up[1h:])`,
  String.raw`http_requests_total @ end()`,
  String.raw`rate(http_requests_total[5m] @ 1609746000)`,
  String.raw`sum by (job) (rate(errors_total[5m])) / on(job) sum by (job) (rate(requests_total[5m]))`,
  String.raw`errors_total / ignoring(code) group_left requests_total`,
  String.raw`node_load1 * on(instance) group_left(nodename, machine) node_uname_info`,
  String.raw`absent(up{job="api"})`,
  String.raw`label_replace(up, "host", "$1", "instance", "(.*):.*")`,
  String.raw`histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))`,
  String.raw`topk(5, sum by (path) (rate(http_requests_total[5m])))`,
  String.raw`count_values("version", build_info)`,
  String.raw`up == bool 1`,
  String.raw`-rate(http_requests_total[5m]) + - -1`,
  String.raw`sum(rate(errors_total[5m])) or vector(0)`,
  String.raw`up{path="a\"b\\c\n", name='it\'s'}`,
  String.raw`up{path=~"/api/.+", code!~"2..", method!="GET"}`,
  String.raw`sum without (instance, pod) (rate(http_requests_total[5m]))`,
  String.raw`sum(rate(http_requests_total[5m])) by (job)`,
  String.raw`{__name__=~"job:.*", job="api"}`,
  String.raw`quantile_over_time(0.9, rate(x[5m])[1d:5m])`,
  String.raw`time() - process_start_time_seconds > 3600 unless on() absent(up)`,
  String.raw`1 + 2 * 3 ^ 2 % 5 > bool 0`,
  String.raw`up{path=~` + "`" + String.raw`\d+\.js` + "`}",
  String.raw`sum by () (up) and ignoring(job) up`,
  String.raw`max by (job) (y) * on(job) group_right rate(x[1h30m]) > 0.5`,
];

interface Invalid {
  expr: string;
  /** Where promqlSyntaxErrors puts the first error. */
  offset: number;
  /** The first error says the expression is cut short rather than naming a token. */
  endsEarly?: boolean;
  /** promtool's 1-based column, when it is not offset + 1 (its lexer reports a stray ")" after it). */
  promtoolColumn?: number;
}

const INVALID: readonly Invalid[] = [
  { expr: "sum(rate(x[5m]) by", offset: 16 },
  { expr: "rate(x[5m]", offset: 10, endsEarly: true },
  { expr: 'x{a="b"', offset: 7, endsEarly: true },
  { expr: "foo bar", offset: 4 },
  { expr: "1 +", offset: 3, endsEarly: true },
  { expr: "sum(x) by (a) (b)", offset: 14 },
  { expr: "x +* y", offset: 3 },
  { expr: ")", offset: 0, promtoolColumn: 2 },
  { expr: "up)", offset: 2, promtoolColumn: 4 },
  { expr: "sum by (job (x)", offset: 12 },
  { expr: "x{a=b}", offset: 4 },
  { expr: 'x{="a"}', offset: 2 },
  { expr: "x[5m:1m", offset: 7, endsEarly: true },
  { expr: "x offset", offset: 8, endsEarly: true },
  { expr: "topk(5 x)", offset: 7 },
  { expr: "sum(x) by job", offset: 10 },
  { expr: 'up{job="api",,}', offset: 13 },
  { expr: "up == == 1", offset: 6 },
  { expr: 'x{a~"b"}', offset: 3 },
  { expr: "rate(x[5m] offset)", offset: 17 },
  { expr: "histogram_quantile(0.9 sum(x))", offset: 23 },
  { expr: "sum(x) by (job) without (a)", offset: 16 },
  { expr: "rate(x[5])", offset: 7 },
  // Keywords, numbers and names with a colon before "(" are not calls to Prometheus either.
  { expr: "foo:bar(x)", offset: 7 },
  { expr: "start()", offset: 5 },
  { expr: "inf(1)", offset: 3 },
  { expr: "x bool (y)", offset: 2 },
];

/** Calls of functions Prometheus 2.42 does not have: its parser says `unknown function with name "<name>"` at the name. */
const MISSPELT: readonly { expr: string; name: string; offset: number }[] = [
  { expr: "sum(rat(x_total[5m])) > 1", name: "rat", offset: 4 },
  { expr: "histogram_quantil(0.9, sum by (le) (rate(x_bucket[5m])))", name: "histogram_quantil", offset: 0 },
  { expr: "Rate(x[5m])", name: "Rate", offset: 0 },
  { expr: "rat (x)", name: "rat", offset: 0 },
  { expr: "rat # a comment\n(x)", name: "rat", offset: 0 },
  { expr: "x and rat(y)", name: "rat", offset: 6 },
  { expr: "x unless foo(y)", name: "foo", offset: 9 },
  { expr: "Time()", name: "Time", offset: 0 },
  { expr: "rat()", name: "rat", offset: 0 },
];

describe("promqlSyntaxErrors", () => {
  it.each(VALID)("finds no error in %s", (expr) => {
    expect(promqlSyntaxErrors(expr)).toEqual([]);
  });

  it.each(INVALID)("finds the first error of $expr at offset $offset", ({ expr, offset, endsEarly }) => {
    const errors = promqlSyntaxErrors(expr);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]!.offset).toBe(offset);
    if (endsEarly) expect(errors[0]!.message).toContain("ends too early");
    else expect(errors[0]!.message).toMatch(/^PromQL syntax error: unexpected "/);
  });

  it("names the unexpected text in the message", () => {
    expect(promqlSyntaxErrors("foo bar")[0]!.message).toBe('PromQL syntax error: unexpected "bar"');
    expect(promqlSyntaxErrors("up)")[0]!.message).toBe('PromQL syntax error: unexpected ")"');
    expect(promqlSyntaxErrors("sum(rate(x[5m]) by")[0]!.message).toBe('PromQL syntax error: unexpected "by"');
  });

  it.each(MISSPELT)("says $name in $expr is an unknown function, at the name", ({ expr, name, offset }) => {
    const [first] = promqlSyntaxErrors(expr);
    expect(first).toMatchObject({ offset, length: name.length });
    expect(first!.message).toMatch(new RegExp(`^PromQL syntax error: unknown function "${name}"( \\(|$)`));
  });

  it("suggests close names, and says function names are case-sensitive", () => {
    expect(promqlSyntaxErrors("sum(rat(x_total[5m])) > 1")[0]).toEqual({
      offset: 4,
      length: 3,
      message: 'PromQL syntax error: unknown function "rat"',
      hint: "did you mean rad, rate, irate? See the list of functions at https://prometheus.io/docs/prometheus/2.42/querying/functions/.",
    });
    expect(promqlSyntaxErrors("histogram_quantil(0.9, x)")[0]!.hint).toMatch(/^did you mean histogram_quantile[,?]/);
    expect(promqlSyntaxErrors("Rate(x[5m])")[0]).toMatchObject({ message: 'PromQL syntax error: unknown function "Rate" (function names are case-sensitive: "rate")', hint: "Write rate(...)." });
    expect(promqlSyntaxErrors("zzzzzz(x)")[0]!.hint).toBe("See the list of functions at https://prometheus.io/docs/prometheus/2.42/querying/functions/.");
    // The misspelt name itself unexpected: lezer's error there stays the first one.
    expect(promqlSyntaxErrors("rate(x[5m]) rat(y)")).toEqual([{ offset: 12, length: 3, message: 'PromQL syntax error: unexpected "rat"' }]);
  });

  it("gives lint, the parser and the schema check the same unknown-function error", () => {
    const expr = "sum(rat(x_total[5m])) > 1";
    const expected = {
      code: "promql-syntax", offset: 4, length: 3, message: 'PromQL syntax error: unknown function "rat"',
      hint: "did you mean rad, rate, irate? See the list of functions at https://prometheus.io/docs/prometheus/2.42/querying/functions/.",
    };
    expect(analyzePromQL(expr, OPTIONS).findings).toEqual([expected]);
    expect(parsePromQL(expr).findings).toEqual([expected]);
    const result = exprSchema.safeParse(expr);
    expect(result.success).toBe(false);
    expect(result.error!.issues).toMatchObject([{ message: expected.message, params: { code: "promql-syntax", offset: 4, hint: expected.hint } }]);
  });

  it("reports each offset at most once, in order", () => {
    const offsets = promqlSyntaxErrors('x{a~"b"} +* (y').map((e) => e.offset);
    expect(offsets.length).toBeGreaterThan(1);
    expect(new Set(offsets).size).toBe(offsets.length);
    expect([...offsets].sort((a, b) => a - b)).toEqual(offsets);
  });

  it("has a corpus of at least 20 valid and 10 invalid expressions", () => {
    expect(VALID.length).toBeGreaterThanOrEqual(20);
    expect(INVALID.length).toBeGreaterThanOrEqual(10);
  });
});

describe("agreement with promtool check rules (Prometheus 2.42)", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "vigil-syntax-"));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const ruleFile = (exprs: readonly string[]) =>
    stringify({ groups: [{ name: "corpus", rules: exprs.map((expr, i) => ({ alert: `Corpus${i}`, expr })) }] });

  it("accepts every valid expression, one alert each, in one file", async () => {
    await writeFile(path.join(dir, "valid.rules.yaml"), ruleFile(VALID));
    const result = await runTool("promtool", ["check", "rules", "valid.rules.yaml"], { cwd: dir });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`SUCCESS: ${VALID.length} rules found`);
  });

  it("rejects every invalid expression on its own, where promqlSyntaxErrors points", async () => {
    const files = INVALID.map((_, i) => `invalid-${String(i).padStart(2, "0")}.rules.yaml`);
    await Promise.all(INVALID.map(({ expr }, i) => writeFile(path.join(dir, files[i]!), ruleFile([expr]))));
    const result = await runTool("promtool", ["check", "rules", ...files], { cwd: dir });
    expect(result.code).not.toBe(0);
    expect(result.stdout).not.toContain("SUCCESS");
    const problems = new Map<string, string>();
    for (const line of result.stderr.split("\n")) {
      const match = /^(invalid-\d+\.rules\.yaml): (.*)$/.exec(line);
      if (match) problems.set(match[1]!, match[2]!);
    }
    INVALID.forEach(({ expr, offset, promtoolColumn }, i) => {
      const problem = problems.get(files[i]!);
      expect(problem, `promtool accepted ${JSON.stringify(expr)}`).toBeDefined();
      const at = /could not parse expression: 1:(\d+): parse error/.exec(problem!);
      expect(at, `promtool output for ${JSON.stringify(expr)}: ${problem}`).not.toBeNull();
      expect(Number(at![1]), `promtool column for ${JSON.stringify(expr)}: ${problem}`).toBe(promtoolColumn ?? offset + 1);
    });
  });

  it("says what promqlSyntaxErrors says of misspelt functions, at the same column", async () => {
    const files = MISSPELT.map((_, i) => `misspelt-${i}.rules.yaml`);
    await Promise.all(MISSPELT.map(({ expr }, i) => writeFile(path.join(dir, files[i]!), ruleFile([expr]))));
    const result = await runTool("promtool", ["check", "rules", ...files], { cwd: dir });
    MISSPELT.forEach(({ expr, name, offset }, i) => {
      const line = result.stderr.split("\n").find((l) => l.startsWith(`${files[i]}: `));
      expect(line, expr).toMatch(`could not parse expression: 1:${offset + 1}: parse error: unknown function with name "${name}"`);
    });
  });
});
