import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/check/diagnostic.js";
import { isLintCode, LINT_CODES } from "../../src/lint/rules.js";
import { runCli } from "../helpers/cli.js";
import { makeProject, REPO_ROOT, removeProject } from "../helpers/project.js";
import { compile } from "../helpers/vigil.js";
import { key, projectMarkers, readProject, type Expected } from "./corpus/markers.js";

/**
 * Broken monitors whose expected diagnostics are written under the offending lines (see
 * corpus/markers.ts). Each project is linted once, and what it reports must be exactly its
 * markers: the same code, severity, file, line and column, nothing missing, nothing extra.
 */
const CORPUS = path.join(import.meta.dirname, "corpus");
const NEW_USER = path.join(REPO_ROOT, "test/fixtures/lint-newuser");

const keysOf = (diagnostics: readonly Diagnostic[]) =>
  diagnostics.map((d) => key({ file: d.location?.file ?? "(repository)", line: d.location?.line ?? 0, column: d.location?.column ?? 0, code: d.code, severity: d.severity })).sort();

interface Linted {
  files: Record<string, string>;
  expected: Expected[];
  diagnostics: Diagnostic[];
}

/** Copies a project into a throwaway repository (edited by `change`), lints it once with the built pipeline. */
function linted(source: string, change: (files: Record<string, string>) => Record<string, string> = (files) => files): Linted {
  const state: Linted & { dir?: string } = { files: {}, expected: [], diagnostics: [] };
  beforeAll(async () => {
    state.files = change(await readProject(source));
    state.expected = projectMarkers(state.files);
    state.dir = await makeProject(state.files);
    state.diagnostics = (await compile({ cwd: state.dir })).diagnostics;
  });
  afterAll(async () => {
    if (state.dir) await removeProject(state.dir);
  });
  return state;
}

describe("the broken-monitor corpus", () => {
  const main = linted(path.join(CORPUS, "main"));
  const config = linted(path.join(CORPUS, "config"));
  const configSchema = linted(path.join(CORPUS, "config-schema"));

  it("reports exactly the marked diagnostics", () => {
    expect(keysOf(main.diagnostics)).toEqual(main.expected.map(key).sort());
  });

  it("under configured lint (severities, rules off, external metrics, target labels, scrape interval), exactly the marked ones", () => {
    expect(keysOf(config.diagnostics)).toEqual(config.expected.map(key).sort());
  });

  it("refuses lint.rules for fixed rules, unknown codes and unknown severities", () => {
    expect(keysOf(configSchema.diagnostics)).toEqual(configSchema.expected.map(key).sort());
  });

  it("holds at least 60 cases, several per PromQL rule, and covers every lint code", () => {
    const all = [...main.expected, ...config.expected, ...configSchema.expected];
    expect(main.expected.length).toBeGreaterThanOrEqual(60);
    const count = (code: string) => all.filter((e) => e.code === code).length;
    // The --prometheus rules need a running server: test/e2e/live-catalog.test.ts has their cases.
    const live = ["metric-not-in-prometheus", "label-not-in-prometheus", "metric-kind-mismatch"];
    expect(LINT_CODES.filter((code) => count(code) === 0 && !live.includes(code))).toEqual([]);
    const promql = ["promql-syntax", "promql-type", "invalid-regex", "unknown-metric", "unknown-label", "rate-over-non-counter", "counter-without-rate", "histogram-quantile-without-le", "range-too-short"];
    expect(promql.filter((code) => count(code) < 3)).toEqual([]);
    expect(["unknown-lint-rule", "suppression-without-reason", "lint-rule-not-suppressible"].filter((code) => count(code) === 0)).toEqual([]);
  });
});

describe("silencing a rule", () => {
  // The suppressions of silenced.ts, and the lint.rules of the config corpus, taken away.
  const unsuppressed = linted(path.join(CORPUS, "main"), (files) => ({
    "vigil.config.ts": files["vigil.config.ts"]!,
    "monitors/teams.ts": files["monitors/teams.ts"]!,
    "monitors/silenced.ts": files["monitors/silenced.ts"]!.replace(/^\s*suppress: \{.*\},?$/gm, ""),
  }));
  const unconfigured = linted(path.join(CORPUS, "config"), (files) => ({ ...files, "vigil.config.ts": files["vigil.config.ts"]!.replace(/rules: \{[^}]*\}/, "rules: {}") }));

  it("with suppress (and its reason) on a service, alert, recording rule, SLO or dashboard: each suppressed rule would fire without it", () => {
    const codes = unsuppressed.diagnostics.filter((d) => d.location?.file === "monitors/silenced.ts").map((d) => d.code);
    expect([...new Set(codes)].sort()).toEqual(
      ["alert-description-templated", "alert-name-camelcase", "alert-summary-style", "counter-without-rate", "recording-rule-name", "unknown-metric", "unused-metric"].sort(),
    );
    expect(codes.filter((c) => c === "unknown-metric")).toHaveLength(2);
  });

  it("with lint.rules: each rule turned off or re-graded fires at its default severity without it", () => {
    const found = unconfigured.diagnostics.filter((d) => isLintCode(d.code)).map((d) => `${d.severity} ${d.code}`);
    expect(found).toEqual(
      expect.arrayContaining([
        "warning alert-description-templated",
        "warning unused-metric",
        "warning counter-without-rate",
        "error paging-alert-for",
        "error alert-summary-style",
        "error unknown-metric",
      ]),
    );
  });
});

/** `file:line:col  severity  message  [code]`, then the code frame: the line, and a caret under the column. */
function parseText(stdout: string): { diagnostics: string[]; frames: { line: number; column: number; file: string; source: string; caret: number }[] } {
  const lines = stdout.split("\n");
  const diagnostics: string[] = [];
  const frames: { line: number; column: number; file: string; source: string; caret: number }[] = [];
  lines.forEach((text, i) => {
    const head = /^(\S+):(\d+):(\d+) {2}(error|warning) {2}.* {2}\[([a-z0-9-]+)\]$/.exec(text);
    if (!head) return;
    const [, file, line, column, severity, code] = head;
    diagnostics.push(key({ file: file!, line: Number(line), column: Number(column), code: code!, severity: severity! }));
    const frame = /^ {4}(\d+) \| (.*)$/.exec(lines[i + 1] ?? "");
    const caret = lines[i + 2] ?? "";
    if (frame && Number(frame[1]) === Number(line)) {
      frames.push({ file: file!, line: Number(line), column: Number(column), source: frame[2]!, caret: caret.indexOf("^") - (4 + `${frame[1]} | `.length) + 1 });
    }
  });
  return { diagnostics: diagnostics.sort(), frames };
}

describe("a new user's monitors, written from the README, through `vigil lint`", () => {
  const state: { dir?: string; files: Record<string, string>; expected: string[] } = { files: {}, expected: [] };
  beforeAll(async () => {
    state.files = await readProject(NEW_USER);
    state.expected = projectMarkers(state.files).map(key).sort();
    state.dir = await makeProject(state.files);
  });
  afterAll(async () => {
    if (state.dir) await removeProject(state.dir);
  });

  it("--format json: every mistake with its code at its line and column, exit 1", async () => {
    const result = await runCli(["lint", "--cwd", state.dir!, "--format", "json"]);
    expect(result.code).toBe(1);
    expect(keysOf(JSON.parse(result.stdout) as Diagnostic[])).toEqual(state.expected);
  });

  it("--format github: one annotation per mistake, exit 1", async () => {
    const result = await runCli(["lint", "--cwd", state.dir!, "--format", "github"]);
    expect(result.code).toBe(1);
    const annotations = result.stdout
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const m = /^::(error|warning) file=([^,]+),line=(\d+),col=(\d+),title=([a-z0-9-]+)::./.exec(line);
        expect(m, line).not.toBeNull();
        return key({ severity: m![1]!, file: m![2]!, line: Number(m![3]), column: Number(m![4]), code: m![5]! });
      });
    expect(annotations.sort()).toEqual(state.expected);
  });

  it("--format text: every mistake, and a code frame with the caret under the column, exit 1", async () => {
    const result = await runCli(["lint", "--cwd", state.dir!, "--format", "text", "--no-color"]);
    expect(result.code).toBe(1);
    const { diagnostics, frames } = parseText(result.stdout);
    expect(frames).toHaveLength(diagnostics.length);
    for (const frame of frames) {
      expect(frame.source).toBe(state.files[frame.file]!.split("\n")[frame.line - 1]);
      expect(frame.caret, `${frame.file}:${frame.line}:${frame.column}`).toBe(frame.column);
    }
    expect(diagnostics).toEqual(state.expected);
  });
});

describe("valid monitors", () => {
  it.each([
    ["the examples in monitors/", REPO_ROOT],
    ["test/fixtures/basic", path.join(REPO_ROOT, "test/fixtures/basic")],
  ])("%s lint clean", async (_, cwd) => {
    const { diagnostics } = await compile({ cwd });
    expect(keysOf(diagnostics.filter((d) => isLintCode(d.code) || d.severity === "error"))).toEqual([]);
  });
});
