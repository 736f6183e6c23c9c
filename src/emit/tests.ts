import type { Plan } from "../plan/types.js";
import { EVALUATION_MS } from "../slo/tests.js";
import { formatDuration } from "../model/duration.js";
import { header, yamlFile, type OutputFile } from "./output.js";

/** promtool unit tests per service, next to its rules: `prometheus/<team>/<service>.test.yaml`. */
export function emitRuleTests(plan: Plan): OutputFile[] {
  return plan.services
    .filter((service) => service.tests.length > 0)
    .map((service) => ({
      path: `prometheus/${service.team}/${service.name}.test.yaml`,
      sources: service.sources,
      content: yamlFile(
        {
          rule_files: [`${service.name}.rules.yaml`],
          evaluation_interval: formatDuration(EVALUATION_MS),
          // Recording rules before the alerts that read them: promtool's own order is random, and
          // with a 15m step past the 5m lookback an alert evaluated first would see no data.
          group_eval_order: service.ruleGroups.map((g) => g.name),
          tests: service.tests,
        },
        `${header(service.sources)} Run: promtool test rules ${service.name}.test.yaml`,
      ),
    }));
}
