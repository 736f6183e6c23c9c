import { readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../helpers/vigil.js";
import { makeProject, removeProject, saveAtomically, snapshotDir } from "../helpers/project.js";
import { serviceFile, syntheticRepo, type Shape } from "./synthetic.js";
// The built watcher, as the CLI runs it (monitors are imported natively: see vitest.config.ts).
import { startWatching, type CycleReport, type Watcher } from "../../dist/watch/watch.js";
import type { Diagnostic } from "../../src/check/diagnostic.js";

/**
 * One watcher on one project through a sequence of edits, in order: after each, the output on
 * disk must be what a cold compile of the files as they are now produces, byte for byte.
 */
const SHAPE: Shape = { teams: 2, alerts: 2, slos: 1 };

let dir: string;
let watcher: Watcher;
const reports: CycleReport[] = [];
let waiting: ((report: CycleReport) => void) | undefined;

/** The report of the next compile (the watcher compiles on its own after a change). */
function nextCycle(): Promise<CycleReport> {
  return new Promise((resolve) => (waiting = resolve));
}

const out = (file: string) => path.join(dir, "generated", file);
const mtimes = async (files: readonly string[]) => Object.fromEntries(await Promise.all(files.map(async (f) => [f, (await stat(out(f))).mtimeMs] as const)));

/** Edits a file as editors do: a new file renamed over the old one. */
async function save(file: string, content: string): Promise<CycleReport> {
  const cycle = nextCycle();
  await saveAtomically(dir, file, content);
  return cycle;
}

/** What a cold `vigil compile` of the project as it is now would write, and its diagnostics. */
async function coldOutput(report?: CycleReport): Promise<Record<string, string>> {
  const result = await compile({ cwd: dir, preciseWarnings: false });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  if (report) expect(report.diagnostics).toEqual(result.diagnostics);
  return Object.fromEntries(result.files.map((f) => [f.path, f.content]));
}

/**
 * The diagnostics are those of a cold compile, which has errors: the errors exactly, the
 * warnings but for their line (with errors, a cold compile loads the TypeScript parser and
 * places warnings at the exact property, as the watcher does not).
 */
async function expectDiagnosticsAsCold(report: CycleReport): Promise<void> {
  const result = await compile({ cwd: dir, preciseWarnings: false });
  const errors = (diagnostics: readonly Diagnostic[]) => diagnostics.filter((d) => d.severity === "error");
  const warnings = (diagnostics: readonly Diagnostic[]) => diagnostics.filter((d) => d.severity !== "error").map((d) => [d.code, d.location?.file, d.message]);
  expect(errors(report.diagnostics)).toEqual(errors(result.diagnostics));
  expect(warnings(report.diagnostics)).toEqual(warnings(result.diagnostics));
}

async function expectSameAsCold(report?: CycleReport): Promise<void> {
  const onDisk = await snapshotDir(path.join(dir, "generated"));
  const cold = await coldOutput(report);
  expect(Object.keys(onDisk).sort()).toEqual(Object.keys(cold).sort());
  for (const [file, content] of Object.entries(cold)) expect(onDisk[file], file).toBe(content);
}

beforeAll(async () => {
  dir = await makeProject(syntheticRepo(3, SHAPE));
  watcher = await startWatching({
    cwd: dir,
    onCycle: (report) => {
      reports.push(report);
      console.log(`watch: ${report.written ? `compiled in ${report.ms} ms: ${report.changed} files changed` : `${report.diagnostics.length} diagnostics, kept the output`} ${JSON.stringify(report.stats)}`);
      const resolve = waiting;
      waiting = undefined;
      resolve?.(report);
    },
  });
});

afterAll(async () => {
  await watcher?.close();
  if (dir) await removeProject(dir);
});

describe("vigil compile --watch", () => {
  it("compiles at once, as a cold compile does", async () => {
    expect(reports).toHaveLength(1);
    expect(reports[0]!.written).toBe(true);
    expect(reports[0]!.changed).toBe(Object.keys(await snapshotDir(path.join(dir, "generated"))).length);
    await expectSameAsCold();
  });

  it("rewrites only the files of the service that changed", async () => {
    const svc0 = ["prometheus/team0/svc0.rules.yaml", "runbooks/team0/svc0.md"];
    const others = ["prometheus/team0/svc2.rules.yaml", "prometheus/team1/svc1.rules.yaml", "grafana/dashboards/team0/svc2-overview.json", "runbooks/team1/svc1.md", "alertmanager/alertmanager.yaml"];
    const before = await snapshotDir(path.join(dir, "generated"));
    const times = await mtimes(others);
    const report = await save("monitors/team0/svc0.ts", serviceFile("svc0", "team0", 0.2, SHAPE));
    expect(report.written).toBe(true);
    expect(report.stats).toMatchObject({ loaded: 1, rendered: 1, services: 3 });
    const after = await snapshotDir(path.join(dir, "generated"));
    const changed = Object.keys(after).filter((f) => after[f] !== before[f]);
    expect(report.changed).toBe(changed.length);
    // The alert thresholds are in the rules, the summaries in the runbook; the manifest lists their hashes.
    expect(changed.sort()).toEqual([...svc0, "manifest.json"].sort());
    expect(after["prometheus/team0/svc0.rules.yaml"]).toContain("> 0.2");
    expect(await mtimes(others)).toEqual(times);
    await expectSameAsCold(report);
  });

  it("saving a file unchanged rewrites nothing", async () => {
    const report = await save("monitors/team0/svc0.ts", await readFile(path.join(dir, "monitors/team0/svc0.ts"), "utf8"));
    expect(report).toMatchObject({ written: true, changed: 0 });
  });

  it("reports a syntax error, keeps the output, and recompiles once it is fixed", async () => {
    const before = await snapshotDir(path.join(dir, "generated"));
    const good = await readFile(path.join(dir, "monitors/team1/svc1.ts"), "utf8");
    const broken = await save("monitors/team1/svc1.ts", good.replace("export default defineService({", "export default defineService({{"));
    expect(broken.written).toBe(false);
    expect(broken.diagnostics.map((d) => [d.code, d.location?.file])).toContainEqual(["syntax-error", "monitors/team1/svc1.ts"]);
    expect(await snapshotDir(path.join(dir, "generated"))).toEqual(before);

    // Another file changes while this one is broken: still nothing written, the error still shown.
    const still = await save("monitors/team0/svc2.ts", serviceFile("svc2", "team0", 0.3, SHAPE));
    expect(still.written).toBe(false);
    expect(still.diagnostics.map((d) => d.code)).toContain("syntax-error");
    expect(await snapshotDir(path.join(dir, "generated"))).toEqual(before);

    const fixed = await save("monitors/team1/svc1.ts", good);
    expect(fixed.written).toBe(true);
    expect(fixed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect((await snapshotDir(path.join(dir, "generated")))["prometheus/team0/svc2.rules.yaml"]).toContain("> 0.3");
    await expectSameAsCold();
  });

  it("reports a file that throws and an invalid object, keeping the output", async () => {
    const before = await snapshotDir(path.join(dir, "generated"));
    const good = await readFile(path.join(dir, "monitors/team1/svc1.ts"), "utf8");
    const threw = await save("monitors/team1/svc1.ts", good.replace("export default defineService({", 'throw new Error("no config for svc1");\nexport default defineService({'));
    expect(threw.written).toBe(false);
    expect(threw.diagnostics.map((d) => [d.code, d.location?.file])).toContainEqual(["monitor-threw", "monitors/team1/svc1.ts"]);
    expect(await snapshotDir(path.join(dir, "generated"))).toEqual(before);

    const invalid = await save("monitors/team1/svc1.ts", good.replace('for: "5m"', 'for: "five minutes"'));
    expect(invalid.written).toBe(false);
    expect(invalid.diagnostics.filter((d) => d.severity === "error").map((d) => d.location?.file)).toContain("monitors/team1/svc1.ts");
    expect(await snapshotDir(path.join(dir, "generated"))).toEqual(before);

    const fixed = await save("monitors/team1/svc1.ts", good);
    expect(fixed).toMatchObject({ written: true, changed: 0 });
    await expectSameAsCold();
  });

  it("finds a clash with a file that did not change: a service declared twice", async () => {
    const before = await snapshotDir(path.join(dir, "generated"));
    const copy = await save("monitors/team1/copy.ts", serviceFile("svc2", "team1", 0.4, SHAPE));
    expect(copy.written).toBe(false);
    expect(copy.diagnostics.map((d) => d.code)).toContain("duplicate-service");
    expect(await snapshotDir(path.join(dir, "generated"))).toEqual(before);

    const cycle = nextCycle();
    await rm(path.join(dir, "monitors/team1/copy.ts"));
    const removed = await cycle;
    expect(removed).toMatchObject({ written: true, changed: 0 });
    expect(removed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  it("picks up a new monitor file and a deleted one", async () => {
    const added = await save("monitors/team1/svc9.ts", serviceFile("svc9", "team1", 0.05, SHAPE));
    expect(added.written).toBe(true);
    expect(Object.keys(await snapshotDir(path.join(dir, "generated")))).toContain("prometheus/team1/svc9.rules.yaml");
    // The team's overview lists its services: it changes with them.
    expect(await readFile(out("grafana/dashboards/team1/team-team1.json"), "utf8")).toContain("svc9");
    await expectSameAsCold();

    const cycle = nextCycle();
    await rm(path.join(dir, "monitors/team1/svc9.ts"));
    const removed = await cycle;
    expect(removed.written).toBe(true);
    const files = Object.keys(await snapshotDir(path.join(dir, "generated")));
    expect(files.filter((f) => f.includes("svc9"))).toEqual([]);
    await expectSameAsCold();
  });

  it("re-runs the files that import a changed file", async () => {
    const teams = await readFile(path.join(dir, "monitors/teams.ts"), "utf8");
    const report = await save("monitors/teams.ts", teams.replace('"team0 on-call"', '"team0 primary on-call"'));
    expect(report.written).toBe(true);
    // teams.ts and the three services importing it.
    expect(report.stats.loaded).toBe(4);
    expect(await readFile(out("runbooks/team0/svc0.md"), "utf8")).toContain("team0 primary on-call");
    expect(await readFile(out("runbooks/team1/svc1.md"), "utf8")).not.toContain("team0 primary on-call");
    await expectSameAsCold(report);
  });

  it("validates a file with the files declaring or using its metrics", async () => {
    // A service whose gauge nobody uses: an unused-metric warning, as in a cold compile.
    const user = `import { defineService, gauge } from "vigil";
import { team1 } from "../teams";
const up = gauge("user_up", { help: "1 when the user service is up." });
export default defineService({
  name: "user",
  team: team1,
  metrics: [up],
  dashboards: [{ title: "user queues", rows: [{ title: "Queues", panels: [{ title: "svc0 queue", queries: ["svc0_queue_depth"] }] }] }],
});
`;
    const added = await save("monitors/team1/user.ts", user);
    expect(added.diagnostics.map((d) => [d.code, d.location?.file])).toContainEqual(["unused-metric", "monitors/team1/user.ts"]);
    await expectSameAsCold(added);

    // Another file starts using it: the warning on the file that did not change goes.
    const svc0 = await readFile(path.join(dir, "monitors/team0/svc0.ts"), "utf8");
    const used = await save("monitors/team0/svc0.ts", svc0.replace("'svc0_queue_depth', ", "'svc0_queue_depth', 'user_up', "));
    expect(used.diagnostics.map((d) => [d.code, d.location?.file])).not.toContainEqual(["unused-metric", "monitors/team1/user.ts"]);
    await expectSameAsCold(used);

    const unused = await save("monitors/team0/svc0.ts", svc0);
    expect(unused.diagnostics.map((d) => [d.code, d.location?.file])).toContainEqual(["unused-metric", "monitors/team1/user.ts"]);
    await expectSameAsCold(unused);
  });

  it("re-plans Alertmanager's inhibitions when a dependency or a service-down alert changes, and the runbook index when an alert is renamed", async () => {
    const svc0 = await readFile(path.join(dir, "monitors/team0/svc0.ts"), "utf8");
    const svc1 = await readFile(path.join(dir, "monitors/team1/svc1.ts"), "utf8");
    const down = await save("monitors/team1/svc1.ts", svc1.replace('severity: "page",', 'severity: "page",\n      serviceDown: true,'));
    expect(down.written).toBe(true);
    await expectSameAsCold(down);
    const needs = await save("monitors/team0/svc0.ts", svc0.replace('description: "Synthetic service svc0.",', 'description: "Synthetic service svc0.",\n  dependsOn: ["svc1"],'));
    expect(needs.written).toBe(true);
    expect(await readFile(out("alertmanager/alertmanager.yaml"), "utf8")).toMatch(/service=~\\?"svc0/);
    await expectSameAsCold(needs);

    const index = await readFile(out("runbooks/README.md"), "utf8");
    const renamed = await save("monitors/team0/svc0.ts", svc0.replace('name: "Svc0Alert1"', 'name: "Svc0AlertRenamed"'));
    expect(renamed.written).toBe(true);
    const after = await readFile(out("runbooks/README.md"), "utf8");
    expect(after).not.toBe(index);
    expect(after).toContain("Svc0AlertRenamed");
    await expectSameAsCold(renamed);

    await save("monitors/team1/svc1.ts", svc1);
    const reverted = await save("monitors/team0/svc0.ts", svc0);
    expect(await readFile(out("alertmanager/alertmanager.yaml"), "utf8")).not.toMatch(/service=~\\?"svc0/);
    await expectSameAsCold(reverted);
  });

  it("validates the users of a shared metric when, and only when, its declarations change what they see", async () => {
    const exporter = (name: string, team: string, declaration: string) => `import { counter, defineService, gauge } from "vigil";
import { ${team} } from "../teams";
const shared = ${declaration};
export default defineService({
  name: "${name}",
  team: ${team},
  metrics: [shared],
  dashboards: [{ title: "${name} shared", rows: [{ title: "Shared", panels: [{ title: "Requests", queries: ["sum(rate(shared_http_total[5m]))"] }] }] }],
});
`;
    const consumer = `import { defineService } from "vigil";
import { team1 } from "../teams";
export default defineService({
  name: "consumer",
  team: team1,
  dashboards: [{ title: "consumer view", rows: [{ title: "Shared", panels: [{ title: "Tenant x", queries: ['sum(rate(shared_http_total{tenant="x"}[5m]))'] }] }] }],
});
`;
    const codes = (report: CycleReport) => report.diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.location?.file]);
    const counterCode = 'counter("shared_http_total", { labels: ["code"] })';

    const b = await save("monitors/team1/exporter-b.ts", exporter("exporter-b", "team1", counterCode));
    await expectSameAsCold(b);
    const users = await save("monitors/team1/consumer.ts", consumer);
    expect(codes(users)).toContainEqual(["unknown-label", "monitors/team1/consumer.ts"]);
    await expectDiagnosticsAsCold(users);

    // Declared again, as it was, by a file that runs first: the entry is the same, so are the diagnostics.
    const a = await save("monitors/team0/exporter-a.ts", exporter("exporter-a", "team0", counterCode));
    expect(codes(a)).toContainEqual(["unknown-label", "monitors/team1/consumer.ts"]);
    await expectDiagnosticsAsCold(a);
    // A label more: the user's error goes.
    const labelled = await save("monitors/team0/exporter-a.ts", exporter("exporter-a", "team0", 'counter("shared_http_total", { labels: ["code", "tenant"] })'));
    expect(labelled.written).toBe(true);
    await expectSameAsCold(labelled);
    // The first declaration a gauge: rate() over it is an error in every file using it.
    const gauge = await save("monitors/team0/exporter-a.ts", exporter("exporter-a", "team0", 'gauge("shared_http_total", { labels: ["code", "tenant"] })'));
    expect(codes(gauge)).toContainEqual(["rate-over-non-counter", "monitors/team1/consumer.ts"]);
    expect(codes(gauge)).toContainEqual(["rate-over-non-counter", "monitors/team1/exporter-b.ts"]);
    await expectDiagnosticsAsCold(gauge);

    let cycle = nextCycle();
    await rm(path.join(dir, "monitors/team0/exporter-a.ts"));
    const gone = await cycle;
    expect(codes(gone)).toEqual([["unknown-label", "monitors/team1/consumer.ts"]]);
    await expectDiagnosticsAsCold(gone);
    cycle = nextCycle();
    await rm(path.join(dir, "monitors/team1/consumer.ts"));
    await rm(path.join(dir, "monitors/team1/exporter-b.ts"));
    let last = await cycle;
    // The two deletions may come as one compile or two.
    while (!last.written || (await stat(path.join(dir, "monitors/team1/exporter-b.ts")).then(() => true, () => false))) last = await nextCycle();
    await watcher.idle();
    await expectSameAsCold();
  });

  it("starts over when the config changes", async () => {
    const config = await readFile(path.join(dir, "vigil.config.ts"), "utf8");
    const report = await save("vigil.config.ts", config.replace("https://grafana.example", "https://grafana.acme.example"));
    expect(report.written).toBe(true);
    expect(report.stats.loaded).toBe(5);
    expect(await readFile(out("prometheus/team0/svc0.rules.yaml"), "utf8")).toContain("https://grafana.acme.example/d/svc0-overview");
    await expectSameAsCold(report);
  });

  it("keeps the previous tree beside the output while watching (hard links), and deletes it on stopping", async () => {
    const spare = path.join(dir, ".generated.vigil-previous");
    expect((await stat(spare)).isDirectory()).toBe(true);
    await watcher.close();
    await expect(stat(spare)).rejects.toMatchObject({ code: "ENOENT" });
    await expectSameAsCold();
  });
});
