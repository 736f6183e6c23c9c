import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeOutput } from "../../src/output/write.js";
import { checkConfig, testRoute, type RouteCase } from "../../src/tools/amtool.js";
import { checkRules } from "../../src/tools/promtool.js";
import { compile, type CompileResult } from "../helpers/vigil.js";
import { REPO_ROOT } from "../helpers/project.js";

/**
 * The real promtool (Prometheus 2.42) and amtool (Alertmanager 0.25) judge what Vigil emits,
 * for the golden fixture and for the example monitors. A missing tool fails the test with the
 * apt-get command that installs it.
 */
const projects = { fixture: path.join(REPO_ROOT, "test/fixtures/basic"), examples: REPO_ROOT };

type PanelJson = { id?: number; type?: string; title?: string; panels?: PanelJson[]; targets?: Record<string, unknown>[]; gridPos?: { x: number; y: number; w: number; h: number } };

describe.each(Object.entries(projects))("%s output", (_name, cwd) => {
  let result: CompileResult;
  let outDir: string;

  beforeAll(async () => {
    result = await compile({ cwd });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    outDir = await mkdtemp(path.join(tmpdir(), "vigil-out-"));
    await writeOutput(outDir, result.files);
  });
  afterAll(() => rm(outDir, { recursive: true, force: true }));

  const files = (suffix: string) => result.files.filter((f) => f.path.endsWith(suffix));

  it("passes promtool check rules --lint-fatal, file by file", async () => {
    const rules = files(".rules.yaml");
    expect(rules.length).toBeGreaterThan(0);
    for (const file of rules) {
      const checked = await checkRules([path.join(outDir, file.path)]);
      expect(checked.code, `${file.path}\n${checked.stdout}${checked.stderr}`).toBe(0);
    }
  });

  it("keeps rule groups at 20 rules or fewer, each with an interval", async () => {
    const { parse } = await import("yaml");
    for (const file of files(".rules.yaml")) {
      const doc = parse(file.content) as { groups: { name: string; interval: string; rules: unknown[] }[] };
      for (const group of doc.groups) {
        expect(group.rules.length, group.name).toBeLessThanOrEqual(20);
        expect(group.interval, group.name).toMatch(/^\d+[smhd]$/);
      }
    }
  });

  it("passes amtool check-config", async () => {
    const checked = await checkConfig(path.join(outDir, "alertmanager/alertmanager.yaml"));
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
  });

  it("routes every team and severity to the receiver amtool computes", async () => {
    const cases = JSON.parse(files("routes.test.json")[0]!.content) as RouteCase[];
    expect(cases.length).toBeGreaterThan(1);
    const results = await Promise.all(cases.map((c) => testRoute(path.join(outDir, "alertmanager/alertmanager.yaml"), c)));
    expect(results.filter((r) => !r.ok)).toEqual([]);
  });

  it("gives every dashboard a unique uid, unique panel ids and complete Prometheus targets", () => {
    const dashboards = files(".json").filter((f) => f.path.startsWith("grafana/dashboards/"));
    expect(dashboards.length).toBeGreaterThan(0);
    const uids = new Set<string>();
    const titlesPerFolder = new Set<string>();
    for (const file of dashboards) {
      const dashboard = JSON.parse(file.content) as { uid: string; title: string; schemaVersion: number; tags: string[]; panels: PanelJson[] };
      expect(uids.has(dashboard.uid), `uid ${dashboard.uid} twice`).toBe(false);
      uids.add(dashboard.uid);
      const folder = path.dirname(file.path);
      expect(titlesPerFolder.has(`${folder}/${dashboard.title}`), `title ${dashboard.title} twice in ${folder}`).toBe(false);
      titlesPerFolder.add(`${folder}/${dashboard.title}`);
      expect(path.basename(file.path)).toBe(`${dashboard.uid}.json`);
      expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
      expect(dashboard.tags).toContain("vigil");
      const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
      const ids = panels.map((p) => p.id);
      expect(ids.every((id) => typeof id === "number" && id > 0), file.path).toBe(true);
      expect(new Set(ids).size, `${file.path}: duplicate panel ids`).toBe(ids.length);
      for (const panel of panels) {
        const grid = panel.gridPos;
        if (grid) expect(grid.x + grid.w, `${file.path} ${panel.title}`).toBeLessThanOrEqual(24);
        if (panel.type === "row") continue;
        expect(panel.targets?.length, `${file.path} ${panel.title} has no query`).toBeGreaterThan(0);
        const refIds = panel.targets!.map((t) => t.refId);
        expect(new Set(refIds).size).toBe(refIds.length);
        for (const target of panel.targets!) {
          expect(typeof target.expr).toBe("string");
          expect(target.datasource).toBeDefined();
        }
      }
    }
  });

  it("puts every dashboard of a team in that team's folder, and provisions folders from files", () => {
    const provisioning = files("provisioning/dashboards.yaml")[0]!.content;
    expect(provisioning).toContain("foldersFromFilesStructure: true");
    const teams = new Set(result.plan!.services.map((s) => s.team));
    for (const file of files(".json").filter((f) => f.path.startsWith("grafana/dashboards/"))) {
      expect(teams.has(file.path.split("/")[2]!)).toBe(true);
    }
  });

  it("writes Markdown that prettier leaves unchanged", async () => {
    const prettier = await import("prettier");
    const pages = files(".md");
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) {
      expect(page.content, page.path).toBe(await prettier.format(page.content, { parser: "markdown", proseWrap: "preserve" }));
    }
  });

  it("resolves every dashboard_url and every dashboard link to a generated dashboard", () => {
    const uids = new Set(files(".json").filter((f) => f.path.startsWith("grafana/dashboards/")).map((f) => (JSON.parse(f.content) as { uid: string }).uid));
    const rules = result.plan!.services.flatMap((s) => s.alerts.map((a) => a.rule));
    for (const rule of rules) {
      const url = rule.annotations.dashboard_url;
      if (url) expect(uids.has(url.split("/d/")[1]!), `${rule.alert}: ${url}`).toBe(true);
    }
    for (const file of files(".json").filter((f) => f.path.startsWith("grafana/dashboards/"))) {
      const links = ((JSON.parse(file.content) as { links?: { url?: string }[] }).links ?? []).map((l) => l.url).filter((u): u is string => !!u && u.startsWith("/d/"));
      for (const link of links) expect(uids.has(link.slice(3)), `${file.path} links ${link}`).toBe(true);
    }
  });

  it("gives every team an overview dashboard linking to each of its services", () => {
    for (const team of new Set(result.plan!.services.map((s) => s.team))) {
      const file = files(`grafana/dashboards/${team}/team-${team}.json`)[0];
      expect(file, team).toBeDefined();
      const links = ((JSON.parse(file!.content) as { links: { url: string }[] }).links).map((l) => l.url);
      for (const service of result.plan!.services.filter((s) => s.team === team)) expect(links).toContain(`/d/${service.name}-overview`);
    }
  });

  it("links every alert to an existing runbook section", () => {
    for (const service of result.plan!.services) {
      const page = result.files.find((f) => f.path === `runbooks/${service.team}/${service.name}.md`);
      expect(page, `${service.name} runbook`).toBeDefined();
      for (const alert of service.alerts) {
        expect(page!.content).toContain(`\n## ${alert.heading}\n`);
        if (alert.rule.annotations.runbook_url) expect(alert.rule.annotations.runbook_url).toMatch(new RegExp(`/${service.team}/${service.name}\\.md#${alert.anchor}$`));
      }
    }
  });
});
