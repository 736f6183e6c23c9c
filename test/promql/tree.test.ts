import { describe, expect, it } from "vitest";
import { promqlTree, retainTrees } from "../../src/promql/tree.js";
import { validate } from "../../src/validate/validate.js";

describe("promqlTree", () => {
  const a = 'sum(rate(http_requests_total{code=~"5.."}[5m]))';
  const b = "up == 0";

  it("parses each text again once another came in between, unless trees are retained", () => {
    const first = promqlTree(a);
    promqlTree(b);
    expect(promqlTree(a)).not.toBe(first);

    const release = retainTrees();
    const kept = promqlTree(a);
    promqlTree(b);
    expect(promqlTree(a)).toBe(kept);
    release();

    promqlTree(b);
    expect(promqlTree(a)).not.toBe(kept);
  });

  it("gives a retained tree the same shape as a fresh parse", () => {
    const release = retainTrees();
    const kept = promqlTree(a);
    promqlTree(b);
    const again = promqlTree(a);
    release();
    promqlTree(b);
    expect(again.toString()).toBe(promqlTree(a).toString());
    expect(kept.toString()).toContain("AggregateExpr");
  });

  it("is retained only while validation runs", async () => {
    await validate({ rootDir: "/", config: { value: {}, location: undefined }, configFile: undefined, teams: [], services: [], locate: () => undefined });
    // Were validation to leave retention on, this tree would be kept and returned again.
    const after = promqlTree(a);
    promqlTree(b);
    expect(promqlTree(a)).not.toBe(after);
  });
});
