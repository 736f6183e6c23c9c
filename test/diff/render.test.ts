import { describe, expect, it } from "vitest";
import type { Change } from "../../src/diff/change.js";
import { renderJson } from "../../src/diff/json.js";
import { code, MARKER, renderMarkdown } from "../../src/diff/markdown.js";
import { renderText } from "../../src/diff/text.js";

const CHANGES: Change[] = [
  { kind: "alert", op: "changed", name: "CheckoutHighErrorRate (page)", file: "prometheus/payments/checkout.rules.yaml", fields: [{ field: "for", before: "5m", after: "10m" }] },
  { kind: "alert", op: "added", name: "CheckoutDown (page)", file: "prometheus/payments/checkout.rules.yaml", fields: [] },
  {
    kind: "receiver",
    op: "changed",
    name: "payments-ticket",
    file: "alertmanager/alertmanager.yaml",
    fields: [
      { field: "slack_configs[0].text", before: "{{ range .Alerts }}\n{{ end }}", after: "`x`" },
      { field: "slack_configs[0].channel", after: "#payments" },
    ],
  },
  { kind: "section", op: "changed", name: "runbooks/payments/checkout.md # CheckoutDown", file: "runbooks/payments/checkout.md", fields: [{ field: "Triage" }] },
];

describe("renderText", () => {
  it("writes one terse line per change", () => {
    expect(renderText(CHANGES, { color: false })).toBe(
      [
        "~ alert CheckoutHighErrorRate (page): for 5m -> 10m",
        "+ alert CheckoutDown (page)",
        "~ receiver payments-ticket: slack_configs[0].text {{ range .Alerts }}\\n{{ end }} -> `x`; slack_configs[0].channel (none) -> #payments",
        "~ section runbooks/payments/checkout.md # CheckoutDown: Triage",
        "",
      ].join("\n"),
    );
  });
});

describe("renderMarkdown", () => {
  it("writes a PR comment: marker, heading, counts, one collapsed section per kind", () => {
    expect(renderMarkdown(CHANGES, { base: "origin/main" })).toBe(`${MARKER}
### Vigil: 4 changes to the generated output

Compared with \`origin/main\`.

| | added | removed | changed |
|---|---:|---:|---:|
| Alerts | 1 | 0 | 1 |
| Receivers | 0 | 0 | 1 |
| Runbook sections | 0 | 0 | 1 |
| **total** | 1 | 0 | 3 |

<details>
<summary>Alerts: 1 added, 1 changed</summary>

- **changed** \`CheckoutHighErrorRate (page)\` in \`prometheus/payments/checkout.rules.yaml\`
  - \`for\`: \`5m\` → \`10m\`
- **added** \`CheckoutDown (page)\` in \`prometheus/payments/checkout.rules.yaml\`

</details>

<details>
<summary>Receivers: 1 changed</summary>

- **changed** \`payments-ticket\` in \`alertmanager/alertmanager.yaml\`
  - \`slack_configs[0].text\`: \`{{ range .Alerts }}\\n{{ end }}\` → \`\` \`x\` \`\`
  - \`slack_configs[0].channel\`: set to \`#payments\`

</details>

<details>
<summary>Runbook sections: 1 changed</summary>

- **changed** \`runbooks/payments/checkout.md # CheckoutDown\`
  - \`Triage\`

</details>
`);
  });

  it("says so when nothing changed, still with the marker first", () => {
    expect(renderMarkdown([], { base: "HEAD" })).toBe(`${MARKER}\n### Vigil: no changes to the generated output\n\nCompared with \`HEAD\`.\n`);
  });

  it("makes code spans nothing can break out of", () => {
    expect(code("a`b")).toBe("``a`b``");
    expect(code("``")).toBe("``` `` ```");
    expect(code("<details>|*x*")).toBe("`<details>|*x*`");
    expect(code("line 1\nline 2")).toBe("`line 1\\nline 2`");
    expect(code("")).toBe("*(empty)*");
    expect(code("x".repeat(400))).toBe(`\`${"x".repeat(300)}…\``);
  });

  it("stays under GitHub's comment size, saying how many changes it left out", () => {
    const many: Change[] = Array.from({ length: 3000 }, (_, i) => ({
      kind: "alert",
      op: "changed",
      name: `Alert${String(i).padStart(4, "0")} (page)`,
      file: "prometheus/t/s.rules.yaml",
      fields: [{ field: "expr", before: "up == 0", after: "up == 1" }],
    }));
    const text = renderMarkdown(many);
    expect(text.length).toBeLessThan(65_536);
    const shown = text.split("\n").filter((l) => l.startsWith("- **changed**")).length;
    expect(shown).toBeGreaterThan(100);
    expect(text).toContain(`${3000 - shown} more changes not shown`);
  });
});

describe("renderJson", () => {
  it("is { equal, counts, changes } with sorted keys", () => {
    const json = renderJson(CHANGES.slice(0, 2));
    expect(JSON.parse(json)).toEqual({ equal: false, counts: { alert: { added: 1, removed: 0, changed: 1 } }, changes: CHANGES.slice(0, 2) });
    expect(json.indexOf('"changes"')).toBeLessThan(json.indexOf('"counts"'));
    expect(JSON.parse(renderJson([]))).toEqual({ equal: true, counts: {}, changes: [] });
  });
});
