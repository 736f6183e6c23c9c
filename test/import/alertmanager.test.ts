import { describe, expect, it } from "vitest";
import { importAlertmanager } from "../../src/import/alertmanager.js";

describe("vigil import alertmanager: routes that are not imported", () => {
  it("are named by every matcher they have: matchers, match and match_re", () => {
    const text = `route:
  receiver: default
  routes:
    - match_re: { team: "web|frontend" }
      receiver: web
    - match: { env: staging }
      match_re: { region: "eu-.*" }
      receiver: staging
receivers:
  - name: default
  - name: web
  - name: staging
`;
    const imported = importAlertmanager([{ name: "alertmanager.yml", text }], {});
    const warnings = imported.problems.filter((p) => p.severity === "warning").map((p) => p.message);
    // Before: route {} -> web, which does not say which route was dropped.
    expect(warnings).toEqual([
      'route ["team=~\\"web|frontend\\""] -> web matches no team: not imported (alertmanager.routes in vigil.config.ts)',
      'route ["env=\\"staging\\"","region=~\\"eu-.*\\""] -> staging matches no team: not imported (alertmanager.routes in vigil.config.ts)',
    ]);
    expect(imported.teamNotes).toEqual(expect.arrayContaining(warnings));
  });
});
