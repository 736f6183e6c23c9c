import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { diffOutputs } from "../../src/diff/diff.js";

const FILE = "alertmanager/alertmanager.yaml";

const config = (patch: (c: ReturnType<typeof base>) => void = () => {}) => {
  const c = base();
  patch(c);
  return new Map([[FILE, stringify(c)]]);
};

function base() {
  return {
    global: { resolve_timeout: "5m" } as Record<string, string>,
    route: {
      receiver: "vigil-default",
      group_by: ["alertname", "team"],
      routes: [
        { receiver: "staging-quiet", matchers: ['env="staging"'] },
        {
          receiver: "vigil-default",
          matchers: ['team="payments"'],
          routes: [
            { receiver: "payments-page", matchers: ['severity="page"'], repeat_interval: "1h" },
            { receiver: "payments-ticket", matchers: ['severity="ticket"'], active_time_intervals: ["business-hours"] },
          ],
        },
      ] as Record<string, unknown>[],
    },
    inhibit_rules: [{ source_matchers: ['severity="page"'], target_matchers: ['severity=~"ticket|info"'], equal: ["alertname", "service"] }],
    receivers: [
      { name: "vigil-default", webhook_configs: [{ url: "http://127.0.0.1:9/default" }] },
      { name: "payments-page", pagerduty_configs: [{ routing_key_file: "/etc/pd", send_resolved: true }] },
    ] as Record<string, unknown>[],
    time_intervals: [{ name: "business-hours", time_intervals: [{ weekdays: ["monday:friday"] }] }],
  };
}

const summary = (before: Map<string, string>, after: Map<string, string>) => diffOutputs(before, after).map((c) => [c.kind, c.op, c.name, c.fields]);

describe("diffOutputs on the Alertmanager config", () => {
  it("is empty for the same config", () => {
    expect(diffOutputs(config(), config())).toEqual([]);
  });

  it("knows a route by its path of matchers and lists the settings that changed", () => {
    const after = config((c) => {
      const team = c.route.routes[1] as { routes: Record<string, unknown>[] };
      team.routes[0]!.repeat_interval = "30m";
      team.routes[0]!.receiver = "payments-oncall";
    });
    expect(summary(config(), after)).toEqual([
      [
        "route",
        "changed",
        'team="payments" > severity="page"',
        [
          { field: "receiver", before: "payments-page", after: "payments-oncall" },
          { field: "repeat_interval", before: "1h", after: "30m" },
        ],
      ],
    ]);
  });

  it("reports routes added and removed, and the root route's settings", () => {
    const after = config((c) => {
      c.route.routes.splice(0, 1);
      c.route.routes.push({ receiver: "web-page", matchers: ['team="web"'] });
      c.route.group_by = ["alertname", "team", "service"];
    });
    expect(summary(config(), after)).toEqual([
      ["route", "changed", "(root)", [{ field: "group_by", before: "[alertname, team]", after: "[alertname, team, service]" }]],
      ["route", "removed", 'env="staging"', []],
      ["route", "added", 'team="web"', []],
    ]);
  });

  it("lists a receiver's changed settings by path, and receivers added and removed", () => {
    const after = config((c) => {
      c.receivers[1] = { name: "payments-page", pagerduty_configs: [{ routing_key_file: "/etc/pd-2", send_resolved: true }] };
      c.receivers.push({ name: "payments-ticket", slack_configs: [{ channel: "#payments" }] });
      c.receivers.splice(0, 1);
    });
    expect(summary(config(), after)).toEqual([
      ["receiver", "changed", "payments-page", [{ field: "pagerduty_configs[0].routing_key_file", before: "/etc/pd", after: "/etc/pd-2" }]],
      ["receiver", "added", "payments-ticket", []],
      ["receiver", "removed", "vigil-default", []],
    ]);
  });

  it("knows inhibit rules by their matchers, time intervals by name, and compares global settings", () => {
    const after = config((c) => {
      c.inhibit_rules[0]!.equal.push("team");
      c.inhibit_rules.push({ source_matchers: ['alertname="Down"'], target_matchers: ['service=~"api"'], equal: [] });
      c.time_intervals[0]!.time_intervals[0]!.weekdays = ["monday:thursday"];
      c.global.resolve_timeout = "10m";
      c.global.smtp_from = "am@example.com";
    });
    expect(summary(config(), after)).toEqual([
      ["inhibit", "added", 'alertname="Down" -> service=~"api"', []],
      ["inhibit", "changed", 'severity="page" -> severity=~"ticket|info"', [{ field: "equal", before: "[alertname, service]", after: "[alertname, service, team]" }]],
      ["time-interval", "changed", "business-hours", [{ field: "time_intervals[0].weekdays", before: "[monday:friday]", after: "[monday:thursday]" }]],
      [
        "alertmanager",
        "changed",
        "global",
        [
          { field: "resolve_timeout", before: "5m", after: "10m" },
          { field: "smtp_from", after: "am@example.com" },
        ],
      ],
    ]);
  });

  it("reports everything added when the base has no Alertmanager config", () => {
    const changes = diffOutputs(new Map(), config());
    expect(changes.every((c) => c.op === "added")).toBe(true);
    expect(changes.map((c) => `${c.kind} ${c.name}`)).toEqual([
      "route (root)",
      'route env="staging"',
      'route team="payments"',
      'route team="payments" > severity="page"',
      'route team="payments" > severity="ticket"',
      "receiver payments-page",
      "receiver vigil-default",
      'inhibit severity="page" -> severity=~"ticket|info"',
      "time-interval business-hours",
      "alertmanager global",
    ]);
  });
});
