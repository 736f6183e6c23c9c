import type { Receiver } from "../model/team.js";
import type { Config } from "../model/config.js";
import type { TimeRange } from "../model/routing.js";
import type { Plan, RouteNode } from "../plan/types.js";
import { header, stableJson, yamlFile, type OutputFile } from "./output.js";

function routeYaml(route: RouteNode, root = false): Record<string, unknown> {
  return {
    receiver: route.receiver,
    ...(!root && { matchers: route.matchers }),
    ...(route.groupBy && { group_by: route.groupBy }),
    ...(route.groupWait && { group_wait: route.groupWait }),
    ...(route.groupInterval && { group_interval: route.groupInterval }),
    ...(route.repeatInterval && { repeat_interval: route.repeatInterval }),
    ...(route.muteTimeIntervals && { mute_time_intervals: route.muteTimeIntervals }),
    ...(route.activeTimeIntervals && { active_time_intervals: route.activeTimeIntervals }),
    ...(route.continue && { continue: true }),
    ...(route.routes.length > 0 && { routes: route.routes.map((r) => routeYaml(r)) }),
  };
}

const SLACK_TITLE = "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.service }})";
const SLACK_TEXT = "{{ range .Alerts }}{{ .Annotations.summary }} {{ .Annotations.runbook_url }}\n{{ end }}";

/** A receiver's integrations in Alertmanager's words; secrets only ever as files. */
/** Alertmanager's default PagerDuty details, plus the team's escalation policy for the responder. */
function details(escalation: string[]): Record<string, string> | undefined {
  if (escalation.length === 0) return undefined;
  return {
    firing: '{{ template "pagerduty.default.instances" .Alerts.Firing }}',
    resolved: '{{ template "pagerduty.default.instances" .Alerts.Resolved }}',
    num_firing: "{{ .Alerts.Firing | len }}",
    num_resolved: "{{ .Alerts.Resolved | len }}",
    escalation: escalation.join(" → "),
  };
}

function integrationsYaml(receiver: Receiver | undefined, smtp: Config["alertmanager"]["smtp"], escalation: string[] = []): Record<string, unknown> {
  if (!receiver) return {};
  const policy = details(escalation);
  const resolved = { send_resolved: receiver.sendResolved };
  const webhook = receiver.webhook;
  return {
    ...(receiver.email && {
      email_configs: [{ ...resolved, to: receiver.email.to, ...(smtp?.authPasswordFile && { auth_password_file: smtp.authPasswordFile }) }],
    }),
    ...(receiver.msteams && { msteams_configs: [{ ...resolved, webhook_url_file: receiver.msteams.webhookUrlFile }] }),
    ...(receiver.opsgenie && {
      opsgenie_configs: [{ ...resolved, api_key_file: receiver.opsgenie.apiKeyFile, ...(receiver.opsgenie.priority && { priority: receiver.opsgenie.priority }), ...(escalation.length > 0 && { details: { escalation: escalation.join(" → ") } }) }],
    }),
    ...(receiver.pagerduty && {
      pagerduty_configs: [{ ...resolved, routing_key_file: receiver.pagerduty.routingKeyFile, ...(receiver.pagerduty.severity && { severity: receiver.pagerduty.severity }), ...(policy && { details: policy }) }],
    }),
    ...(receiver.slack && {
      slack_configs: [{ ...resolved, api_url_file: receiver.slack.apiUrlFile, channel: receiver.slack.channel, title: SLACK_TITLE, text: SLACK_TEXT }],
    }),
    ...(receiver.victorops && {
      victorops_configs: [{ ...resolved, api_key_file: receiver.victorops.apiKeyFile, routing_key: receiver.victorops.routingKey }],
    }),
    ...(webhook && { webhook_configs: [{ ...resolved, ...("url" in webhook ? { url: webhook.url } : { url_file: webhook.urlFile }) }] }),
  };
}

/** A time range as Alertmanager's config spells it. */
export function timeRangeYaml(range: TimeRange): Record<string, unknown> {
  return {
    ...(range.times && { times: range.times.map((t) => ({ start_time: t.start, end_time: t.end })) }),
    ...(range.weekdays && { weekdays: range.weekdays }),
    ...(range.daysOfMonth && { days_of_month: range.daysOfMonth }),
    ...(range.months && { months: range.months }),
    ...(range.years && { years: range.years }),
    ...(range.location && { location: range.location }),
  };
}

/** `alertmanager/alertmanager.yaml` for the configured Alertmanager version, and `routes.test.json` for amtool. */
export function emitAlertmanager(plan: Plan): OutputFile[] {
  const am = plan.alertmanager;
  const settings = plan.config.alertmanager;
  const smtp = settings.smtp;
  const redirect = settings.redirectReceivers?.replace(/\/$/, "");
  const config = {
    global: {
      resolve_timeout: settings.resolveTimeout,
      ...(smtp && {
        smtp_smarthost: smtp.smarthost,
        smtp_from: smtp.from,
        ...(smtp.authUsername && { smtp_auth_username: smtp.authUsername }),
        smtp_require_tls: true,
      }),
    },
    route: routeYaml(am.route, true),
    inhibit_rules: am.inhibitRules.map((rule) => ({
      source_matchers: rule.sourceMatchers,
      target_matchers: rule.targetMatchers,
      ...(rule.equal.length > 0 && { equal: rule.equal }),
    })),
    receivers: am.receivers.map((receiver) => ({
      name: receiver.name,
      // redirectReceivers: every notification to one local webhook, at a path per receiver.
      ...(redirect ? { webhook_configs: [{ send_resolved: true, url: `${redirect}/${receiver.name}` }] } : integrationsYaml(receiver.integrations, smtp, receiver.escalation)),
    })),
    ...(am.timeIntervals.length > 0 && { time_intervals: am.timeIntervals.map((t) => ({ name: t.name, time_intervals: t.ranges.map(timeRangeYaml) })) }),
  };
  const tests = am.routeTests.map(({ labels, receivers }) => ({ labels, receivers }));
  return [
    { path: "alertmanager/alertmanager.yaml", sources: am.sources, content: yamlFile(config, header(am.sources)) },
    { path: "alertmanager/routes.test.json", sources: am.sources, content: stableJson(tests) },
  ];
}
