import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { templateProblems, type TemplateProblem } from "../../src/template/check.js";
import { checkRules, testRules } from "../../src/tools/promtool.js";

/** Templates from real mixins and Prometheus' docs: none has a problem. */
const VALID = [
  "{{ $labels.job }}",
  "{{ $value | humanizePercentage }}",
  '{{ printf "%.2f" $value }}',
  '{{ with query "up" }}{{ . | first | value }}{{ end }}',
  '{{ range query "up" }}{{ .Labels.instance }} {{ .Value }}{{ end }}',
  "{{ if gt $value 0.5 }}high{{ else }}low{{ end }}",
  "{{- $labels.instance -}} is down",
  "{{ $labels.instance }} of job {{ $labels.job }} has been down for more than 5 minutes.",
  "{{ $value | humanize }}B/s",
  "{{ $value | humanizeDuration }}",
  "{{ humanize1024 $value }}",
  "{{ $externalLabels.cluster }}",
  "{{ $externalURL }}/alerts",
  "{{ with $x := $labels.namespace }}{{ $x }}{{ end }}",
  '{{ range $i, $s := query "up" }}{{ $i }}={{ $s.Value }}{{ end }}',
  '{{ if eq $labels.severity "critical" }}page{{ else if eq $labels.severity "warning" }}ticket{{ else }}info{{ end }}',
  '{{ define "x" }}{{ . }}{{ end }}{{ template "x" $labels.job }}',
  "{{/* a comment */}}ok",
  '{{ printf "%s/%s" $labels.namespace $labels.pod | toUpper }}',
  '{{ reReplaceAll "(.*):.*" "$1" $labels.instance }}',
  "{{ $labels.instance | stripPort }}",
  '{{ (query "up" | first | value) | humanizePercentage }}',
  '{{ index $labels "job" }}',
  '{{ range query "up" | sortByLabel "instance" }}{{ label "instance" . }}{{ end }}',
  '{{ with query "sum(up)" }}{{ if gt (. | first | value) 0.0 }}yes{{ end }}{{ end }}',
  '{{ $value | printf "%.1f" }}%',
  "a }} b {",
  '{{ "quoted \\"x\\" \\u00e9\\n" }}{{ `raw "x"` }}',
  "{{ and (gt $value 1.0) (lt $value 10.0) }}",
  '{{ range $labels }}{{ if eq . "x" }}{{ break }}{{ end }}{{ continue }}{{ end }}',
  '{{ block "b" $labels }}{{ .job }}{{ end }}',
  "{{ $value | humanizeTimestamp }} {{ toTime 0 }} {{ parseDuration \"5m\" }}",
  "{{ .Labels.job }} {{ .Value }} {{ $.Labels.job }}",
  "{{ $value\n | humanize }}",
  '{{ title "hello" }} {{ match "a.*" $labels.job }} {{ $labels.instance | stripDomain }}',
  "{{ 1.5e3 }} {{ 0x1F }} {{ -2 }} {{ 1_000 }} {{ .5 }} {{ 'a' }} {{ 1i }} {{ print nil }}",
  "{{ $x := 1 }}{{ $x = 2 }}{{ $x }}",
  "{{ if $labels.a }}{{ else }}{{ end }}{{- /* trimmed comment */ -}}",
  '{{ range $labels }}{{ . }}{{ else }}none{{ end }}',
  "{{ externalURL }}{{ pathPrefix }}{{ graphLink \"up\" }}{{ tableLink \"up\" }}",
];

interface Broken {
  text: string;
  /** Offset of the problem: a number, or the first occurrence of this substring. */
  at: number | string;
  message: RegExp;
  /** Promtool accepts it; Prometheus fails only when it expands the template. */
  checkerOnly?: boolean;
}

const BROKEN: Broken[] = [
  { text: "{{ $labels.job }", at: "}", message: /unexpected "}" in operand/ },
  { text: "{{ $value | humanizePercent }}", at: "humanizePercent", message: /function "humanizePercent" not defined/ },
  { text: "Value: {{ $valeu }}", at: "$valeu", message: /undefined variable "\$valeu"/ },
  { text: "x {{ if $value }}y", at: "{{", message: /\{\{if\}\} has no matching \{\{end\}\}/ },
  { text: "x {{ end }}", at: "end", message: /unexpected \{\{end\}\}/ },
  { text: '{{ printf "%.2f $value }}', at: '"', message: /unterminated quoted string/ },
  { text: '{{ humanize (query "up" | first | value }}', at: "(", message: /unclosed left paren/ },
  { text: "{{ $labels.job-name }}", at: "-", message: /bad character "-"/ },
  { text: "{{ $value | 1 }}", at: "1", message: /non executable command in pipeline stage 2/ },
  { text: "ok {{ }}", at: "{{", message: /empty action/ },
  { text: "{{ with $labels }}x{{ else with $value }}y{{ end }}", at: 27, message: /unexpected <with> in else/ },
  { text: "{{ range $a, $b, $c := $labels }}{{ end }}", at: "$b", message: /too many declarations in range/ },
  { text: '{{ define "x" }}{{ $labels.job }}{{ end }}', at: "$labels", message: /undefined variable "\$labels"/ },
  { text: "{{ break }}", at: "break", message: /\{\{break\}\} outside \{\{range\}\}/ },
  { text: "{{ 08 }}", at: "08", message: /integer overflow: "08"/ },
  { text: '{{ "\\q" }}', at: "\\", message: /invalid escape "\\\\q"/ },
  { text: "{{/* note */ }}", at: " }}", message: /comment ends before closing delimiter/ },
  { text: "a {{ $value", at: "{{", message: /unclosed action/ },
  { text: "{{ ( ) }}", at: "(", message: /missing value for parenthesized pipeline/ },
  { text: "{{ 1) }}", at: ")", message: /unexpected "\)" in command/ },
  { text: "{{ template x }}", at: "x", message: /unexpected "x" in template clause/ },
  { text: '{{ "a".x }}', at: ".x", message: /unexpected \. after term/ },
  { text: '{{ define "x" }}a{{ end }}{{ define "x" }}b{{ end }}', at: 36, message: /template "x" is defined twice/ },
  { text: "{{ if 1 }}{{ else }}{{ else }}{{ end }}", at: 23, message: /expected \{\{end\}\}; found \{\{else\}\}/ },
  { text: "{{ range 1 }}{{ else if 1 }}{{ end }}", at: "else", message: /\{\{else if\}\} is only allowed after \{\{if\}\}/ },
  { text: "{{ 1 -}} x {{ 1e }}", at: "1e", message: /illegal number syntax: "1e"/ },
  { text: "{{ $labels | toUpper | humanize | nosuch }}", at: "nosuch", message: /function "nosuch" not defined/ },
  { text: "{{ if 1 }}{{ define \"x\" }}{{ end }}{{ end }}", at: "define", message: /unexpected <define> in command/ },
  { text: "{{ 'ab' }}", at: "'ab'", message: /malformed character constant/ },
  { text: "{{ printf \"%s\" , }}", at: ",", message: /unexpected "," in operand/ },
  { text: "{{ block \"y\" }}{{ end }}", at: "block", message: /missing value for block clause/ },
  { text: "{{ é }}", at: "é", message: /function "é" not defined/ },
  // Checker-only: promtool's parse accepts these; Prometheus fails when it expands them.
  { text: "{{ humanize }}", at: "humanize", message: /wrong number of arguments for humanize: want 1, got 0/, checkerOnly: true },
  { text: '{{ $value | label "job" "x" }}', at: "label", message: /wrong number of arguments for label: want 2, got 3/, checkerOnly: true },
  { text: "{{ $labels . }}", at: "$labels", message: /can't give arguments to \$labels/, checkerOnly: true },
  { text: "{{ $value | $labels.job }}", at: "$labels", message: /can't give the value piped into \$labels\.job/, checkerOnly: true },
  { text: '{{ template "nosuch" }}', at: '"nosuch"', message: /no template "nosuch" is defined/, checkerOnly: true },
  { text: "{{ $y = 2 }}", at: "$y", message: /assignment to undeclared variable \$y/, checkerOnly: true },
  { text: "{{ $value | }}", at: "|", message: /\| with no command after it/, checkerOnly: true },
  { text: "{{ nil }}", at: "nil", message: /nil is not a command/, checkerOnly: true },
];

const offsetOf = (b: Broken) => (typeof b.at === "number" ? b.at : b.text.indexOf(b.at));

describe("templateProblems", () => {
  it.each(VALID)("accepts %j", (text) => {
    expect(templateProblems(text)).toEqual([]);
  });

  it.each(BROKEN)("reports $text at the exact offset", (b) => {
    const problems = templateProblems(b.text);
    expect(problems.length, JSON.stringify(problems)).toBeGreaterThanOrEqual(1);
    const [first] = problems as [TemplateProblem];
    expect(first.message).toMatch(b.message);
    expect(first.offset).toBe(offsetOf(b));
    expect(first.offset + first.length).toBeLessThanOrEqual(b.text.length);
    expect(first.checkerOnly ?? false).toBe(b.checkerOnly ?? false);
  });

  it("reports several recoverable problems in one text, in offset order", () => {
    const text = "{{ $labls.job }} at {{ $value | humanise }} and {{ $value | humanizePercentage }}";
    const problems = templateProblems(text);
    expect(problems.map((p) => [p.offset, p.message])).toEqual([
      [text.indexOf("$labls"), 'undefined variable "$labls"'],
      [text.indexOf("humanise"), 'function "humanise" not defined'],
    ]);
    expect(problems[0]!.hint).toMatch(/did you mean \$labels\?/);
    expect(problems[1]!.hint).toBe("did you mean humanize?");
  });

  it("never throws, and keeps every problem inside the text", () => {
    const piece = fc.constantFrom("{{", "}}", "{{- ", " -}}", "/*", "*/", "(", ")", "|", "$", "$x", ":=", "=", ".", ".Labels", '"', "'", "`", "\\", " ", "\n", "if", "else", "end", "range", "with", "define", "block", "template", "break", "humanize", "1", "-2", "0x", "e", ",", "é", "\u{1F600}");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }).map((p) => p.join("")), (text) => {
        for (const p of templateProblems(text)) {
          expect(p.offset).toBeGreaterThanOrEqual(0);
          expect(p.length).toBeGreaterThan(0);
          expect(p.offset + p.length).toBeLessThanOrEqual(Math.max(text.length, 1));
        }
      }),
      { numRuns: 3000, seed: 7 },
    );
  });

  it("scopes variables to their block and define bodies to $", () => {
    const text = "{{ if 1 }}{{ $y := 1 }}{{ end }}{{ $y }}";
    expect(templateProblems(text)[0]).toMatchObject({ offset: text.lastIndexOf("$y"), message: 'undefined variable "$y"' });
    expect(templateProblems("{{ if $z := 1 }}{{ $z }}{{ else }}{{ $z }}{{ end }}")).toEqual([]);
    expect(templateProblems('{{ define "d" }}{{ $value }}{{ end }}')[0]!.hint).toMatch(/\{\{define\}\} or \{\{block\}\} body sees only \$/);
  });
});

/**
 * The checker against the real promtool 2.42: every template is an annotation of its own alert
 * in one rule file, and promtool names each alert whose template it rejects.
 */
describe("agreement with promtool check rules", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "vigil-template-check-"));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The indexes of the templates promtool rejects. */
  async function promtoolRejects(templates: readonly string[], name: string): Promise<Set<number>> {
    const rules = templates.map((t, i) => ({ alert: `T${i}`, expr: "vector(1)", annotations: { d: t } }));
    const file = path.join(dir, `${name}.rules.yaml`);
    await writeFile(file, stringify({ groups: [{ name: "templates", rules }] }));
    const result = await checkRules([file]);
    const rejected = new Set([...(result.stdout + result.stderr).matchAll(/"T(\d+)": annotation "d": template:/g)].map((m) => Number(m[1])));
    expect(result.code === 0, result.stdout + result.stderr).toBe(rejected.size === 0);
    return rejected;
  }

  it("accepts every template the checker accepts, and those it reports as checker-only", async () => {
    const accepted = [...VALID, ...BROKEN.filter((b) => b.checkerOnly).map((b) => b.text)];
    expect([...(await promtoolRejects(accepted, "valid"))].map((i) => accepted[i])).toEqual([]);
  });

  it("rejects every template the checker reports as broken", async () => {
    const broken = BROKEN.filter((b) => !b.checkerOnly).map((b) => b.text);
    const rejected = await promtoolRejects(broken, "broken");
    expect(broken.filter((_, i) => !rejected.has(i))).toEqual([]);
  });

  it("shows checker-only findings failing when Prometheus expands them (promtool test rules)", async () => {
    const checkerOnly = BROKEN.filter((b) => b.checkerOnly).map((b) => b.text);
    const annotations = Object.fromEntries(checkerOnly.map((t, i) => [`a${i}`, t]));
    await writeFile(path.join(dir, "expand.rules.yaml"), stringify({ groups: [{ name: "expand", rules: [{ alert: "Expand", expr: "vector(1)", annotations }] }] }));
    const testFile = path.join(dir, "expand.test.yaml");
    await writeFile(
      testFile,
      stringify({
        rule_files: ["expand.rules.yaml"],
        evaluation_interval: "1m",
        tests: [{ interval: "1m", input_series: [], alert_rule_test: [{ eval_time: "1m", alertname: "Expand", exp_alerts: [{ exp_labels: {}, exp_annotations: {} }] }] }],
      }),
    );
    // The expectation (no annotations) is wrong on purpose: promtool then prints what it got.
    const result = await testRules([testFile]);
    const got = (result.stdout + result.stderr).split("got:")[1] ?? "";
    const failed = new Set([...got.matchAll(/a(\d+)="<error expanding template/g)].map((m) => checkerOnly[Number(m[1])]));
    // All but the dangling pipe, which Go 1.19 ignores: it expands like `{{ $value }}`.
    expect(checkerOnly.filter((t) => !failed.has(t))).toEqual(["{{ $value | }}"]);
    expect(got).toContain(`a${checkerOnly.indexOf("{{ $value | }}")}="1"`);
  });

  it("agrees on mutants of the valid templates", async () => {
    // Deterministic mutants: one to three edits (delete, duplicate or insert a character) of
    // the templates above. MUTANTS and MUTANT_SEED explore further when run by hand.
    const inserts = ["{", "}", "(", ")", "|", "$", ".", '"', "-", " ", ",", "=", ":", "`", "'", "e", "x", "0", "/", "*", "\\", "\n"];
    const edit = fc.tuple(fc.nat(), fc.nat({ max: 2 }), fc.constantFrom(...inserts));
    const mutant = fc.tuple(fc.constantFrom(...VALID, ...BROKEN.map((b) => b.text)), fc.array(edit, { minLength: 1, maxLength: 3 })).map(([template, edits]) =>
      edits.reduce((t, [n, op, c]) => {
        const i = n % (t.length + 1);
        return op === 0 ? t.slice(0, i) + t.slice(i + 1) : op === 1 ? t.slice(0, i) + t.slice(i, i + 1) + t.slice(i) : t.slice(0, i) + c + t.slice(i);
      }, template),
    );
    const mutants = [...new Set(fc.sample(mutant, { numRuns: Number(process.env.MUTANTS ?? 500), seed: Number(process.env.MUTANT_SEED ?? 42) }))];
    const rejected = await promtoolRejects(mutants, "mutants");
    const disagreements = mutants
      .map((text, i) => ({ text, promtool: rejected.has(i) ? "rejects" : "accepts", checker: templateProblems(text).filter((p) => !p.checkerOnly) }))
      .filter((m) => (m.promtool === "rejects") !== m.checker.length > 0);
    expect(disagreements).toEqual([]);
    // The mutants exercise both outcomes.
    expect(rejected.size).toBeGreaterThan(50);
    expect(mutants.length - rejected.size).toBeGreaterThan(50);
  });
});
