import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { BASE_FILES, makeProject, removeProject } from "../helpers/project.js";

/** Tests declared on alerts, run by `vigil test` with the real promtool. */
const withTests = (tests: string) =>
  BASE_FILES["monitors/checkout.ts"]!.replace('      for: "5m",', `      for: "5m",\n      tests: ${tests},`);

describe("alert unit tests", () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map(removeProject)));

  async function project(tests: string) {
    const dir = await makeProject({ ...BASE_FILES, "monitors/checkout.ts": withTests(tests) });
    dirs.push(dir);
    const compiled = await runCli(["compile"], dir);
    expect(compiled.code, compiled.stdout + compiled.stderr).toBe(0);
    return dir;
  }

  it("pass when the alert fires and stays quiet as declared", async () => {
    const dir = await project(`[
        { name: "fires after 5 minutes down", series: { 'up{job="checkout", instance="a:80"}': "0x10" }, at: "6m", fires: [{ labels: { job: "checkout", instance: "a:80" } }] },
        { name: "pending before 5 minutes", series: { 'up{job="checkout", instance="a:80"}': "0x10" }, at: "4m", fires: false },
        { name: "quiet while up", series: { 'up{job="checkout", instance="a:80"}': "1x10" }, at: "6m", fires: false },
      ]`);
    const result = await runCli(["test"], dir);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stderr).toMatch(/promtool test rules: 1\/1 files ok/);
  });

  // Prometheus expands label and annotation templates with the series' labels only: a rule's
  // own label (pod here) is not among $labels, however it is spelled.
  it("expand templated alert labels as Prometheus does, and pass promtool", async () => {
    const monitor = BASE_FILES["monitors/checkout.ts"]!
      .replace('      for: "5m",', `      for: "5m",\n      labels: { pod: "{{ $labels.instance }}-x" },\n      tests: [{ name: "fires", series: { 'up{job="checkout", instance="a:80"}': "0x10" }, at: "6m", fires: [{ labels: { job: "checkout", instance: "a:80" } }] }],`)
      .replace('description: "{{ $labels.instance }} is down."', 'description: "{{ $labels.instance }} is down{{ $labels.pod }}."');
    const dir = await makeProject({ ...BASE_FILES, "monitors/checkout.ts": monitor });
    dirs.push(dir);
    expect((await runCli(["compile"], dir)).code).toBe(0);
    const tests = await readFile(path.join(dir, "generated/prometheus/payments/checkout.alerts.test.yaml"), "utf8");
    expect(tests).toContain("pod: a:80-x");
    expect(tests).toContain("description: a:80 is down.");
    const result = await runCli(["test"], dir);
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });

  it("fail at the test's own line when the alert does not do what it says", async () => {
    const dir = await project(`[
        { name: "wrongly expects silence", series: { 'up{job="checkout", instance="a:80"}': "0x10" }, at: "6m", fires: false },
      ]`);
    const result = await runCli(["test", "--format", "json"], dir);
    expect(result.code).toBe(1);
    const [diagnostic] = JSON.parse(result.stdout) as { code: string; message: string; location: { file: string; line: number } }[];
    expect(diagnostic!.code).toBe("alert-test-failed");
    expect(diagnostic!.message).toContain("checkout/CheckoutDown#1: wrongly expects silence");
    expect(diagnostic!.location.file).toBe("monitors/checkout.ts");
    const line = withTests("X").split("\n").findIndex((l) => l.includes("tests: X")) + 2;
    expect(diagnostic!.location.line).toBe(line);
  });
});

describe("declared routing tests", () => {
  it("fail at their own line when amtool routes the labels elsewhere", async () => {
    const teams = `import { defineTeam } from "vigil";
export const payments = defineTeam({
  name: "payments",
  receivers: { page: { webhook: { url: "http://127.0.0.1:9/hook" } }, ticket: { webhook: { url: "http://127.0.0.1:9/t" } } },
  routingTests: [
    { labels: { team: "payments", severity: "page" }, receivers: ["payments-page"] },
    { labels: { team: "payments", severity: "ticket" }, receivers: ["payments-page"] },
  ],
});
`;
    const dir = await makeProject({ ...BASE_FILES, "monitors/teams.ts": teams });
    try {
      expect((await runCli(["compile"], dir)).code).toBe(0);
      const result = await runCli(["test", "--format", "json"], dir);
      expect(result.code).toBe(1);
      const diagnostics = JSON.parse(result.stdout) as { code: string; location: { file: string; line: number } }[];
      expect(diagnostics.map((d) => [d.code, d.location.file, d.location.line])).toEqual([["route-test-failed", "monitors/teams.ts", 7]]);
    } finally {
      await removeProject(dir);
    }
  });

  it("declared in the config: fail at their own line there, with amtool's answer and not its chatter", async () => {
    const config = `import { defineConfig } from "vigil";
export default defineConfig({
  monitors: "monitors/**/*.ts",
  alertmanager: {
    routingTests: [
      { labels: { team: "payments", severity: "page" }, receivers: ["payments-page"] },
      { labels: { team: "payments", severity: "page", env: "dev" }, receivers: ["vigil-default"] },
    ],
  },
});
`;
    const dir = await makeProject({ ...BASE_FILES, "vigil.config.ts": config });
    try {
      expect((await runCli(["compile"], dir)).code).toBe(0);
      const result = await runCli(["test", "--format", "json"], dir);
      expect(result.code).toBe(1);
      const diagnostics = JSON.parse(result.stdout) as { code: string; message: string; location: { file: string; line: number } }[];
      expect(diagnostics.map((d) => [d.code, d.location.file, d.location.line])).toEqual([["route-test-failed", "vigil.config.ts", 7]]);
      expect(diagnostics[0]!.message).toBe('routing: {"env":"dev","severity":"page","team":"payments"} should reach vigil-default; amtool says: payments-page');
    } finally {
      await removeProject(dir);
    }
  });
});

describe("vigil test on a repository whose services declare no rules", () => {
  it("checks the Alertmanager config and routes, and does not ask to compile again", async () => {
    const bare = `import { defineService } from "vigil";
import { payments } from "./teams";
export default defineService({ name: "bare", team: payments, description: "Dashboards and runbooks only." });
`;
    const dir = await makeProject({ "vigil.config.ts": BASE_FILES["vigil.config.ts"]!, "monitors/teams.ts": BASE_FILES["monitors/teams.ts"]!, "monitors/bare.ts": bare });
    try {
      expect((await runCli(["compile"], dir)).code).toBe(0);
      const result = await runCli(["test"], dir);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stderr).toContain("promtool: no rule files");
      expect(result.stderr).toMatch(/amtool routes: (\d+)\/\1 cases ok/);
    } finally {
      await removeProject(dir);
    }
  });
});
