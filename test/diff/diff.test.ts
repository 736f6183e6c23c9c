import { describe, expect, it } from "vitest";
import { emitManifest } from "../../src/emit/manifest.js";
import { diffOutputs } from "../../src/diff/diff.js";
import { byKey, flatten } from "../../src/diff/change.js";

const tree = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe("diffOutputs", () => {
  it("is empty for equal trees", () => {
    const files = tree({ "prometheus/t/s.rules.yaml": "groups: []\n", "grafana/provisioning/dashboards.yaml": "a: 1\n" });
    expect(diffOutputs(files, new Map(files))).toEqual([]);
  });

  it("compares other files (tests, provisioning, kubernetes) as files, and leaves manifest.json out", () => {
    const before = tree({
      "prometheus/t/s.test.yaml": "tests: []\n",
      "grafana/provisioning/dashboards.yaml": "a: 1\n",
      "kubernetes/dashboards/t/old.yaml": "x\n",
      "manifest.json": "{}\n",
    });
    const after = tree({
      "prometheus/t/s.test.yaml": "tests: [1]\n",
      "grafana/provisioning/dashboards.yaml": "a: 1\n",
      "kubernetes/dashboards/t/new.yaml": "y\n",
      "manifest.json": "{ }\n",
    });
    expect(diffOutputs(before, after).map((c) => [c.kind, c.op, c.name])).toEqual([
      ["file", "added", "kubernetes/dashboards/t/new.yaml"],
      ["file", "removed", "kubernetes/dashboards/t/old.yaml"],
      ["file", "changed", "prometheus/t/s.test.yaml"],
    ]);
  });

  it("ignores files of the base that its manifest does not list: Vigil did not write them", () => {
    const owned = { path: "prometheus/t/s.test.yaml", content: "tests: []\n", sources: [] };
    const before = tree({ [owned.path]: owned.content, "notes/README.md": "mine\n", "manifest.json": emitManifest([owned]).content });
    expect(diffOutputs(before, tree({ [owned.path]: owned.content }))).toEqual([]);
  });
});

describe("diff helpers", () => {
  it("flattens objects to dotted paths, lists of objects by index, lists of scalars whole", () => {
    expect([...flatten({ a: { b: 1 }, list: [{ c: "x" }], tags: ["p", "q"], none: undefined })]).toEqual([
      ["a.b", "1"],
      ["list[0].c", "x"],
      ["tags", "[p, q]"],
    ]);
  });

  it("numbers duplicate keys in order of appearance", () => {
    expect([...byKey(["a", "b", "a", "a"], (x) => x).keys()]).toEqual(["a", "b", "a #2", "a #3"]);
  });
});
