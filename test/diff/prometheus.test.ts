import { describe, expect, it } from "vitest";
import { diffOutputs } from "../../src/diff/diff.js";

const FILE = "prometheus/payments/checkout.rules.yaml";

interface RuleSpec {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A rule file as the emitter writes it (YAML is JSON's superset, so JSON keeps the test short). */
const rules = (groups: { name: string; interval?: string; rules: RuleSpec[] }[]) => `# header\n${JSON.stringify({ groups }, null, 2)}\n`;
const files = (entries: Record<string, string>) => new Map(Object.entries(entries));

const alert = (overrides: Partial<RuleSpec> = {}): RuleSpec => ({
  alert: "CheckoutHighErrorRate",
  expr: "rate(errors[5m]) > 0.05",
  for: "5m",
  labels: { severity: "page", team: "payments" },
  annotations: { summary: "Checkout fails." },
  ...overrides,
});

describe("diffOutputs on Prometheus rule files", () => {
  it("names an alert by name and severity and lists each changed field, old and new", () => {
    const before = files({ [FILE]: rules([{ name: "checkout.alerts", rules: [alert()] }]) });
    const after = files({
      [FILE]: rules([
        {
          name: "checkout.alerts",
          rules: [alert({ for: "10m", expr: "rate(errors[5m]) > 0.1", labels: { severity: "page", team: "payments", tier: "1" }, annotations: { summary: "Checkout fails a lot." } })],
        },
      ]),
    });
    expect(diffOutputs(before, after)).toEqual([
      {
        kind: "alert",
        op: "changed",
        name: "CheckoutHighErrorRate (page)",
        file: FILE,
        fields: [
          { field: "annotations.summary", before: "Checkout fails.", after: "Checkout fails a lot." },
          { field: "expr", before: "rate(errors[5m]) > 0.05", after: "rate(errors[5m]) > 0.1" },
          { field: "for", before: "5m", after: "10m" },
          { field: "labels.tier", after: "1" },
        ],
      },
    ]);
  });

  it("keeps alerts of one name at two severities apart", () => {
    const page = alert();
    const ticket = alert({ expr: "rate(errors[5m]) > 0.01", labels: { severity: "ticket", team: "payments" } });
    const before = files({ [FILE]: rules([{ name: "checkout.alerts", rules: [page, ticket] }]) });
    const after = files({ [FILE]: rules([{ name: "checkout.alerts", rules: [page, { ...ticket, for: "1h" }] }]) });
    expect(diffOutputs(before, after).map((c) => [c.op, c.name, c.fields.map((f) => f.field)])).toEqual([["changed", "CheckoutHighErrorRate (ticket)", ["for"]]]);
    const removed = diffOutputs(before, files({ [FILE]: rules([{ name: "checkout.alerts", rules: [ticket] }]) }));
    expect(removed.map((c) => [c.kind, c.op, c.name])).toEqual([["alert", "removed", "CheckoutHighErrorRate (page)"]]);
  });

  it("reports alerts and groups added and removed, and a group's interval", () => {
    const before = files({ [FILE]: rules([{ name: "checkout.alerts", interval: "1m", rules: [alert()] }, { name: "checkout.old", rules: [] }]) });
    const after = files({
      [FILE]: rules([
        { name: "checkout.alerts", interval: "30s", rules: [alert({ alert: "CheckoutDown" })] },
        { name: "checkout.rules", rules: [{ record: "job:errors:rate5m", expr: "sum(rate(errors[5m]))" }] },
      ]),
    });
    expect(diffOutputs(before, after).map((c) => [c.kind, c.op, c.name, c.fields])).toEqual([
      ["group", "changed", "checkout.alerts", [{ field: "interval", before: "1m", after: "30s" }]],
      ["group", "removed", "checkout.old", []],
      ["group", "added", "checkout.rules", []],
      ["alert", "added", "CheckoutDown (page)", []],
      ["alert", "removed", "CheckoutHighErrorRate (page)", []],
      ["record", "added", "job:errors:rate5m", []],
    ]);
  });

  it("keys recording rules by name and labels, and pairs a record whose labels changed", () => {
    const record = (service: string, expr = "sum(rate(x[5m]))") => ({ record: "job:x:rate5m", expr, labels: { service } });
    const before = files({ [FILE]: rules([{ name: "g", rules: [record("a"), record("b")] }]) });
    const after = files({ [FILE]: rules([{ name: "g", rules: [record("a", "sum(rate(x[1m]))"), record("b")] }]) });
    expect(diffOutputs(before, after).map((c) => [c.name, c.fields.map((f) => f.field)])).toEqual([['job:x:rate5m{service="a"}', ["expr"]]]);

    const one = (service: string) => files({ [FILE]: rules([{ name: "g", rules: [record(service)] }]) });
    expect(diffOutputs(one("a"), one("c"))).toEqual([
      { kind: "record", op: "changed", name: "job:x:rate5m", file: FILE, fields: [{ field: "labels.service", before: "a", after: "c" }] },
    ]);
  });

  it("follows rules and groups that move to another file, and names the move", () => {
    const slo = "prometheus/payments/checkout.slo.rules.yaml";
    const group = { name: "checkout.slo.availability", rules: [alert({ alert: "CheckoutBurn" })] };
    const before = files({ [FILE]: rules([group]) });
    const after = files({ [FILE]: rules([]), [slo]: rules([group]) });
    expect(diffOutputs(before, after).map((c) => [c.kind, c.name, c.file, c.fields])).toEqual([
      ["group", "checkout.slo.availability", slo, [{ field: "file", before: FILE, after: slo }]],
      ["alert", "CheckoutBurn (page)", slo, [{ field: "file", before: FILE, after: slo }]],
    ]);
  });

  it("pairs a moved rule with itself, not with a twin in a file that did not change", () => {
    const [a, b, u] = ["prometheus/t/a.rules.yaml", "prometheus/t/b.rules.yaml", "prometheus/t/u.rules.yaml"];
    const twin = rules([{ name: "u", rules: [alert()] }]);
    const before = files({ [a]: rules([{ name: "a", rules: [alert({ expr: "x" })] }]), [b]: rules([{ name: "b", rules: [] }]), [u]: twin });
    const after = files({ [a]: rules([{ name: "a", rules: [] }]), [b]: rules([{ name: "b", rules: [alert({ expr: "x" })] }]), [u]: twin });
    expect(diffOutputs(before, after).map((c) => [c.name, c.fields])).toEqual([
      [
        "CheckoutHighErrorRate (page)",
        [
          { field: "file", before: a, after: b },
          { field: "group", before: "a", after: "b" },
        ],
      ],
    ]);
  });

  it("compares a file that is not a rule file as a file", () => {
    const before = files({ [FILE]: "groups: [unclosed" });
    const after = files({ [FILE]: rules([{ name: "g", rules: [alert()] }]) });
    expect(diffOutputs(before, after)).toEqual([{ kind: "file", op: "changed", name: FILE, file: FILE, fields: [] }]);
  });

  it("still reports a difference no field explains (here the header comment) as a changed file", () => {
    const body = rules([{ name: "g", rules: [alert()] }]);
    expect(diffOutputs(files({ [FILE]: body }), files({ [FILE]: body.replace("# header", "# other header") }))).toEqual([
      { kind: "file", op: "changed", name: FILE, file: FILE, fields: [] },
    ]);
  });
});
