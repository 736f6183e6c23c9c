import { describe, expect, it } from "vitest";
import { alertmanagerConfigDifference } from "../../src/apply/alertmanager-verify.js";

/**
 * The check after an Alertmanager reload: the config it serves (config.original of
 * /api/v2/status) compared with the one apply wrote. SERVED is WRITTEN as Alertmanager 0.25
 * re-serialises it (keys reordered, `continue: false` and integration defaults added, 24h as
 * "1d", matchers one per line and sorted, the Slack URL hidden); test/e2e/apply-verify.test.ts
 * compares against the real server's answer.
 */
const WRITTEN = `global:
  resolve_timeout: 5m
  slack_api_url: https://hooks.slack.example/T000/B000/XXXX
route:
  receiver: vigil-default
  group_by: [alertname, team]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
  routes:
    - receiver: vigil-default
      matchers:
        - team="payments"
      repeat_interval: 3h
      routes:
        - receiver: payments-page
          matchers:
            - severity="page"
          repeat_interval: 30m
        - receiver: payments-ticket
          matchers:
            - severity="ticket"
          group_interval: 24h
          active_time_intervals: [business-hours]
inhibit_rules:
  - source_matchers:
      - severity="page"
    target_matchers:
      - severity=~"ticket|info"
    equal: [alertname, team]
receivers:
  - name: vigil-default
  - name: payments-page
    slack_configs:
      - channel: "#payments"
  - name: payments-ticket
    webhook_configs:
      - url: http://127.0.0.1:9/hook
time_intervals:
  - name: business-hours
    time_intervals:
      - weekdays: [monday:friday]
`;
const SERVED = `global:
  resolve_timeout: 5m
  http_config:
    follow_redirects: true
  slack_api_url: <secret>
route:
  receiver: vigil-default
  group_by:
  - alertname
  - team
  continue: false
  routes:
  - receiver: vigil-default
    matchers:
    - team="payments"
    continue: false
    routes:
    - receiver: payments-page
      matchers:
      - severity="page"
      continue: false
      repeat_interval: 30m
    - receiver: payments-ticket
      matchers:
      - severity="ticket"
      active_time_intervals:
      - business-hours
      continue: false
      group_interval: 1d
    repeat_interval: 3h
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
inhibit_rules:
- source_matchers:
  - severity="page"
  target_matchers:
  - severity=~"ticket|info"
  equal:
  - alertname
  - team
receivers:
- name: vigil-default
- name: payments-page
  slack_configs:
  - send_resolved: false
    api_url: <secret>
    channel: '#payments'
    username: '{{ template "slack.default.username" . }}'
- name: payments-ticket
  webhook_configs:
  - send_resolved: true
    url: http://127.0.0.1:9/hook
    max_alerts: 0
time_intervals:
- name: business-hours
  time_intervals:
  - weekdays: [monday:friday]
templates: []
`;

const edit = (text: string, from: string, to: string) => {
  expect(text).toContain(from);
  return text.replace(from, to);
};

describe("alertmanagerConfigDifference", () => {
  it("finds none between the config and Alertmanager's re-serialisation of it (secrets hidden, defaults added)", () => {
    expect(alertmanagerConfigDifference(WRITTEN, SERVED)).toBeUndefined();
  });

  it("names the first difference in the route tree by the route's matchers", () => {
    expect(alertmanagerConfigDifference(WRITTEN, edit(SERVED, "    repeat_interval: 3h\n", "    repeat_interval: 2h\n"))).toBe(
      'route team="payments": repeat_interval is 2h in Alertmanager, 3h in the file',
    );
    // The inherited repeat_interval of the child routes without one: reported at the first route that differs.
    expect(alertmanagerConfigDifference(WRITTEN, edit(SERVED, "      continue: false\n      group_interval: 1d\n", "      continue: false\n      group_interval: 12h\n"))).toBe(
      'route team="payments" > severity="ticket": group_interval is 12h in Alertmanager, 1d in the file',
    );
    expect(alertmanagerConfigDifference(WRITTEN, edit(SERVED, '      - severity="page"', '      - severity="critical"'))).toBe(
      'route team="payments" > severity="page": matchers is [severity="critical"] in Alertmanager, [severity="page"] in the file',
    );
    expect(alertmanagerConfigDifference(WRITTEN, edit(SERVED, "  - team\n  continue: false", "  continue: false"))).toBe(
      "the root route: group_by is [alertname] in Alertmanager, [alertname, team] in the file",
    );
    expect(alertmanagerConfigDifference(WRITTEN, edit(SERVED, "    - receiver: payments-page\n", "    - receiver: payments-ticket\n"))).toBe(
      'route team="payments" > severity="page": receiver is payments-ticket in Alertmanager, payments-page in the file',
    );
    expect(alertmanagerConfigDifference(WRITTEN, edit(SERVED, "      - business-hours\n", "      - off-hours\n"))).toMatch(/active_time_intervals is \[off-hours\] in Alertmanager, \[business-hours\] in the file$/);
    expect(alertmanagerConfigDifference(WRITTEN, edit(SERVED, '      - severity="page"\n      continue: false\n', '      - severity="page"\n      continue: true\n'))).toMatch(/severity="page": continue is true in Alertmanager, false in the file$/);
  });

  it("a route missing or added", () => {
    const withoutTicket = edit(SERVED, '    - receiver: payments-ticket\n      matchers:\n      - severity="ticket"\n      active_time_intervals:\n      - business-hours\n      continue: false\n      group_interval: 1d\n', "");
    expect(alertmanagerConfigDifference(WRITTEN, withoutTicket)).toBe('route team="payments" > severity="ticket" is missing in Alertmanager');
    expect(alertmanagerConfigDifference(withoutTicket.replace("<secret>", "x"), SERVED)).toBe('route team="payments" > severity="ticket" is in Alertmanager but not in the file');
  });

  it("inhibit rules, receivers and their integrations, time intervals", () => {
    expect(alertmanagerConfigDifference(WRITTEN, edit(SERVED, '  - severity=~"ticket|info"', '  - severity=~"info"'))).toMatch(/^inhibit rule \{"source":\["severity=\\"page\\""\],"target":\["severity=~\\"ticket\|info\\""\],"equal":\["alertname","team"\]\} is missing in Alertmanager$/);
    expect(alertmanagerConfigDifference(WRITTEN, edit(SERVED, "- name: payments-ticket\n  webhook_configs:", "- name: payments-tickets\n  webhook_configs:"))).toBe(
      "receiver payments-ticket (webhook_configs: 1) is missing in Alertmanager",
    );
    expect(alertmanagerConfigDifference(WRITTEN, edit(SERVED, "  webhook_configs:\n", "  email_configs:\n"))).toBe("receiver payments-ticket (webhook_configs: 1) is missing in Alertmanager");
    expect(alertmanagerConfigDifference(WRITTEN, edit(SERVED, "- name: business-hours", "- name: office-hours"))).toBe("time interval business-hours is missing in Alertmanager");
  });

  it("does not compare secrets or integration settings Alertmanager fills in or hides", () => {
    expect(alertmanagerConfigDifference(WRITTEN, edit(SERVED, "    channel: '#payments'", "    channel: '#payments'\n    color: danger"))).toBeUndefined();
  });

  it("normalises matchers: older match/match_re, unquoted values, several in one line, order", () => {
    const written = `route:
  receiver: a
  routes:
    - receiver: b
      matchers: ['team=payments, severity=~"page|ticket"']
    - receiver: c
      match: { team: search }
      match_re: { severity: "info|ticket" }
receivers: [{ name: a }, { name: b }, { name: c }]
`;
    const served = `route:
  receiver: a
  continue: false
  routes:
  - receiver: b
    matchers:
    - severity=~"page|ticket"
    - team="payments"
    continue: false
  - receiver: c
    match:
      team: search
    match_re:
      severity: info|ticket
    continue: false
receivers:
- name: a
- name: b
- name: c
templates: []
`;
    expect(alertmanagerConfigDifference(written, served)).toBeUndefined();
    expect(alertmanagerConfigDifference(written, served.replace("team: search", "team: web"))).toBe(
      'route severity=~"info|ticket", team="search": matchers is [severity=~"info|ticket", team="web"] in Alertmanager, [severity=~"info|ticket", team="search"] in the file',
    );
  });

  it("reads an empty group_by as Alertmanager does (inherited), escapes as it unescapes, and YAML merge keys", () => {
    const written = `route:
  receiver: a
  group_by: [alertname, team]
  routes:
    - receiver: b
      group_by: []
      matchers: ['instance=~".*\\.prod"']
    - <<: &quiet { receiver: c, repeat_interval: 12h }
      matchers: ['team="search"']
receivers: [{ name: a }, { name: b }, { name: c }]
`;
    const served = `route:
  receiver: a
  group_by: [alertname, team]
  routes:
  - receiver: b
    matchers:
    - instance=~".*\\\\.prod"
  - receiver: c
    matchers:
    - team="search"
    repeat_interval: 12h
receivers:
- name: a
- name: b
- name: c
`;
    // Before: group_by [] read as grouping by nothing; \. lost its backslash on one side only; << ignored.
    expect(alertmanagerConfigDifference(written, served)).toBeUndefined();
    expect(alertmanagerConfigDifference(written, served.replace("repeat_interval: 12h", "repeat_interval: 6h"))).toMatch(/repeat_interval is 6h in Alertmanager, 12h in the file/);
  });

  it("a config.original that is not YAML is a difference, not a crash", () => {
    expect(alertmanagerConfigDifference(WRITTEN, "route: [")).toMatch(/^Alertmanager's config\.original is not YAML: /);
  });
});
