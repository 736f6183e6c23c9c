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
    // Pages fast and often, tickets grouped and repeated daily, info weekly.
    timing: {
      page: { groupWait: "30s", groupInterval: "5m", repeatInterval: "1h" },
      ticket: { groupWait: "5m", groupInterval: "30m", repeatInterval: "1d" },
      info: { groupWait: "10m", groupInterval: "1h", repeatInterval: "1w" },
    },
    timeIntervals: {
      // Tickets of teams that ask for it wait for someone at a desk.
      "business-hours": [{ weekdays: ["monday:friday"], times: [{ start: "09:00", end: "18:00" }], location: "Europe/Berlin" }],
      // The monthly database maintenance: the first Sunday night of the month.
      "db-maintenance": [{ weekdays: ["sunday"], daysOfMonth: ["1:7"], times: [{ start: "02:00", end: "04:00" }], location: "Europe/Berlin" }],
    },
    receivers: {
      // Staging alerts are for the curious, never for the on-call.
      "staging-quiet": { slack: { channel: "#alerts-staging", apiUrlFile: "/etc/alertmanager/secrets/slack-alerts-staging-webhook-url" }, sendResolved: false },
    },
    routes: [{ match: { env: "staging" }, receiver: "staging-quiet" }],
    routingTests: [
      { labels: { team: "payments", severity: "page", env: "staging" }, receivers: ["staging-quiet"] },
      { labels: { team: "payments", severity: "page", env: "production" }, receivers: ["payments-page"] },
      { labels: { team: "web", severity: "ticket" }, receivers: ["web-ticket"] },
    ],
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
