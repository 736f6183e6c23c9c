import { describe, expect, it } from "vitest";
import { diffOutputs } from "../../src/diff/diff.js";

const PATH = "runbooks/payments/checkout.md";

const page = (sections: Record<string, string>) =>
  ["# checkout", "", "Team: **payments**", "", ...Object.entries(sections).flatMap(([heading, body]) => [`## ${heading}`, "", body, ""])].join("\n");

const section = (triage: string, mitigation = "1. Roll back.") =>
  ["**Severity:** page · **For:** 5m", "", "**Triage**", "", triage, "", "```promql", "## not a heading, a comment in a query", "```", "", "**Mitigation**", "", mitigation].join("\n");

const summary = (before: Record<string, string>, after: Record<string, string>) => diffOutputs(new Map(Object.entries(before)), new Map(Object.entries(after))).map((c) => [c.kind, c.op, c.name, c.fields]);

describe("diffOutputs on runbooks", () => {
  it("reports sections added, removed and changed, with the parts that changed", () => {
    const before = page({ CheckoutDown: section("1. Check the pods."), CheckoutSlow: section("1. Check latency.") });
    const after = page({ CheckoutDown: section("1. Check the pods and the deploys.", "1. Roll back.\n2. Scale up."), CheckoutErrors: section("1. Read the logs.") });
    expect(summary({ [PATH]: before }, { [PATH]: after })).toEqual([
      ["section", "changed", `${PATH} # CheckoutDown`, [{ field: "Mitigation" }, { field: "Triage" }]],
      ["section", "added", `${PATH} # CheckoutErrors`, []],
      ["section", "removed", `${PATH} # CheckoutSlow`, []],
    ]);
  });

  it("does not split at a ## inside a code block", () => {
    const before = page({ CheckoutDown: section("1. Check the pods.") });
    const after = before.replace("## not a heading", "## still not a heading");
    expect(summary({ [PATH]: before }, { [PATH]: after })).toEqual([["section", "changed", `${PATH} # CheckoutDown`, [{ field: "Triage" }]]]);
  });

  it("names a part added, and text before the first heading", () => {
    const before = page({ CheckoutDown: section("1. Check.") });
    const after = before.replace("Team: **payments**", "Team: **web**").replace("**Mitigation**", "**Escalation**\n\n1. lead\n\n**Mitigation**");
    expect(summary({ [PATH]: before }, { [PATH]: after })).toEqual([
      ["section", "changed", `${PATH} # (top)`, [{ field: "(text)" }]],
      ["section", "changed", `${PATH} # CheckoutDown`, [{ field: "Escalation (added)" }]],
    ]);
  });

  it("reports a whole page added or removed once, not each of its sections", () => {
    const one = page({ A: "a", B: "b" });
    expect(summary({}, { [PATH]: one })).toEqual([["runbook", "added", PATH, []]]);
    expect(summary({ [PATH]: one }, {})).toEqual([["runbook", "removed", PATH, []]]);
  });
});
