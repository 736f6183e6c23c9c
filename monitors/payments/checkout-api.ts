import { counter, defineService, gauge, histogram, promql } from "vigil";
import { payments } from "../teams.js";

// Metrics exposed by checkout-api on :9102/metrics (prom-client, see src/metrics.ts in acme/checkout).
const requests = counter("checkout_http_requests_total", {
  help: "HTTP requests served by checkout-api, by route template, method and status code.",
  labels: ["route", "method", "code"],
  unit: "requests",
});

const latency = histogram("checkout_http_request_duration_seconds", {
  help: "Time from reading the request line to writing the last byte of the response.",
  labels: ["route", "method"],
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  unit: "seconds",
});

const inFlight = gauge("checkout_http_requests_in_flight", {
  help: "Requests being served right now.",
});

const orders = counter("checkout_orders_total", {
  help: "Checkout attempts that reached a final state: completed, declined (by the card issuer) or failed (our side).",
  labels: ["outcome", "payment_method"],
  unit: "orders",
});

const authorization = histogram("checkout_payment_authorization_duration_seconds", {
  help: "Time to get an authorization decision from the payment gateway, seen from checkout-api.",
  labels: ["payment_method"],
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  unit: "seconds",
});

const poolInUse = gauge("checkout_db_pool_connections_in_use", {
  help: "Connections of the orders-postgres pool checked out by a request.",
  labels: ["pool"],
});

const poolMax = gauge("checkout_db_pool_connections_max", {
  help: "Size of the orders-postgres connection pool (PG_POOL_MAX).",
  labels: ["pool"],
});

const DASHBOARD = "https://grafana.acme.example/d/checkout-api-red";

export default defineService({
  name: "checkout-api",
  team: payments,
  // While one of these is down, this service\'s alerts are symptoms and stay quiet.
  dependsOn: ["orders-postgres", "session-redis"],
  description:
    "Public REST API behind the storefront's cart and checkout pages: prices the cart, creates the order in orders-postgres and authorizes the payment through stripe-gateway. Every euro of revenue goes through it.",
  metrics: [requests, latency, inFlight, orders, authorization, poolInUse, poolMax],
  // Tier-1 service: its rules are evaluated every 30s so that pages go out sooner.
  labels: { tier: "1" },
  interval: "30s",

  recordingRules: [
    {
      record: "route_code:checkout_http_requests:rate5m",
      expr: promql`sum by (route, code) (rate(${requests}[5m]))`,
    },
    {
      record: "job:checkout_http_requests_errors:ratio_rate5m",
      expr: promql`sum by (job) (rate(${requests.where({ code: /5../ })}[5m])) / sum by (job) (rate(${requests}[5m]))`,
    },
    {
      record: "job_le:checkout_http_request_duration_seconds_bucket:rate5m",
      expr: promql`sum by (job, le) (rate(${latency.where({ route: { not: "/healthz" } }).render("_bucket")}[5m]))`,
    },
    {
      // Uses the rule above: rules of a service are evaluated in order.
      record: "job:checkout_http_request_duration_seconds:p99_5m",
      expr: "histogram_quantile(0.99, job_le:checkout_http_request_duration_seconds_bucket:rate5m)",
    },
  ],

  alerts: [
    {
      name: "CheckoutApiHighErrorRate",
      expr: promql`sum(rate(${requests.where({ code: /5../ })}[5m])) / sum(rate(${requests}[5m])) > 0.02`,
      for: "5m",
      severity: "page",
      summary: "Checkout API is failing more than 2% of requests.",
      description: "{{ $value | humanizePercentage }} of checkout-api requests returned a 5xx over the last 5 minutes (threshold 2%).",
      tests: [
        {
          name: "fires when 5% of requests fail for 5 minutes",
          series: {
            'checkout_http_requests_total{job="checkout-api", route="/api/cart", method="POST", code="503"}': "0+3x20",
            'checkout_http_requests_total{job="checkout-api", route="/api/cart", method="POST", code="200"}': "0+57x20",
          },
          at: "15m",
          fires: [{ value: 0.05 }],
        },
        {
          name: "stays quiet at 1% errors",
          series: {
            'checkout_http_requests_total{job="checkout-api", route="/api/cart", method="POST", code="503"}': "0+1x20",
            'checkout_http_requests_total{job="checkout-api", route="/api/cart", method="POST", code="200"}': "0+99x20",
          },
          at: "15m",
          fires: false,
        },
      ],
      runbook: {
        summary: "A sustained share of checkout requests ends in a server error. Customers cannot pay.",
        impact: "Customers see \"Something went wrong\" on the payment step; every failed request is a lost or retried order.",
        triage: [
          {
            step: "Find the failing routes and status codes. A single route points at one dependency; all routes point at a bad deploy or the database.",
            query: promql`sum by (route, code) (rate(${requests.where({ code: /5../ })}[5m]))`,
          },
          "Check whether a deploy just happened: `kubectl -n checkout rollout history deploy/checkout-api` and the #deploys channel. Errors that start within minutes of a rollout are almost always the rollout.",
          "Read the errors: `kubectl -n checkout logs -l app=checkout-api --since=15m | grep '\"level\":\"error\"' | jq -r .err.message | sort | uniq -c | sort -rn | head`.",
          {
            step: "Check the dependencies: is orders-postgres saturated, or is the Stripe gateway failing?",
            query: 'ALERTS{alertstate="firing", service=~"orders-postgres|stripe-gateway|session-redis"}',
          },
        ],
        mitigation: [
          "If a deploy caused it, roll back: `kubectl -n checkout rollout undo deploy/checkout-api` (or `argocd app rollback checkout-api`), then watch the error ratio fall on the dashboard.",
          "If one pod is bad (OOM loops, stuck connections), delete it: `kubectl -n checkout delete pod <pod>`.",
          "If Stripe is failing, follow the StripeGatewayProbeFailing runbook; checkout-api will keep failing until it recovers or PSP failover is switched on.",
          "If the database is the cause, page platform (orders-postgres) and scale checkout-api down rather than up: more pods means more connections.",
        ],
        links: [{ title: "Checkout API dashboard", url: DASHBOARD }],
      },
    },
    {
      name: "CheckoutApiHighLatency",
      expr: promql`histogram_quantile(0.99, sum by (le) (rate(${latency.where({ route: { not: "/healthz" } }).render("_bucket")}[5m]))) > 2.5`,
      for: "10m",
      severity: "page",
      summary: "Checkout API p99 latency is above 2.5 seconds.",
      description: "The 99th percentile of checkout-api request latency is {{ $value | humanizeDuration }} (SLO 2.5s) over the last 5 minutes.",
      tests: [
        {
          name: "fires when every request takes between 2.5s and 5s",
          series: {
            'checkout_http_request_duration_seconds_bucket{job="checkout-api", route="/api/cart", method="POST", le="1"}': "0x30",
            'checkout_http_request_duration_seconds_bucket{job="checkout-api", route="/api/cart", method="POST", le="2.5"}': "0x30",
            'checkout_http_request_duration_seconds_bucket{job="checkout-api", route="/api/cart", method="POST", le="5"}': "0+60x30",
            'checkout_http_request_duration_seconds_bucket{job="checkout-api", route="/api/cart", method="POST", le="+Inf"}': "0+60x30",
          },
          at: "20m",
          // p99 = 2.5 + (5 - 2.5) x 0.99
          fires: [{ value: 4.975 }],
        },
        {
          name: "ignores slow health checks",
          series: {
            'checkout_http_request_duration_seconds_bucket{job="checkout-api", route="/api/cart", method="POST", le="1"}': "0+60x30",
            'checkout_http_request_duration_seconds_bucket{job="checkout-api", route="/api/cart", method="POST", le="2.5"}': "0+60x30",
            'checkout_http_request_duration_seconds_bucket{job="checkout-api", route="/api/cart", method="POST", le="5"}': "0+60x30",
            'checkout_http_request_duration_seconds_bucket{job="checkout-api", route="/api/cart", method="POST", le="+Inf"}': "0+60x30",
            'checkout_http_request_duration_seconds_bucket{job="checkout-api", route="/healthz", method="GET", le="1"}': "0x30",
            'checkout_http_request_duration_seconds_bucket{job="checkout-api", route="/healthz", method="GET", le="2.5"}': "0x30",
            'checkout_http_request_duration_seconds_bucket{job="checkout-api", route="/healthz", method="GET", le="5"}': "0x30",
            'checkout_http_request_duration_seconds_bucket{job="checkout-api", route="/healthz", method="GET", le="+Inf"}': "0+600x30",
          },
          at: "20m",
          fires: false,
        },
      ],
      runbook: {
        summary: "One request in a hundred takes longer than 2.5s. The storefront times out checkout calls after 10s, so errors usually follow.",
        impact: "Slow payment page; customers double-click \"Pay\" and some abandon their cart.",
        triage: [
          {
            step: "Which routes are slow? The payment route is slow when the gateway is slow; every route is slow when the database or the pods are.",
            query: promql`histogram_quantile(0.99, sum by (route, le) (rate(${latency}_bucket[5m])))`,
          },
          {
            step: "Compare with the payment authorization latency: if it tracks the API latency, the time is spent at Stripe.",
            query: promql`histogram_quantile(0.99, sum by (le) (rate(${authorization}_bucket[5m])))`,
          },
          {
            step: "Check the database pool: requests waiting for a connection show up as latency first.",
            query: promql`max by (instance) (${poolInUse} / ${poolMax})`,
          },
          "Check CPU throttling of the pods in the \"Kubernetes / Compute Resources / Workload\" dashboard (namespace checkout, workload checkout-api).",
        ],
        mitigation: [
          "If the pods are CPU-bound, scale out: `kubectl -n checkout scale deploy/checkout-api --replicas=<current + 50%>` (the HPA maximum is 24).",
          "If the pool is exhausted, see CheckoutApiDbPoolSaturated.",
          "If Stripe is slow, there is nothing to fix on our side: post in #payments and follow StripeGatewaySlowProbe.",
        ],
        links: [{ title: "Checkout API dashboard", url: DASHBOARD }],
      },
    },
    {
      name: "CheckoutApiSlowRoute",
      expr: promql`histogram_quantile(0.95, sum by (route, le) (rate(${latency}_bucket[10m]))) > 1 and on (route) sum by (route) (rate(${requests}[10m])) > 0.1`,
      for: "15m",
      severity: "ticket",
      summary: "A checkout API route has a p95 latency above 1 second.",
      description: "Route {{ $labels.route }} of checkout-api has a p95 latency of {{ $value | humanizeDuration }} over the last 10 minutes.",
      tests: [
        {
          name: "fires for a slow route with traffic",
          series: {
            'checkout_http_request_duration_seconds_bucket{job="checkout-api", route="/api/orders", method="GET", le="1"}': "0x40",
            'checkout_http_request_duration_seconds_bucket{job="checkout-api", route="/api/orders", method="GET", le="2.5"}': "0+60x40",
            'checkout_http_request_duration_seconds_bucket{job="checkout-api", route="/api/orders", method="GET", le="+Inf"}': "0+60x40",
            'checkout_http_requests_total{job="checkout-api", route="/api/orders", method="GET", code="200"}': "0+60x40",
          },
          at: "30m",
          // p95 = 1 + (2.5 - 1) x 0.95
          fires: [{ labels: { route: "/api/orders" }, value: 2.425 }],
        },
        {
          name: "stays quiet on a slow route with less than 0.1 request per second",
          series: {
            'checkout_http_request_duration_seconds_bucket{job="checkout-api", route="/api/orders", method="GET", le="1"}': "0x40",
            'checkout_http_request_duration_seconds_bucket{job="checkout-api", route="/api/orders", method="GET", le="2.5"}': "0+3x40",
            'checkout_http_request_duration_seconds_bucket{job="checkout-api", route="/api/orders", method="GET", le="+Inf"}': "0+3x40",
            'checkout_http_requests_total{job="checkout-api", route="/api/orders", method="GET", code="200"}': "0+3x40",
          },
          at: "30m",
          fires: false,
        },
      ],
      runbook: {
        summary: "One route is slower than its budget while the API as a whole may be fine. Usually a slow query or a new N+1.",
        impact: "Customers using that page wait; no errors yet.",
        triage: [
          "Open the trace search in Tempo for `service.name=checkout-api` and the route of the alert, sorted by duration, and look at the slowest spans.",
          "Look for slow statements in orders-postgres: `SELECT query, mean_exec_time, calls FROM pg_stat_statements ORDER BY mean_exec_time DESC LIMIT 10;` on the primary.",
          {
            step: "Check whether the route got more traffic than usual (a crawler, a marketing campaign).",
            query: promql`sum by (route) (rate(${requests}[10m]))`,
          },
        ],
        mitigation: [
          "Roll back the deploy that introduced the regression, or add the missing index with `CREATE INDEX CONCURRENTLY` after review in #platform.",
          "Open a ticket for the team with the slow trace attached if no quick fix exists.",
        ],
      },
    },
    {
      name: "CheckoutApiDown",
      // The whole service is down: the alerts of the services that need it are symptoms.
      serviceDown: true,
      expr: 'sum by (job) (up{job="checkout-api"}) == 0 or absent(up{job="checkout-api"})',
      for: "2m",
      severity: "page",
      summary: "Checkout API has no healthy target.",
      description: "Prometheus could not scrape any {{ $labels.job }} pod for 2 minutes: all pods are down or gone from service discovery.",
      tests: [
        {
          name: "fires when every pod is down",
          series: {
            'up{job="checkout-api", instance="10.1.0.11:9102"}': "0x10",
            'up{job="checkout-api", instance="10.1.0.12:9102"}': "0x10",
          },
          at: "5m",
          fires: [{ labels: { job: "checkout-api" } }],
        },
        {
          name: "fires when no pod is discovered",
          series: { 'up{job="storefront-web", instance="10.2.0.11:3000"}': "1x10" },
          at: "5m",
          fires: [{ labels: { job: "checkout-api" } }],
        },
        {
          name: "stays quiet while one pod is up",
          series: {
            'up{job="checkout-api", instance="10.1.0.11:9102"}': "0x10",
            'up{job="checkout-api", instance="10.1.0.12:9102"}': "1x10",
          },
          at: "5m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Prometheus cannot scrape any checkout-api pod. Either the service is down or its pods are no longer discovered.",
        impact: "If the pods are really down, nobody can check out: total revenue outage.",
        triage: [
          "Check the pods: `kubectl -n checkout get pods -l app=checkout-api -o wide`. CrashLoopBackOff or Pending tells you where to look next.",
          "Describe a failing pod: `kubectl -n checkout describe pod <pod>` (image pull errors, failing readiness probes, OOMKilled).",
          "Try the public health endpoint: `curl -sS -o /dev/null -w '%{http_code}\\n' https://api.acme.example/checkout/healthz`. If it answers 200, the service is up and only scraping is broken (ServiceMonitor, network policy).",
        ],
        mitigation: [
          "Roll back the last deploy: `kubectl -n checkout rollout undo deploy/checkout-api`.",
          "If pods are Pending for lack of capacity, page platform: the node pool needs to scale.",
          "If only scraping is broken, downgrade to a ticket for platform and keep watching the storefront error rate.",
        ],
      },
    },
    {
      name: "CheckoutApiInstanceDown",
      expr: 'up{job="checkout-api"} == 0',
      for: "10m",
      severity: "ticket",
      summary: "A checkout API pod cannot be scraped.",
      description: "Prometheus has failed to scrape {{ $labels.instance }} (job {{ $labels.job }}) for 10 minutes.",
      tests: [
        {
          name: "fires after 10 minutes down",
          series: {
            'up{job="checkout-api", instance="10.1.0.11:9102"}': "0x15",
            'up{job="checkout-api", instance="10.1.0.12:9102"}': "1x15",
          },
          at: "12m",
          fires: [{ labels: { job: "checkout-api", instance: "10.1.0.11:9102" } }],
        },
        {
          name: "waits 10 minutes",
          series: { 'up{job="checkout-api", instance="10.1.0.11:9102"}': "0x15" },
          at: "8m",
          fires: false,
        },
      ],
      runbook: {
        summary: "One pod is down or unreachable while the others still serve.",
        impact: "None as long as the other pods have headroom.",
        triage: [
          "Find the pod behind the instance address: `kubectl -n checkout get pods -o wide | grep <ip>`.",
          "Look at its events and last termination reason: `kubectl -n checkout describe pod <pod>`.",
        ],
        mitigation: ["Delete the pod so that the deployment replaces it: `kubectl -n checkout delete pod <pod>`.", "If it keeps happening on the same node, cordon the node and tell #platform."],
      },
    },
    {
      name: "CheckoutApiOrdersDroppedVsLastWeek",
      expr: promql`sum(rate(${orders.where({ outcome: "completed" })}[30m])) < 0.5 * sum(rate(${orders.where({ outcome: "completed" })}[30m] offset 1w)) and sum(rate(${orders.where({ outcome: "completed" })}[30m] offset 1w)) > 0.05`,
      for: "15m",
      severity: "page",
      summary: "Completed orders dropped below half of last week's rate.",
      description: "Completed orders are at {{ $value | humanize }} per second, less than half the rate at the same time last week.",
      tests: [
        {
          // Samples every 10 minutes over a week and an hour: 2 orders/s during the first two
          // hours, 0.5/s after; at 169h the last 30 minutes are compared with hour 1 of last week.
          name: "fires when orders fall to a quarter of last week's",
          interval: "10m",
          series: { 'checkout_orders_total{job="checkout-api", outcome="completed", payment_method="card"}': "0+1200x12 14700+300x1001" },
          at: "169h",
          fires: [{ value: 0.5 }],
        },
        {
          // Kept short: the test above evaluates every rule of the service 10,140 times (a minute).
          name: "stays quiet without a week of history",
          series: { 'checkout_orders_total{job="checkout-api", outcome="completed", payment_method="card"}': "0+30x60" },
          at: "1h",
          fires: false,
        },
      ],
      runbook: {
        summary: "Fewer orders complete than usual although checkout-api may not report errors: something upstream (storefront, ads, DNS) or a silent business failure stops customers.",
        impact: "Lost revenue; can be invisible to every technical alert.",
        triage: [
          {
            step: "Split orders by outcome: are they declined, failed, or simply not attempted?",
            query: promql`sum by (outcome) (rate(${orders}[30m]))`,
          },
          {
            step: "Check checkout traffic: if requests dropped too, the problem is before checkout (storefront, CDN, DNS, marketing); the storefront dashboard shows where visitors stop.",
            query: promql`sum by (route) (rate(${requests.where({ method: "POST" })}[30m]))`,
          },
          "Check #marketing and the status page for a planned event that explains the difference (last week's Black Friday, a newsletter).",
          "Place a test order with the card 4242 4242 4242 4242 on https://staging.acme.example and then on production with the internal test account (see 1Password \"Checkout smoke test\").",
        ],
        mitigation: [
          "If a storefront or checkout deploy is to blame, roll it back.",
          "If the drop has a business cause, silence the alert until the end of the event and note it in the incident channel.",
        ],
        links: [{ title: "Checkout API dashboard", url: DASHBOARD }],
      },
    },
    {
      name: "CheckoutApiPaymentDeclineRatioHigh",
      expr: promql`sum(rate(${orders.where({ outcome: "declined" })}[15m])) / sum(rate(${orders.where({ outcome: /completed|declined/ })}[15m])) > 0.15`,
      for: "15m",
      severity: "ticket",
      summary: "More than 15% of payments are declined.",
      description: "{{ $value | humanizePercentage }} of payment attempts were declined by the issuer over the last 15 minutes (usual level 3-6%).",
      tests: [
        {
          name: "fires when a fifth of payments are declined",
          series: {
            'checkout_orders_total{job="checkout-api", outcome="declined", payment_method="card"}': "0+20x40",
            'checkout_orders_total{job="checkout-api", outcome="completed", payment_method="card"}': "0+80x40",
            'checkout_orders_total{job="checkout-api", outcome="failed", payment_method="card"}': "0+50x40",
          },
          at: "30m",
          fires: [{ value: 0.2 }],
        },
        {
          name: "stays quiet at the usual 5%",
          series: {
            'checkout_orders_total{job="checkout-api", outcome="declined", payment_method="card"}': "0+5x40",
            'checkout_orders_total{job="checkout-api", outcome="completed", payment_method="card"}': "0+95x40",
          },
          at: "30m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Card issuers decline an unusual share of payments. Either a fraud wave (card testing) or a problem with our requests (missing 3-D Secure, wrong amounts).",
        impact: "Legitimate customers may be refused; a card-testing attack can get our Stripe account flagged.",
        triage: [
          {
            step: "Which payment methods are declined?",
            query: promql`sum by (payment_method) (rate(${orders.where({ outcome: "declined" })}[15m]))`,
          },
          "In the Stripe dashboard (Payments, filter Declined), group by decline code: `card_declined/fraudulent` or many tiny amounts mean card testing; `authentication_required` means 3-D Secure is broken.",
          "Check for a recent change to the payment flow in the checkout changelog.",
        ],
        mitigation: [
          "For card testing: turn on the `checkout.require-captcha` flag in LaunchDarkly and tell the fraud team in #fraud.",
          "For 3-D Secure errors: roll back the change to the payment flow.",
        ],
      },
    },
    {
      name: "CheckoutApiDbPoolSaturated",
      expr: promql`max by (instance, pool) (${poolInUse} / ${poolMax}) > 0.9`,
      for: "10m",
      severity: "ticket",
      summary: "Checkout API database pool is more than 90% in use.",
      description: "{{ $labels.instance }} uses {{ $value | humanizePercentage }} of its {{ $labels.pool }} connection pool.",
      tests: [
        {
          name: "fires at 19 of 20 connections",
          series: {
            'checkout_db_pool_connections_in_use{job="checkout-api", instance="10.1.0.11:9102", pool="orders"}': "19x20",
            'checkout_db_pool_connections_max{job="checkout-api", instance="10.1.0.11:9102", pool="orders"}': "20x20",
          },
          at: "15m",
          fires: [{ labels: { instance: "10.1.0.11:9102", pool: "orders" }, value: 0.95 }],
        },
        {
          name: "stays quiet at half the pool",
          series: {
            'checkout_db_pool_connections_in_use{job="checkout-api", instance="10.1.0.11:9102", pool="orders"}': "10x20",
            'checkout_db_pool_connections_max{job="checkout-api", instance="10.1.0.11:9102", pool="orders"}': "20x20",
          },
          at: "15m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Requests hold most of the pool's connections; new requests will soon wait for one, which shows up as latency and then timeouts.",
        impact: "None yet; latency will rise if it gets to 100%.",
        triage: [
          {
            step: "Is it one pod or all of them? One pod points at a leak; all pods at slow queries or more traffic.",
            query: promql`${poolInUse} / ${poolMax}`,
          },
          "On orders-postgres, look at what the checkout connections do: `SELECT state, wait_event_type, count(*) FROM pg_stat_activity WHERE application_name = 'checkout-api' GROUP BY 1, 2;`.",
          "Many `idle in transaction` connections mean a code path that does not commit or roll back.",
        ],
        mitigation: [
          "Restart the leaking pod: `kubectl -n checkout delete pod <pod>`.",
          "Do not raise PG_POOL_MAX without checking orders-postgres max_connections with platform: pods x pool size must stay below it.",
        ],
      },
    },
    {
      name: "CheckoutApiInFlightRequestsHigh",
      expr: promql`max by (instance) (${inFlight}) > 200`,
      for: "5m",
      severity: "info",
      summary: "A checkout API pod has more than 200 requests in flight.",
      description: "{{ $labels.instance }} is serving {{ $value }} requests at once.",
      tests: [
        {
          name: "fires at 250 requests in flight",
          series: {
            'checkout_http_requests_in_flight{job="checkout-api", instance="10.1.0.11:9102"}': "250x10",
            'checkout_http_requests_in_flight{job="checkout-api", instance="10.1.0.12:9102"}': "40x10",
          },
          at: "8m",
          fires: [{ labels: { instance: "10.1.0.11:9102" }, value: 250 }],
        },
        {
          name: "stays quiet at 150",
          series: { 'checkout_http_requests_in_flight{job="checkout-api", instance="10.1.0.11:9102"}': "150x10" },
          at: "8m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Requests pile up in one pod: it is slow to answer, or the load balancer sends it more than its share.",
        triage: ["Compare the in-flight requests of all pods on the dashboard.", "Check the pod's CPU throttling and event loop lag in its logs."],
        mitigation: ["Delete the pod if it alone is affected; scale out if all pods are."],
      },
    },
  ],

  // Health checks are not customer traffic: they are left out of both SLOs, as in the p99 rules above.
  slos: [
    {
      name: "availability",
      objective: 99.9,
      description:
        "Customers can use the cart and pay: 99.9% of the requests the storefront sends to the checkout API succeed, over any 30 days. That is about one failed request in a thousand, or 43 minutes of full outage a month.",
      sli: {
        errors: requests.where({ job: "checkout-api", route: { not: "/healthz" }, code: /5../ }),
        total: requests.where({ job: "checkout-api", route: { not: "/healthz" } }),
      },
      alerting: {
        // Named after what on-call does with them: the fast burn pages, the slow burn opens a PAY ticket.
        names: { page: "CheckoutApiAvailabilityBurnFast", ticket: "CheckoutApiAvailabilityBurnSlow" },
      },
      runbook: {
        summary: "Checkout API returns server errors faster than its 0.1% error budget allows.",
        impact: "Customers see \"Something went wrong\" in the cart or on the payment step; every failed request is a lost or retried order.",
        triage: [
          {
            step: "Which routes and status codes burn the budget? One route points at one dependency (payments: Stripe; orders: the database); all routes point at a deploy or at the pods.",
            query: promql`sum by (route, code) (rate(${requests.where({ job: "checkout-api", route: { not: "/healthz" }, code: /5../ })}[1h]))`,
          },
          "Did the burn start with a rollout? `kubectl -n checkout rollout history deploy/checkout-api` and the #deploys channel.",
          {
            step: "Are orders failing on our side (outcome failed) rather than being declined by the issuer?",
            query: promql`sum by (payment_method, outcome) (rate(${orders.where({ outcome: /failed|declined/ })}[1h]))`,
          },
          {
            step: "Is a dependency alerting?",
            query: 'ALERTS{alertstate="firing", service=~"orders-postgres|stripe-gateway|session-redis"}',
          },
        ],
        mitigation: [
          "If a rollout started it: `kubectl -n checkout rollout undo deploy/checkout-api`, then watch the 5m burn rate fall below 1 on the SLO dashboard.",
          "If Stripe fails: turn on `checkout.psp-degraded-mode` in LaunchDarkly so that orders are queued for later authorization instead of failing.",
          "If orders-postgres is the cause: page platform, and scale checkout-api down rather than up (more pods, more connections).",
          "While less than a quarter of the 30-day budget is left, only fixes and rollbacks ship to checkout-api: announce the freeze in #payments.",
        ],
        links: [{ title: "Checkout API dashboard", url: DASHBOARD }],
      },
    },
    {
      // 28 days instead of 30: payments reviews its SLOs every four weeks with its sprints, and 28
      // days always hold four of each weekday, so the busy weekends weigh the same in every review.
      name: "latency",
      objective: 99,
      period: "28d",
      description:
        "The cart and payment steps feel instant: 99% of checkout API requests are answered within half a second, over any 28 days.",
      sli: {
        latency: latency.where({ job: "checkout-api", route: { not: "/healthz" } }),
        threshold: 0.5,
      },
    },
  ],

  dashboards: [
    {
      uid: "checkout-api-red",
      title: "Checkout API: requests, errors, duration",
      description: "RED view of checkout-api with the business signals next to it.",
      tags: ["checkout", "red"],
      rows: [
        {
          title: "Traffic",
          panels: [
            {
              title: "Requests per second by route",
              queries: [{ expr: "sum by (route) (rate(checkout_http_requests_total[$__rate_interval]))", legend: "{{route}}" }],
              unit: "reqps",
            },
            {
              title: "5xx ratio",
              queries: [
                {
                  expr: 'sum(rate(checkout_http_requests_total{code=~"5.."}[$__rate_interval])) / sum(rate(checkout_http_requests_total[$__rate_interval]))',
                  legend: "5xx",
                },
              ],
              unit: "percentunit",
              description: "CheckoutApiHighErrorRate pages above 2%.",
            },
          ],
        },
        {
          title: "Latency",
          panels: [
            {
              title: "Request latency percentiles",
              queries: [
                { expr: 'histogram_quantile(0.5, sum by (le) (rate(checkout_http_request_duration_seconds_bucket{route!="/healthz"}[$__rate_interval])))', legend: "p50" },
                { expr: 'histogram_quantile(0.95, sum by (le) (rate(checkout_http_request_duration_seconds_bucket{route!="/healthz"}[$__rate_interval])))', legend: "p95" },
                { expr: 'histogram_quantile(0.99, sum by (le) (rate(checkout_http_request_duration_seconds_bucket{route!="/healthz"}[$__rate_interval])))', legend: "p99" },
              ],
              unit: "s",
            },
            {
              title: "Payment authorization p99 by method",
              queries: [
                {
                  expr: "histogram_quantile(0.99, sum by (payment_method, le) (rate(checkout_payment_authorization_duration_seconds_bucket[$__rate_interval])))",
                  legend: "{{payment_method}}",
                },
              ],
              unit: "s",
            },
          ],
        },
        {
          title: "Orders",
          panels: [
            {
              title: "Orders by outcome",
              queries: [{ expr: "sum by (outcome) (rate(checkout_orders_total[$__rate_interval]))", legend: "{{outcome}}" }],
              unit: "ops",
              width: 16,
            },
            {
              title: "Decline ratio (1h)",
              type: "stat",
              queries: [promql`sum(rate(${orders.where({ outcome: "declined" })}[1h])) / sum(rate(${orders.where({ outcome: /completed|declined/ })}[1h]))`],
              unit: "percentunit",
              width: 8,
            },
          ],
        },
        {
          title: "Saturation",
          panels: [
            {
              title: "Database pool in use",
              queries: [{ expr: "checkout_db_pool_connections_in_use / checkout_db_pool_connections_max", legend: "{{instance}}" }],
              unit: "percentunit",
            },
            {
              title: "Requests in flight",
              queries: [{ expr: "sum by (instance) (checkout_http_requests_in_flight)", legend: "{{instance}}" }],
              unit: "short",
            },
          ],
        },
      ],
    },
  ],
});
