import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/check/diagnostic.js";
import { formatDiagnostics, summary } from "../../src/check/format.js";

const SOURCE = [
  'import { defineService } from "vigil";',
  "export default defineService({",
  '  name: "checkout",',
  "  alerts: [",
  "    {",
  '      name: "CheckoutDown",',
  "      expr: 'up{job=\"checkout\"} == 0',",
  '      for: "5 minutes",',
  '      severity: "page",',
  "    },",
  "  ],",
  "  metrics: [requests, latency],",
  "});",
  "",
].join("\n");

let rootDir: string;
const FILE = "monitors/checkout.ts";

beforeAll(async () => {
  rootDir = await mkdtemp(path.join(tmpdir(), "vigil-format-"));
  await mkdir(path.join(rootDir, "monitors"));
  await writeFile(path.join(rootDir, FILE), SOURCE);
});

afterAll(async () => {
  await rm(rootDir, { recursive: true, force: true });
});

const lineOf = (n: number) => SOURCE.split("\n")[n - 1]!;
const columnOf = (n: number, needle: string) => lineOf(n).indexOf(needle) + 1;

const durationError: Diagnostic = {
  severity: "error",
  code: "invalid-duration",
  message: '"5 minutes" is not a duration',
  location: { file: FILE, line: 8, column: columnOf(8, '"5 minutes"') },
  hint: 'write "5m"',
};

const text = (diagnostics: Diagnostic[], color = false) => formatDiagnostics(diagnostics, "text", { color, rootDir });

/** The source row and the caret row of a code frame, and the character the caret points at. */
function frame(output: string, line: number): { row: string; caretRow: string; pointed: string } {
  const rows = output.split("\n");
  const at = rows.findIndex((r) => r.startsWith(`    ${line} | `));
  expect(at, `no code frame for line ${line} in:\n${output}`).toBeGreaterThanOrEqual(0);
  const row = rows[at]!;
  const caretRow = rows[at + 1]!;
  expect(caretRow).toMatch(/^ *\^$/);
  return { row, caretRow, pointed: row.charAt(caretRow.indexOf("^")) };
}

describe("text format", () => {
  it("shows file:line:col, severity, message and the code in brackets on the first line", () => {
    const out = text([durationError]);
    const first = out.split("\n")[0]!;
    expect(first).toBe(`${FILE}:8:${durationError.location!.column}  error  "5 minutes" is not a duration  [invalid-duration]`);
  });

  it("quotes the source line and puts a caret under the column", () => {
    const out = text([durationError]);
    const { row, caretRow, pointed } = frame(out, 8);
    expect(row).toBe(`    8 | ${lineOf(8)}`);
    expect(pointed).toBe('"');
    expect(caretRow.indexOf("^")).toBe(row.indexOf('"5 minutes"'));
  });

  it("aligns the caret for multi-digit line numbers and column 1", () => {
    const diagnostics: Diagnostic[] = [
      { severity: "error", code: "unknown-metric", message: "latency is not declared", location: { file: FILE, line: 12, column: columnOf(12, "latency") } },
      { severity: "warning", code: "x", message: "start", location: { file: FILE, line: 13, column: 1 } },
    ];
    const out = text(diagnostics);
    const twelve = frame(out, 12);
    expect(twelve.row.slice(twelve.caretRow.indexOf("^"))).toMatch(/^latency/);
    const thirteen = frame(out, 13);
    expect(thirteen.pointed).toBe("}");
    expect(thirteen.caretRow).toBe(`${" ".repeat("    13 | ".length)}^`);
  });

  it("shows the hint after the frame", () => {
    const rows = text([durationError]).split("\n");
    const caret = rows.findIndex((r) => /^ *\^$/.test(r));
    expect(rows[caret + 1]).toBe('    hint: write "5m"');
  });

  it("lists related locations", () => {
    const duplicate: Diagnostic = {
      severity: "error",
      code: "duplicate-alert",
      message: "CheckoutDown is declared twice",
      location: { file: FILE, line: 6, column: 13 },
      related: [{ message: "first declared here", location: { file: "monitors/other.ts", line: 4, column: 9 } }],
    };
    expect(text([duplicate])).toContain("\n    first declared here: monitors/other.ts:4:9\n");
  });

  it("marks warnings as warnings", () => {
    const out = text([{ ...durationError, severity: "warning" }]);
    expect(out.split("\n")[0]).toContain("  warning  ");
    expect(out.split("\n")[0]).not.toContain("  error  ");
  });

  it("writes (repository) and no frame for a diagnostic without location", () => {
    const out = text([{ severity: "error", code: "no-monitors", message: "no monitor files found", hint: "check vigil.config.ts" }]);
    expect(out).toBe("(repository)  error  no monitor files found  [no-monitors]\n    hint: check vigil.config.ts\n");
  });

  it("leaves out the frame when the file cannot be read or the line does not exist", () => {
    const missing = text([{ ...durationError, location: { file: "monitors/gone.ts", line: 1, column: 1 } }]);
    expect(missing.split("\n")[0]).toContain("monitors/gone.ts:1:1");
    expect(missing).not.toContain("^");
    const beyond = text([{ ...durationError, location: { file: FILE, line: 999, column: 1 } }]);
    expect(beyond).not.toContain("^");
    expect(beyond).not.toContain("999 |");
  });

  it("has no ANSI escapes without color and has them with color", () => {
    expect(text([durationError], false)).not.toContain("\u001b[");
    const colored = text([durationError], true);
    expect(colored).toContain("\u001b[31;1merror\u001b[0m");
    expect(colored.replace(/\u001b\[[0-9;]*m/g, "")).toBe(text([durationError], false));
  });

  it("ends every diagnostic with a newline and keeps their order", () => {
    const second: Diagnostic = { severity: "error", code: "b-code", message: "second", location: { file: FILE, line: 3, column: 3 } };
    const out = text([durationError, second]);
    expect(out.endsWith("\n")).toBe(true);
    expect(out.indexOf("[invalid-duration]")).toBeLessThan(out.indexOf("[b-code]"));
    expect(frame(out, 3).pointed).toBe("n");
  });
});

describe("text format with tabs and CRLF", () => {
  it("keeps tabs under the caret and drops the carriage return", async () => {
    await writeFile(path.join(rootDir, "monitors/tabs.ts"), 'export default {\r\n\t\tfor: "5 minutes",\r\n};\r\n');
    const output = text([{ severity: "error", code: "invalid-duration", message: "bad", location: { file: "monitors/tabs.ts", line: 2, column: 8 } }]);
    const rows = output.split("\n");
    const at = rows.findIndex((r) => r.startsWith("    2 | "));
    expect(rows[at]).toBe('    2 | \t\tfor: "5 minutes",');
    expect(rows[at + 1]).toBe("        \t\t     ^");
  });
});

describe("json format", () => {
  it("is a parseable array of the same diagnostics", () => {
    const diagnostics: Diagnostic[] = [
      durationError,
      { severity: "warning", code: "no-runbook", message: 'alert "X" has no runbook' },
      { ...durationError, related: [{ message: "see", location: { file: "a.ts", line: 1, column: 2 } }] },
    ];
    const out = formatDiagnostics(diagnostics, "json", { color: true, rootDir });
    expect(JSON.parse(out)).toEqual(diagnostics);
    expect(out).not.toContain("\u001b[");
  });

  it("is an empty array for no diagnostics", () => {
    expect(JSON.parse(formatDiagnostics([], "json", { color: false, rootDir }))).toEqual([]);
  });
});

describe("github format", () => {
  const github = (diagnostics: Diagnostic[]) => formatDiagnostics(diagnostics, "github", { color: true, rootDir });

  it("writes ::error file=F,line=L,col=C,title=CODE::message", () => {
    const plain: Diagnostic = { severity: "error", code: "invalid-duration", message: "not a duration", location: { file: FILE, line: 8, column: 12 } };
    expect(github([plain])).toBe(`::error file=${FILE},line=8,col=12,title=invalid-duration::not a duration\n`);
  });

  it("appends the hint to the message", () => {
    expect(github([durationError])).toBe(
      `::error file=${FILE},line=8,col=${durationError.location!.column},title=invalid-duration::"5 minutes" is not a duration (write "5m")\n`,
    );
  });

  it("writes warnings as ::warning and leaves out the location when there is none", () => {
    expect(github([{ severity: "warning", code: "no-runbook", message: "no runbook" }])).toBe("::warning title=no-runbook::no runbook\n");
  });

  it("escapes %, CR and LF in the message, but not : or ,", () => {
    const d: Diagnostic = { severity: "error", code: "c", message: "100% sure:\r\nline two, %0A literal", location: { file: "f.ts", line: 1, column: 1 } };
    expect(github([d])).toBe("::error file=f.ts,line=1,col=1,title=c::100%25 sure:%0D%0Aline two, %250A literal\n");
  });

  it("also escapes : and , in properties", () => {
    const d: Diagnostic = { severity: "error", code: "odd:code,x", message: "m", location: { file: "C:/odd,dir/50%\nfile.ts", line: 2, column: 3 } };
    expect(github([d])).toBe("::error file=C%3A/odd%2Cdir/50%25%0Afile.ts,line=2,col=3,title=odd%3Acode%2Cx::m\n");
  });

  it("writes one line per diagnostic", () => {
    const out = github([durationError, { ...durationError, message: "two\nlines" }]);
    expect(out.split("\n")).toHaveLength(3);
    expect(out.endsWith("\n")).toBe(true);
  });
});

describe("summary", () => {
  it("counts errors and warnings with plurals", () => {
    const warning: Diagnostic = { ...durationError, severity: "warning" };
    expect(summary([])).toBe("0 errors, 0 warnings");
    expect(summary([durationError, warning])).toBe("1 error, 1 warning");
    expect(summary([durationError, durationError, warning, warning, warning])).toBe("2 errors, 3 warnings");
  });
});
