/**
 * A synthetic monitor repository of n services, shaped like issue 8's benchmark (each about
 * 5 metrics, 4 SLOs, 10 alerts, 2 dashboards and a runbook), spread over teams whose file the
 * services import: the shape that makes "a team file changed" re-run its importers.
 */
export interface Shape {
  teams?: number;
  /** Alerts per service (default 10). */
  alerts?: number;
  /** SLOs per service, at most 4 (default 4). */
  slos?: number;
}

export function syntheticRepo(services: number, shape: Shape = {}): Record<string, string> {
  const teamCount = shape.teams ?? Math.max(1, Math.ceil(services / 50));
  const teams = Array.from({ length: teamCount }, (_, i) => `team${i}`);
  const files: Record<string, string> = {
    "vigil.config.ts": `import { defineConfig } from "vigil";
export default defineConfig({
  monitors: "monitors/**/*.ts",
  runbooks: { baseUrl: "https://git.example/monitoring/blob/main/generated/runbooks" },
  grafana: { url: "https://grafana.example" },
});
`,
    "monitors/teams.ts": [
      `import { defineTeam } from "vigil";`,
      ...teams.map(
        (team) => `export const ${team} = defineTeam({
  name: "${team}",
  receivers: {
    page: { webhook: { url: "http://127.0.0.1:9/${team}/page" } },
    ticket: { webhook: { url: "http://127.0.0.1:9/${team}/ticket" } },
  },
  escalation: ["${team} on-call", { who: "${team} lead", after: "15m" }],
});`,
      ),
      "",
    ].join("\n"),
  };
  for (let i = 0; i < services; i++) {
    const team = teams[i % teams.length]!;
    files[`monitors/${team}/svc${i}.ts`] = serviceFile(`svc${i}`, team, 0.05, shape);
  }
  return files;
}

/** One service; `threshold` lets a test change its output without changing its shape. */
export function serviceFile(name: string, team: string, threshold = 0.05, shape: Shape = {}): string {
  const metric = name.replace(/-/g, "_");
  const alerts = Array.from({ length: shape.alerts ?? 10 }, (_, a) => `    {
      name: "${camel(name)}Alert${a}",
      expr: promql\`sum(rate(\${requests.where({ code: /5../ })}[5m])) / sum(rate(\${requests}[5m])) > ${threshold + a / 100}\`,
      for: "5m",
      severity: "${a % 3 === 0 ? "page" : "ticket"}",
      summary: "Service ${name} fails more than ${Math.round((threshold + a / 100) * 100)}% of requests.",
      description: "{{ $value | humanizePercentage }} of ${name} requests fail.",
      runbook: {
        summary: "Requests to ${name} fail.",
        impact: "Users of ${name} see errors.",
        triage: ["Check the last deploy.", { step: "Which routes fail?", query: 'sum by (route) (rate(${metric}_requests_total{code=~"5.."}[5m]))' }],
        mitigation: ["Roll back the last deploy."],
      },
    },`).join("\n");
  const slos = ["availability", "availability-strict", "availability-loose", "latency"].slice(0, shape.slos ?? 4).map((slo, s) =>
    slo === "latency"
      ? `    { name: "${slo}", objective: 99, sli: { latency: latency.where({ route: { not: "/healthz" } }), threshold: 0.5 } },`
      : `    { name: "${slo}", objective: ${[99.9, 99.95, 99.5][s]}, sli: { errors: requests.where({ code: /5../ }), total: requests.where({ route: { not: "/healthz" } }) } },`,
  ).join("\n");
  return `import { counter, defineService, gauge, histogram, promql } from "vigil";
import { ${team} } from "../teams";

const requests = counter("${metric}_requests_total", { help: "Requests served.", labels: ["route", "code"] });
const latency = histogram("${metric}_request_duration_seconds", { labels: ["route"], buckets: [0.1, 0.25, 0.5, 1, 2.5] });
const inFlight = gauge("${metric}_requests_in_flight", { help: "Requests being served." });
const jobs = counter("${metric}_jobs_total", { labels: ["outcome"] });
const queue = gauge("${metric}_queue_depth", { help: "Jobs waiting." });

export default defineService({
  name: "${name}",
  team: ${team},
  description: "Synthetic service ${name}.",
  metrics: [requests, latency, inFlight, jobs, queue],
  recordingRules: [
    { record: "route_code:${metric}_requests:rate5m", expr: promql\`sum by (route, code) (rate(\${requests}[5m]))\` },
  ],
  alerts: [
${alerts}
  ],
  slos: [
${slos}
  ],
  dashboards: [
    {
      title: "${name} traffic",
      rows: [{ title: "Traffic", panels: [{ title: "Requests", unit: "reqps", queries: [{ expr: 'sum by (route) (rate(${metric}_requests_total[$__rate_interval]))', legend: "{{route}}" }] }] }],
    },
    {
      title: "${name} jobs",
      rows: [{ title: "Jobs", panels: [{ title: "Queue", queries: ['${metric}_queue_depth', '${metric}_requests_in_flight'] }, { title: "Jobs", unit: "ops", queries: ['sum by (outcome) (rate(${metric}_jobs_total[$__rate_interval]))'] }] }],
    },
  ],
});
`;
}

const camel = (name: string) => name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
