import { describe, expect, it } from "vitest";
import { compile } from "./helpers/vigil.js";
import { REPO_ROOT } from "./helpers/project.js";

/** What the example monitors promise a new team: every alert tested both ways, every kind of SLI. */
describe("the example monitors", () => {
  it("test every alert once firing and once quiet", async () => {
    const { model } = await compile({ cwd: REPO_ROOT });
    const alerts = model!.services.flatMap((s) => s.alerts.map((a) => ({ name: `${s.name}/${a.name}/${a.severity}`, tests: a.tests })));
    expect(alerts.length).toBeGreaterThanOrEqual(25);
    const missing = alerts.filter((a) => !a.tests.some((t) => t.fires !== false) || !a.tests.some((t) => t.fires === false)).map((a) => a.name);
    expect(missing).toEqual([]);
  });

  it("cover every SLI kind, 28d and 7d periods, a grouped and a low-traffic SLO", async () => {
    const { model } = await compile({ cwd: REPO_ROOT });
    const slos = model!.services.flatMap((s) => s.slos);
    expect(slos.length).toBeGreaterThanOrEqual(8);
    const kinds = new Set(slos.map((s) => ("errors" in s.sli || "good" in s.sli ? "ratio" : "latency" in s.sli ? "latency" : "errorRatio" in s.sli ? "raw" : "probe")));
    expect([...kinds].sort()).toEqual(["latency", "probe", "ratio", "raw"]);
    expect(slos.map((s) => s.period)).toEqual(expect.arrayContaining(["28d", "7d"]));
    expect(slos.some((s) => s.groupBy.length > 0)).toBe(true);
    expect(slos.some((s) => s.minEvents !== undefined)).toBe(true);
  });
});
