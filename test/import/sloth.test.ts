import { describe, expect, it } from "vitest";
import { importSloth } from "../../src/import/sloth.js";

const spec = (service: string, errorQuery: string, totalQuery: string) => `version: "prometheus/v1"
service: "${service}"
labels: { team: web }
slos:
  - name: "${service}-slo"
    objective: 99
    sli:
      events:
        errorQuery: ${errorQuery}
        totalQuery: ${totalQuery}
    alerting: { name: ${service}Slo }
`;

describe("vigil import sloth: metrics shared by several specs", () => {
  it("declares a metric with one kind in every service, decided over all the specs", () => {
    const { services } = importSloth(
      [
        { name: "a.yaml", text: spec("a", "sum(rate(rpc_seconds_count{code=\"500\"}[{{.window}}]))", "sum(rate(rpc_seconds_count[{{.window}}]))") },
        { name: "b.yaml", text: spec("b", "sum(rate(rpc_seconds_count[{{.window}}])) - sum(rate(rpc_seconds_bucket{le=\"0.3\"}[{{.window}}]))", "sum(rate(rpc_seconds_count[{{.window}}]))") },
      ],
      {},
    );
    // Before: summary("rpc_seconds") in a, histogram("rpc_seconds", ...) in b.
    for (const service of services) expect(service.declarations).toEqual(['const rpcSeconds = histogram("rpc_seconds", { labels: ["code"], buckets: [0.3] });']);
  });
});
