import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runCli } from "../helpers/cli.js";
import { makeProject, removeProject, REPO_ROOT } from "../helpers/project.js";

const inputs = path.join(REPO_ROOT, "test/import/inputs");

/**
 * The teams' routing needs settings of the config (SMTP for e-mail, the business-hours
 * interval): the alertmanager import names them in teams.ts for vigil.config.ts.
 */
const CONFIG = `import { defineConfig } from "vigil";
export default defineConfig({
  monitors: "monitors/**/*.ts",
  alertmanager: {
    smtp: { smarthost: "smtp.example.com:587", from: "alertmanager@example.com" },
    timeIntervals: { "business-hours": [{ weekdays: ["monday:friday"] }] },
  },
  lint: { rules: { "runbook-missing-steps": "warn" } },
});
`;

describe("vigil import, per kind, into one repository", () => {
  let dir: string;
  const out: Record<string, { code: number; stderr: string }> = {};
  const read = (file: string) => readFile(path.join(dir, "monitors", file), "utf8");

  beforeAll(async () => {
    dir = await makeProject({ "vigil.config.ts": CONFIG });
    const run = async (name: string, args: string[]) => (out[name] = await runCli(["import", ...args, "--cwd", dir], REPO_ROOT));
    await run("alertmanager", ["alertmanager", path.join(inputs, "alertmanager.yaml")]);
    await run("rules", ["prometheus-rules", path.join(inputs, "kube-prometheus.yaml"), "--team", "platform"]);
    await run("sloth", ["sloth", path.join(inputs, "sloth.yaml")]);
    await run("openslo", ["openslo", path.join(inputs, "openslo.yaml"), "--team", "search"]);
    await run("grafana", ["grafana", path.join(inputs, "grafana.json"), "--team", "payments", "--service", "checkout"]);
  });
  afterAll(() => removeProject(dir));

  it("imports every kind", () => {
    for (const [kind, result] of Object.entries(out)) expect(result.code, `${kind}: ${result.stderr}`).toBe(0);
  });

  it("compiles, and vigil check passes on the output", async () => {
    const compiled = await runCli(["compile"], dir);
    expect(compiled.code, compiled.stdout + compiled.stderr).toBe(0);
    const checked = await runCli(["check"], dir);
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
  });

  it("alertmanager: teams from routes, receivers per severity, timing, secrets as files", async () => {
    const teams = await read("teams.ts");
    expect(teams).toMatch(/export const payments = defineTeam\(\{\s*name: "payments"/);
    expect(teams).toMatch(/page: \{\s*pagerduty: \{\s*routingKeyFile: "\/etc\/alertmanager\/secrets\/payments-pager-pagerduty-routing-key"/);
    expect(teams).toMatch(/ticket: \{\s*slack: \{\s*channel: "#payments-alerts",\s*apiUrlFile: "\/etc\/alertmanager\/secrets\/payments-slack"/);
    expect(teams).toMatch(/timing: \{\s*page: \{\s*groupWait: "10s",\s*repeatInterval: "1h"/);
    expect(teams).toMatch(/activeDuring: \{\s*ticket: \["business-hours"\]/);
    expect(teams).toMatch(/export const search = defineTeam\(\{\s*name: "search",\s*receivers: \{\s*default: \{\s*email: \{\s*to: "search-oncall@example.com"/);
    // The inline secrets are never copied, and stderr says where they must go.
    expect(teams).not.toContain("0123456789abcdef0123456789abcdef");
    expect(teams).not.toContain("hooks.slack.com");
    expect(out.alertmanager!.stderr).toContain("receiver payments-pager: the pagerduty-routing-key is written in the config: not copied");
    expect(teams).toContain("TODO: write the pagerduty-routing-key of receiver payments-pager");
    // What has no place on a team is named, in the output and on stderr.
    expect(teams).toContain('route ["env=\\"staging\\""] -> fallback matches no team');
    expect(out.alertmanager!.stderr).toContain("1 inhibit rules not imported");
    // The team the rule import needed and the alertmanager import did not declare is added.
    expect(teams).toMatch(/export const platform = defineTeam\(\{\s*name: "platform",\s*receivers: \{\}/);
  });

  it("prometheus-rules: a kube-prometheus PrometheusRule, severities mapped, fields and annotations kept", async () => {
    const monitor = await read("platform/kube-prometheus.ts");
    expect(monitor).toContain('const kubeDeploymentSpecReplicas = gauge("kube_deployment_spec_replicas");');
    expect(monitor).toContain('counter("container_cpu_usage_seconds_total", { labels: ["image"] })');
    expect(monitor).toContain('${containerCpuUsageSecondsTotal.where({ job: "kubelet", image: { not: "" } })}');
    expect(monitor).toMatch(/\/\/ severity "critical" in the source\s*severity: "page"/);
    expect(monitor).toMatch(/keepFiringFor: "5m"/);
    expect(monitor).toMatch(/labels: \{\s*component: "deployments"/);
    expect(monitor).toMatch(/runbook_url: "https:\/\/runbooks.prometheus-operator.dev\/runbooks\/kubernetes\/kubepodcrashlooping"/);
    expect(monitor).toMatch(/message: "This alert is always firing/);
    expect(out.rules!.stderr).toContain("Watchdog: no summary annotation");
    const rules = parse(await readFile(path.join(dir, "generated/prometheus/platform/kube-prometheus.rules.yaml"), "utf8")) as { groups: { name: string; interval: string; rules: Record<string, unknown>[] }[] };
    expect(rules.groups.map((g) => [g.name, g.interval])).toEqual([["kube-prometheus.rules", "30s"], ["kube-prometheus.alerts", "30s"]]);
    expect(rules.groups[1]!.rules[1]).toMatchObject({
      alert: "KubeDeploymentReplicasMismatch",
      expr: 'kube_deployment_spec_replicas{job="kube-state-metrics"} > kube_deployment_status_replicas_available{job="kube-state-metrics"}\n',
      for: "15m",
      keep_firing_for: "5m",
      labels: { component: "deployments", service: "kube-prometheus", severity: "page", team: "platform" },
    });
  });

  it("sloth: ratio and raw SLIs with {{window}}, objectives, alert names, disabled tickets", async () => {
    const monitor = await read("payments/myservice.ts");
    expect(monitor).toContain(`errors: 'sum(rate(http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}[{{window}}]))'`);
    expect(monitor).toContain(`errorRatio: '1 - avg_over_time(queue_healthy{job="myservice"}[{{window}}])'`);
    expect(monitor).toMatch(/name: "requests-availability",\s*objective: 99.9/);
    expect(monitor).toMatch(/alerting: \{\s*name: "MyServiceQueueUnhealthy",\s*ticket: false/);
    expect(monitor).toContain('const queueHealthy = gauge("queue_healthy");');
    expect(monitor).toContain('summary("http_request_duration_seconds", { labels: ["code"] })');
    expect(out.sloth!.stderr).toContain("page alert labels routing_key not imported");
    const slo = await readFile(path.join(dir, "generated/prometheus/payments/myservice.slo.rules.yaml"), "utf8");
    expect(slo).toContain("alert: MyServiceHighErrorRate");
    expect(slo).not.toMatch(/alert: MyServiceQueueUnhealthy[\s\S]*severity: ticket/);
  });

  it("openslo: a ratio SLI by reference, counters read through rate, the rolling window as period", async () => {
    const monitor = await read("search/search.ts");
    expect(monitor).toMatch(/name: "search-availability",\s*objective: 99.5,\s*period: "28d"/);
    expect(monitor).toContain(`errors: 'sum(rate(http_requests_total{service="search", code=~"5.."}[{{window}}]))'`);
    expect(monitor).toContain(`total: 'sum(rate(http_requests_total{service="search"}[{{window}}]))'`);
    expect(out.openslo!.stderr).toContain("alert policies not imported");
  });

  it("grafana: rows, panels, queries with legends, units, thresholds, variables and links", async () => {
    const monitor = await read("payments/checkout.ts");
    expect(monitor).toMatch(/uid: "checkout-main",\s*title: "Checkout"/);
    expect(monitor).toMatch(/title: "Traffic",\s*panels: \[\s*\{\s*title: "Requests by route",\s*queries: \[\s*\{\s*expr: .*,\s*legend: "\{\{route\}\}"/);
    expect(monitor).toMatch(/title: "Error ratio",\s*type: "stat",[\s\S]*unit: "percentunit",\s*thresholds: \[\s*\{\s*color: "green",?\s*\},\s*\{\s*value: 0.01,\s*color: "orange"/);
    expect(monitor).toMatch(/width: 6/);
    expect(monitor).toMatch(/title: "Latency",\s*panels: \[\s*\{\s*title: "p99 latency"/);
    expect(monitor).toMatch(/name: "route",\s*query: 'label_values\(http_requests_total\{service="checkout"\}, route\)',\s*multi: true,\s*includeAll: true/);
    expect(monitor).toContain('panel "Notes" (type text) not imported');
    expect(out.grafana!.stderr).toContain("interval variable step has no declarative form");
    const dashboard = JSON.parse(await readFile(path.join(dir, "generated/grafana/dashboards/payments/checkout-main.json"), "utf8")) as { title: string };
    expect(dashboard.title).toBe("Checkout");
  });
});

describe("vigil import refuses", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeProject({ "vigil.config.ts": CONFIG });
  });
  afterAll(() => removeProject(dir));

  it("rules without a team label and no --team", async () => {
    const result = await runCli(["import", "prometheus-rules", path.join(inputs, "kube-prometheus.yaml"), "--cwd", dir], REPO_ROOT);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("pass --team NAME");
  });

  it("to overwrite a monitor without --force, and names it", async () => {
    const args = ["import", "openslo", path.join(inputs, "openslo.yaml"), "--team", "search", "--cwd", dir];
    expect((await runCli(args, REPO_ROOT)).code).toBe(0);
    const again = await runCli(args, REPO_ROOT);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(path.join("monitors", "search", "search.ts"));
    expect((await runCli([...args, "--force"], REPO_ROOT)).code).toBe(0);
  });

  it("an unknown kind, as a usage error", async () => {
    const result = await runCli(["import", "nagios", "x.cfg"], REPO_ROOT);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown kind");
  });
});
