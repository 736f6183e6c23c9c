import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { importPrometheusRules } from "../../src/import/prometheus-rules.js";
import { summaryProblem } from "../../src/lint/conventions.js";
import { runCli, type CliResult } from "../helpers/cli.js";
import { makeProject, removeProject } from "../helpers/project.js";

/** A rule file of one group whose rules carry the service's and team's labels. */
function ruleFile(service: string, rules: string): { name: string; text: string } {
  return { name: `${service}.rules.yaml`, text: `groups:\n  - name: ${service}.rules\n    rules:\n${rules}` };
}

const alert = (name: string, expr: string, service: string) => `      - alert: ${name}
        expr: ${expr}
        labels: { severity: ticket, team: web, service: ${service} }
        annotations: { summary: Something is wrong., description: "{{ $value }}" }
`;

describe("vigil import prometheus-rules: recorded series", () => {
  it("declares no handle for a series another imported file records, and one for a series no imported file records", () => {
    const { services, problems } = importPrometheusRules(
      [
        ruleFile("api", `      - record: job:http_requests:rate5m\n        expr: sum by (job) (rate(http_requests_total[5m]))\n        labels: { team: web, service: api }\n`),
        ruleFile("web", alert("WebErrors", "job:http_requests:rate5m > 1 and job:http_errors:rate5m > 0", "web")),
      ],
      {},
    );
    expect(problems.filter((p) => p.severity === "error")).toEqual([]);
    const web = services.find((s) => s.name === "web")!;
    // job:http_requests:rate5m: the imported api service records it, as the repository will.
    expect(web.declarations.join("\n")).not.toContain('"job:http_requests:rate5m"');
    // job:http_errors:rate5m: no imported rule records it; without a handle lint calls it unknown.
    expect(web.declarations.join("\n")).toContain('const jobHttpErrorsRate5m = gauge("job:http_errors:rate5m");');
    expect(web.uses).toContain("gauge");
  });
});

/** Alerts on series that recording rules of another repository produce (colon names). */
const RECORDED_ELSEWHERE = `groups:
  - name: api.alerts
    interval: 1m
    rules:
      - alert: ApiHighErrorRate
        expr: sum(job:http_requests_errors:rate5m{job="api"}) / sum(job:http_requests:rate5m{job="api"}) > 0.05
        for: 10m
        labels:
          service: api
          severity: ticket
          team: web
        annotations:
          description: "{{ $value | humanizePercentage }} of API requests fail."
          summary: The API fails requests.
      - alert: ApiSlow
        expr: job_route:http_request_duration_seconds:p99{job="api", route="/x"} > 1 and on () rate(job:restarts:sum[10m]) == 0
        for: 10m
        labels:
          service: api
          severity: ticket
          team: web
        annotations:
          description: "p99 is {{ $value }}s."
          summary: The API is slow.
`;

/** Ticket alerts to a team with no receivers: alert-unrouted warns, nothing else should. */
const CONFIG = `import { defineConfig } from "vigil";
export default defineConfig({ monitors: "monitors/**/*.ts" });
`;

describe("vigil import prometheus-rules: alerts on series recorded elsewhere", () => {
  let dir: string;
  let imported: CliResult;
  beforeAll(async () => {
    dir = await makeProject({ "vigil.config.ts": CONFIG, "rules/api.rules.yaml": RECORDED_ELSEWHERE });
    imported = await runCli(["import", "prometheus-rules", "rules", "--cwd", dir]);
  });
  afterAll(() => removeProject(dir));

  it("declares their handles and interpolates them, like any other metric's", async () => {
    expect(imported.code, imported.stderr).toBe(0);
    const monitor = await readFile(path.join(dir, "monitors/web/api.ts"), "utf8");
    expect(monitor).toContain('const jobHttpRequestsRate5m = gauge("job:http_requests:rate5m");');
    expect(monitor).toMatch(/gauge\("job_route:http_request_duration_seconds:p99", \{\s*labels: \["route"\],?\s*\}\)/);
    expect(monitor).toContain('const jobRestartsSum = counter("job:restarts:sum");');
    expect(monitor).toContain('${jobHttpRequestsErrorsRate5m.where({ job: "api" })}');
  });

  it("compiles to the same rules, and vigil check passes", async () => {
    const compiled = await runCli(["compile"], dir);
    expect(compiled.code, compiled.stdout + compiled.stderr).toBe(0);
    expect(compiled.stdout + compiled.stderr).not.toContain("unknown-metric");
    const again = parse(await readFile(path.join(dir, "generated/prometheus/web/api.rules.yaml"), "utf8")) as unknown;
    expect(again).toEqual(parse(RECORDED_ELSEWHERE));
    const checked = await runCli(["check"], dir);
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
  });
});

describe("vigil import prometheus-rules: placeholders", () => {
  it("writes a summary placeholder that passes lint's summary style, for a snake_case alert name too", () => {
    const { services } = importPrometheusRules(
      [{ name: "node.rules.yaml", text: "groups:\n  - name: node\n    rules:\n      - alert: disk_full\n        expr: node_filesystem_avail_bytes == 0\n        labels: { team: web, service: node }\n" }],
      {},
    );
    const written = JSON.stringify(services.find((s) => s.name === "node")!.entries);
    // Before: "disk_full is firing.", itself an alert-summary-style error.
    expect(written).toContain("Disk_full is firing.");
    expect(summaryProblem("Disk_full is firing.")).toBeUndefined();
  });
});
