import { defineConfig } from "vigil";

export default defineConfig({
  monitors: "monitors/**/*.ts",
  outDir: "generated",
  severities: ["page", "ticket", "info"],
  prometheus: {
    version: "2.42",
    evaluationInterval: "1m",
  },
  alertmanager: {
    version: "0.25",
    groupBy: ["alertname", "team", "service"],
    groupWait: "30s",
    groupInterval: "5m",
    repeatInterval: "4h",
    smtp: {
      smarthost: "smtp.acme.example:587",
      from: "alertmanager@acme.example",
      authUsername: "alertmanager@acme.example",
      authPasswordFile: "/etc/alertmanager/secrets/smtp-password",
    },
    // Alerts that no team route matches (a service with a typo in its team, a rule
    // loaded by hand) land here so that someone notices them.
    defaultReceiver: {
      slack: {
        channel: "#alerts-unrouted",
        apiUrlFile: "/etc/alertmanager/secrets/slack-alerts-unrouted-webhook-url",
      },
    },
  },
  grafana: {
    url: "https://grafana.acme.example",
  },
  runbooks: {
    baseUrl: "https://github.com/acme/monitoring/blob/main/generated/runbooks",
  },
});
