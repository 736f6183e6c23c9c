// Synthetic monitoring repositories for `npm run bench`: N services over N/20 teams, each service
// shaped like the hand-written examples (5 metrics, 4 SLOs, 10 alerts with `for` and runbooks,
// 2 dashboards), so the benchmark measures the compiler on input a company would really have.
// Deterministic: the same N always gives the same files, hence the same output.
import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const DOMAINS = ["orders", "billing", "search", "catalog", "inventory", "shipping", "identity", "profile", "reviews", "pricing", "ledger", "notify", "media", "cart", "fraud"];
const KINDS = ["api", "worker", "gateway", "indexer", "scheduler"];
const ROUTES = ["/v1/items", "/v1/items/:id", "/v1/search", "/v1/health"];
const SERVICES_PER_TEAM = 20;

/** `orders-api-0042`: unique, readable, a valid slug. */
export function serviceName(index) {
  const domain = DOMAINS[index % DOMAINS.length];
  const kind = KINDS[Math.floor(index / DOMAINS.length) % KINDS.length];
  return `${domain}-${kind}-${String(index).padStart(4, "0")}`;
}

export function teamCount(services) {
  return Math.max(2, Math.ceil(services / SERVICES_PER_TEAM));
}

const teamName = (t) => `team-${String(t).padStart(3, "0")}`;
const teamVar = (t) => `team${String(t).padStart(3, "0")}`;
const camel = (slug) => slug.split(/[-_]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");
const snake = (slug) => slug.replaceAll("-", "_");

function configFile() {
  return `import { defineConfig } from "vigil";

export default defineConfig({
  monitors: "monitors/**/*.ts",
  outDir: "generated",
  severities: ["page", "ticket", "info"],
  prometheus: { version: "2.42", evaluationInterval: "1m" },
  alertmanager: {
    version: "0.25",
    defaultReceiver: { slack: { channel: "#alerts-unrouted", apiUrlFile: "/etc/alertmanager/secrets/slack-unrouted" } },
  },
  grafana: { url: "https://grafana.bench.example" },
  runbooks: { baseUrl: "https://git.bench.example/monitoring/blob/main/generated/runbooks" },
});
`;
}

function teamsFile(teams) {
  const blocks = [];
  for (let t = 0; t < teams; t++) {
    const name = teamName(t);
    blocks.push(`/** Owns services ${t * SERVICES_PER_TEAM} to ${t * SERVICES_PER_TEAM + SERVICES_PER_TEAM - 1}. */
export const ${teamVar(t)} = defineTeam({
  name: "${name}",
  contact: "#${name}",
  receivers: {
    page: { pagerduty: { routingKeyFile: "/etc/alertmanager/secrets/pagerduty-${name}" } },
    ticket: { slack: { channel: "#${name}-alerts", apiUrlFile: "/etc/alertmanager/secrets/slack-${name}" } },
    info: { slack: { channel: "#${name}-noise", apiUrlFile: "/etc/alertmanager/secrets/slack-${name}" }, sendResolved: false },
  },
  escalation: ["${name} primary on-call", { who: "${name} secondary on-call", after: "15m" }, { who: "${name} engineering manager", after: "30m" }],
});
`);
  }
  return `import { defineTeam } from "vigil";\n\n${blocks.join("\n")}`;
}

/** One service file: 5 metrics, 4 SLOs, 10 alerts, 2 dashboards, runbooks on every alert. */
export function serviceFile(index, teams) {
  const name = serviceName(index);
  const team = index % teams;
  const Name = camel(name);
  const prefix = snake(name);
  // Thresholds vary a little per service so that no two services are byte-identical.
  const errorRatio = (1 + (index % 5)) / 100;
  const p99 = [0.5, 1, 2.5][index % 3];
  const queueMax = 1000 + (index % 7) * 500;
  const step = (text) => JSON.stringify(text);
  const runbook = (what, query) => `{
        summary: ${step(`${what} on ${name}.`)},
        impact: ${step(`Callers of ${name} see errors or delays while this fires.`)},
        triage: [
          { step: "See which routes or queues are affected.", query: ${query} },
          ${step(`Check the last deploy of ${name}: \`kubectl -n ${prefix} rollout history deploy/${name}\`.`)},
        ],
        mitigation: [
          ${step(`Roll back if a deploy caused it: \`kubectl -n ${prefix} rollout undo deploy/${name}\`.`)},
          ${step(`Scale out if the pods are saturated: \`kubectl -n ${prefix} scale deploy/${name} --replicas=<current + 50%>\`.`)},
        ],
      }`;
  const job = `{ job: "${name}" }`;
  return `import { counter, defineService, gauge, histogram, promql } from "vigil";
import { ${teamVar(team)} } from "../teams.js";

// Exposed by ${name} on :9100/metrics.
const requests = counter("http_requests_total", {
  help: "HTTP requests served, by route template, method and status code.",
  labels: ["route", "method", "code"],
  unit: "requests",
});

const latency = histogram("http_request_duration_seconds", {
  help: "Time from reading the request line to writing the last byte of the response.",
  labels: ["route", "method"],
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  unit: "seconds",
});

const jobs = counter("${prefix}_jobs_processed_total", {
  help: "Background jobs that reached a final state.",
  labels: ["queue", "outcome"],
});

const queueDepth = gauge("${prefix}_queue_depth", {
  help: "Jobs waiting in each queue.",
  labels: ["queue"],
});

const upstreamUp = gauge("${prefix}_upstream_up", {
  help: "1 when the last health probe of an upstream succeeded, else 0.",
  labels: ["upstream"],
});

const all = requests.where(${job});
const failed = requests.where({ job: "${name}", code: /5../ });

export default defineService({
  name: "${name}",
  team: ${teamVar(team)},
  description: "Synthetic service ${index} of the benchmark: an HTTP API with a job queue and one upstream.",
  metrics: [requests, latency, jobs, queueDepth, upstreamUp],
  selector: ${job},
  labels: { tier: "${1 + (index % 3)}" },

  recordingRules: [
    { record: "job_route:${prefix}_http_requests:rate5m", expr: promql\`sum by (job, route) (rate(\${all}[5m]))\` },
    { record: "job:${prefix}_http_requests_errors:ratio_rate5m", expr: promql\`sum by (job) (rate(\${failed}[5m])) / sum by (job) (rate(\${all}[5m]))\` },
  ],

  alerts: [
    {
      name: "${Name}HighErrorRate",
      expr: promql\`sum(rate(\${failed}[5m])) / sum(rate(\${all}[5m])) > ${errorRatio}\`,
      for: "5m",
      severity: "page",
      summary: "Service ${name} fails too many requests.",
      description: "{{ $value | humanizePercentage }} of ${name} requests returned a 5xx over the last 5 minutes.",
      tests: [
        {
          name: "fires when a tenth of requests fail",
          series: {
            'http_requests_total{job="${name}", route="/v1/items", method="GET", code="500"}': "0+6x20",
            'http_requests_total{job="${name}", route="/v1/items", method="GET", code="200"}': "0+54x20",
          },
          at: "15m",
          fires: [{ value: 0.1 }],
        },
      ],
      runbook: ${runbook("Requests fail", `promql\`sum by (route, code) (rate(\${failed}[5m]))\``)},
    },
    {
      name: "${Name}HighLatency",
      expr: promql\`histogram_quantile(0.99, sum by (le) (rate(\${latency.where({ job: "${name}", route: { not: "/v1/health" } }).render("_bucket")}[5m]))) > ${p99}\`,
      for: "10m",
      severity: "page",
      summary: "Service ${name} responds slowly.",
      description: "The p99 latency of ${name} is {{ $value | humanizeDuration }} over the last 5 minutes.",
      runbook: ${runbook("Requests are slow", `promql\`histogram_quantile(0.99, sum by (route, le) (rate(\${latency.where(${job}).render("_bucket")}[5m])))\``)},
    },
    {
      name: "${Name}SlowRoute",
      expr: promql\`histogram_quantile(0.95, sum by (route, le) (rate(\${latency.where(${job}).render("_bucket")}[10m]))) > ${p99 * 2}\`,
      for: "15m",
      severity: "ticket",
      summary: "A route of ${name} is slow.",
      description: "Route {{ $labels.route }} of ${name} has a p95 latency of {{ $value | humanizeDuration }}.",
      runbook: ${runbook("One route is slow", `promql\`sum by (route) (rate(\${all}[10m]))\``)},
    },
    {
      name: "${Name}Down",
      serviceDown: true,
      expr: 'sum by (job) (up{job="${name}"}) == 0 or absent(up{job="${name}"})',
      for: "2m",
      severity: "page",
      summary: "Service ${name} has no healthy target.",
      description: "Prometheus could not scrape any {{ $labels.job }} pod for 2 minutes.",
      runbook: ${runbook("The service is down", `'up{job="${name}"}'`)},
    },
    {
      name: "${Name}InstanceDown",
      expr: 'up{job="${name}"} == 0',
      for: "10m",
      severity: "ticket",
      summary: "A pod of ${name} cannot be scraped.",
      description: "Prometheus has failed to scrape {{ $labels.instance }} for 10 minutes.",
      runbook: ${runbook("A pod is down", `'up{job="${name}"} == 0'`)},
    },
    {
      name: "${Name}QueueBacklog",
      expr: promql\`max by (queue) (\${queueDepth.where(${job})}) > ${queueMax}\`,
      for: "15m",
      severity: "ticket",
      summary: "A queue of ${name} backs up.",
      description: "{{ $value | humanize }} jobs wait in queue {{ $labels.queue }} of ${name}.",
      runbook: ${runbook("Jobs wait", `promql\`max by (queue) (\${queueDepth.where(${job})})\``)},
    },
    {
      name: "${Name}QueueBacklog",
      expr: promql\`max by (queue) (\${queueDepth.where(${job})}) > ${queueMax * 5}\`,
      for: "10m",
      severity: "page",
      summary: "A queue of ${name} backs up far beyond normal.",
      description: "{{ $value | humanize }} jobs wait in queue {{ $labels.queue }} of ${name}.",
      runbook: ${runbook("Jobs wait far too long", `promql\`max by (queue) (\${queueDepth.where(${job})})\``)},
    },
    {
      name: "${Name}JobsFailing",
      expr: promql\`sum by (queue) (rate(\${jobs.where({ job: "${name}", outcome: "failed" })}[15m])) > 0.5\`,
      for: "15m",
      severity: "ticket",
      summary: "Jobs of ${name} fail.",
      description: "{{ $value | humanize }} jobs per second fail in queue {{ $labels.queue }} of ${name}.",
      runbook: ${runbook("Jobs fail", `promql\`sum by (queue, outcome) (rate(\${jobs.where(${job})}[15m]))\``)},
    },
    {
      name: "${Name}UpstreamDown",
      expr: promql\`min by (upstream) (\${upstreamUp.where(${job})}) == 0\`,
      for: "5m",
      severity: "ticket",
      summary: "An upstream of ${name} fails its health probe.",
      description: "Upstream {{ $labels.upstream }} of ${name} has failed its probe for 5 minutes.",
      runbook: ${runbook("An upstream is unhealthy", `promql\`min by (upstream) (\${upstreamUp.where(${job})})\``)},
    },
    {
      name: "${Name}NoTraffic",
      expr: promql\`sum(rate(\${requests.where({ job: "${name}", route: { not: "/v1/health" } })}[15m])) == 0\`,
      for: "30m",
      severity: "info",
      summary: "Service ${name} receives no traffic.",
      description: "${name} has served {{ $value }} requests per second for 30 minutes.",
      runbook: ${runbook("Nobody calls the service", `promql\`sum by (route) (rate(\${all}[15m]))\``)},
    },
  ],

  slos: [
    {
      name: "availability",
      objective: 99.9,
      description: "Requests to ${name} succeed.",
      sli: { errors: failed, total: all },
    },
    {
      name: "latency",
      objective: 99,
      period: "28d",
      description: "Requests to ${name} are answered within a second.",
      sli: { latency: latency.where({ job: "${name}", route: { not: "/v1/health" } }), threshold: 1 },
    },
    {
      name: "jobs",
      objective: 99.5,
      description: "Background jobs of ${name} succeed.",
      sli: { good: jobs.where({ job: "${name}", outcome: "succeeded" }), total: jobs.where(${job}) },
    },
    {
      name: "upstream",
      objective: 99,
      description: "The upstream of ${name} answers its health probe.",
      sli: { probe: upstreamUp.where(${job}) },
      alerting: { page: false },
    },
  ],

  dashboards: [
    {
      title: "${name} traffic",
      tags: ["bench", "${teamName(team)}"],
      variables: [{ name: "route", query: 'label_values(http_requests_total{job="${name}"}, route)', multi: true, includeAll: true }],
      rows: [
        {
          title: "Requests",
          panels: [
            { title: "Requests by route", unit: "reqps", queries: [{ expr: 'sum by (route) (rate(http_requests_total{job="${name}", route=~"$route"}[$__rate_interval]))', legend: "{{route}}" }] },
            { title: "Errors by code", unit: "reqps", queries: [{ expr: 'sum by (code) (rate(http_requests_total{job="${name}", code=~"5.."}[$__rate_interval]))', legend: "{{code}}" }] },
            { title: "Error ratio", type: "stat", unit: "percentunit", thresholds: [{ color: "green" }, { value: ${errorRatio}, color: "red" }], queries: ['sum(rate(http_requests_total{job="${name}", code=~"5.."}[$__rate_interval])) / sum(rate(http_requests_total{job="${name}"}[$__rate_interval]))'] },
          ],
        },
        {
          title: "Latency",
          panels: [
            { title: "p99 by route", unit: "s", queries: [{ expr: 'histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket{job="${name}", route=~"$route"}[$__rate_interval])))', legend: "{{route}}" }] },
            { title: "p50 by route", unit: "s", queries: [{ expr: 'histogram_quantile(0.5, sum by (le, route) (rate(http_request_duration_seconds_bucket{job="${name}", route=~"$route"}[$__rate_interval])))', legend: "{{route}}" }] },
          ],
        },
      ],
    },
    {
      title: "${name} jobs",
      tags: ["bench", "${teamName(team)}"],
      rows: [
        {
          title: "Queues",
          panels: [
            { title: "Queue depth", queries: [{ expr: 'max by (queue) (${prefix}_queue_depth{job="${name}"})', legend: "{{queue}}" }] },
            { title: "Jobs by outcome", unit: "ops", queries: [{ expr: 'sum by (outcome) (rate(${prefix}_jobs_processed_total{job="${name}"}[$__rate_interval]))', legend: "{{outcome}}" }] },
            { title: "Upstreams up", type: "stat", min: 0, max: 1, queries: [{ expr: 'min by (upstream) (${prefix}_upstream_up{job="${name}"})', legend: "{{upstream}}" }] },
          ],
        },
      ],
    },
  ],
});
`;
}

/**
 * Writes a repository of `services` services into `dir` (which should be empty), with a
 * node_modules that resolves `vigil` to this checkout as a user's installation would.
 * Returns the monitor files written, relative to `dir`.
 */
export async function generateRepo(dir, services) {
  const teams = teamCount(services);
  await mkdir(path.join(dir, "monitors"), { recursive: true });
  await mkdir(path.join(dir, "node_modules"), { recursive: true });
  await symlink(REPO_ROOT, path.join(dir, "node_modules", "vigil"), "dir").catch((e) => {
    if (e.code !== "EEXIST") throw e;
  });
  await writeFile(path.join(dir, "vigil.config.ts"), configFile());
  await writeFile(path.join(dir, "monitors", "teams.ts"), teamsFile(teams));
  const files = ["vigil.config.ts", "monitors/teams.ts"];
  for (let i = 0; i < services; i++) {
    const relative = `monitors/${teamName(i % teams)}/${serviceName(i)}.ts`;
    await mkdir(path.dirname(path.join(dir, relative)), { recursive: true });
    await writeFile(path.join(dir, relative), serviceFile(i, teams));
    files.push(relative);
  }
  return files;
}
