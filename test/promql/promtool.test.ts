import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { analyzePromQL } from "../../src/promql/analyze.js";
import { promqlSyntaxErrors } from "../../src/promql/syntax.js";
import { runTool } from "../../src/tools/run.js";
import { BROKEN, OPTIONS, VALID } from "./corpus.js";

/** Expressions lezer-promql 0.42 parses without error that Prometheus 2.42 rejects. */
const LEZER_GAPS: readonly string[] = [
  String.raw`up{job="\q"}`,
  String.raw`up{job="\'"}`,
  String.raw`up{job='\"'}`,
  String.raw`up{job="\08"}`,
  String.raw`up{job="\400"}`,
  String.raw`up{job="\uD800"}`,
  String.raw`up{job="\x4"}`,
  "atan2",
  "up[0s]",
  "up offset 0s",
  "up offset -0s",
  "max_over_time(up[5m:0s])",
  "up[9223372036854775807s]",
  // Past what a Go time.Duration holds in nanoseconds (about 292 years); vigil checked milliseconds.
  "up[293y]",
  "up offset 106752d",
  "max_over_time(up[5m:9223372036855ms])",
  '{job=""}',
  '{job=~".*"}',
  'up{__name__="up"}',
  'up{__name__=~"u.*"}',
  'up{job=~"(a"}',
  'up{job=~"(?<n>a)"}',
  "up @ Inf",
  "up @ 1e20",
  "up @ end() @ 5",
  "up offset 1m offset 1m",
  "up offset 1m [5m]",
  "up @ 5 [5m]",
  "(up)[5m]",
  "vector(1)[5m]",
  "rate(up[5m]) offset 1m",
  "sum(up) @ 5",
  "1 offset 1m",
  "up > -up[5m:1m]",
  "up + up[5m]",
  "-up[5m]",
  "1 > 2",
  "inf > nan",
  "up + bool 1",
  "up and 1",
  "1 + on(job) 2",
  "up and on(job) group_left up",
  "up * on(job) group_left(job) up",
  "up[5m][5m:]",
  "rate(up)",
  "time(1)",
  "sum()",
  "sum(up, up)",
  "quantile(up)",
  'topk("a", up)',
  "count_values(up, up)",
  "round(up, 1, 2)",
  'label_join(up, "a")',
  "histogram_quantile(up, up)",
  '"a" + 1',
];

/** Expressions Prometheus accepts that look odd; the analyzer must not reject them (types, syntax). */
const ODD_BUT_VALID: readonly string[] = [
  "max_over_time(up[292y])",
  "up offset 9223372036854ms",
  "sum",
  'sum{job="a"}',
  "by",
  "Infinity",
  "x AND y",
  "up Offset 5m",
  "0x1F + 1e3 + .5 + 5. + Inf + -NaN + 010",
  "max_over_time(up[1y2w3d4h5m6s7ms])",
  "1 + on() 2",
  "up + on() group_left 1",
  "up @ -5",
  "up @ +1.5",
  "- - 1",
  "-1 ^ 2",
  'up{on="a", by="b", sum="c"}',
  "sum by (on, le, sum, start, bool) (up)",
  "sum by (a,) (up)",
  "max_over_time(up[ 5m ])",
  "sum(up @ start())",
  "up offset -1m @ 5",
  "topk(1, up) by (job)",
  'count_values by (job) ("v", up)',
  "day_of_month()",
  "pi() + 1",
  'label_join(up, "a", ",", "b", "c", "d")',
];

/** Random expressions from a small grammar, deterministic for a seed: most are wrong in some way. */
function generated(count: number, seed: number): string[] {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const gen = (depth: number): string => {
    if (depth <= 0) return pick(["up", "x", '"s"', "1", "2.5", "-1", 'x{a="b"}', "time()", 'x{a=~"b.*"}', "Inf"]);
    const r = random();
    const e = () => gen(depth - 1);
    const args = (min: number, spread: number) => Array.from({ length: min + Math.floor(random() * spread) }, e).join(", ");
    if (r < 0.15) {
      return `${e()} ${pick(["+", "-", "*", "/", ">", "==", "and", "or", "unless", "^", "atan2", "%"])} ${pick(["", "bool ", "on(a) ", "ignoring(a) group_left ", "on(a) group_right(b) "])}${e()}`;
    }
    if (r < 0.25) {
      return `${pick(["rate", "abs", "absent", "sort", "vector", "scalar", "round", "clamp_min", "histogram_quantile", "label_replace", "time", "avg_over_time", "day_of_week", "quantile_over_time", "predict_linear"])}(${args(0, 3)})`;
    }
    if (r < 0.35) return `${pick(["sum", "topk", "count_values", "quantile", "max"])}${pick(["", " by (a)", " without (a)"])}(${args(1, 2)})`;
    if (r < 0.45) return `${e()}[${pick(["5m", "1h", "5m:", "5m:1m"])}]`;
    if (r < 0.52) return `${e()} offset ${pick(["5m", "-1h"])}`;
    if (r < 0.58) return `${e()} @ ${pick(["100", "start()", "end()", "-5"])}`;
    if (r < 0.68) return `-${e()}`;
    if (r < 0.8) return `(${e()})`;
    return e();
  };
  const out = new Set<string>();
  while (out.size < count) out.add(gen(1 + Math.floor(random() * 4)));
  return [...out];
}

describe("agreement with promtool check rules (Prometheus 2.42)", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "vigil-analyze-"));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const ruleFile = (exprs: readonly string[]) =>
    stringify({ groups: [{ name: "corpus", rules: exprs.map((expr, i) => ({ record: `corpus_rule_${i}`, expr })) }] });

  /** Runs promtool once over one file per expression; the error of each, or undefined when accepted. */
  async function promtoolVerdicts(name: string, exprs: readonly string[]): Promise<(string | undefined)[]> {
    const files = exprs.map((_, i) => `${name}-${String(i).padStart(3, "0")}.rules.yaml`);
    await Promise.all(exprs.map((expr, i) => writeFile(path.join(dir, files[i]!), ruleFile([expr]))));
    const result = await runTool("promtool", ["check", "rules", ...files], { cwd: dir });
    const errors = new Map<string, string>();
    for (const line of result.stderr.split("\n")) {
      const match = /^(\S+\.rules\.yaml): (.*)$/.exec(line);
      if (match && !errors.has(match[1]!)) errors.set(match[1]!, match[2]!);
    }
    const succeeded = (result.stdout.match(/SUCCESS/g) ?? []).length;
    expect(succeeded + errors.size, `every file has a verdict:\n${result.stdout}\n${result.stderr}`).toBe(exprs.length);
    return files.map((file) => errors.get(file));
  }

  const STRUCTURAL = new Set(["promql-syntax", "promql-type", "invalid-regex"]);
  const structural = (expr: string) => analyzePromQL(expr, OPTIONS).findings.filter((f) => STRUCTURAL.has(f.code));

  it("accepts the whole valid corpus as recording rules in one file", async () => {
    await writeFile(path.join(dir, "valid.rules.yaml"), ruleFile(VALID));
    const result = await runTool("promtool", ["check", "rules", "valid.rules.yaml"], { cwd: dir });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`SUCCESS: ${VALID.length} rules found`);
  });

  it("lezer-promql accepts every gap expression (so the analyzer's own checks are what catch them)", () => {
    for (const expr of LEZER_GAPS) expect(promqlSyntaxErrors(expr), expr).toEqual([]);
  });

  it("flags every expression promtool rejects (so whatever it passes, promtool accepts)", async () => {
    const exprs = [...BROKEN.map((b) => b.expr), ...LEZER_GAPS, ...ODD_BUT_VALID];
    const verdicts = await promtoolVerdicts("case", exprs);
    const missed = exprs.flatMap((expr, i) => (verdicts[i] !== undefined && structural(expr).length === 0 ? [`${expr}\n    promtool: ${verdicts[i]}`] : []));
    expect(missed).toEqual([]);
  });

  it("agrees with promtool on 600 generated expressions, both ways", async () => {
    const exprs = generated(600, 20261101);
    const verdicts = await promtoolVerdicts("generated", exprs);
    const rejected = verdicts.filter((v) => v !== undefined).length;
    expect(rejected).toBeGreaterThan(100);
    expect(exprs.length - rejected).toBeGreaterThan(50);
    const disagreements = exprs.flatMap((expr, i) => {
      // Accepted by promtool but useless as a rule: the analyzer says so on purpose.
      const found = structural(expr).filter((f) => !f.message.includes("rules and graphs need"));
      if (verdicts[i] !== undefined && found.length === 0) return [`missed: ${expr}\n    promtool: ${verdicts[i]}`];
      if (verdicts[i] === undefined && found.length > 0) return [`extra: ${expr}\n    ${found.map((f) => f.message).join("; ")}`];
      return [];
    });
    expect(disagreements).toEqual([]);
  });

  it("promtool rejects every gap expression and accepts every odd-but-valid one", async () => {
    const verdicts = await promtoolVerdicts("gap", [...LEZER_GAPS, ...ODD_BUT_VALID]);
    LEZER_GAPS.forEach((expr, i) => expect(verdicts[i], `promtool accepts ${expr}`).toBeDefined());
    ODD_BUT_VALID.forEach((expr, i) => expect(verdicts[LEZER_GAPS.length + i], `promtool rejects ${expr}`).toBeUndefined());
    for (const expr of ODD_BUT_VALID) expect(structural(expr), expr).toEqual([]);
  });

  it("the broken cases marked promtoolAccepts are accepted by promtool, the others rejected", async () => {
    const verdicts = await promtoolVerdicts("broken", BROKEN.map((b) => b.expr));
    BROKEN.forEach((b, i) => {
      if (b.promtoolAccepts) expect(verdicts[i], `promtool rejects ${b.expr}`).toBeUndefined();
      else expect(verdicts[i], `promtool accepts ${b.expr}`).toBeDefined();
    });
  });
});
