import { readFile, writeFile } from "node:fs/promises";
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

/** Errors of an import, as `source: message`. */
const errorsOf = (problems: { severity: string; source: string; message: string }[]) => problems.filter((p) => p.severity === "error").map((p) => `${p.source}: ${p.message}`);

describe("vigil import prometheus-rules: files promtool accepts, or rejects", () => {
  const file = (name: string, text: string) => ({ name, text });

  it("skips an empty item of groups or of rules, as Prometheus does", () => {
    // Before: an internal error (TypeError: null) on each.
    const { services, problems } = importPrometheusRules(
      [
        file("trailing.yaml", "groups:\n- name: trailing\n  rules:\n  - alert: A\n    expr: up == 0\n  -\n"),
        file("empty-group.yaml", "groups:\n-\n- name: other\n  rules:\n  - alert: B\n    expr: up == 1\n"),
      ],
      { team: "web" },
    );
    expect(errorsOf(problems)).toEqual([]);
    const written = JSON.stringify(services.map((s) => s.entries));
    expect(written).toContain('"A"');
    expect(written).toContain('"B"');
  });

  it("reports what promtool rejects as an error naming the file, group and rule, and imports none of it", () => {
    const { services, problems } = importPrometheusRules(
      [
        file("map.yaml", "groups:\n- name: c3\n  rules: {}\n"),
        file("noexpr.yaml", "groups:\n- name: c4\n  rules:\n  - alert: X\n  - record: y:z:w\n    expr: ''\n  - alert: Ok\n    expr: up == 0\n"),
        file("noname.yaml", "groups:\n- rules:\n  - alert: NoGroupName\n    expr: up == 0\n"),
        file("shapes.yaml", "groups:\n- [a]\n- name: d\n  rules:\n  - \"up == 0\"\n  - alert: L\n    expr: up == 0\n    labels: [a, b]\n"),
      ],
      { team: "web" },
    );
    expect(errorsOf(problems)).toEqual([
      "map.yaml: group \"c3\": rules is a mapping, not a list of rules; promtool check rules rejects it: not imported",
      "noexpr.yaml: group \"c4\", rule 1 (alert X) has no expr (field 'expr' must be set); promtool check rules rejects it: not imported",
      "noexpr.yaml: group \"c4\", rule 2 (record y:z:w) has no expr (field 'expr' must be set); promtool check rules rejects it: not imported",
      "noname.yaml: group 1 (rules NoGroupName) has no name (Groupname must not be empty); promtool check rules rejects it: not imported",
      'shapes.yaml: group 1 is a list, not a mapping of name and rules; promtool check rules rejects it: not imported',
      'shapes.yaml: group "d", rule 1 is "up == 0", not a mapping of record or alert, expr, ...; promtool check rules rejects it: not imported',
      'shapes.yaml: group "d", rule 2 (alert L): labels is a list, not a mapping; promtool check rules rejects it: not imported',
    ]);
    const written = JSON.stringify(services.map((s) => [s.declarations, s.entries]));
    // Before: `expr: promql\`undefined\`` with gauge("undefined"), and a group named "undefined".
    expect(written).not.toContain("undefined");
    expect(written).toContain('"Ok"');
    expect(written).not.toContain("NoGroupName");
  });

  it("declares a metric with one kind in every service, decided over all the imported files", () => {
    const { services } = importPrometheusRules(
      [
        file("a-throughput.rules.yaml", "groups:\n- name: a\n  rules:\n  - record: job:grpc_server_handled:rate5m\n    expr: sum by (job) (rate(grpc_server_handling_seconds_count[5m]))\n"),
        file("b-latency.rules.yaml", "groups:\n- name: b\n  rules:\n  - record: job:grpc_server_handling_seconds:p99\n    expr: histogram_quantile(0.99, sum by (job, le) (rate(grpc_server_handling_seconds_bucket[5m])))\n"),
      ],
      { team: "web" },
    );
    // Before: summary("grpc_server_handling_seconds") in a-throughput, histogram(...) in b-latency.
    for (const service of services) expect(service.declarations).toEqual(['const grpcServerHandlingSeconds = histogram("grpc_server_handling_seconds", { buckets: [] });']);
  });

  it("gives ALERTS no handle, which would narrow its labels for every other query", () => {
    const { services } = importPrometheusRules(
      [file("meta.rules.yaml", 'groups:\n- name: meta\n  rules:\n  - alert: WatchdogMissing\n    expr: absent(ALERTS{alertname="Watchdog", alertstate="firing"})\n')],
      { team: "web" },
    );
    expect(services[0]!.declarations).toEqual([]);
    expect(services[0]!.uses).toEqual(["promql"]);
  });
});

const ticket = (name: string, expr: string) => `  - alert: ${name}
    expr: ${expr}
    for: 5m
    labels: { severity: warning }
    annotations: { summary: Something is wrong., description: "{{ $labels.instance }}: {{ $value }}." }
`;

/** Rule files promtool accepts, each of which made the import write monitors that failed lint (or crashed). */
const HUNT: Record<string, string> = {
  // A summary read by its quantiles and by its _sum and _count.
  "rules/go.rules.yaml": `groups:\n- name: go\n  rules:\n${ticket("GoGcSlow", "go_gc_duration_seconds{quantile=\"1\"} > 0.5")}${ticket("GoGcRate", "rate(go_gc_duration_seconds_sum[5m]) / rate(go_gc_duration_seconds_count[5m]) > 0.1")}`,
  // One histogram, read by its _count in one file and by its _bucket in another.
  "rules/a-throughput.rules.yaml": "groups:\n- name: a\n  rules:\n  - record: job:grpc_server_handled:rate5m\n    expr: sum by (job) (rate(grpc_server_handling_seconds_count[5m]))\n",
  "rules/b-latency.rules.yaml": "groups:\n- name: b\n  rules:\n  - record: job:grpc_server_handling_seconds:p99\n    expr: histogram_quantile(0.99, sum by (job, le) (rate(grpc_server_handling_seconds_bucket[5m])))\n",
  // Prometheus' own series; an empty group item and a trailing empty rule item.
  "rules/meta.rules.yaml": `groups:\n-\n- name: meta\n  rules:\n${ticket("WatchdogMissing", 'absent(ALERTS{alertname="Watchdog", alertstate="firing"})')}${ticket("AlertmanagerDown", 'up{job="alertmanager-main", namespace="monitoring"} == 0')}  -\n`,
};

/** A hand-written monitor reading ALERTS by a label of the alerts: the import must not narrow ALERTS. */
const PAGES = `import { defineService, promql } from "vigil";
import { web } from "../teams";

export default defineService({
  name: "pages",
  team: web,
  alerts: [
    {
      name: "TooManyPages",
      expr: promql\`count(ALERTS{severity="page", alertstate="firing"}) > 10\`,
      severity: "ticket",
      summary: "Too many alerts page.",
      description: "{{ $value }} paging alerts fire.",
    },
  ],
});
`;

describe("vigil import prometheus-rules: rule files from the bug hunt, end to end", () => {
  let dir: string;
  let imported: CliResult;
  beforeAll(async () => {
    dir = await makeProject({ "vigil.config.ts": CONFIG, ...HUNT });
    imported = await runCli(["import", "prometheus-rules", "rules", "--team", "web", "--cwd", dir]);
  });
  afterAll(() => removeProject(dir));

  it("imports them", () => {
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).not.toContain("internal error");
  });

  it("compiles with no lint error, the queries as written, and vigil check passes", async () => {
    await writeFile(path.join(dir, "monitors/web/pages.ts"), PAGES);
    const compiled = await runCli(["compile"], dir);
    const output = compiled.stdout + compiled.stderr;
    expect(compiled.code, output).toBe(0);
    for (const code of ["unknown-metric", "unknown-label", "metric-kind-conflict"]) expect(output).not.toContain(code);
    const exprs = async (file: string) =>
      Object.fromEntries(
        (parse(await readFile(path.join(dir, file), "utf8")) as { groups: ({ rules: ({ alert?: string; record?: string; expr: string } | null)[] } | null)[] }).groups
          .flatMap((g) => g?.rules ?? [])
          .flatMap((r) => (r ? [[r.alert ?? r.record, r.expr]] : [])),
      );
    const source = Object.assign({}, ...(await Promise.all(Object.keys(HUNT).map(exprs))));
    const generated = Object.assign({}, ...(await Promise.all(["go", "a-throughput", "b-latency", "meta"].map((s) => exprs(`generated/prometheus/web/${s}.rules.yaml`)))));
    expect(generated).toEqual(source);
    const checked = await runCli(["check"], dir);
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
  });

  it("reports `rules: {}` as a problem of the file (exit 1), not an internal error", async () => {
    const bad = await makeProject({ "vigil.config.ts": CONFIG, "rules/c3.yaml": "groups:\n- name: c3\n  rules: {}\n" });
    try {
      const result = await runCli(["import", "prometheus-rules", "rules", "--team", "web", "--cwd", bad]);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toContain(`${path.join("rules", "c3.yaml")}: error: group "c3": rules is a mapping, not a list of rules`);
      expect(result.stderr).not.toContain("internal error");
    } finally {
      await removeProject(bad);
    }
  });
});
