import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { analyzePromQL } from "../../src/promql/analyze.js";
import type { Expr } from "../../src/promql/ast.js";
import { parsePromQL } from "../../src/promql/parser.js";
import { promqlTree } from "../../src/promql/tree.js";
import { runTool } from "../../src/tools/run.js";
import { OPTIONS } from "./corpus.js";

/** The tree as an S-expression: one pair of parentheses per operator, modifiers on their selector. */
function shape(node: Expr): string {
  const modifiers = (n: { offset?: { ms: number }; at?: { timestamp?: number; preprocessor?: string } }) =>
    `${n.at ? `@${n.at.preprocessor ?? n.at.timestamp}` : ""}${n.offset ? `~${n.offset.ms / 1000}s` : ""}`;
  switch (node.type) {
    case "number":
      return String(node.value);
    case "string":
      return JSON.stringify(node.value);
    case "variable":
      return "$";
    case "selector":
      return `${node.name ?? "{}"}${modifiers(node)}`;
    case "matrix":
      return `(range ${shape(node.selector)} ${node.range.ms / 1000}s)${modifiers(node)}`;
    case "subquery":
      return `(subquery ${shape(node.expr)} ${node.range.ms / 1000}s)${modifiers(node)}`;
    case "call":
    case "aggregate":
      return `(${node.type === "call" ? node.name : node.op} ${node.args.map(shape).join(" ")})`;
    case "binary":
      return `(${node.op} ${shape(node.lhs)} ${shape(node.rhs)})`;
    case "unary":
      return `(${node.op} ${shape(node.expr)})`;
    case "paren":
      return `[${shape(node.expr)}]`;
  }
}

const parsed = (text: string) => {
  const result = parsePromQL(text);
  expect(result.expr, JSON.stringify(result.findings)).toBeDefined();
  return result.expr!;
};

describe("lowering lezer-promql's tree", () => {
  // lezer's top node shows its quirk; the shape is how Prometheus 2.42's grammar binds the expression.
  it.each([
    { text: "up > -b[5m:1m]", lezer: "SubqueryExpr", shape: "(> up (- (subquery b 300s)))" },
    { text: "a + b[5m]", lezer: "MatrixSelector", shape: "(+ a (range b 300s))" },
    { text: "a + b offset 1m", lezer: "OffsetExpr", shape: "(+ a b~60s)" },
    { text: "a * b @ 5", lezer: "StepInvariantExpr", shape: "(* a b@5)" },
    { text: "-b offset 5m", lezer: "OffsetExpr", shape: "(- b~300s)" },
    { text: "a + b offset 1m * c", lezer: "BinaryExpr", shape: "(+ a (* b~60s c))" },
    { text: "a * b @ 5 + c", lezer: "BinaryExpr", shape: "(+ (* a b@5) c)" },
    { text: "a or b[5m:] and c", lezer: "BinaryExpr", shape: "(or a (and (subquery b 300s) c))" },
    { text: "a + b[5m:] ^ 2", lezer: "BinaryExpr", shape: "(+ a (^ (subquery b 300s) 2))" },
    { text: "-a offset 1m ^ 2", lezer: "BinaryExpr", shape: "(- (^ a~60s 2))" },
    { text: "-a[5m:] * b", lezer: "BinaryExpr", shape: "(* (- (subquery a 300s)) b)" },
    { text: "a - b offset 1m - c", lezer: "BinaryExpr", shape: "(- (- a b~60s) c)" },
    { text: "a ^ b offset 1m ^ c", lezer: "BinaryExpr", shape: "(^ a (^ b~60s c))" },
    { text: "a * b @ 5 offset 1m", lezer: "OffsetExpr", shape: "(* a b@5~60s)" },
    { text: "-1 ^ 2", lezer: "BinaryExpr", shape: "(- (^ 1 2))" },
    { text: "2 * -1 ^ 2", lezer: "BinaryExpr", shape: "(* 2 (- (^ 1 2)))" },
  ])("$text: lezer's top node is $lezer, the AST is $shape", ({ text, lezer, shape: expected }) => {
    expect(promqlTree(text).topNode.firstChild!.name).toBe(lezer);
    expect(shape(parsed(text))).toBe(expected);
  });

  it.each([
    { text: "-a ^ b", shape: "(- (^ a b))" },
    { text: "-a * b", shape: "(* (- a) b)" },
    { text: "a ^ -b ^ c", shape: "(^ a (- (^ b c)))" },
    { text: "a ^ b ^ c", shape: "(^ a (^ b c))" },
    { text: "1 - 2 - 3", shape: "(- (- 1 2) 3)" },
    { text: "a or b and c unless d", shape: "(or a (unless (and b c) d))" },
    { text: "(a + b) offset 1m", shape: "[(+ a b)]" },
    { text: "sum(x) by (a) [5m]", shape: "(range (sum x) 300s)" },
  ])("keeps lezer's shape where it is right: $text is $shape", ({ text, shape: expected }) => {
    expect(shape(parsed(text))).toBe(expected);
  });

  it("folds signs into number literals as Prometheus does, and keeps the spans", () => {
    expect(parsed("- - 1")).toEqual({ type: "number", value: 1, from: 0, to: 5 });
    expect(parsed("a - -1")).toMatchObject({ type: "binary", rhs: { type: "number", value: -1, from: 4, to: 6 } });
    expect(parsed("- # sign\n 1")).toEqual({ type: "number", value: -1, from: 0, to: 11 });
    expect(parsed("up @ -5")).toMatchObject({ at: { timestamp: -5, from: 3, to: 7 } });
  });

  it("points findings into the rotated tree", () => {
    const findings = (text: string) => analyzePromQL(text, OPTIONS).findings.map((f) => `${f.code}@${f.offset}+${f.length}`);
    expect(findings("up > -queue_depth[5m:1m]")).toEqual(["promql-type@5+19"]);
    expect(findings("queue_depth + 1 offset 1m")).toEqual(["promql-type@16+9"]);
    // -(1[5m]): the range is misplaced, and the minus applies to what it gives.
    expect(findings("up + -1[5m]")).toEqual(["promql-type@5+6", "promql-type@7+4"]);
  });

  it("says what Prometheus' lexer rejects although lezer reads it", () => {
    const first = (text: string) => parsePromQL(text).findings.map((f) => [f.offset, f.length, f.message]);
    expect(first("0.9and up")).toEqual([[0, 6, 'PromQL syntax error: "0.9and" is neither a number nor a duration']]);
    expect(first("up offset 5mand up")).toEqual([[10, 5, 'PromQL syntax error: "5mand" is neither a number nor a duration']]);
    expect(first('up + "abc')).toEqual([[5, 4, "PromQL syntax error: the quoted string is not terminated"]]);
    expect(first("sum by (NaN) (up)")).toEqual([[8, 3, 'PromQL syntax error: unexpected "NaN", expected a label name']]);
  });
});

/** Seeded (mulberry32), so the expressions are the same on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Arithmetic where lezer's and Prometheus' readings differ: signs, "^", offset and @ between operators. */
function arithmetic(count: number, seed: number): string[] {
  const next = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const operand = (depth: number): string => {
    const atom = depth > 0 && next() < 0.2 ? `(${chain(depth - 1)})` : pick(["1", "2", "3", "a", "b"]);
    const modifier = /^[ab]$/.test(atom) ? pick(["", "", " offset 1m", " @ 60", " @ 120 offset 2m", " offset 2m"]) : "";
    return `${next() < 0.35 ? pick(["-", "+", "- ", "-(", "- -"]).replace("(", "") : ""}${atom}${modifier}`;
  };
  const chain = (depth: number): string => {
    let text = operand(depth);
    for (let n = Math.floor(next() * 4); n > 0; n--) text += ` ${pick(["+", "-", "*", "^"])} ${operand(depth)}`;
    return text;
  };
  const out = new Set<string>();
  while (out.size < count) out.add(chain(2));
  return [...out];
}

/** The promtool unit test series: a and b at 0m, 1m, 2m; expressions are evaluated at 2m. */
const SERIES: Record<string, readonly number[]> = { a: [1, 2, 3], b: [2, 1, 3] };
const EVAL_SECONDS = 120;

/** The value of a scalar-or-single-series expression, read from the AST. */
function evaluate(node: Expr): number {
  switch (node.type) {
    case "number":
      return node.value;
    case "paren":
      return evaluate(node.expr);
    case "unary":
      return node.op === "-" ? -evaluate(node.expr) : evaluate(node.expr);
    case "selector": {
      const at = (node.at?.timestamp ?? EVAL_SECONDS) - (node.offset?.ms ?? 0) / 1000;
      return SERIES[node.name!]![at / 60]!;
    }
    case "binary": {
      const [l, r] = [evaluate(node.lhs), evaluate(node.rhs)];
      return node.op === "+" ? l + r : node.op === "-" ? l - r : node.op === "*" ? l * r : l ** r;
    }
    default:
      throw new Error(`cannot evaluate ${node.type}`);
  }
}

describe("agreement with Prometheus 2.42 on precedence (promtool test rules)", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "vigil-precedence-"));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("evaluates 200 generated expressions to the values their AST gives", async () => {
    const cases = arithmetic(400, 20261123)
      .map((text) => ({ text, value: evaluate(parsed(text)) }))
      .filter(({ value }) => Number.isFinite(value) && Math.abs(value) < 1e6)
      .slice(0, 200);
    expect(cases).toHaveLength(200);
    // lezer's own reading would give other values for many of them (e.g. -1 ^ 2 is 1 in lezer's tree).
    expect(cases.filter(({ text }) => promqlTree(text).topNode.firstChild!.name !== "BinaryExpr" || /-\d+ \^/.test(text)).length).toBeGreaterThan(20);
    for (const { text } of cases) expect(analyzePromQL(text, { ...OPTIONS, catalog: undefined }).findings, text).toEqual([]);
    const tests = {
      rule_files: [],
      evaluation_interval: "1m",
      tests: [{
        interval: "1m",
        input_series: Object.entries(SERIES).map(([series, values]) => ({ series, values: values.join(" ") })),
        promql_expr_test: cases.map(({ text, value }) => ({
          // "+ 0 * vector(0)" gives scalars and single series the same result: one sample without labels.
          expr: `(${text}) + 0 * vector(0)`,
          eval_time: `${EVAL_SECONDS}s`,
          exp_samples: [{ labels: "{}", value }],
        })),
      }],
    };
    await writeFile(path.join(dir, "precedence.test.yaml"), stringify(tests));
    const result = await runTool("promtool", ["test", "rules", "precedence.test.yaml"], { cwd: dir });
    expect(`${result.stdout}${result.stderr}`).toContain("SUCCESS");
    expect(result.code).toBe(0);
  });

  it("rejects what the lowering rejects beyond lezer, and accepts upper-case hex, which lezer cannot read", async () => {
    const rejected = ["0.9and up", "up offset 5mand up", 'up + "abc', "sum by (NaN) (up)", "atan2"];
    const files = [...rejected, "0X1F"].map((expr, i) => ({ file: `case-${i}.rules.yaml`, expr }));
    await Promise.all(files.map(({ file, expr }) => writeFile(path.join(dir, file), stringify({ groups: [{ name: "g", rules: [{ record: "r", expr }] }] }))));
    const result = await runTool("promtool", ["check", "rules", ...files.map((f) => f.file)], { cwd: dir });
    for (const { file, expr } of files.slice(0, -1)) {
      expect(result.stderr, expr).toContain(`${file}:`);
      expect(parsePromQL(expr).findings.some((f) => f.code === "promql-syntax"), expr).toBe(true);
    }
    // A known gap of lezer-promql 0.42 (its hex numbers need a lower-case "0x"): promtool accepts
    // 0X1F, the analyzer reports a syntax error. Kept here so an upgrade that fixes it is noticed.
    expect(result.stderr).not.toContain(`${files.at(-1)!.file}:`);
    expect(parsePromQL("0X1F").findings.map((f) => f.code)).toEqual(["promql-syntax"]);
  });
});
