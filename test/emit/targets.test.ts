import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { emitPrometheus, emitThanos, fieldsTooNew } from "../../src/emit/prometheus.js";
import { configSchema } from "../../src/model/config.js";
import { versionAtLeast } from "../../src/model/prometheus-version.js";
import type { Plan } from "../../src/plan/types.js";
import { checkRules } from "../../src/tools/promtool.js";
import { makeProject, removeProject, writeFiles } from "../helpers/project.js";
import { compile } from "../helpers/vigil.js";
import { fixturePlan, MULTI_TEAM_FILES, multiTeamPlan, withConfig } from "./targets-project.js";

interface Group {
  name: string;
  interval: string;
  query_offset?: string;
  partial_response_strategy?: string;
  labels?: Record<string, string>;
  rules: { alert?: string; record?: string; keep_firing_for?: string; labels?: Record<string, string> }[];
}
const groups = (files: { content: string }[]) => files.flatMap((f) => (parse(f.content) as { groups: Group[] }).groups);

/** promtool (2.42 here) on files written to a temporary directory. */
async function promtoolCheck(files: { path: string; content: string }[]) {
  const dir = await mkdtemp(path.join(tmpdir(), "vigil-rules-"));
  try {
    const paths = await Promise.all(files.map(async (file, i) => {
      const target = path.join(dir, `${i}-${path.basename(file.path)}`);
      await writeFile(target, file.content);
      return target;
    }));
    return await checkRules(paths);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

let fixture: Plan;
let multi: Plan;
beforeAll(async () => {
  [fixture, multi] = await Promise.all([fixturePlan(), multiTeamPlan()]);
});

describe("rule fields by prometheus.version", () => {
  it("reads versions as major.minor", () => {
    expect(versionAtLeast("2.53", [2, 53])).toBe(true);
    expect(versionAtLeast("v2.53.1", [2, 53])).toBe(true);
    expect(versionAtLeast("2.9", [2, 53])).toBe(false);
    expect(versionAtLeast("3.0", [2, 53])).toBe(true);
    expect(versionAtLeast("2.100", [3, 0])).toBe(false);
    expect(versionAtLeast("latest", [2, 0])).toBe(false);
  });

  it("2.42 (the default): name, interval, rules and keep_firing_for, which promtool 2.42 accepts", async () => {
    const files = emitPrometheus(fixture);
    const all = groups(files);
    expect(all.every((g) => Object.keys(g).join() === "name,interval,rules")).toBe(true);
    expect(all.flatMap((g) => g.rules).filter((r) => r.keep_firing_for)).toEqual([expect.objectContaining({ alert: "CheckoutSlow", keep_firing_for: "5m" })]);
    const checked = await promtoolCheck(files);
    expect(checked.stdout + checked.stderr).not.toMatch(/FAILED/);
    expect(checked.code).toBe(0);
  });

  it("queryOffset: refused below 2.53 with needs-newer-prometheus, written as query_offset from 2.53", async () => {
    const refused = configSchema.safeParse({ prometheus: { queryOffset: "1m" } });
    expect(refused.success).toBe(false);
    expect(refused.error!.issues).toEqual([expect.objectContaining({ code: "custom", path: ["prometheus", "queryOffset"], params: { code: "needs-newer-prometheus" } })]);
    expect(refused.error!.issues[0]!.message).toMatch(/needs Prometheus 2\.53 or later \(prometheus\.version is 2\.42\)/);

    const on = withConfig(fixture, { prometheus: { version: "2.53", queryOffset: "1m" } });
    const files = emitPrometheus(on);
    expect(groups(files).every((g) => g.query_offset === "1m")).toBe(true);
    // promtool 2.42 refuses the field: why it is written only for a version that takes it.
    const checked = await promtoolCheck(files);
    expect(checked.code).not.toBe(0);
    expect(checked.stdout + checked.stderr).toMatch(/query_offset/);
  });

  it("3.0: labels every rule shares become the group's labels, and each rule's labels stay the same once merged", () => {
    const before = groups(emitPrometheus(multi));
    const after = groups(emitPrometheus(withConfig(multi, { prometheus: { version: "3.0" } })));
    expect(after.map((g) => g.name)).toEqual(before.map((g) => g.name));
    const billing = after.find((g) => g.name === "billing.rules")!;
    expect(billing.labels).toEqual({ service: "billing", team: "payments", tier: "1" });
    for (const [i, group] of after.entries()) {
      expect(group.labels, group.name).toBeDefined();
      for (const [j, rule] of group.rules.entries()) {
        // Prometheus 3 merges group labels under rule labels: the same labels as 2.42's rule.
        expect({ ...group.labels, ...rule.labels }).toEqual(before[i]!.rules[j]!.labels);
        for (const name of Object.keys(rule.labels ?? {})) expect(group.labels).not.toHaveProperty(name);
      }
    }
    // Below 3.0, no group labels at all.
    expect(groups(emitPrometheus(withConfig(multi, { prometheus: { version: "2.55" } }))).some((g) => g.labels)).toBe(false);
  });

  it("keepFiringFor below 2.42: the emitter leaves it out and the alert's property is an error", () => {
    const old = withConfig(multi, { prometheus: { version: "2.41" } });
    expect(groups(emitPrometheus(old)).flatMap((g) => g.rules).some((r) => r.keep_firing_for)).toBe(false);
    expect(fieldsTooNew(old.config, [{}, { keepFiringFor: "10m" }])).toEqual([
      expect.objectContaining({ code: "needs-newer-prometheus", path: ["alerts", 1, "keepFiringFor"], message: expect.stringMatching(/2\.42 or later \(prometheus\.version is 2\.41\)/) }),
    ]);
    expect(fieldsTooNew(multi.config, [{ keepFiringFor: "10m" }])).toEqual([]);
  });
});

describe("Thanos rule files", () => {
  it("are written only with thanos.rules: the Prometheus files under thanos/, each group with partial_response_strategy", () => {
    expect(emitThanos(fixture)).toEqual([]);
    const on = withConfig(fixture, { thanos: { rules: true } });
    const prometheus = emitPrometheus(on);
    const thanos = emitThanos(on);
    expect(thanos.map((f) => f.path)).toEqual(prometheus.map((f) => f.path.replace(/^prometheus\//, "thanos/")));
    const [withStrategy, without] = [groups(thanos), groups(prometheus)];
    expect(withStrategy.every((g) => g.partial_response_strategy === "abort")).toBe(true);
    expect(withStrategy.map(({ partial_response_strategy: _, ...g }) => g)).toEqual(without);
    // Prometheus's own files never carry it.
    expect(prometheus.some((f) => f.content.includes("partial_response_strategy"))).toBe(false);
    const warn = withConfig(fixture, { thanos: { rules: true, partialResponseStrategy: "warn" } });
    expect(groups(emitThanos(warn)).every((g) => g.partial_response_strategy === "warn")).toBe(true);
  });

  it("promtool refuses them, which is why they live apart from prometheus/ (which vigil test checks)", async () => {
    const checked = await promtoolCheck(emitThanos(withConfig(fixture, { thanos: { rules: true } })).slice(0, 1));
    expect(checked.code).not.toBe(0);
    expect(checked.stdout + checked.stderr).toMatch(/partial_response_strategy/);
  });
});

describe("every target through the compiler", () => {
  const config = `import { defineConfig } from "vigil";
export default defineConfig({
  monitors: "monitors/**/*.ts",
  kubernetes: { dashboards: true, rules: true, alertmanager: true, ruleLabels: { release: "kube-prometheus-stack" } },
  mimir: { rules: true },
  thanos: { rules: true, partialResponseStrategy: "warn" },
});
`;

  it("compiles to the same bytes in two checkouts, every target listed in the manifest", async () => {
    const [a, b] = await Promise.all([makeProject({ ...MULTI_TEAM_FILES, "vigil.config.ts": config }), makeProject({ ...MULTI_TEAM_FILES, "vigil.config.ts": config })]);
    try {
      const [first, second] = [await compile({ cwd: a }), await compile({ cwd: b })];
      expect(first.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const bytes = (r: typeof first) => Object.fromEntries(r.files.map((f) => [f.path, f.content]));
      expect(bytes(second)).toEqual(bytes(first));
      const paths = first.files.map((f) => f.path);
      expect(paths.filter((p) => /^(kubernetes\/(rules|alertmanager)|mimir|thanos)\//.test(p))).toEqual([
        "kubernetes/alertmanager/alertmanager-vigil.yaml",
        "kubernetes/rules/payments/billing.yaml",
        "kubernetes/rules/payments/checkout.yaml",
        "kubernetes/rules/search/indexer.yaml",
        "mimir/vigil-payments.yaml",
        "mimir/vigil-search.yaml",
        "thanos/payments/billing.rules.yaml",
        "thanos/payments/billing.slo.rules.yaml",
        "thanos/payments/checkout.rules.yaml",
        "thanos/search/indexer.rules.yaml",
      ]);
      expect(paths.some((p) => p.startsWith("kubernetes/dashboards/search/"))).toBe(true);
      const manifest = JSON.parse(first.files.find((f) => f.path === "manifest.json")!.content) as { files: Record<string, unknown> } | Record<string, unknown>;
      for (const p of paths.filter((p) => p !== "manifest.json")) expect(JSON.stringify(manifest)).toContain(JSON.stringify(p));
    } finally {
      await Promise.all([removeProject(a), removeProject(b)]);
    }
  });

  it("an alert's keepFiringFor with prometheus.version 2.41 is an error at the property", async () => {
    const dir = await makeProject(MULTI_TEAM_FILES);
    try {
      await writeFiles(dir, { "vigil.config.ts": `import { defineConfig } from "vigil";\nexport default defineConfig({ monitors: "monitors/**/*.ts", prometheus: { version: "2.41" } });\n` });
      const result = await compile({ cwd: dir });
      expect(result.files).toEqual([]);
      const line = MULTI_TEAM_FILES["monitors/indexer.ts"]!.split("\n").findIndex((l) => l.includes("keepFiringFor")) + 1;
      expect(result.diagnostics).toEqual([expect.objectContaining({ code: "needs-newer-prometheus", location: expect.objectContaining({ file: "monitors/indexer.ts", line }) })]);
    } finally {
      await removeProject(dir);
    }
  });

  it("queryOffset with the default prometheus.version is an error at the config's property", async () => {
    const dir = await makeProject({ ...MULTI_TEAM_FILES, "vigil.config.ts": `import { defineConfig } from "vigil";\nexport default defineConfig({\n  monitors: "monitors/**/*.ts",\n  prometheus: { queryOffset: "1m" },\n});\n` });
    try {
      const result = await compile({ cwd: dir });
      expect(result.files).toEqual([]);
      expect(result.diagnostics).toEqual([expect.objectContaining({ code: "needs-newer-prometheus", location: expect.objectContaining({ file: "vigil.config.ts", line: 4 }) })]);
    } finally {
      await removeProject(dir);
    }
  });
});
