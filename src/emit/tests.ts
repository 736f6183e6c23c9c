import type { Plan, RuleGroup, ServicePlan } from "../plan/types.js";
import type { TestGroup } from "../slo/tests.js";
import { EVALUATION_MS } from "../slo/tests.js";
import { formatDuration } from "../model/duration.js";
import { header, yamlFile, type OutputFile } from "./output.js";
import { rulesPath, sloRulesPath } from "./prometheus.js";

function testFile(service: ServicePlan, path: string, evaluationMs: number, ruleFiles: { path: string; groups: readonly RuleGroup[] }[], tests: TestGroup[]): OutputFile {
  const name = path.split("/").pop()!;
  return {
    path,
    sources: service.sources,
    content: yamlFile(
      {
        rule_files: ruleFiles.map((f) => f.path.split("/").pop()!),
        evaluation_interval: formatDuration(evaluationMs),
        // Recording rules before the alerts that read them: promtool's own order is random, and
        // with a 15m step past the 5m lookback an alert evaluated first would see no data.
        group_eval_order: ruleFiles.flatMap((f) => f.groups.map((g) => g.name)),
        tests,
      },
      `${header(service.sources)} Run: promtool test rules ${name}`,
    ),
  };
}

/**
 * promtool unit tests next to each service's rules: `<service>.test.yaml` for its SLOs
 * (evaluated every 15m, see slo/tests.ts) and `<service>.alerts.test.yaml` for the tests
 * declared on its alerts (evaluated every minute, as `for` needs). Each loads only the rule
 * files it exercises: the SLOs' long windows are costly, and some exceed promtool's per-query
 * sample limit for tests.
 */
export function emitRuleTests(plan: Plan): OutputFile[] {
  return plan.services.flatMap((service) => {
    const declared = service.ruleGroups.length ? [{ path: rulesPath(service), groups: service.ruleGroups }] : [];
    const slo = service.sloRuleGroups.length ? [{ path: sloRulesPath(service), groups: service.sloRuleGroups }] : [];
    // Alerts that read SLO series need the SLO rules too.
    const alertsReadSlos = service.ruleGroups.some((g) => g.rules.some((r) => r.expr.includes("slo:")));
    return [
      ...(service.tests.length ? [testFile(service, `prometheus/${service.team}/${service.name}.test.yaml`, EVALUATION_MS, [...declared, ...slo], service.tests)] : []),
      ...(service.alertTests.length ? [testFile(service, `prometheus/${service.team}/${service.name}.alerts.test.yaml`, 60_000, [...declared, ...(alertsReadSlos ? slo : [])], service.alertTests)] : []),
    ];
  });
}
