import { afterAll, describe, expect, it } from "vitest";
import { at } from "../helpers/position.js";
import { compile } from "../helpers/vigil.js";
import { BASE_FILES, makeProject, removeProject } from "../helpers/project.js";

/**
 * An object that fails its schema is left out of the validated model, but it was declared:
 * references to it (a service's team, dependsOn, a route's receiver, a team's time interval)
 * must not be reported a second time as undeclared. Names nobody declares still are.
 */

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeProject)));

async function errorsOf(files: Record<string, string>): Promise<{ code: string; file?: string; line?: number; column?: number }[]> {
  const dir = await makeProject({ ...BASE_FILES, ...files });
  dirs.push(dir);
  const result = await compile({ cwd: dir });
  if (result.diagnostics.some((d) => d.severity === "error")) expect(result.files).toEqual([]);
  return result.diagnostics.filter((d) => d.severity === "error").map((d) => ({ code: d.code, ...d.location }));
}

const LITERAL_KEY = '"a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"';
const teamWithLiteralKey = `import { defineTeam } from "vigil";
export const payments = defineTeam({
  name: "payments",
  receivers: { page: { pagerduty: { routingKeyFile: ${LITERAL_KEY} } } },
});
`;
const configRoutingTo = (receiver: string) => `import { defineConfig } from "vigil";
export default defineConfig({
  monitors: "monitors/**/*.ts",
  alertmanager: { routes: [{ match: { env: "staging" }, receiver: "${receiver}" }] },
});
`;

const checkoutWithBadFor = BASE_FILES["monitors/checkout.ts"]!.replace('for: "5m"', 'for: "ten"');
/** A second service of the same team; `fields` go after its name. */
const storefront = (fields: string) => `import { defineService } from "vigil";
import { payments } from "./teams";
export default defineService({
  name: "storefront",
  team: payments,
${fields}
});
`;

describe("a reference to an object that failed its schema", () => {
  it("is not an unknown team or receiver when the team has a literal secret", async () => {
    const config = configRoutingTo("payments-page");
    const errors = await errorsOf({ "monitors/teams.ts": teamWithLiteralKey, "vigil.config.ts": config });
    // Before the fix: also unknown-team at the team's own defineTeam, and unknown-receiver in the config.
    expect(errors).toEqual([{ code: "secret-not-file", ...at("monitors/teams.ts", teamWithLiteralKey, LITERAL_KEY) }]);
  });

  it("is not an unknown service when a dependency has an invalid duration", async () => {
    const dependent = storefront('  dependsOn: ["checkout"],');
    const errors = await errorsOf({ "monitors/checkout.ts": checkoutWithBadFor, "monitors/storefront.ts": dependent });
    expect(errors).toEqual([{ code: "invalid-duration", ...at("monitors/checkout.ts", checkoutWithBadFor, '"ten"') }]);
  });

  it("is not an unknown metric when the service declaring it is broken", async () => {
    // storefront queries the counter only checkout declares; checkout fails its schema.
    const dependent = storefront(`  alerts: [
    {
      name: "StorefrontCheckoutErrors",
      expr: 'sum(rate(http_requests_total{service="checkout", code="500"}[5m])) > 1',
      for: "5m",
      severity: "ticket",
      summary: "Checkout fails storefront requests.",
      description: "{{ $value }} errors per second.",
      runbook: { triage: ["Open the checkout runbook."], mitigation: ["Follow it."] },
    },
  ],`);
    const errors = await errorsOf({ "monitors/checkout.ts": checkoutWithBadFor, "monitors/storefront.ts": dependent });
    expect(errors).toEqual([{ code: "invalid-duration", ...at("monitors/checkout.ts", checkoutWithBadFor, '"ten"') }]);
    // Valid, the same query is clean; undeclared in both, it is reported.
    expect(await errorsOf({ "monitors/storefront.ts": dependent })).toEqual([]);
    const undeclared = dependent.replace("http_requests_total", "http_requests_totl");
    expect((await errorsOf({ "monitors/checkout.ts": checkoutWithBadFor, "monitors/storefront.ts": undeclared })).map((e) => e.code)).toEqual(["invalid-duration", "unknown-metric"]);
  });

  it("is not an unknown receiver, time interval, severity or missing SMTP when the config is broken", async () => {
    const config = (groupWait: string) => `import { defineConfig } from "vigil";
export default defineConfig({
  monitors: "monitors/**/*.ts",
  severities: ["sev1", "sev2"],
  alertmanager: {
    groupWait: ${groupWait},
    smtp: { smarthost: "smtp.example.com:587", from: "alertmanager@example.com" },
    timeIntervals: { "office-hours": [{ weekdays: ["monday:friday"] }] },
    receivers: { quiet: { webhook: { url: "http://127.0.0.1:9/quiet" } } },
  },
});
`;
    const team = `import { defineTeam } from "vigil";
export const payments = defineTeam({
  name: "payments",
  receivers: { sev1: { email: { to: "payments@example.com" } } },
  activeDuring: { sev1: ["office-hours"] },
  routes: [{ match: { env: "staging" }, receiver: "quiet" }],
});
`;
    const checkout = BASE_FILES["monitors/checkout.ts"]!.replace('severity: "page"', 'severity: "sev1"');
    const files = { "monitors/teams.ts": team, "monitors/checkout.ts": checkout };
    // The fixture is valid with a valid config: every name it uses comes from the config.
    expect(await errorsOf({ ...files, "vigil.config.ts": config('"30s"') })).toEqual([]);
    const broken = config('"thirty"');
    expect(await errorsOf({ ...files, "vigil.config.ts": broken })).toEqual([{ code: "invalid-duration", ...at("vigil.config.ts", broken, '"thirty"') }]);
  });
});

describe("a name nobody declares", () => {
  it("is still reported once, next to a broken object of the same kind", async () => {
    const dependent = storefront('  dependsOn: ["checkout", "orders-db"],').replace("team: payments", 'team: "paymnets"');
    const config = configRoutingTo("payments-quiet");
    const errors = await errorsOf({
      "vigil.config.ts": config,
      "monitors/teams.ts": teamWithLiteralKey,
      "monitors/checkout.ts": checkoutWithBadFor,
      "monitors/storefront.ts": dependent,
    });
    const byPlace = (a: { file?: string; line?: number }, b: { file?: string; line?: number }) => `${a.file}:${a.line}`.localeCompare(`${b.file}:${b.line}`);
    expect(errors.sort(byPlace)).toEqual(
      [
        { code: "invalid-duration", ...at("monitors/checkout.ts", checkoutWithBadFor, '"ten"') },
        { code: "unknown-team", ...at("monitors/storefront.ts", dependent, '"paymnets"') },
        { code: "unknown-service", ...at("monitors/storefront.ts", dependent, '"orders-db"') },
        { code: "secret-not-file", ...at("monitors/teams.ts", teamWithLiteralKey, LITERAL_KEY) },
        { code: "unknown-receiver", ...at("vigil.config.ts", config, '"payments-quiet"') },
      ].sort(byPlace),
    );
  });
});

describe("a service whose only schema problem is PromQL syntax", () => {
  const base = BASE_FILES["monitors/checkout.ts"]!;
  const withTypo = base.replace(`expr: 'up{job="checkout"} == 0'`, `expr: 'up{job="checkout"} == 0 +'`);

  it("is still cross-checked and linted, its syntax error reported once", async () => {
    const broken = withTypo
      .replace('severity: "page"', 'severity: "pgae"')
      .replace('rate(http_requests_total{service="checkout"}[5m])', 'rate(http_requests_totl{service="checkout"}[5m])');
    const errors = await errorsOf({ "monitors/checkout.ts": broken });
    // Before: only promql-syntax; the misspelt severity and metric waited for the typo's fix.
    expect(errors).toEqual([
      // At the end of the expression, where an operand is missing.
      { code: "promql-syntax", ...at("monitors/checkout.ts", broken, "',\n      for") },
      { code: "unknown-severity", ...at("monitors/checkout.ts", broken, '"pgae"') },
      { code: "unknown-metric", ...at("monitors/checkout.ts", broken, "http_requests_totl") },
    ]);
  });

  it("is reported as before when it has other schema problems", async () => {
    const broken = withTypo.replace('for: "5m"', 'for: "ten"').replace('severity: "page"', 'severity: "pgae"');
    const errors = await errorsOf({ "monitors/checkout.ts": broken });
    expect(errors.map((e) => e.code).sort()).toEqual(["invalid-duration", "promql-syntax"]);
  });

  it("gives no model: nothing is written", async () => {
    const errors = await errorsOf({ "monitors/checkout.ts": withTypo });
    expect(errors.map((e) => e.code)).toEqual(["promql-syntax"]);
  });
});
