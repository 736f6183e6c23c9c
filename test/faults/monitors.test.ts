import { symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BASE_FILES, makeProject, removeProject, snapshotDir } from "../helpers/project.js";
import { runMain, type MainResult } from "../property/main.js";

/**
 * Monitors that misbehave: huge, not UTF-8, symlink loops, throwing what is not an Error,
 * getters that throw, cycles, never returning. Each starts from a compiled repository and runs
 * `vigil compile` (the CLI entry, in-process) again: a clear diagnostic and exit 1, or a
 * compile; never an internal error (exit 2), and `generated/` byte for byte as it was when
 * nothing may be written.
 */

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map(removeProject)));

interface Diagnostic {
  severity: string;
  code: string;
  message: string;
  location?: { file: string; line: number; column: number };
}

interface Outcome extends MainResult {
  diagnostics: Diagnostic[];
  /** generated/ byte for byte as before the fault. */
  untouched: boolean;
}

/** A compiled repository, the fault applied to it, then `vigil compile --format json` again. */
async function compileAfter(fault: (dir: string) => Promise<void>, flags: string[] = []): Promise<Outcome> {
  const dir = await makeProject(BASE_FILES);
  dirs.push(dir);
  expect((await runMain(["compile", "--cwd", dir])).code).toBe(0);
  const before = await snapshotDir(path.join(dir, "generated"));
  await fault(dir);
  const run = await runMain(["compile", "--cwd", dir, "--format", "json", ...flags]);
  expect(run.stderr).not.toContain("internal error");
  const diagnostics = run.stdout.trim() ? (JSON.parse(run.stdout) as Diagnostic[]) : [];
  const untouched = JSON.stringify(await snapshotDir(path.join(dir, "generated"))) === JSON.stringify(before);
  return { ...run, diagnostics, untouched };
}

const errors = (o: Outcome) => o.diagnostics.filter((d) => d.severity === "error");
const write = (file: string, content: string | Buffer) => (dir: string) => writeFile(path.join(dir, file), content);
const service = (body: string) => `import { counter, defineService } from "vigil";\nimport { payments } from "./teams";\n${body}`;

/** Exit 1 with an error of this code in this file, and generated/ as it was. */
function expectRejected(o: Outcome, code: string, file?: string) {
  expect(errors(o).map((d) => d.code)).toContain(code);
  if (file) expect(errors(o).find((d) => d.code === code)?.location?.file).toBe(file);
  expect(o.code).toBe(1);
  expect(o.untouched).toBe(true);
}

describe("a huge monitor file", () => {
  it("of 20 MB of constants compiles, the output unchanged", async () => {
    const line = `  "${"x".repeat(48)}",\n`;
    const o = await compileAfter(write("monitors/constants.ts", `export const data = [\n${line.repeat(Math.ceil(20e6 / line.length))}];\n`));
    expect(o.diagnostics).toEqual([]);
    expect(o.code).toBe(0);
    expect(o.untouched).toBe(true);
  });

  it("with a 20 MB string in a declared object compiles (the secret scan is linear)", async () => {
    const o = await compileAfter(
      write("monitors/huge.ts", `import { defineTeam } from "vigil";\nexport const t = defineTeam({ name: "huge", contact: "${"y".repeat(20e6)}", receivers: { page: { webhook: { url: "http://127.0.0.1:9/hook" } } } });\n`),
    );
    expect(errors(o)).toEqual([]);
    expect(o.code).toBe(0);
  });
});

describe("a monitor file that is not UTF-8", () => {
  it("with invalid bytes in its code: a syntax error at their place", async () => {
    const o = await compileAfter(write("monitors/latin1.ts", Buffer.concat([Buffer.from("export const caf"), Buffer.from([0xe9]), Buffer.from(" = 1;\n")])));
    expectRejected(o, "syntax-error", "monitors/latin1.ts");
  });

  it("saved as UTF-16: a syntax error, not a crash", async () => {
    const o = await compileAfter(write("monitors/utf16.ts", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("export const x = 1;\n", "utf16le")])));
    expectRejected(o, "syntax-error", "monitors/utf16.ts");
  });

  it("with invalid bytes inside a string: invalid-encoding at the first bad byte (esbuild alone turns them into U+FFFD silently)", async () => {
    const o = await compileAfter(write("monitors/latin1-string.ts", Buffer.concat([Buffer.from('export const name = "caf'), Buffer.from([0xe9]), Buffer.from('";\n')])));
    expectRejected(o, "invalid-encoding", "monitors/latin1-string.ts");
  });
});

describe("a symlink loop in the monitors directory", () => {
  const loops: Record<string, (dir: string) => Promise<void>> = {
    "a directory linked to itself": (dir) => symlink(".", path.join(dir, "monitors/loop")),
    "a directory linked to its parent": (dir) => symlink("..", path.join(dir, "monitors/up")),
    "a .ts file linked to itself": (dir) => symlink("self.ts", path.join(dir, "monitors/self.ts")),
    "two .ts files linked to each other": async (dir) => {
      await symlink("b.ts", path.join(dir, "monitors/a.ts"));
      await symlink("a.ts", path.join(dir, "monitors/b.ts"));
    },
  };
  for (const [name, loop] of Object.entries(loops)) {
    it(`is ignored: ${name}`, async () => {
      const o = await compileAfter(loop);
      expect(o.diagnostics).toEqual([]);
      expect(o.code).toBe(0);
      expect(o.untouched).toBe(true);
    });
  }
});

describe("a monitor file that throws what is not an Error", () => {
  const values: Record<string, string> = {
    "a string": `"boom"`,
    "a number": "42",
    null: "null",
    undefined: "undefined",
    "a plain object": "{ code: 42 }",
    "a symbol": `Symbol("boom")`,
    "an object whose toString throws": `{ toString() { throw new Error("no string"); } }`,
    "an object without a prototype": "Object.create(null)",
  };
  for (const [name, value] of Object.entries(values)) {
    it(`is reported when it throws ${name}`, async () => {
      const o = await compileAfter(write("monitors/throws.ts", `export const x = 1;\nthrow ${value};\n`));
      expectRejected(o, "monitor-threw");
    });
  }

  it("is reported at its file when it throws a string", async () => {
    const o = await compileAfter(write("monitors/throws.ts", `export const x = 1;\nthrow "boom";\n`));
    expectRejected(o, "monitor-threw", "monitors/throws.ts");
    expect(errors(o)[0]!.message).toContain("boom");
  });
});

describe("a declared object with a getter that throws", () => {
  const cases: Record<string, [file: string, content: string, line: number]> = {
    "on a service": ["monitors/checkout.ts", service(`export default defineService({\n  name: "checkout",\n  get team(): string { throw new Error("no team today"); },\n});\n`), 5],
    "on a team": ["monitors/teams.ts", `import { defineTeam } from "vigil";\nexport const payments = defineTeam({\n  name: "payments",\n  get receivers(): never { throw new Error("no receivers today"); },\n});\n`, 4],
    "on the config": ["vigil.config.ts", `import { defineConfig } from "vigil";\nexport default defineConfig({\n  monitors: "monitors/**/*.ts",\n  get outDir(): string { throw new Error("no outDir today"); },\n});\n`, 4],
    "deep inside an alert": [
      "monitors/checkout.ts",
      service(`export default defineService({\n  name: "checkout",\n  team: payments,\n  alerts: [{ name: "CheckoutDown", expr: "up == 0", for: "5m", severity: "ticket", summary: "Down.",\n    get description(): string { throw new Error("no description today"); } }],\n});\n`),
      7,
    ],
  };
  for (const [name, [file, content, line]] of Object.entries(cases)) {
    it(`is reported at the getter's line: ${name}`, async () => {
      const o = await compileAfter(write(file, content));
      expectRejected(o, "monitor-threw", file);
      expect(errors(o)[0]!.message).toContain("today");
      expect(errors(o)[0]!.location?.line).toBe(line);
    });
  }

  it("is reported when a Proxy's traps throw", async () => {
    const o = await compileAfter(write("monitors/checkout.ts", service(`export default defineService(new Proxy({}, { ownKeys() { throw new Error("no keys"); } }) as never);\n`)));
    expectRejected(o, "monitor-threw", "monitors/checkout.ts");
  });
});

describe("a cyclic object", () => {
  const cases: Record<string, [content: string, code: string]> = {
    "labels that contain themselves": [service(`const labels: Record<string, unknown> = { tier: "1" };\nlabels.self = labels;\nexport default defineService({ name: "checkout", team: payments, labels: labels as never });\n`), "invalid-type"],
    "a service that is its own description": [service(`const s: Record<string, unknown> = { name: "checkout", team: payments };\ns.description = s;\nexport default defineService(s as never);\n`), "invalid-type"],
    "a runbook that links to itself": [
      service(`const runbook: Record<string, unknown> = { triage: ["a"], mitigation: ["b"] };\nrunbook.links = [runbook];\nexport default defineService({ name: "checkout", team: payments, alerts: [{ name: "CheckoutDown", expr: 'up{job="checkout"} == 0', for: "5m", severity: "page", summary: "Down.", description: "{{ $value }}", runbook: runbook as never }] });\n`),
      "missing-field",
    ],
    "a dashboard row that is its own panel": [service(`const row: { title: string; panels: unknown[] } = { title: "r", panels: [] };\nrow.panels.push(row);\nexport default defineService({ name: "checkout", team: payments, dashboards: [{ title: "D", rows: [row as never] }] });\n`), "missing-field"],
    "an array that contains itself as an expression": [service(`const a: unknown[] = [];\na.push(a);\nexport default defineService({ name: "checkout", team: payments, alerts: [{ name: "CheckoutDown", expr: a as never, for: "5m", severity: "ticket", summary: "Down.", description: "{{ $value }}" }] });\n`), "invalid-value"],
  };
  for (const [name, [content, code]] of Object.entries(cases)) {
    it(`is a diagnostic, not a hang or a crash: ${name}`, async () => {
      const o = await compileAfter(write("monitors/checkout.ts", content));
      expectRejected(o, code, "monitors/checkout.ts");
    });
  }
});

describe("a monitor file that never returns", () => {
  it("is stopped after --timeout with monitor-timeout, and nothing is written", async () => {
    const o = await compileAfter(write("monitors/spin.ts", "let n = 0;\nwhile (true) n++;\n"), ["--timeout", "500ms"]);
    expectRejected(o, "monitor-timeout", "monitors/spin.ts");
  });

  it("is stopped when it awaits forever", async () => {
    const o = await compileAfter(write("monitors/wait.ts", "await new Promise(() => {});\nexport const never = 1;\n"), ["--timeout", "500ms"]);
    expectRejected(o, "monitor-timeout", "monitors/wait.ts");
  });
});
