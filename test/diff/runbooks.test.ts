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

  it("compares the header's fields, the detection paragraph and the summary each on its own, with their text", () => {
    const alert = (forValue: string, detection: string, summaryText: string) =>
      [`**Severity:** page · **Expected response:** 5 minutes · **For:** ${forValue} · **Notifies:** \`payments-page\``, "", `**Detection:** ${detection}`, "", `> ${summaryText}`, "", "**What it means.** Customers cannot pay.", "", "**Triage**", "", "> a quote in the triage stays in it", "", "1. Look."].join("\n");
    const before = page({ CheckoutErrors: alert("5m", "a full outage pages within 5m30s.", "Checkout fails.") });
    const after = page({ CheckoutErrors: alert("10m", "a full outage pages within 10m30s.", "Checkout fails a lot.") });
    expect(summary({ [PATH]: before }, { [PATH]: after })).toEqual([
      [
        "section",
        "changed",
        `${PATH} # CheckoutErrors`,
        [
          { field: "Detection", before: "a full outage pages within 5m30s.", after: "a full outage pages within 10m30s." },
          { field: "For", before: "5m", after: "10m" },
          { field: "Summary", before: "Checkout fails.", after: "Checkout fails a lot." },
        ],
      ],
    ]);
    const quoteInTriage = after.replace("a quote in the triage", "another quote in the triage");
    expect(summary({ [PATH]: after }, { [PATH]: quoteInTriage })).toEqual([["section", "changed", `${PATH} # CheckoutErrors`, [{ field: "Triage" }]]]);
  });

  it("reports a whole page added or removed once, not each of its sections", () => {
    const one = page({ A: "a", B: "b" });
    expect(summary({}, { [PATH]: one })).toEqual([["runbook", "added", PATH, []]]);
    expect(summary({ [PATH]: one }, {})).toEqual([["runbook", "removed", PATH, []]]);
  });
});
