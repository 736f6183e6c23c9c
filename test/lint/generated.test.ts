import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
// Built code, like the compile that produced the model (test/helpers/vigil.ts).
import { analyzeOptions } from "../../dist/lint/promql.js";
import { analyzePromQL } from "../../dist/promql/analyze.js";
import { REPO_ROOT } from "../helpers/project.js";
import { compile } from "../helpers/vigil.js";

/**
 * No false alarms: every expression Vigil itself writes (declared rules, SLO recording rules and
 * burn alerts, dashboard queries) passes the analyzer with the project's own catalog, so the
 * generated output of the examples and of the golden fixture lints clean.
 */
const projects = { examples: REPO_ROOT, fixture: path.join(REPO_ROOT, "test/fixtures/basic") };

interface RuleFile {
  groups: { rules: { record?: string; alert?: string; expr: string }[] }[];
}

function panelExprs(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(panelExprs);
  if (node === null || typeof node !== "object") return [];
  return Object.entries(node).flatMap(([key, value]) => (key === "expr" && typeof value === "string" ? [value] : panelExprs(value)));
}

describe.each(Object.entries(projects))("generated output of the %s", (_name, cwd) => {
  it("has only expressions the analyzer accepts", async () => {
    const result = await compile({ cwd });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const rules = result.files.filter((f) => f.path.startsWith("prometheus/") && f.path.endsWith(".rules.yaml")).flatMap((f) => (parse(f.content) as RuleFile).groups.flatMap((g) => g.rules));
    const recorded = new Set(rules.flatMap((r) => (r.record ? [r.record] : [])));
    const options = analyzeOptions(result.model!);
    const catalog = options.catalog!;
    const withRecorded = { ...options, catalog: { lookup: (name: string) => catalog.lookup(name) ?? (recorded.has(name) ? { kind: "unknown" as const, origin: "recorded" as const } : undefined) } };
    const dashboards = result.files.filter((f) => f.path.startsWith("grafana/dashboards/")).flatMap((f) => panelExprs(JSON.parse(f.content)));
    expect(rules.length).toBeGreaterThan(10);
    expect(dashboards.length).toBeGreaterThan(10);
    const findings = [
      ...rules.map((r) => ({ where: r.record ?? r.alert, found: analyzePromQL(r.expr, withRecorded).findings })),
      ...dashboards.map((expr) => ({ where: expr, found: analyzePromQL(expr, { ...withRecorded, grafana: true }).findings })),
    ].filter((f) => f.found.length > 0);
    expect(findings).toEqual([]);
  });
});
