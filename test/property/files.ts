import type { MonitorSet } from "./monitor-set.js";
import type { MetricSpec } from "./promql.js";
import { toSource, type KeyOrder } from "./source.js";

/** The repository's files for a monitor set: vigil.config.ts, monitors/teams.ts, one file per service. */
export function renderSet(set: MonitorSet, order?: KeyOrder): Record<string, string> {
  const files: Record<string, string> = {
    "vigil.config.ts": `import { defineConfig } from "vigil";\n\nexport default defineConfig(${toSource(set.config, order)});\n`,
    "monitors/teams.ts": `import { defineTeam } from "vigil";\n\n${set.teams.map((t) => `export const ${t.variable} = defineTeam(${toSource(t.value, order)});\n`).join("\n")}`,
  };
  for (const service of set.services) {
    const teamVariables = set.teams.map((t) => t.variable).join(", ");
    files[`monitors/${service.team}/${service.name}.ts`] = [
      `import { counter, defineService, gauge, histogram, promql, summary } from "vigil";`,
      `import { ${teamVariables} } from "../teams";`,
      "",
      ...service.metrics.map(metricDeclaration),
      "",
      `export default defineService(${toSource(service.value, order)});`,
      "",
    ].join("\n");
  }
  return files;
}

function metricDeclaration(m: MetricSpec): string {
  const options = [
    m.help ? `help: ${JSON.stringify(m.help)}` : "",
    `labels: ${JSON.stringify(m.labels)}`,
    m.buckets ? `buckets: ${JSON.stringify(m.buckets)}` : "",
  ].filter(Boolean);
  return `const ${m.variable} = ${m.kind}(${JSON.stringify(m.name)}, { ${options.join(", ")} });`;
}
