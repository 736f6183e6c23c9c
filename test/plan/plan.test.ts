import { describe, expect, it } from "vitest";
import { configSchema, type ConfigInput } from "../../src/model/config.js";
import { serviceSchema, type ServiceInput } from "../../src/model/service.js";
import { teamSchema } from "../../src/model/team.js";
import type { TeamInput } from "../../src/model/define.js";
import { plan } from "../../src/plan/plan.js";
import type { Model } from "../../src/validate/validate.js";

/** A validated model built straight from schemas: the plan is pure, no loading needed. */
function model(config: ConfigInput, teams: TeamInput[], services: ServiceInput[]): Model {
  const origin = (file: string) => ({ value: {}, location: { file, line: 1, column: 1 } });
  return {
    config: configSchema.parse(config),
    configFile: "vigil.config.ts",
    teams: teams.map((t) => ({ ...teamSchema.parse(t), origin: origin(`monitors/${t.name}.ts`) })),
    services: services.map((s) => {
      const parsed = serviceSchema.parse(s);
      return { ...parsed, team: parsed.team as string, dashboards: [], origin: origin(`monitors/${s.name}.ts`) };
    }),
  };
}

const alert = (name: string, severity = "page") => ({ name, expr: "up == 0", severity, summary: "Down.", description: "Down." });
const team = (name: string): TeamInput => ({ name, receivers: { page: { webhook: { url: "http://127.0.0.1:1/" } } } });

describe("plan", () => {
  it("gives the service's labels to every rule, a rule's own label of the same name winning", () => {
    const p = plan(model({}, [team("a")], [{
      name: "svc",
      team: "a",
      labels: { env: "prod", tier: "1" },
      recordingRules: [{ record: "job:x:rate5m", expr: "sum(rate(x[5m]))", labels: { env: "canary" } }],
      alerts: [{ ...alert("SvcDown"), labels: { env: "staging" } }, alert("SvcSlow", "ticket")],
    }]));
    const labelsOf = (name: string) => p.services[0]!.ruleGroups.flatMap((g) => g.rules).find((r) => ("alert" in r ? r.alert : r.record) === name)!.labels;
    expect(labelsOf("job:x:rate5m")).toEqual({ env: "canary", service: "svc", team: "a", tier: "1" });
    expect(labelsOf("SvcDown")).toEqual({ env: "staging", service: "svc", severity: "page", team: "a", tier: "1" });
    expect(labelsOf("SvcSlow")).toEqual({ env: "prod", service: "svc", severity: "ticket", team: "a", tier: "1" });
  });

  it("links alerts whose names differ only in case to their own runbook sections", () => {
    const p = plan(model({ runbooks: { baseUrl: "https://runbooks.example" } }, [team("a")], [{ name: "svc", team: "a", alerts: [alert("CaseAlert"), alert("CASEAlert")] }]));
    const alerts = p.services[0]!.alerts;
    expect(alerts.map((a) => a.anchor)).toEqual(["casealert", "casealert-1"]);
    expect(alerts.map((a) => a.rule.annotations.runbook_url)).toEqual(["https://runbooks.example/a/svc.md#casealert", "https://runbooks.example/a/svc.md#casealert-1"]);
  });

  it("keeps every generated dashboard uid within Grafana's 40 characters, and links to them by it", () => {
    const name = `${"a".repeat(56)}-api`;
    const p = plan(model({ grafana: { url: "https://grafana.example" } }, [team("a")], [{ name, team: "a", alerts: [alert("LongDown")] }]));
    const uids = [...p.services.flatMap((s) => s.dashboards.map((d) => d.uid)), ...p.teamDashboards.map((d) => d.dashboard.uid)];
    expect(uids.length).toBeGreaterThan(1);
    for (const uid of uids) expect(uid.length, uid).toBeLessThanOrEqual(40);
    const overview = p.services[0]!.dashboards.find((d) => d.title === `${name} overview`)!.uid;
    expect(overview).toMatch(/^a{31}-[0-9a-z]{7,8}$/);
    expect(p.services[0]!.alerts[0]!.rule.annotations.dashboard_url).toBe(`https://grafana.example/d/${overview}`);
    const linked = [...JSON.stringify(p).matchAll(/\/d\/([^"/?#]+)/g)].map((m) => m[1]!);
    expect(linked.filter((uid) => !uids.includes(uid))).toEqual([]);
  });

  it("splits rules into groups of at most maxRulesPerGroup, recording rules first", () => {
    const p = plan(model({ prometheus: { maxRulesPerGroup: 3 } }, [team("a")], [{
      name: "svc",
      team: "a",
      recordingRules: [{ record: "job:x:rate5m", expr: "sum(rate(x[5m]))" }],
      alerts: Array.from({ length: 7 }, (_, i) => alert(`SvcAlert${i}`)),
      interval: "30s",
    }]));
    const groups = p.services[0]!.ruleGroups;
    expect(groups.map((g) => [g.name, g.interval, g.rules.length])).toEqual([
      ["svc.rules", "30s", 1],
      ["svc.alerts", "30s", 3],
      ["svc.alerts-2", "30s", 3],
      ["svc.alerts-3", "30s", 1],
    ]);
  });

  it("labels alerts with team, service and severity over the service's labels, keys sorted", () => {
    const p = plan(model({}, [team("a")], [{ name: "svc", team: "a", labels: { tier: "1" }, alerts: [{ ...alert("SvcDown"), labels: { component: "db" } }] }]));
    const rule = p.services[0]!.alerts[0]!.rule;
    expect(Object.entries(rule.labels)).toEqual([["component", "db"], ["service", "svc"], ["severity", "page"], ["team", "a"], ["tier", "1"]]);
  });

  it("links alerts to their runbook anchor and the service's overview dashboard", () => {
    const p = plan(model({ runbooks: { baseUrl: "https://runbooks.example.com/r/" }, grafana: { url: "https://grafana.example.com" } }, [team("a")], [{ name: "svc", team: "a", alerts: [alert("SvcDown")] }]));
    expect(p.services[0]!.alerts[0]!.rule.annotations).toEqual({
      dashboard_url: "https://grafana.example.com/d/svc-overview",
      description: "Down.",
      runbook_url: "https://runbooks.example.com/r/a/svc.md#svcdown",
      summary: "Down.",
    });
  });

  it("leaves the URLs out when the config has no base URLs", () => {
    const p = plan(model({}, [team("a")], [{ name: "svc", team: "a", alerts: [alert("SvcDown")] }]));
    expect(Object.keys(p.services[0]!.alerts[0]!.rule.annotations)).toEqual(["description", "summary"]);
  });

  it("sorts services by team, then name, whatever the declaration order", () => {
    const p = plan(model({}, [team("b"), team("a")], [
      { name: "zeta", team: "a" },
      { name: "beta", team: "b" },
      { name: "alpha", team: "a" },
    ]));
    expect(p.services.map((s) => `${s.team}/${s.name}`)).toEqual(["a/alpha", "a/zeta", "b/beta"]);
  });

  it("gives tiers of one alert their own section anchors", () => {
    const p = plan(model({}, [team("a")], [{ name: "svc", team: "a", alerts: [alert("SvcErrors", "ticket"), alert("SvcErrors", "page"), alert("SvcDown")] }]));
    expect(p.services[0]!.alerts.map((a) => [a.heading, a.anchor])).toEqual([
      ["SvcErrors (ticket)", "svcerrors-ticket"],
      ["SvcErrors (page)", "svcerrors-page"],
      ["SvcDown", "svcdown"],
    ]);
  });

  it("routes team, then severity, with the catch-all at the root, and tests every pair", () => {
    const p = plan(model({}, [{ name: "a", receivers: { page: { webhook: { url: "http://127.0.0.1:1/p" } }, default: { webhook: { url: "http://127.0.0.1:1/d" } } } }, team("b")], []));
    const am = p.alertmanager;
    expect(am.route.receiver).toBe("vigil-default");
    expect(am.route.routes.map((r) => [r.matchers, r.receiver, r.routes.map((s) => [s.matchers, s.receiver])])).toEqual([
      [['team="a"'], "a-default", [[['severity="page"'], "a-page"]]],
      [['team="b"'], "vigil-default", [[['severity="page"'], "b-page"]]],
    ]);
    expect(am.receivers.map((r) => r.name)).toEqual(["vigil-default", "a-default", "a-page", "b-page"]);
    expect(am.routeTests).toContainEqual({ labels: { alertname: "VigilRoutingProbe", severity: "ticket", team: "a" }, receivers: ["a-default"] });
    expect(am.routeTests).toContainEqual({ labels: { alertname: "VigilRoutingProbe", severity: "ticket", team: "b" }, receivers: ["vigil-default"] });
    expect(am.inhibitRules[0]).toEqual({ sourceMatchers: ['severity="page"'], targetMatchers: ['severity=~"ticket|info"'], equal: ["alertname", "service", "team"] });
  });

  it("puts config overrides first, then per team its overrides, severity timing and time intervals", () => {
    const p = plan(model({
      alertmanager: {
        timing: { page: { groupWait: "10s", repeatInterval: "1h" } },
        timeIntervals: { office: [{ weekdays: ["monday:friday"] }], night: [{ times: [{ start: "00:00", end: "06:00" }] }] },
        receivers: { quiet: { webhook: { url: "http://127.0.0.1:1/q" } } },
        routes: [{ match: { env: "staging" }, receiver: "quiet" }],
      },
    }, [{
      name: "a",
      receivers: { page: { webhook: { url: "http://127.0.0.1:1/p" } }, ticket: { webhook: { url: "http://127.0.0.1:1/t" } } },
      timing: { page: { repeatInterval: "30m" } },
      activeDuring: { ticket: ["office"] },
      muteDuring: ["night"],
      routes: [{ match: { canary: /true|yes/ }, receiver: "quiet", continue: true }],
    }], []));
    const root = p.alertmanager.route;
    expect(root.routes[0]).toEqual({ receiver: "quiet", matchers: ['env="staging"'], routes: [] });
    const team = root.routes[1]!;
    expect(team.muteTimeIntervals).toEqual(["night"]);
    expect(team.routes.map((r) => [r.receiver, r.matchers, r.repeatInterval, r.groupWait, r.activeTimeIntervals, r.continue])).toEqual([
      ["quiet", ['canary=~"true|yes"'], undefined, undefined, undefined, true],
      ["a-page", ['severity="page"'], "30m", "10s", undefined, undefined],
      // The config set only page timing: tickets keep the defaults.
      ["a-ticket", ['severity="ticket"'], "1d", "5m", ["office"], undefined],
    ]);
    expect(p.alertmanager.timeIntervals.map((t) => t.name)).toEqual(["night", "office"]);
    expect(p.alertmanager.receivers.map((r) => r.name)).toEqual(["vigil-default", "quiet", "a-page", "a-ticket"]);
  });

  it("lets a service that is down inhibit the alerts of the services that depend on it", () => {
    const p = plan(model({}, [team("a")], [
      { name: "db", team: "a", alerts: [{ ...alert("DbDown"), serviceDown: true }, alert("DbSlow")] },
      { name: "api", team: "a", dependsOn: ["db"] },
      { name: "worker", team: "a", dependsOn: ["db"] },
    ]));
    expect(p.alertmanager.inhibitRules).toContainEqual({ sourceMatchers: ['alertname=~"DbDown"', 'service="db"'], targetMatchers: ['service=~"api|worker"'], equal: [] });
  });

  it("is pure: the same model gives an equal plan", () => {
    const m = model({}, [team("a")], [{ name: "svc", team: "a", alerts: [alert("SvcDown")] }]);
    expect(plan(m)).toEqual(plan(m));
  });
});
