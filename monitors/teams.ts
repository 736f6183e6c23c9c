import { defineTeam } from "vigil";

// Every secret (PagerDuty routing keys, Slack webhook URLs, Opsgenie API keys) lives in a
// file mounted into Alertmanager from the `alertmanager-secrets` Kubernetes secret; the
// monitors only name the files. Never paste a key or a webhook URL here.
const SECRETS = "/etc/alertmanager/secrets";

/** Checkout, payment processing, reconciliation with the bank, the Stripe integration. */
export const payments = defineTeam({
  name: "payments",
  contact: "#payments",
  receivers: {
    page: {
      pagerduty: { routingKeyFile: `${SECRETS}/pagerduty-payments-routing-key`, severity: "critical" },
      slack: { channel: "#payments-alerts", apiUrlFile: `${SECRETS}/slack-payments-alerts-webhook-url` },
    },
    ticket: {
      slack: { channel: "#payments-alerts", apiUrlFile: `${SECRETS}/slack-payments-alerts-webhook-url` },
      // The Jira bridge opens (and closes on resolve) a ticket in the PAY project.
      webhook: { url: "https://jira-bridge.acme.example/alertmanager/PAY" },
    },
    info: {
      email: { to: "payments-alerts@acme.example" },
      sendResolved: false,
    },
  },
  escalation: [
    "Payments primary on-call (PagerDuty schedule \"Payments Primary\")",
    { who: "Payments secondary on-call (PagerDuty schedule \"Payments Secondary\")", after: "15m" },
    { who: "Priya Raman, payments engineering manager", after: "30m" },
    { who: "Marco Delgado, head of engineering", after: "1h" },
  ],
  repeatInterval: "3h",
  // Payment pages repeat every 30 minutes: money is lost while they fire.
  timing: { page: { repeatInterval: "30m" } },
  routingTests: [
    { labels: { team: "payments", severity: "ticket", service: "checkout-api" }, receivers: ["payments-ticket"] },
    { labels: { team: "payments", severity: "info" }, receivers: ["payments-info"] },
  ],
});

/** Shared infrastructure: databases, caches, Kubernetes, the observability stack itself. */
export const platform = defineTeam({
  name: "platform",
  contact: "#platform",
  receivers: {
    page: {
      pagerduty: { routingKeyFile: `${SECRETS}/pagerduty-platform-routing-key`, severity: "critical" },
    },
    ticket: {
      slack: { channel: "#platform-alerts", apiUrlFile: `${SECRETS}/slack-platform-alerts-webhook-url` },
      email: { to: "platform-team@acme.example" },
    },
    info: {
      slack: { channel: "#platform-noise", apiUrlFile: `${SECRETS}/slack-platform-noise-webhook-url` },
      sendResolved: false,
    },
  },
  escalation: [
    "Platform primary on-call (PagerDuty schedule \"Platform Primary\")",
    { who: "Platform secondary on-call (PagerDuty schedule \"Platform Secondary\")", after: "15m" },
    { who: "Jonas Berg, platform tech lead", after: "30m" },
    { who: "Marco Delgado, head of engineering", after: "1h" },
  ],
  groupBy: ["alertname", "team", "service", "instance"],
  // Platform tickets wait for office hours; nothing notifies during the planned database maintenance.
  activeDuring: { ticket: ["business-hours"] },
  muteDuring: ["db-maintenance"],
});

/** The storefront: the Next.js web app, its edge and its client-side performance. */
export const web = defineTeam({
  name: "web",
  contact: "#web-team",
  receivers: {
    page: {
      opsgenie: { apiKeyFile: `${SECRETS}/opsgenie-web-api-key`, priority: "P1" },
      // The web team moves to VictorOps this quarter: both page until the migration is done.
      victorops: { apiKeyFile: `${SECRETS}/victorops-api-key`, routingKey: "web-primary" },
      slack: { channel: "#web-alerts", apiUrlFile: `${SECRETS}/slack-web-alerts-webhook-url` },
    },
    ticket: {
      opsgenie: { apiKeyFile: `${SECRETS}/opsgenie-web-api-key`, priority: "P3" },
      slack: { channel: "#web-alerts", apiUrlFile: `${SECRETS}/slack-web-alerts-webhook-url` },
    },
    info: {
      slack: { channel: "#web-alerts", apiUrlFile: `${SECRETS}/slack-web-alerts-webhook-url` },
      sendResolved: false,
    },
  },
  escalation: [
    "Web on-call (Opsgenie rotation \"web-primary\")",
    { who: "Aiko Tanaka, web tech lead", after: "20m" },
    { who: "Sam Okafor, web engineering manager", after: "45m" },
  ],
});

/** Search and recommendations: the recommendation API in us, eu and asia (docs/tutorial-multi-region-api.md). */
export const search = defineTeam({
  name: "search",
  contact: "#search",
  receivers: {
    // Pages (critical) go to PagerDuty; warnings (tickets) to Slack; info to a daily e-mail digest.
    page: {
      pagerduty: { routingKeyFile: `${SECRETS}/pagerduty-search-routing-key`, severity: "critical" },
      slack: { channel: "#search-alerts", apiUrlFile: `${SECRETS}/slack-search-alerts-webhook-url` },
    },
    ticket: {
      slack: { channel: "#search-alerts", apiUrlFile: `${SECRETS}/slack-search-alerts-webhook-url` },
    },
    info: {
      email: { to: "search-digest@acme.example" },
      sendResolved: false,
    },
  },
  escalation: [
    "Search primary on-call (PagerDuty schedule \"Search Primary\")",
    { who: "Search secondary on-call (PagerDuty schedule \"Search Secondary\")", after: "15m" },
    { who: "Lena Fischer, search engineering manager", after: "30m" },
    { who: "Marco Delgado, head of engineering", after: "1h" },
  ],
  // One notification per region: an outage in eu and one in asia are two incidents.
  groupBy: ["alertname", "team", "service", "region"],
  // Re-notification: a page repeats every 30 minutes while it fires, a ticket every 4 hours;
  // the info route batches a day of alerts into one e-mail (the digest) and repeats weekly.
  timing: {
    page: { groupWait: "30s", groupInterval: "5m", repeatInterval: "30m" },
    ticket: { groupWait: "2m", groupInterval: "15m", repeatInterval: "4h" },
    info: { groupWait: "1h", groupInterval: "24h", repeatInterval: "1w" },
  },
  routingTests: [
    { labels: { team: "search", severity: "page", service: "recommendation-api", region: "eu" }, receivers: ["search-page"] },
    { labels: { team: "search", severity: "ticket", service: "recommendation-api", region: "asia" }, receivers: ["search-ticket"] },
    { labels: { team: "search", severity: "info", service: "recommendation-api" }, receivers: ["search-info"] },
  ],
});
