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

describe("vigil import alertmanager: an empty group_by", () => {
  it("is left out (Alertmanager reads it as unset; Vigil refuses groupBy: [])", () => {
    const text = `route:
  receiver: default
  group_by: [alertname]
  routes:
    - matchers: ['team="payments"']
      receiver: payments
      group_by: []
      routes:
        - matchers: ['severity="page"']
          receiver: payments
          group_by: []
          repeat_interval: 1h
receivers:
  - name: default
  - name: payments
    webhook_configs: [{ url: "http://127.0.0.1:9/hook" }]
`;
    const imported = importAlertmanager([{ name: "alertmanager.yml", text }], {});
    const team = JSON.stringify(imported.teams.find((t) => t.name === "payments"));
    expect(team).toContain("repeatInterval");
    // Entries without a value are not written.
    expect(team).not.toMatch(/"groupBy",\{/);
  });
});
