import { DashboardBuilder, DashboardCursorSync, DatasourceVariableBuilder, RowBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { DataqueryBuilder } from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder } from "@grafana/grafana-foundation-sdk/timeseries";
import { counter, defineRecordingRule, defineService, gauge, histogram, promql } from "vigil";
import { payments } from "../teams.js";

// Stripe is not ours, so we watch it from two sides:
// - blackbox_exporter probes https://api.stripe.com/v1/charges from inside the cluster every
//   15s (scrape job "blackbox-stripe", module http_stripe which expects the 401 of an
//   unauthenticated call: DNS, TLS and Stripe's edge are all exercised);
// - @acme/stripe-client, the wrapper checkout-api and payment-worker use for every Stripe
//   call, exposes stripe_client_* with the calling app in the "app" label.
const probeSuccess = gauge("probe_success", { help: "Whether the blackbox probe succeeded (1) or not (0)." });
const probeDuration = gauge("probe_duration_seconds", { help: "Total duration of the probe.", unit: "seconds" });
const probePhase = gauge("probe_http_duration_seconds", {
  help: "Duration of each phase of the HTTP probe: resolve, connect, tls, processing, transfer.",
  labels: ["phase"],
  unit: "seconds",
});
const probeStatus = gauge("probe_http_status_code", { help: "HTTP status code of the probe's response." });
const certExpiry = gauge("probe_ssl_earliest_cert_expiry", {
  help: "Unix time at which the first certificate of the chain presented to the probe expires.",
  unit: "seconds",
});

const calls = counter("stripe_client_requests_total", {
  help: "Calls to the Stripe API by calling app, endpoint and HTTP status (\"network_error\" when no response came back).",
  labels: ["app", "endpoint", "status"],
  unit: "requests",
});
const callDuration = histogram("stripe_client_request_duration_seconds", {
  help: "Duration of Stripe API calls, retries included.",
  labels: ["app", "endpoint"],
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  unit: "seconds",
});
const breakerOpen = gauge("stripe_client_circuit_breaker_open", {
  help: "1 while the client's circuit breaker is open and calls fail fast without reaching Stripe.",
  labels: ["app"],
});

const PROBE = '{job="blackbox-stripe"}';
const STATUS = "Check https://status.stripe.com and the #stripe-status channel (Stripe status RSS feed) for an ongoing incident.";

const endpointRate = defineRecordingRule({
  record: "app_endpoint_status:stripe_client_requests:rate5m",
  expr: promql`sum by (app, endpoint, status) (rate(${calls}[5m]))`,
});

const dashboard = new DashboardBuilder("Stripe: dependency health")
  .uid("stripe-gateway-dependency")
  .description("Stripe as seen from Acme: blackbox probes from the cluster and the calls of checkout-api and payment-worker.")
  .tags(["payments", "stripe", "dependency"])
  .time({ from: "now-6h", to: "now" })
  .refresh("1m")
  .tooltip(DashboardCursorSync.Crosshair)
  .withVariable(new DatasourceVariableBuilder("datasource").label("Data source").type("prometheus"))
  .withRow(new RowBuilder("Blackbox probes"))
  .withPanel(
    new PanelBuilder()
      .title("Probe success (5m average)")
      .description("StripeGatewayProbeFailing pages below 50%.")
      .datasource({ type: "prometheus", uid: "${datasource}" })
      .unit("percentunit")
      .min(0)
      .max(1)
      .span(12)
      .withTarget(new DataqueryBuilder().expr(`avg_over_time(probe_success${PROBE}[5m])`).legendFormat("{{instance}}")),
  )
  .withPanel(
    new PanelBuilder()
      .title("Probe duration by phase")
      .datasource({ type: "prometheus", uid: "${datasource}" })
      .unit("s")
      .span(12)
      .withTarget(new DataqueryBuilder().expr(`sum by (phase) (probe_http_duration_seconds${PROBE})`).legendFormat("{{phase}}")),
  )
  .withRow(new RowBuilder("API calls"))
  .withPanel(
    new PanelBuilder()
      .title("Calls per second by status")
      .datasource({ type: "prometheus", uid: "${datasource}" })
      .unit("reqps")
      .span(12)
      .withTarget(new DataqueryBuilder().expr("sum by (status) (rate(stripe_client_requests_total[$__rate_interval]))").legendFormat("{{status}}")),
  )
  .withPanel(
    new PanelBuilder()
      .title("Call latency p99 by endpoint")
      .datasource({ type: "prometheus", uid: "${datasource}" })
      .unit("s")
      .span(12)
      .withTarget(
        new DataqueryBuilder()
          .expr("histogram_quantile(0.99, sum by (endpoint, le) (rate(stripe_client_request_duration_seconds_bucket[$__rate_interval])))")
          .legendFormat("{{endpoint}}"),
      ),
  )
  .withPanel(
    new PanelBuilder()
      .title("Error ratio (5xx and network errors)")
      .datasource({ type: "prometheus", uid: "${datasource}" })
      .unit("percentunit")
      .span(12)
      .withTarget(
        new DataqueryBuilder()
          .expr('sum(rate(stripe_client_requests_total{status=~"5..|network_error"}[$__rate_interval])) / sum(rate(stripe_client_requests_total[$__rate_interval]))')
          .legendFormat("errors"),
      ),
  )
  .withPanel(
    new PanelBuilder()
      .title("Circuit breakers open")
      .datasource({ type: "prometheus", uid: "${datasource}" })
      .unit("short")
      .span(12)
      .withTarget(new DataqueryBuilder().expr("max by (app) (stripe_client_circuit_breaker_open)").legendFormat("{{app}}")),
  );

export default defineService({
  name: "stripe-gateway",
  team: payments,
  selector: { job: "blackbox-stripe" },
  description:
    "Stripe, our payment service provider, as a dependency: reachability of api.stripe.com from the cluster (blackbox probes) and the health of the calls checkout-api and payment-worker make to it. We cannot fix Stripe; these alerts tell us when to switch to degraded mode and tell customers.",
  metrics: [probeSuccess, probeDuration, probePhase, probeStatus, certExpiry, calls, callDuration, breakerOpen],

  recordingRules: [
    endpointRate,
    {
      record: "endpoint_le:stripe_client_request_duration_seconds_bucket:rate5m",
      expr: promql`sum by (endpoint, le) (rate(${callDuration}_bucket[5m]))`,
    },
  ],

  alerts: [
    {
      name: "StripeGatewayProbeFailing",
      expr: `avg_over_time(probe_success${PROBE}[5m]) < 0.5`,
      for: "5m",
      severity: "page",
      summary: "Stripe API probes are failing.",
      description: "Only {{ $value | humanizePercentage }} of the probes of {{ $labels.instance }} succeeded over the last 5 minutes.",
      tests: [
        {
          name: "fires when every probe fails",
          series: { 'probe_success{job="blackbox-stripe", instance="https://api.stripe.com/v1/charges"}': "1 1 0x12" },
          at: "12m",
          fires: [{ labels: { job: "blackbox-stripe", instance: "https://api.stripe.com/v1/charges" }, value: 0 }],
        },
        {
          name: "stays quiet when one probe in six fails",
          series: { 'probe_success{job="blackbox-stripe", instance="https://api.stripe.com/v1/charges"}': "1 1 1 1 1 0 1 1 1 1 1 0 1 1 1" },
          at: "12m",
          fires: false,
        },
      ],
      runbook: {
        summary: "The blackbox probe cannot reach the Stripe API from the cluster, or gets an unexpected answer.",
        impact: "Card payments fail or hang at checkout; captures and refunds are retried by payment-worker.",
        triage: [
          STATUS,
          {
            step: "Which phase fails? A failing `resolve` is our DNS, `connect` or `tls` is our egress (NAT gateway, proxy), `processing` is Stripe.",
            query: `probe_http_duration_seconds${PROBE}`,
          },
          {
            step: "What status code comes back? The probe expects 401; 5xx is Stripe, 403 is our egress proxy.",
            query: `probe_http_status_code${PROBE}`,
          },
          "Reproduce from a pod: `kubectl -n payments exec deploy/checkout-api -- curl -sS -o /dev/null -w '%{http_code} %{time_total}\\n' https://api.stripe.com/v1/charges`.",
          {
            step: "Do real calls fail too, or only the probe?",
            query: promql`sum by (status) (rate(${calls}[5m]))`,
          },
        ],
        mitigation: [
          "If Stripe has an incident: turn on the `checkout.psp-degraded-mode` flag in LaunchDarkly (the storefront shows \"Payments are delayed\" and orders are queued for later authorization), and post on the status page.",
          "If our egress is broken: page platform; the NAT gateways are in the `network` Terraform stack.",
          "If only the probe fails (real calls succeed), downgrade to a ticket and fix the blackbox module.",
        ],
        links: [
          { title: "Stripe status", url: "https://status.stripe.com" },
          { title: "Stripe dependency dashboard", url: "https://grafana.acme.example/d/stripe-gateway-dependency" },
        ],
      },
    },
    {
      name: "StripeGatewayProbeMissing",
      expr: `absent(probe_success${PROBE})`,
      for: "15m",
      severity: "ticket",
      summary: "Stripe API probes are not running.",
      description: "No probe_success series of job {{ $labels.job }} for 15 minutes: StripeGatewayProbeFailing cannot fire.",
      tests: [
        {
          name: "fires when only other probes are scraped",
          series: { 'probe_success{job="blackbox-storefront", instance="https://www.acme.example/"}': "1x20" },
          at: "20m",
          fires: [{ labels: { job: "blackbox-stripe" } }],
        },
        {
          name: "stays quiet while the probe is scraped, even failing",
          series: { 'probe_success{job="blackbox-stripe", instance="https://api.stripe.com/v1/charges"}': "0x20" },
          at: "20m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Prometheus does not scrape the Stripe probe any more.",
        triage: ["Check the Probe object: `kubectl -n monitoring get probe blackbox-stripe -o yaml`.", "Check blackbox_exporter: `kubectl -n monitoring get pods -l app=blackbox-exporter`."],
        mitigation: ["Restore the Probe from acme/k8s-manifests (`monitoring/probes/stripe.yaml`)."],
      },
    },
    {
      name: "StripeGatewaySlowProbe",
      expr: promql`avg_over_time(${probeDuration}${PROBE}[10m]) > 1`,
      for: "15m",
      severity: "ticket",
      summary: "Stripe API probes take more than 1 second.",
      description: "Probes of {{ $labels.instance }} took {{ $value | humanizeDuration }} on average over the last 10 minutes (usually 150ms).",
      tests: [
        {
          name: "fires when probes take 1.5 seconds",
          series: { 'probe_duration_seconds{job="blackbox-stripe", instance="https://api.stripe.com/v1/charges"}': "1.5x30" },
          at: "25m",
          fires: [{ labels: { job: "blackbox-stripe", instance: "https://api.stripe.com/v1/charges" }, value: 1.5 }],
        },
        {
          name: "stays quiet at the usual 150ms",
          series: { 'probe_duration_seconds{job="blackbox-stripe", instance="https://api.stripe.com/v1/charges"}': "0.15x30" },
          at: "25m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Reaching Stripe is slow. Checkout latency follows.",
        triage: [STATUS, { step: "Which phase is slow?", query: promql`avg_over_time(${probePhase}${PROBE}[10m])` }],
        mitigation: ["Nothing to do on our side if Stripe is slow; keep #payments informed. If `connect` is slow, ask platform to check the NAT gateways."],
      },
    },
    {
      name: "StripeGatewayHighErrorRate",
      expr: promql`sum(rate(${calls.where({ status: /5..|network_error/ })}[5m])) / sum(rate(${calls}[5m])) > 0.05`,
      for: "5m",
      severity: "page",
      summary: "More than 5% of Stripe API calls fail.",
      description: "{{ $value | humanizePercentage }} of calls to Stripe returned a 5xx or no response over the last 5 minutes.",
      tests: [
        {
          name: "fires when a tenth of the calls fail",
          series: {
            'stripe_client_requests_total{app="checkout-api", endpoint="/v1/payment_intents", status="503"}': "0+3x20",
            'stripe_client_requests_total{app="checkout-api", endpoint="/v1/payment_intents", status="network_error"}': "0+3x20",
            'stripe_client_requests_total{app="checkout-api", endpoint="/v1/payment_intents", status="200"}': "0+54x20",
          },
          at: "15m",
          fires: [{ value: 0.1 }],
        },
        {
          name: "stays quiet at 1% errors, declines (402) not counted",
          series: {
            'stripe_client_requests_total{app="checkout-api", endpoint="/v1/payment_intents", status="503"}': "0+1x20",
            'stripe_client_requests_total{app="checkout-api", endpoint="/v1/payment_intents", status="402"}': "0+20x20",
            'stripe_client_requests_total{app="checkout-api", endpoint="/v1/payment_intents", status="200"}': "0+79x20",
          },
          at: "15m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Our calls to Stripe fail with server errors or network errors.",
        impact: "Payments fail at checkout; the client retries idempotent calls, so latency rises first.",
        triage: [
          STATUS,
          { step: "Which endpoints and apps?", query: promql`sum by (app, endpoint, status) (rate(${calls.where({ status: /5..|network_error/ })}[5m]))` },
          "Read the request ids of failing calls in the logs (`stripe_request_id`) and send a few to Stripe support if they have no incident posted.",
        ],
        mitigation: ["Turn on `checkout.psp-degraded-mode` in LaunchDarkly if it lasts more than 10 minutes.", "Open a support case with Stripe (Dashboard > Support, priority Urgent) with the request ids."],
      },
    },
    {
      name: "StripeGatewayRateLimited",
      expr: promql`sum by (app) (rate(${calls.where({ status: "429" })}[5m])) > 1`,
      for: "10m",
      severity: "ticket",
      summary: "Stripe is rate-limiting our API calls.",
      description: "{{ $labels.app }} receives {{ $value | humanize }} rate-limited (429) responses per second from Stripe.",
      tests: [
        {
          name: "fires at 2 rate-limited calls per second",
          series: {
            'stripe_client_requests_total{app="payment-worker", endpoint="/v1/refunds", status="429"}': "0+60x30",
            'stripe_client_requests_total{app="payment-worker", endpoint="/v1/payment_intents", status="429"}': "0+60x30",
          },
          at: "20m",
          fires: [{ labels: { app: "payment-worker" }, value: 2 }],
        },
        {
          name: "stays quiet at 0.5 per second",
          series: { 'stripe_client_requests_total{app="payment-worker", endpoint="/v1/refunds", status="429"}': "0+30x30" },
          at: "20m",
          fires: false,
        },
      ],
      runbook: {
        summary: "We exceed Stripe's rate limit (100 read and 100 write operations per second in live mode).",
        impact: "Calls are retried with backoff; checkout is slower and some background jobs fail.",
        triage: [
          { step: "Which endpoints do we call most?", query: promql`topk(5, sum by (app, endpoint) (rate(${calls}[5m])))` },
          "A loop in payment-worker retries or the nightly reconciliation export hammering `/v1/balance_transactions` are the usual causes.",
        ],
        mitigation: ["Pause the offending batch job (`kubectl -n payments patch cronjob <name> -p '{\"spec\":{\"suspend\":true}}'`) or scale payment-worker down."],
      },
    },
    {
      name: "StripeGatewayHighLatency",
      expr: promql`histogram_quantile(0.99, sum by (endpoint, le) (rate(${callDuration}_bucket[5m]))) > 2.5`,
      for: "15m",
      severity: "ticket",
      summary: "Stripe API calls take more than 2.5 seconds at p99.",
      description: "Calls to Stripe endpoint {{ $labels.endpoint }} take {{ $value | humanizeDuration }} at p99.",
      tests: [
        {
          name: "fires when every call takes between 2.5s and 5s",
          series: {
            'stripe_client_request_duration_seconds_bucket{app="checkout-api", endpoint="/v1/payment_intents", le="2.5"}': "0x30",
            'stripe_client_request_duration_seconds_bucket{app="checkout-api", endpoint="/v1/payment_intents", le="5"}': "0+60x30",
            'stripe_client_request_duration_seconds_bucket{app="checkout-api", endpoint="/v1/payment_intents", le="+Inf"}': "0+60x30",
          },
          at: "25m",
          // p99 = 2.5 + (5 - 2.5) x 0.99
          fires: [{ labels: { endpoint: "/v1/payment_intents" }, value: 4.975 }],
        },
        {
          name: "stays quiet when calls take less than 1s",
          series: {
            'stripe_client_request_duration_seconds_bucket{app="checkout-api", endpoint="/v1/payment_intents", le="1"}': "0+60x30",
            'stripe_client_request_duration_seconds_bucket{app="checkout-api", endpoint="/v1/payment_intents", le="2.5"}': "0+60x30",
            'stripe_client_request_duration_seconds_bucket{app="checkout-api", endpoint="/v1/payment_intents", le="5"}': "0+60x30",
            'stripe_client_request_duration_seconds_bucket{app="checkout-api", endpoint="/v1/payment_intents", le="+Inf"}': "0+60x30",
          },
          at: "25m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Calls to one Stripe endpoint are slow, retries included.",
        triage: [STATUS, "Compare with the probe duration: if the probe is fast, the slowness is in our retries or in that endpoint."],
        mitigation: ["Nothing to fix on our side if Stripe is slow; tell #payments."],
      },
    },
    {
      name: "StripeGatewayCircuitBreakerOpen",
      expr: promql`max by (app) (${breakerOpen}) == 1`,
      for: "2m",
      severity: "page",
      summary: "A Stripe client circuit breaker is open.",
      description: "The Stripe circuit breaker of {{ $labels.app }} has been open for 2 minutes: its Stripe calls fail fast.",
      tests: [
        {
          name: "fires when one pod's breaker stays open",
          series: {
            'stripe_client_circuit_breaker_open{job="checkout-api", instance="10.1.0.11:9102", app="checkout-api"}': "0 0 1x8",
            'stripe_client_circuit_breaker_open{job="checkout-api", instance="10.1.0.12:9102", app="checkout-api"}': "0x10",
          },
          at: "6m",
          fires: [{ labels: { app: "checkout-api" } }],
        },
        {
          name: "stays quiet when the breaker opens for a minute",
          series: { 'stripe_client_circuit_breaker_open{job="checkout-api", instance="10.1.0.11:9102", app="checkout-api"}': "0 0 1 0x7" },
          at: "6m",
          fires: false,
        },
      ],
      runbook: {
        summary: "The client stopped calling Stripe after too many failures and fails every call until a probe call succeeds (every 30s).",
        impact: "Every payment through that app fails immediately.",
        triage: [STATUS, { step: "What failed before the breaker opened?", query: promql`sum by (status) (rate(${calls}[10m]))` }],
        mitigation: [
          "If Stripe has recovered but the breaker stays open, restart the app's pods (`kubectl -n <namespace> rollout restart deploy/<app>`).",
          "Otherwise turn on `checkout.psp-degraded-mode` in LaunchDarkly.",
        ],
      },
    },
    {
      name: "StripeGatewayCertificateExpiringSoon",
      expr: promql`${certExpiry}${PROBE} - time() < 14 * 86400`,
      for: "1h",
      severity: "info",
      summary: "The certificate presented for the Stripe API expires within 14 days.",
      description: "The certificate chain presented for {{ $labels.instance }} expires in {{ $value | humanizeDuration }}.",
      tests: [
        {
          // time() is 0 at the start of a test: the certificate expires 7 days after it.
          name: "fires for a certificate that expires in a week",
          series: { 'probe_ssl_earliest_cert_expiry{job="blackbox-stripe", instance="https://api.stripe.com/v1/charges"}': "604800x100" },
          at: "90m",
          fires: [{ labels: { job: "blackbox-stripe", instance: "https://api.stripe.com/v1/charges" }, value: 599400 }],
        },
        {
          name: "stays quiet for a certificate valid 60 more days",
          series: { 'probe_ssl_earliest_cert_expiry{job="blackbox-stripe", instance="https://api.stripe.com/v1/charges"}': "5184000x100" },
          at: "90m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Stripe renews its certificates long before they expire, so this usually means our egress proxy intercepts TLS with its own certificate.",
        triage: ["Show the chain: `openssl s_client -connect api.stripe.com:443 -servername api.stripe.com </dev/null | openssl x509 -noout -issuer -enddate`."],
        mitigation: ["If the issuer is our proxy, ask platform to renew its CA or exclude api.stripe.com from interception."],
      },
    },
  ],

  slos: [
    {
      name: "api-reachable",
      objective: 99.9,
      description:
        "Card payments can reach Stripe: the Stripe API answers our probes from inside the cluster 99.9% of the time, over any 30 days (about 43 minutes of unreachability a month). It covers Stripe and our own path to it (DNS, egress).",
      sli: { probe: probeSuccess.where({ job: "blackbox-stripe" }) },
      alerting: {
        // Stripe is not ours to fix, and StripeGatewayProbeFailing already pages within minutes of an
        // outage: this SLO only opens tickets. One alert per tier, so that the ticket says whether
        // the budget burns over the last day (1d window: act this week) or slowly over three days
        // (3d window: raise it with Stripe).
        page: false,
        per: "tier",
      },
      runbook: {
        triage: [
          STATUS,
          {
            step: "Which probe phase fails? `resolve` is our DNS, `connect` or `tls` our egress (NAT gateways, proxy), `processing` is Stripe.",
            query: `probe_http_duration_seconds${PROBE}`,
          },
          {
            step: "Do real calls fail too, or only the probe? If real calls succeed, the blackbox module is wrong, not Stripe.",
            query: promql`sum by (status) (rate(${calls.where({ status: /5..|network_error/ })}[1h]))`,
          },
        ],
        mitigation: [
          "If Stripe had incidents: collect their status-page links and our probe failure windows in the ticket, for the quarterly review with our Stripe account manager.",
          "If our egress failed: hand the ticket to platform (NAT gateways in the `network` Terraform stack).",
        ],
      },
    },
  ],

  dashboards: [dashboard],
});
