import type { Plan, ServicePlan } from "../plan/types.js";
import type { TestGroup } from "../slo/tests.js";
import { EVALUATION_MS } from "../slo/tests.js";
import { formatDuration } from "../model/duration.js";
import { header, yamlFile, type OutputFile } from "./output.js";

function testFile(service: ServicePlan, path: string, evaluationMs: number, tests: TestGroup[]): OutputFile {
  const name = path.split("/").pop()!;
  return {
    path,
    sources: service.sources,
    content: yamlFile(
      {
        rule_files: [`${service.name}.rules.yaml`],
        evaluation_interval: formatDuration(evaluationMs),
        // Recording rules before the alerts that read them: promtool's own order is random, and
        // with a 15m step past the 5m lookback an alert evaluated first would see no data.
        group_eval_order: service.ruleGroups.map((g) => g.name),
        tests,
      },
      `${header(service.sources)} Run: promtool test rules ${name}`,
    ),
  };
}

/**
 * promtool unit tests next to each service's rules: `<service>.test.yaml` for its SLOs
 * (evaluated every 15m, see slo/tests.ts) and `<service>.alerts.test.yaml` for the tests
 * declared on its alerts (evaluated every minute, as `for` needs).
 */
export function emitRuleTests(plan: Plan): OutputFile[] {
  return plan.services.flatMap((service) => [
    ...(service.tests.length ? [testFile(service, `prometheus/${service.team}/${service.name}.test.yaml`, EVALUATION_MS, service.tests)] : []),
    ...(service.alertTests.length ? [testFile(service, `prometheus/${service.team}/${service.name}.alerts.test.yaml`, 60_000, service.alertTests)] : []),
  ]);
}
