// Plans for the output-target tests (Kubernetes, Mimir, Thanos, Prometheus versions).
import path from "node:path";
import { configSchema, type ConfigInput } from "../../src/model/config.js";
import type { Plan } from "../../src/plan/types.js";
import { BASE_FILES, makeProject, REPO_ROOT, removeProject } from "../helpers/project.js";
import { compile } from "../helpers/vigil.js";

/** The basic fixture: declared rules, two SLOs, keepFiringFor, one team. */
export async function fixturePlan(): Promise<Plan> {
  const result = await compile({ cwd: path.join(REPO_ROOT, "test/fixtures/basic") });
  if (!result.plan) throw new Error(`the fixture does not compile: ${JSON.stringify(result.diagnostics)}`);
  return result.plan as unknown as Plan;
}

/** Two teams, three services (one with rules in both files, one with none): namespaces and grouping. */
const RUNBOOK = '{ triage: ["Check the pods."], mitigation: ["Restart it."] }';

export const MULTI_TEAM_FILES: Record<string, string> = {
  ...BASE_FILES,
  "monitors/teams.ts": `import { defineTeam } from "vigil";
export const payments = defineTeam({ name: "payments", receivers: { page: { webhook: { url: "http://127.0.0.1:9/payments" } } } });
export const search = defineTeam({ name: "search", receivers: { page: { webhook: { url: "http://127.0.0.1:9/search" } } } });
`,
  "monitors/billing.ts": `import { counter, defineService } from "vigil";
import { payments } from "./teams";
const requests = counter("http_requests_total", { labels: ["service", "code"] });
export default defineService({
  name: "billing",
  team: payments,
  labels: { tier: "1" },
  metrics: [requests],
  recordingRules: [{ record: "service:http_requests:rate5m", expr: 'sum by (service) (rate(http_requests_total{service="billing"}[5m]))' }],
  slos: [{ name: "availability", objective: 99.5, sli: { errors: requests.where({ service: "billing", code: /5../ }), total: requests.where({ service: "billing" }) } }],
});
`,
  "monitors/checkout.ts": `import { counter, defineService } from "vigil";
import { payments } from "./teams";
const requests = counter("http_requests_total", { labels: ["service", "code"] });
export default defineService({
  name: "checkout",
  team: payments,
  metrics: [requests],
  alerts: [{ name: "CheckoutDown", expr: 'up{job="checkout"} == 0', for: "5m", severity: "page", summary: "Checkout is down.", description: "{{ $labels.instance }} is down.", runbook: ${RUNBOOK} }],
});
`,
  "monitors/indexer.ts": `import { defineService } from "vigil";
import { search } from "./teams";
export default defineService({
  name: "indexer",
  team: search,
  alerts: [{ name: "IndexerDown", expr: 'up{job="indexer"} == 0', for: "5m", keepFiringFor: "10m", severity: "page", summary: "The indexer is down.", description: "{{ $labels.instance }} is down.", runbook: ${RUNBOOK} }],
});
`,
  "monitors/idle.ts": `import { defineService } from "vigil";
import { search } from "./teams";
export default defineService({ name: "idle", team: search });
`,
};

export async function multiTeamPlan(): Promise<Plan> {
  const dir = await makeProject(MULTI_TEAM_FILES);
  try {
    const result = await compile({ cwd: dir });
    if (!result.plan) throw new Error(`the project does not compile: ${JSON.stringify(result.diagnostics)}`);
    return result.plan as unknown as Plan;
  } finally {
    await removeProject(dir);
  }
}

type Patch = { [K in keyof ConfigInput]?: ConfigInput[K] extends object | undefined ? Partial<NonNullable<ConfigInput[K]>> : ConfigInput[K] };

/** The plan with config sections changed (each section merged over the plan's, then parsed: defaults apply). */
export function withConfig(plan: Plan, patch: Patch): Plan {
  const merged: Record<string, unknown> = { ...plan.config };
  for (const [key, value] of Object.entries(patch)) {
    const current = merged[key];
    merged[key] = value !== null && typeof value === "object" && !Array.isArray(value) && typeof current === "object" ? { ...current, ...value } : value;
  }
  return { ...plan, config: configSchema.parse(merged) };
}
