import { WORKFLOW } from "./workflow.js";

/** What `vigil init` scaffolds: the names in the starting monitors. */
export interface ScaffoldOptions {
  /** package.json name of the new repository. */
  name: string;
  /** The one team, e.g. "payments". */
  team: string;
  /** The one service, e.g. "checkout-api". */
  service: string;
  /** Vigil version the repository depends on. */
  version: string;
}

const camel = (slug: string) => slug.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const pascal = (slug: string) => camel(slug).replace(/^./, (c) => c.toUpperCase());
const title = (slug: string) => slug.split("-").map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(" ");

/**
 * The files of a new monitoring repository, by path: a service with a metric, an alert with a
 * runbook and unit tests, an SLO, its team, the config, and CI. They pass `vigil check` and
 * `vigil test` as written.
 */
export function scaffold(options: ScaffoldOptions): Record<string, string> {
  const { team, service } = options;
  const teamVar = camel(team);
  const alert = `${pascal(service)}HighErrorRate`;
  const job = JSON.stringify(service);
  return {
    "package.json": `${JSON.stringify(
      {
        name: options.name,
        private: true,
        type: "module",
        scripts: { compile: "vigil compile", check: "vigil check", test: "vigil check && vigil test" },
        devDependencies: { typescript: "5.9.3", vigil: `^${options.version}` },
      },
      null,
      2,
    )}\n`,
    "tsconfig.json": `{
  // Monitors are bundled by esbuild: imports resolve as a bundler does (no ".js" on relative imports).
  "compilerOptions": {
    "target": "ES2022",
    "module": "ESNext",
    "moduleResolution": "Bundler",
    "strict": true,
    "noEmit": true,
    "skipLibCheck": true
  },
  "include": ["monitors", "vigil.config.ts"]
}
`,
    "vigil.config.ts": `import { defineConfig } from "vigil";

export default defineConfig({
  monitors: "monitors/**/*.ts",
  outDir: "generated",
  severities: ["page", "ticket", "info"],
  // Where generated/runbooks is published, for the runbook_url of every alert, e.g.
  // runbooks: { baseUrl: "https://github.com/ORG/REPO/blob/main/generated/runbooks" },
  // grafana: { url: "https://grafana.example.com" },
});
`,
    "monitors/teams.ts": `import { defineTeam } from "vigil";

export const ${teamVar} = defineTeam({
  name: ${JSON.stringify(team)},
  // Secrets are files Alertmanager reads, never values written here.
  receivers: {
    page: { pagerduty: { routingKeyFile: "/etc/alertmanager/secrets/${team}-pagerduty" } },
    ticket: { slack: { channel: "#${team}-alerts", apiUrlFile: "/etc/alertmanager/secrets/slack-webhook-url" } },
  },
  escalation: ["${team}-oncall", { who: "${team}-lead", after: "15m" }],
});
`,
    [`monitors/${service}.ts`]: `import { counter, defineService, promql } from "vigil";
import { ${teamVar} } from "./teams";

const requests = counter("http_requests_total", { help: "HTTP requests served, by status code.", labels: ["code"] });

export default defineService({
  name: ${JSON.stringify(service)},
  team: ${teamVar},
  description: "${title(service)}: replace this with what the service does and who depends on it.",
  metrics: [requests],
  alerts: [
    {
      name: ${JSON.stringify(alert)},
      expr: promql\`sum(rate(\${requests.where({ job: ${job}, code: /5../ })}[5m])) / sum(rate(\${requests.where({ job: ${job} })}[5m])) > 0.05\`,
      for: "5m",
      severity: "page",
      summary: "${title(service)} fails more than 5% of requests.",
      description: "{{ $value | humanizePercentage }} of ${service} requests failed over the last 5 minutes.",
      runbook: {
        summary: "Requests to ${service} fail.",
        impact: "Callers of ${service} get errors while this fires.",
        triage: [
          "Check the last deploy of ${service}.",
          { step: "Which status codes fail?", query: 'sum by (code) (rate(http_requests_total{job=${job}, code=~"5.."}[5m]))' },
        ],
        mitigation: ["Roll back the last deploy."],
      },
      tests: [
        {
          name: "fires when a quarter of requests fail",
          series: {
            'http_requests_total{job=${job}, code="500"}': "0+150x20",
            'http_requests_total{job=${job}, code="200"}': "0+450x20",
          },
          at: "15m",
          fires: [{ value: 0.25 }],
        },
        {
          name: "quiet when requests succeed",
          series: { 'http_requests_total{job=${job}, code="200"}': "0+600x20" },
          at: "15m",
          fires: false,
        },
      ],
    },
  ],
  slos: [
    {
      name: "availability",
      objective: 99.9,
      period: "30d",
      description: "${title(service)} requests succeed.",
      sli: { errors: requests.where({ job: ${job}, code: /5../ }), total: requests.where({ job: ${job} }) },
    },
  ],
});
`,
    ".github/workflows/vigil.yml": WORKFLOW,
    ".gitignore": `node_modules/
.vigil-*
.*.vigil-staging/
.*.vigil-previous/
`,
    "README.md": `# ${options.name}

Monitors of the ${team} team, as code: metrics, alerts, SLOs, dashboards and runbooks declared in
\`monitors/\` and compiled by Vigil into \`generated/\`
(Prometheus rules, Alertmanager config, Grafana dashboards, runbooks).

\`\`\`sh
npm install          # Vigil (see package.json) and TypeScript
npx vigil compile    # monitors/ -> generated/ (commit both)
npx vigil check      # types, lint, and generated/ is up to date
npx vigil test       # promtool and amtool on generated/ (apt-get install prometheus prometheus-alertmanager)
\`\`\`

- \`vigil.config.ts\`: severities, runbook and Grafana URLs, Alertmanager settings.
- \`monitors/teams.ts\`: teams and where their alerts go (secrets are files Alertmanager reads).
- \`monitors/${service}.ts\`: a service with a metric, an alert with its runbook and tests, an SLO.
- \`.github/workflows/vigil.yml\`: pull requests are checked and get the diff of \`generated/\` as a
  comment; pushes to main are applied with \`vigil apply --yes\` (endpoints from repository secrets).
`,
  };
}
