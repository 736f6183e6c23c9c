import { describe, expect, it } from "vitest";
import { buildCatalog } from "../../src/lint/catalog.js";
import { metricKindConflicts } from "../../src/lint/metric-kinds.js";
import { configSchema } from "../../src/model/config.js";
import type { Metric } from "../../src/model/metric.js";
import type { Model } from "../../src/validate/validate.js";

/** A model of services with only names and metrics: what the catalog and the check read. */
function model(services: Record<string, Pick<Metric, "name" | "kind">[]>): Model {
  return {
    config: configSchema.parse({}),
    configFile: undefined,
    teams: [],
    services: Object.entries(services).map(([name, metrics]) => {
      const value = { name, metrics: metrics.map((m) => ({ ...m, labels: [] })) };
      return { ...value, team: "web", recordingRules: [], origin: { value, location: { file: `monitors/${name}.ts`, line: 1, column: 1 } } };
    }) as unknown as Model["services"],
  };
}

describe("metric-kind-conflict", () => {
  it("reports a metric declared with another kind than its first declaration, at the later one, with the first", () => {
    const m = model({
      throughput: [{ name: "grpc_server_handling_seconds", kind: "summary" }, { name: "jobs_total", kind: "counter" }],
      latency: [{ name: "jobs_total", kind: "counter" }, { name: "grpc_server_handling_seconds", kind: "histogram" }],
      queue: [{ name: "depth", kind: "gauge" }, { name: "depth", kind: "counter" }],
    });
    const found = metricKindConflicts(m);
    expect(found.map((p) => [p.diagnostic.code, p.diagnostic.severity, (p.anchor.origin.value as { name: string }).name, p.anchor.path])).toEqual([
      ["metric-kind-conflict", "warning", "latency", ["metrics", 1]],
      ["metric-kind-conflict", "warning", "queue", ["metrics", 1]],
    ]);
    expect(found[0]!.diagnostic.message).toBe(
      "metric grpc_server_handling_seconds is declared a histogram here and a summary by service throughput; lint reads it as a summary",
    );
    expect(found[0]!.related).toEqual([{ message: "declared a summary here", anchor: { origin: m.services[0]!.origin, path: ["metrics", 0] } }]);
    expect(found[1]!.diagnostic.message).toBe("metric depth is declared a counter here and a gauge earlier in this service; lint reads it as a gauge");
  });

  it("says nothing of a metric several services declare alike, and the catalog keeps the first kind", () => {
    const m = model({ a: [{ name: "jobs_total", kind: "counter" }], b: [{ name: "jobs_total", kind: "counter" }, { name: "x", kind: "summary" }], c: [{ name: "x", kind: "histogram" }] });
    expect(metricKindConflicts(m).map((p) => p.diagnostic.message)).toEqual(["metric x is declared a histogram here and a summary by service b; lint reads it as a summary"]);
    expect(buildCatalog(m).lookup("x")?.kind).toBe("summary");
    expect(buildCatalog(m).lookup("jobs_total")?.kind).toBe("counter");
  });
});
