import { describe, expect, it } from "vitest";
import { comparableGroup } from "../../src/apply/mimir.js";
import { canonical, countChanges, planKeyed, sameData } from "../../src/apply/plan.js";
import { formatPlan, planSummary } from "../../src/apply/report.js";
import { maskSecrets } from "../../src/apply/http.js";

/** The pure part of apply: current state + desired state -> changes, and how they print. */
describe("planKeyed", () => {
  const plan = (prune: boolean) =>
    planKeyed({
      object: "dashboard",
      desired: new Map([["b-new", 1], ["a-same", 2], ["c-changed", 3]]),
      current: new Map([["c-changed", 30], ["a-same", 2], ["z-stale-ours", 9], ["y-not-ours", 8]]),
      same: (d, c) => d === c,
      owned: (key) => key.includes("ours") && !key.includes("not"),
      prune,
    });

  it("creates, updates, keeps unchanged, sorted by name; never lists objects that are not Vigil's", () => {
    expect(plan(false)).toEqual([
      { kind: "unchanged", object: "dashboard", name: "a-same" },
      { kind: "create", object: "dashboard", name: "b-new" },
      { kind: "update", object: "dashboard", name: "c-changed" },
      { kind: "stale", object: "dashboard", name: "z-stale-ours", detail: "no longer generated; --prune deletes it" },
    ]);
  });

  it("deletes Vigil's stale objects only when pruning", () => {
    const changes = plan(true);
    expect(changes.filter((c) => c.kind === "delete").map((c) => c.name)).toEqual(["z-stale-ours"]);
    expect(changes.map((c) => c.name)).not.toContain("y-not-ours");
    expect(countChanges(changes)).toEqual({ create: 1, update: 1, delete: 1, unchanged: 1, stale: 0 });
  });

  it("plans nothing but unchanged when the states agree (idempotence)", () => {
    const state = new Map([["x", { a: 1 }], ["y", { b: [1, 2] }]]);
    const changes = planKeyed({ object: "group", desired: state, current: new Map(state), same: sameData, owned: () => true, prune: true });
    expect(changes.every((c) => c.kind === "unchanged")).toBe(true);
  });
});

describe("comparing API answers with generated objects", () => {
  it("ignores key order, null and empty members", () => {
    expect(sameData({ a: 1, b: { c: [1, { d: null }] }, e: {} }, { b: { c: [1, {}] }, a: 1 })).toBe(true);
    expect(sameData({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(canonical({ z: 1, a: undefined, m: [] })).toEqual({ z: 1 });
  });

  it("compares ruler durations as time, and expressions without trailing whitespace", () => {
    const generated = { name: "checkout.alerts", interval: "1m", rules: [{ alert: "Down", expr: "up == 0\n", for: "90s", labels: { severity: "page" } }] };
    const fromRuler = { name: "checkout.alerts", interval: "60s", rules: [{ alert: "Down", expr: "up == 0", for: "1m30s", labels: { severity: "page" }, annotations: {} }] };
    expect(comparableGroup(generated)).toEqual(comparableGroup(fromRuler));
    expect(comparableGroup({ ...generated, interval: "2m" })).not.toEqual(comparableGroup(fromRuler));
  });
});

describe("secrets in messages", () => {
  it("masks every occurrence, longest secret first, and ignores empty ones", () => {
    expect(maskSecrets("Bearer abcd1234 then abcd1234x", ["abcd1234", "abcd1234x", undefined, ""])).toBe("Bearer *** then ***");
  });
});

describe("the printed plan", () => {
  it("lists what changes per target, counts what does not, and sums up", () => {
    const reports = [
      { target: "grafana" as const, where: "http://127.0.0.1:3000", changes: [
        { kind: "create" as const, object: "folder", name: "vigil-payments" },
        { kind: "unchanged" as const, object: "dashboard", name: "a" },
        { kind: "stale" as const, object: "dashboard", name: "old", detail: "no longer generated; --prune deletes it" },
      ] },
      { target: "mimir" as const, where: "", changes: [], error: "GET http://127.0.0.1:9009/prometheus/config/v1/rules: HTTP 401" },
    ];
    expect(formatPlan(reports)).toBe(
      [
        "grafana  http://127.0.0.1:3000",
        "  + create    folder     vigil-payments",
        "  ! stale     dashboard  old  (no longer generated; --prune deletes it)",
        "  = 1 unchanged",
        "mimir",
        "  error: GET http://127.0.0.1:9009/prometheus/config/v1/rules: HTTP 401",
        "",
      ].join("\n"),
    );
    expect(planSummary(reports)).toBe("Plan: 1 to create, 0 to update, 0 to delete, 1 unchanged. 1 stale kept (--prune deletes them).");
  });
});
