import type { Receiver } from "../model/team.js";
import type { Config } from "../model/config.js";
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
    ...(route.routes.length > 0 && { routes: route.routes.map((r) => routeYaml(r)) }),
  };
}

function integrationsYaml(receiver: Receiver | undefined, smtp: Config["alertmanager"]["smtp"]): Record<string, unknown> {
  if (!receiver) return {};
  const resolved = { send_resolved: receiver.sendResolved };
  return {
    ...(receiver.email && {
      email_configs: [{
        ...resolved,
        to: receiver.email.to,
        ...(smtp?.authPasswordFile && { auth_password_file: smtp.authPasswordFile }),
      }],
    }),
    ...(receiver.opsgenie && {
      opsgenie_configs: [{ ...resolved, api_key_file: receiver.opsgenie.apiKeyFile, ...(receiver.opsgenie.priority && { priority: receiver.opsgenie.priority }) }],
    }),
    ...(receiver.pagerduty && {
      pagerduty_configs: [{ ...resolved, routing_key_file: receiver.pagerduty.routingKeyFile, ...(receiver.pagerduty.severity && { severity: receiver.pagerduty.severity }) }],
    }),
    ...(receiver.slack && {
      slack_configs: [{
        ...resolved,
        api_url_file: receiver.slack.apiUrlFile,
        channel: receiver.slack.channel,
        title: '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.service }})',
        text: "{{ range .Alerts }}{{ .Annotations.summary }} {{ .Annotations.runbook_url }}\n{{ end }}",
      }],
    }),
    ...(receiver.webhook && { webhook_configs: [{ ...resolved, url: receiver.webhook.url }] }),
  };
}

/** `alertmanager/alertmanager.yaml` for Alertmanager 0.25, and `routes.test.json` for amtool. */
export function emitAlertmanager(plan: Plan): OutputFile[] {
  const am = plan.alertmanager;
  const settings = plan.config.alertmanager;
  const smtp = settings.smtp;
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
      equal: rule.equal,
    })),
    receivers: am.receivers.map((receiver) => ({ name: receiver.name, ...integrationsYaml(receiver.integrations, smtp) })),
  };
  return [
    { path: "alertmanager/alertmanager.yaml", sources: am.sources, content: yamlFile(config, header(am.sources)) },
    { path: "alertmanager/routes.test.json", sources: am.sources, content: stableJson(am.routeTests) },
  ];
}
