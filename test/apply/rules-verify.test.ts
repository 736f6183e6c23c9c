import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileIdentity, servedGroups, verifyRuleGroups, writtenGroups, type ServedGroup } from "../../src/apply/rules-verify.js";

/**
 * The check after a Prometheus reload: every written group served from the file it was written
 * to, with its rules. The served groups here are shaped as Prometheus 2.42's /api/v1/rules
 * answers them (expressions re-printed, durations in seconds); test/e2e/apply-verify.test.ts
 * runs the same check against the real server.
 */
const RULES_DIR = "/srv/rules";
const FILE = `groups:
  - name: checkout.alerts
    interval: 1m
    rules:
      - alert: CheckoutErrors
        expr: sum(rate(http_requests_total{service="checkout", code=~"5.."}[5m])) by (service) > 1
        for: 5m
        labels:
          severity: ticket
          team: payments
        annotations:
          summary: Checkout fails.
  - name: checkout.rules
    rules:
      - record: service:http_requests:rate5m
        expr: sum by (service) (rate(http_requests_total[5m]))
`;
const written = writtenGroups(RULES_DIR, new Map([["payments.checkout.rules.yaml", FILE]]));

/** What Prometheus 2.42 lists for FILE loaded from `file`. */
const served = (file = `${RULES_DIR}/payments.checkout.rules.yaml`): ServedGroup[] => [
  {
    name: "checkout.alerts",
    file,
    interval: 60,
    rules: [
      {
        type: "alerting",
        name: "CheckoutErrors",
        // As Prometheus prints it: grouping first, matchers sorted, no space after commas.
        query: 'sum by (service) (rate(http_requests_total{code=~"5..",service="checkout"}[5m])) > 1',
        duration: 300,
        keepFiringFor: 0,
        labels: { severity: "ticket", team: "payments" },
        annotations: { summary: "Checkout fails." },
      },
    ],
  },
  { name: "checkout.rules", file, interval: 15, rules: [{ type: "recording", name: "service:http_requests:rate5m", query: "sum by (service) (rate(http_requests_total[5m]))" }] },
];
/** The file identity as a stub: same path, same file; a path that exists elsewhere, another one. */
const identity = async (reported: string, file: string) => (reported === file ? "same" : reported.startsWith("/elsewhere/") ? "unknown" : "other") as "same" | "other" | "unknown";

describe("verifyRuleGroups", () => {
  it("accepts the groups as Prometheus re-prints them (grouping moved, matchers sorted, durations in seconds)", async () => {
    expect(await verifyRuleGroups(written, served(), { identity })).toBeUndefined();
  });

  it("a group served from another file (rule_files on an older copy of the directory) fails, naming both files", async () => {
    expect(await verifyRuleGroups(written, served("/old/rules/payments.checkout.rules.yaml"), { identity })).toBe(
      "Prometheus reloaded but serves rule group checkout.alerts from /old/rules/payments.checkout.rules.yaml, not from /srv/rules/payments.checkout.rules.yaml where apply wrote it (and 1 more problem): do its rule_files cover the rules directory?",
    );
  });

  it("a path that does not exist here (Prometheus in a container) is accepted by file name, and its rules are still compared", async () => {
    expect(await verifyRuleGroups(written, served("/elsewhere/payments.checkout.rules.yaml"), { identity })).toBeUndefined();
    expect(await verifyRuleGroups(written, served("/elsewhere/other.rules.yaml"), { identity })).toMatch(/^Prometheus reloaded but serves rule group checkout\.alerts from \/elsewhere\/other\.rules\.yaml, not from/);
    const changed = served("/elsewhere/payments.checkout.rules.yaml");
    changed[0]!.rules[0]!.query = changed[0]!.rules[0]!.query.replace("> 1", "> 2");
    expect(await verifyRuleGroups(written, changed, { identity })).toMatch(/^Prometheus reloaded but rule group checkout\.alerts in \/elsewhere\/payments\.checkout\.rules\.yaml is not what apply wrote: alert CheckoutErrors: expr is /);
  });

  it("a changed threshold, for, label or annotation fails, naming the group, the file and the rule", async () => {
    const cases: [(groups: ServedGroup[]) => void, string][] = [
      [(g) => (g[0]!.rules[0]!.query = g[0]!.rules[0]!.query.replace("> 1", "> 2")), 'alert CheckoutErrors: expr is "sum by (service) (rate(http_requests_total{code=~\\"5..\\",service=\\"checkout\\"}[5m])) > 2" in Prometheus, "sum(rate(http_requests_total{service=\\"checkout\\", code=~\\"5..\\"}[5m])) by (service) > 1" in the file'],
      [(g) => (g[0]!.rules[0]!.duration = 600), "alert CheckoutErrors: for is 10m in Prometheus, 5m in the file"],
      [(g) => (g[0]!.rules[0]!.labels = { severity: "page", team: "payments" }), 'alert CheckoutErrors: labels is {"severity":"page","team":"payments"} in Prometheus, {"severity":"ticket","team":"payments"} in the file'],
      [(g) => (g[0]!.rules[0]!.annotations = {}), 'alert CheckoutErrors: annotations is {} in Prometheus, {"summary":"Checkout fails."} in the file'],
      [(g) => (g[0]!.interval = 30), "interval is 30s in Prometheus, 1m in the file"],
      [(g) => (g[0]!.rules[0]!.name = "CheckoutErrorsOld"), 'alert CheckoutErrors: Prometheus has "CheckoutErrorsOld" in its place'],
      [(g) => g[1]!.rules.push({ name: "x", query: "up" }), "2 rules in Prometheus, 1 in the file"],
    ];
    for (const [change, difference] of cases) {
      const groups = served();
      change(groups);
      const group = difference.startsWith("2 rules") ? "checkout.rules" : "checkout.alerts";
      expect(await verifyRuleGroups(written, groups, { identity })).toBe(`Prometheus reloaded but rule group ${group} in /srv/rules/payments.checkout.rules.yaml is not what apply wrote: ${difference}`);
    }
  });

  it("compares the rules of the files this apply changed only; of the others, where they are served from and how many", async () => {
    const unchanged = writtenGroups(RULES_DIR, new Map([["payments.checkout.rules.yaml", FILE]]), new Set(["payments.other.rules.yaml"]));
    const groups = served();
    groups[0]!.rules[0]!.duration = 600;
    expect(await verifyRuleGroups(unchanged, groups, { identity })).toBeUndefined();
    expect(await verifyRuleGroups(written, groups, { identity })).toMatch(/for is 10m in Prometheus, 5m in the file$/);
    groups[1]!.rules.push({ name: "x", query: "up" });
    expect(await verifyRuleGroups(unchanged, groups, { identity })).toMatch(/rule group checkout\.rules in .* is not what apply wrote: 2 rules in Prometheus, 1 in the file$/);
    expect(await verifyRuleGroups(unchanged, served("/old/rules/payments.checkout.rules.yaml"), { identity })).toMatch(/^Prometheus reloaded but serves rule group checkout\.alerts from \/old\/rules/);
  });

  it("missing groups keep their message; the same group name in another file does not count", async () => {
    expect(await verifyRuleGroups(written, [], { identity })).toBe(
      "Prometheus reloaded but does not list 2 expected rule group(s) (checkout.alerts, checkout.rules) as written: do its rule_files cover the rules directory?",
    );
    const both = [...served("/srv/rules/hand-written.rules.yaml"), ...served()];
    expect(await verifyRuleGroups(written, both, { identity })).toBeUndefined();
  });

  it("asks Prometheus to format both expressions when Vigil's canonical forms differ, and trusts its answer", async () => {
    const groups = served();
    groups[1]!.rules[0]!.query = "sum by(service)(rate(http_requests_total[5m]))  ";
    const asked: string[] = [];
    const formatQuery = async (q: string) => (asked.push(q), q.replace(/\s+/g, ""));
    expect(await verifyRuleGroups(written, groups, { identity, formatQuery })).toBeUndefined();
    // Canonical forms equal: Prometheus is not asked.
    expect(asked).toEqual([]);
    groups[1]!.rules[0]!.query = "sum by (service) (rate(http_requests_total[10m]))";
    expect(await verifyRuleGroups(written, groups, { identity, formatQuery })).toMatch(/record service:http_requests:rate5m: expr is/);
    expect(asked).toHaveLength(2);
    // Prometheus says they are the same: no failure.
    expect(await verifyRuleGroups(written, groups, { identity, formatQuery: async () => "same" })).toBeUndefined();
  });

  it("group labels (Prometheus 3) may come back merged into each rule's", async () => {
    const withGroupLabels = writtenGroups(RULES_DIR, new Map([["payments.checkout.rules.yaml", FILE.replace("  - name: checkout.rules\n", "  - name: checkout.rules\n    labels:\n      team: payments\n")]]));
    const groups = served();
    expect(await verifyRuleGroups(withGroupLabels, groups, { identity })).toBeUndefined();
    groups[1]!.rules[0]!.labels = { team: "payments" };
    expect(await verifyRuleGroups(withGroupLabels, groups, { identity })).toBeUndefined();
    groups[1]!.rules[0]!.labels = { team: "search" };
    expect(await verifyRuleGroups(withGroupLabels, groups, { identity })).toMatch(/labels is \{"team":"search"\} in Prometheus, \{"team":"payments"\} in the file$/);
  });
});

describe("servedGroups: the shape of /api/v1/rules", () => {
  it("says what is missing instead of failing on it", () => {
    expect(servedGroups({ status: "success", data: {} })).toBe("without data.groups");
    expect(servedGroups("<html>")).toBe("without data.groups");
    expect(servedGroups({ data: { groups: [{ name: "a", rules: [] }] } })).toMatch(/^with a rule group lacking its name, file or rules: /);
    expect(servedGroups({ data: { groups: [{ name: "a", file: "f", rules: [{ name: "x" }] }] } })).toMatch(/^with a rule of group a lacking its name or query: /);
    expect(servedGroups({ data: { groups: served() } })).toEqual(served());
  });
});

describe("fileIdentity", () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), "vigil-identity-"));
    await mkdir(path.join(work, "rules"));
    await mkdir(path.join(work, "old"));
    await writeFile(path.join(work, "rules/a.rules.yaml"), "groups: []\n");
    await writeFile(path.join(work, "old/a.rules.yaml"), "groups: []\n");
    await symlink(path.join(work, "rules"), path.join(work, "link"));
  });
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("compares real paths: a symbolic link on either side is the same file; a copy elsewhere is another", async () => {
    expect(await fileIdentity(path.join(work, "rules/a.rules.yaml"), path.join(work, "rules/a.rules.yaml"))).toBe("same");
    expect(await fileIdentity(path.join(work, "link/a.rules.yaml"), path.join(work, "rules/a.rules.yaml"))).toBe("same");
    expect(await fileIdentity(path.join(work, "rules/a.rules.yaml"), path.join(work, "link/a.rules.yaml"))).toBe("same");
    expect(await fileIdentity(path.join(work, "rules/../rules/a.rules.yaml"), path.join(work, "rules/a.rules.yaml"))).toBe("same");
    expect(await fileIdentity(path.join(work, "old/a.rules.yaml"), path.join(work, "rules/a.rules.yaml"))).toBe("other");
  });

  it("cannot tell for a path that does not exist here or is relative", async () => {
    expect(await fileIdentity("/etc/prometheus/vigil-no-such-dir/a.rules.yaml", path.join(work, "rules/a.rules.yaml"))).toBe("unknown");
    expect(await fileIdentity("rules/a.rules.yaml", path.join(work, "rules/a.rules.yaml"))).toBe("unknown");
  });
});
