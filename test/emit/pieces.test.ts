import { beforeAll, describe, expect, it } from "vitest";
import { dashboardManifestV2 } from "../../src/emit/grafana-v2.js";
import { renderAll, renderPieces } from "../../src/emit/pieces.js";
import type { OutputFile } from "../../src/emit/output.js";
import type { Plan } from "../../src/plan/types.js";
import { REPO_ROOT } from "../helpers/project.js";
import { compile } from "../helpers/vigil.js";
import { fixturePlan, multiTeamPlan, withConfig } from "./targets-project.js";

// `vigil compile` renders and writes a piece at a time (renderPieces); check, diff and the
// tests render in one go (renderAll). Both must give the same files, byte for byte.
const byPath = (files: readonly OutputFile[]) => Object.fromEntries([...files].sort((a, b) => (a.path < b.path ? -1 : 1)).map((f) => [f.path, f]));
const everyTarget = (plan: Plan) =>
  withConfig(plan, { kubernetes: { rules: true, dashboards: true, alertmanager: true }, mimir: { rules: true }, thanos: { rules: true } });

let examples: Plan;
let fixture: Plan;
let multi: Plan;
beforeAll(async () => {
  const result = await compile({ cwd: REPO_ROOT });
  examples = result.plan as unknown as Plan;
  [fixture, multi] = await Promise.all([fixturePlan(), multiTeamPlan()]);
});

describe("renderPieces", () => {
  // [name, plan, v2 dashboards, whether Mimir namespaces are written]
  const cases: [string, () => Plan, boolean, boolean][] = [
    ["the examples", () => examples, false, false],
    ["the examples with every output target, v2 dashboards", () => everyTarget(examples), true, true],
    ["the fixture with every output target", () => everyTarget(fixture), false, true],
    ["two teams, every output target, Mimir namespaces per service", () => withConfig(everyTarget(multi), { mimir: { rules: true, namespaceBy: "service" } }), false, true],
  ];
  for (const [name, plan, v2, mimir] of cases) {
    it(`gives the files of the full render, each once: ${name}`, () => {
      const toV2 = v2 ? dashboardManifestV2 : undefined;
      const pieces = [...renderPieces(plan(), toV2)].flat();
      const all = renderAll(plan(), toV2);
      expect(pieces.length).toBe(all.length);
      expect(new Set(pieces.map((f) => f.path)).size).toBe(pieces.length);
      expect(byPath(pieces)).toEqual(byPath(all));
      expect(all.some((f) => f.path.startsWith("mimir/"))).toBe(mimir);
      expect(all.some((f) => f.path.startsWith("kubernetes/"))).toBe(mimir);
    });
  }
});
