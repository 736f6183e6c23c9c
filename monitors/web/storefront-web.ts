import { counter, defineService, gauge, histogram, promql } from "vigil";
import { web } from "../teams.js";

// storefront-web is a Next.js app (server-side rendering) in namespace web, scrape job
// "storefront-web". Browser metrics (Core Web Vitals, JavaScript errors) are sent by the
// page to /api/rum and exposed by the same server. The home page and the cart page are also
// probed from outside by blackbox_exporter (job "blackbox-storefront").
const requests = counter("storefront_http_requests_total", {
  help: "HTTP requests served by the Next.js server, by route, method and status code (static assets are served by the CDN and not counted).",
  labels: ["route", "method", "code"],
  unit: "requests",
});

const latency = histogram("storefront_http_request_duration_seconds", {
  help: "Server time of a request, from the first byte in to the last byte out.",
  labels: ["route"],
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  unit: "seconds",
});

const render = histogram("storefront_ssr_render_duration_seconds", {
  help: "Time to render a page on the server, data fetching included.",
  labels: ["page"],
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  unit: "seconds",
});

const lcp = histogram("storefront_web_vitals_lcp_seconds", {
  help: "Largest Contentful Paint measured in real browsers, by page and device class.",
  labels: ["page", "device"],
  buckets: [0.5, 1, 1.5, 2, 2.5, 4, 6, 10],
  unit: "seconds",
});

const clientErrors = counter("storefront_client_errors_total", {
  help: "Uncaught JavaScript errors and unhandled rejections reported by browsers.",
  labels: ["page", "browser"],
  unit: "errors",
});

const upstream = counter("storefront_upstream_requests_total", {
  help: "Requests from the server to its backends (checkout-api, catalog-api, cms), by status code.",
  labels: ["upstream", "code"],
  unit: "requests",
});

const eventLoopLag = gauge("storefront_nodejs_eventloop_lag_p99_seconds", {
  help: "99th percentile of the Node.js event loop lag (prom-client default metric, with the storefront_ prefix).",
  unit: "seconds",
});

const DEPLOYS = "Check recent deploys: `kubectl -n web rollout history deploy/storefront-web` and the #web-deploys channel.";
const ROLLBACK = "Roll back: `kubectl -n web rollout undo deploy/storefront-web` (or `argocd app rollback storefront-web`).";

export default defineService({
  name: "storefront-web",
  team: web,
  // While one of these is down, this service\'s alerts are symptoms and stay quiet.
  dependsOn: ["checkout-api", "session-redis"],
  description:
    "The customer-facing shop at www.acme.example: a Next.js server that renders product, cart and checkout pages and calls checkout-api, catalog-api and the CMS. Every visitor goes through it.",
  metrics: [requests, latency, render, lcp, clientErrors, upstream, eventLoopLag],

  recordingRules: [
    {
      record: "route_code:storefront_http_requests:rate5m",
      expr: promql`sum by (route, code) (rate(${requests}[5m]))`,
    },
    {
      record: "page_le:storefront_web_vitals_lcp_seconds_bucket:rate30m",
      expr: promql`sum by (page, le) (rate(${lcp}_bucket[30m]))`,
    },
    {
      record: "upstream:storefront_upstream_requests_errors:ratio_rate5m",
      expr: promql`sum by (upstream) (rate(${upstream.where({ code: /5../ })}[5m])) / sum by (upstream) (rate(${upstream}[5m]))`,
    },
  ],

  alerts: [
    {
      name: "StorefrontWebHighErrorRate",
      expr: promql`sum(rate(${requests.where({ code: /5../ })}[5m])) / sum(rate(${requests}[5m])) > 0.05`,
      for: "5m",
      severity: "page",
      summary: "The storefront is failing more than 5% of requests.",
      description: "{{ $value | humanizePercentage }} of storefront requests returned a 5xx over the last 5 minutes.",
      tests: [
        {
          name: "fires when a tenth of requests fail",
          series: {
            'storefront_http_requests_total{job="storefront-web", route="/products/[slug]", method="GET", code="500"}': "0+12x20",
            'storefront_http_requests_total{job="storefront-web", route="/products/[slug]", method="GET", code="200"}': "0+108x20",
          },
          at: "15m",
          fires: [{ value: 0.1 }],
        },
        {
          name: "stays quiet at 1% errors",
          series: {
            'storefront_http_requests_total{job="storefront-web", route="/products/[slug]", method="GET", code="500"}': "0+1x20",
            'storefront_http_requests_total{job="storefront-web", route="/products/[slug]", method="GET", code="200"}': "0+99x20",
          },
          at: "15m",
          fires: false,
        },
      ],
      runbook: {
        summary: "The Next.js server answers many requests with an error page.",
        impact: "Visitors see the \"Oops\" page instead of products or their cart.",
        triage: [
          { step: "Which routes fail?", query: promql`sum by (route, code) (rate(${requests.where({ code: /5../ })}[5m]))` },
          { step: "Is a backend failing? A failing upstream turns into 5xx on the pages that need it.", query: promql`sum by (upstream, code) (rate(${upstream.where({ code: /5../ })}[5m]))` },
          DEPLOYS,
          "Read the server errors: `kubectl -n web logs -l app=storefront-web --since=10m | grep -i error | head -50`.",
        ],
        mitigation: [
          ROLLBACK,
          "If checkout-api fails, the cart and checkout pages fail with it: hand over to #payments and follow CheckoutApiHighErrorRate.",
          "If catalog-api or the CMS fails, turn on the `storefront.serve-stale` flag so that pages are served from the ISR cache.",
        ],
        links: [{ title: "Storefront dashboard", url: "https://grafana.acme.example/d/storefront-web-ux" }],
      },
    },
    {
      name: "StorefrontWebProbeFailing",
      expr: 'avg_over_time(probe_success{job="blackbox-storefront"}[5m]) < 0.8',
      for: "3m",
      severity: "page",
      summary: "The storefront is unreachable from outside.",
      description: "Only {{ $value | humanizePercentage }} of the external probes of {{ $labels.instance }} succeeded over the last 5 minutes.",
      tests: [
        {
          name: "fires when every other probe fails",
          series: { 'probe_success{job="blackbox-storefront", instance="https://www.acme.example/"}': "1 0 1 0 1 0 1 0 1 0 1 0" },
          at: "9m",
          fires: [{ labels: { job: "blackbox-storefront", instance: "https://www.acme.example/" }, value: 0.5 }],
        },
        {
          name: "stays quiet when one probe in six fails",
          series: { 'probe_success{job="blackbox-storefront", instance="https://www.acme.example/"}': "1 1 1 1 1 0 1 1 1 1 1 0" },
          at: "9m",
          fires: false,
        },
      ],
      runbook: {
        summary: "blackbox_exporter, running outside our cloud, cannot load the page: DNS, the CDN, the load balancer or the app is down.",
        impact: "Customers cannot reach the shop.",
        triage: [
          "Try it yourself: `curl -sS -o /dev/null -w '%{http_code} %{time_total}\\n' https://www.acme.example/`.",
          "Check DNS: `dig +short www.acme.example` should return the CDN's CNAME.",
          "Check the CDN status page and the origin health in the CDN console; a 503 from the CDN with `x-cache: ERROR` means the origin is down.",
          "Check the pods and the ingress: `kubectl -n web get pods,ingress`.",
        ],
        mitigation: [ROLLBACK, "If the CDN is at fault, switch DNS to the backup CDN with the `dns-failover` runbook of platform (Terraform `dns/acme.example`)."],
      },
    },
    {
      name: "StorefrontWebSlowPages",
      expr: promql`histogram_quantile(0.95, sum by (page, le) (rate(${render}_bucket[10m]))) > 1`,
      for: "15m",
      severity: "ticket",
      summary: "A storefront page takes more than 1 second to render on the server.",
      description: "Page {{ $labels.page }} renders in {{ $value | humanizeDuration }} at p95.",
      tests: [
        {
          name: "fires when every render takes between 1s and 2.5s",
          series: {
            'storefront_ssr_render_duration_seconds_bucket{job="storefront-web", instance="10.4.0.11:3000", page="/products/[slug]", le="1"}': "0x30",
            'storefront_ssr_render_duration_seconds_bucket{job="storefront-web", instance="10.4.0.11:3000", page="/products/[slug]", le="2.5"}': "0+60x30",
            'storefront_ssr_render_duration_seconds_bucket{job="storefront-web", instance="10.4.0.11:3000", page="/products/[slug]", le="+Inf"}': "0+60x30",
          },
          at: "25m",
          // p95 = 1 + (2.5 - 1) x 0.95
          fires: [{ labels: { page: "/products/[slug]" }, value: 2.425 }],
        },
        {
          name: "stays quiet when renders take less than 250ms",
          series: {
            'storefront_ssr_render_duration_seconds_bucket{job="storefront-web", instance="10.4.0.11:3000", page="/products/[slug]", le="0.25"}': "0+60x30",
            'storefront_ssr_render_duration_seconds_bucket{job="storefront-web", instance="10.4.0.11:3000", page="/products/[slug]", le="1"}': "0+60x30",
            'storefront_ssr_render_duration_seconds_bucket{job="storefront-web", instance="10.4.0.11:3000", page="/products/[slug]", le="+Inf"}': "0+60x30",
          },
          at: "25m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Server-side rendering of a page is slow, usually because a data fetch is slow or not cached.",
        impact: "Slower first paint for that page; search ranking suffers if it lasts.",
        triage: [
          "Open the traces of the page in Tempo (`service.name=storefront-web`, span `render <page>`) and look at the slowest child span.",
          { step: "Is a backend slow or failing?", query: promql`sum by (upstream, code) (rate(${upstream}[10m]))` },
        ],
        mitigation: ["If a fetch lost its cache (`revalidate` removed), restore it; otherwise open a ticket for the backend's team."],
      },
    },
    {
      name: "StorefrontWebLcpDegraded",
      expr: promql`histogram_quantile(0.75, sum by (page, le) (rate(${lcp}_bucket[30m]))) > 2.5 and on (page) sum by (page) (rate(${lcp}_count[30m])) > 0.5`,
      for: "1h",
      severity: "ticket",
      summary: "Largest Contentful Paint is above 2.5 seconds for a storefront page.",
      description: "The p75 LCP of page {{ $labels.page }} in real browsers is {{ $value | humanizeDuration }} (Google's \"good\" threshold is 2.5s).",
      tests: [
        {
          name: "fires when half the page views paint after 2.5s",
          series: {
            'storefront_web_vitals_lcp_seconds_bucket{job="storefront-web", instance="10.4.0.11:3000", page="/cart", device="mobile", le="2.5"}': "0+30x100",
            'storefront_web_vitals_lcp_seconds_bucket{job="storefront-web", instance="10.4.0.11:3000", page="/cart", device="mobile", le="4"}': "0+60x100",
            'storefront_web_vitals_lcp_seconds_bucket{job="storefront-web", instance="10.4.0.11:3000", page="/cart", device="mobile", le="+Inf"}': "0+60x100",
            'storefront_web_vitals_lcp_seconds_count{job="storefront-web", instance="10.4.0.11:3000", page="/cart", device="mobile"}': "0+60x100",
          },
          at: "90m",
          // p75 = 2.5 + (4 - 2.5) x (0.75 - 0.5) / 0.5
          fires: [{ labels: { page: "/cart" }, value: 3.25 }],
        },
        {
          name: "stays quiet on a page with 0.2 views per second",
          series: {
            'storefront_web_vitals_lcp_seconds_bucket{job="storefront-web", instance="10.4.0.11:3000", page="/cart", device="mobile", le="2.5"}': "0+6x100",
            'storefront_web_vitals_lcp_seconds_bucket{job="storefront-web", instance="10.4.0.11:3000", page="/cart", device="mobile", le="4"}': "0+12x100",
            'storefront_web_vitals_lcp_seconds_bucket{job="storefront-web", instance="10.4.0.11:3000", page="/cart", device="mobile", le="+Inf"}': "0+12x100",
            'storefront_web_vitals_lcp_seconds_count{job="storefront-web", instance="10.4.0.11:3000", page="/cart", device="mobile"}': "0+12x100",
          },
          at: "90m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Real users wait too long to see the main content of a page. This is what Google ranks on.",
        impact: "Lower conversion and lower search ranking for that page.",
        triage: [
          { step: "Mobile or desktop?", query: promql`histogram_quantile(0.75, sum by (device, le) (rate(${lcp}_bucket[30m])))` },
          "Run Lighthouse on the page: `npx lighthouse https://www.acme.example/<page> --only-categories=performance --view`, and look at the LCP element.",
          "A larger hero image or a new third-party script in the last deploy is the usual cause.",
        ],
        mitigation: ["Roll back the change if it is recent; otherwise open a ticket with the Lighthouse report."],
      },
    },
    {
      name: "StorefrontWebClientErrorSpike",
      expr: promql`sum(rate(${clientErrors}[15m])) > 3 * sum(rate(${clientErrors}[15m] offset 1d)) and sum(rate(${clientErrors}[15m])) > 1`,
      for: "15m",
      severity: "ticket",
      summary: "Browsers report three times more JavaScript errors than yesterday.",
      description: "Browsers report {{ $value | humanize }} JavaScript errors per second, more than three times the rate at the same time yesterday.",
      tests: [
        {
          // Samples every 5 minutes: 0.5 errors/s for a day, then 4/s; at 25h the last 15 minutes
          // are compared with 00:45-01:00 yesterday.
          name: "fires when errors go from 0.5 to 4 per second",
          interval: "5m",
          series: { 'storefront_client_errors_total{job="storefront-web", instance="10.4.0.11:3000", page="/checkout", browser="safari"}': "0+150x288 44400+1200x12" },
          at: "25h",
          fires: [{ value: 4 }],
        },
        {
          name: "stays quiet at yesterday's rate",
          interval: "5m",
          series: { 'storefront_client_errors_total{job="storefront-web", instance="10.4.0.11:3000", page="/checkout", browser="safari"}': "0+1200x300" },
          at: "25h",
          fires: false,
        },
      ],
      runbook: {
        summary: "A client-side error became frequent: a broken bundle, a browser-specific bug or a failing third-party script.",
        impact: "Buttons may do nothing (add to cart, pay) for some browsers.",
        triage: [
          { step: "Which pages and browsers?", query: promql`topk(10, sum by (page, browser) (rate(${clientErrors}[15m])))` },
          "Open Sentry (project storefront-web) sorted by events in the last hour to get the stack trace.",
          DEPLOYS,
        ],
        mitigation: [ROLLBACK, "If a third-party script (chat widget, analytics) throws, disable it with its LaunchDarkly flag (`storefront.third-party.<name>`)."],
      },
    },
    {
      name: "StorefrontWebUpstreamErrors",
      expr: promql`sum by (upstream) (rate(${upstream.where({ code: /5../ })}[5m])) / sum by (upstream) (rate(${upstream}[5m])) > 0.1`,
      for: "10m",
      severity: "ticket",
      summary: "A storefront backend fails more than 10% of requests.",
      description: "{{ $value | humanizePercentage }} of the storefront's requests to {{ $labels.upstream }} fail.",
      tests: [
        {
          name: "fires when a fifth of catalog-api calls fail",
          series: {
            'storefront_upstream_requests_total{job="storefront-web", instance="10.4.0.11:3000", upstream="catalog-api", code="502"}': "0+12x30",
            'storefront_upstream_requests_total{job="storefront-web", instance="10.4.0.11:3000", upstream="catalog-api", code="200"}': "0+48x30",
            'storefront_upstream_requests_total{job="storefront-web", instance="10.4.0.11:3000", upstream="cms", code="200"}': "0+60x30",
          },
          at: "20m",
          fires: [{ labels: { upstream: "catalog-api" }, value: 0.2 }],
        },
        {
          name: "stays quiet at 1% errors",
          series: {
            'storefront_upstream_requests_total{job="storefront-web", instance="10.4.0.11:3000", upstream="catalog-api", code="502"}': "0+1x30",
            'storefront_upstream_requests_total{job="storefront-web", instance="10.4.0.11:3000", upstream="catalog-api", code="200"}': "0+99x30",
          },
          at: "20m",
          fires: false,
        },
      ],
      runbook: {
        summary: "One backend of the storefront answers with errors; the storefront shows fallbacks or error pages for what needs it.",
        triage: ["Check the backend's own alerts and dashboards (checkout-api: #payments, catalog-api and cms: #web-team).", "Check whether the storefront sends it something new (a changed query, a missing header) after a deploy."],
        mitigation: ["Hand over to the backend's team; roll back the storefront if the requests changed."],
      },
    },
    {
      name: "StorefrontWebEventLoopLag",
      expr: promql`max by (instance) (${eventLoopLag}) > 0.5`,
      for: "10m",
      severity: "ticket",
      summary: "A storefront server's event loop is blocked for more than 500ms.",
      description: "The p99 event loop lag of {{ $labels.instance }} is {{ $value | humanizeDuration }}.",
      tests: [
        {
          name: "fires at 800ms of lag",
          series: {
            'storefront_nodejs_eventloop_lag_p99_seconds{job="storefront-web", instance="10.4.0.11:3000"}': "0.8x20",
            'storefront_nodejs_eventloop_lag_p99_seconds{job="storefront-web", instance="10.4.0.12:3000"}': "0.02x20",
          },
          at: "15m",
          fires: [{ labels: { instance: "10.4.0.11:3000" }, value: 0.8 }],
        },
        {
          name: "stays quiet at 20ms",
          series: { 'storefront_nodejs_eventloop_lag_p99_seconds{job="storefront-web", instance="10.4.0.11:3000"}': "0.02x20" },
          at: "15m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Synchronous work blocks the Node.js event loop, so every request on that pod waits.",
        triage: [
          "Take a CPU profile: `kubectl -n web exec <pod> -- kill -USR1 1` opens the inspector; then `kubectl -n web port-forward <pod> 9229` and record a profile in Chrome DevTools.",
          "Large JSON serialisation of page props or synchronous crypto are the usual culprits.",
        ],
        mitigation: ["Restart the pod for relief; open a ticket with the profile."],
      },
    },
    {
      name: "StorefrontWebHighLatency",
      expr: promql`histogram_quantile(0.99, sum by (le) (rate(${latency}_bucket[5m]))) > 2.5`,
      for: "10m",
      severity: "page",
      summary: "The storefront's p99 latency is above 2.5 seconds.",
      description: "The 99th percentile of storefront server latency is {{ $value | humanizeDuration }} over the last 5 minutes.",
      tests: [
        {
          name: "fires when every request takes between 2.5s and 5s",
          series: {
            'storefront_http_request_duration_seconds_bucket{job="storefront-web", instance="10.4.0.11:3000", route="/products/[slug]", le="2.5"}': "0x30",
            'storefront_http_request_duration_seconds_bucket{job="storefront-web", instance="10.4.0.11:3000", route="/products/[slug]", le="5"}': "0+60x30",
            'storefront_http_request_duration_seconds_bucket{job="storefront-web", instance="10.4.0.11:3000", route="/products/[slug]", le="+Inf"}': "0+60x30",
          },
          at: "20m",
          // p99 = 2.5 + (5 - 2.5) x 0.99
          fires: [{ value: 4.975 }],
        },
        {
          name: "stays quiet when requests take less than 250ms",
          series: {
            'storefront_http_request_duration_seconds_bucket{job="storefront-web", instance="10.4.0.11:3000", route="/products/[slug]", le="0.25"}': "0+60x30",
            'storefront_http_request_duration_seconds_bucket{job="storefront-web", instance="10.4.0.11:3000", route="/products/[slug]", le="5"}': "0+60x30",
            'storefront_http_request_duration_seconds_bucket{job="storefront-web", instance="10.4.0.11:3000", route="/products/[slug]", le="+Inf"}': "0+60x30",
          },
          at: "20m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Most pages are slow, not just one: the pods are overloaded or a shared backend is slow.",
        impact: "Visitors wait seconds for every page; bounce rate rises quickly.",
        triage: [
          { step: "Which routes?", query: promql`histogram_quantile(0.99, sum by (route, le) (rate(${latency}_bucket[5m])))` },
          { step: "Are the event loops blocked?", query: promql`max by (instance) (${eventLoopLag})` },
          "Check CPU throttling of the pods in the \"Kubernetes / Compute Resources / Workload\" dashboard (namespace web).",
        ],
        mitigation: ["Scale out: `kubectl -n web scale deploy/storefront-web --replicas=<n>`.", ROLLBACK],
      },
    },
  ],

  slos: [
    {
      // A 7-day period: the web team ships several times a day and decides in its weekly release
      // review whether risky changes go out, so the budget it spends is the week's. The Workbook's
      // tiers are made for 30 days and do not fit a week: 2% in 1h is only a 3.36x burn (it would
      // page on mild burns that a ticket can handle), and 10% in 3d is 0.23x, below 1: it would
      // fire while the budget lasts the whole week. These tiers keep every burn rate above 1 and
      // every long window within the 7 days:
      //   page   1h/5m   at 5%:  5% x 168h / 1h  = 8.4x, the week's budget gone in 20 hours
      //   page   6h/30m  at 10%: 10% x 168h / 6h = 2.8x, gone in 2.5 days
      //   ticket 1d/2h   at 20%: 20% x 7d / 1d   = 1.4x, gone in 5 days
      // No 3d tier: three days are almost half the period, and the 1d ticket catches slow burns
      // while there is still budget to save.
      name: "availability",
      objective: 99.9,
      period: "7d",
      description:
        "Visitors get the page they asked for: 99.9% of requests to www.acme.example are answered without a server error, over any 7 days (about 10 minutes of full outage a week).",
      sli: {
        errors: requests.where({ job: "storefront-web", code: /5../ }),
        total: requests.where({ job: "storefront-web" }),
      },
      alerting: {
        tiers: [
          { severity: "page", long: "1h", short: "5m", budgetConsumed: 5 },
          { severity: "page", long: "6h", short: "30m", budgetConsumed: 10 },
          { severity: "ticket", long: "1d", short: "2h", budgetConsumed: 20 },
        ],
      },
      runbook: {
        triage: [
          { step: "Which routes fail?", query: promql`sum by (route, code) (rate(${requests.where({ job: "storefront-web", code: /5../ })}[1h]))` },
          { step: "Is a backend failing? Failing upstream calls turn into 5xx on the pages that need them.", query: promql`sum by (upstream, code) (rate(${upstream.where({ code: /5../ })}[1h]))` },
          DEPLOYS,
        ],
        mitigation: [ROLLBACK, "If one backend fails (catalog-api, cms), turn on its fallback flag in LaunchDarkly (`storefront.fallback.<upstream>`: cached catalog, static CMS blocks) and hand over to its team."],
      },
    },
    {
      // One SLO per route: a slow product page hides behind the fast home page in a global ratio.
      // Some routes (order history, returns) get a few requests an hour at night, where one slow
      // request is a 10% error ratio; minEvents keeps a tier from firing on a route that saw fewer
      // than 100 requests in its long window.
      name: "page-latency",
      objective: 99,
      description:
        "Pages load without waiting: on every route of the shop, 99% of requests are answered by our server within 1 second, over any 30 days.",
      sli: {
        latency: latency.where({ job: "storefront-web" }),
        threshold: 1,
      },
      groupBy: ["route"],
      minEvents: 100,
    },
  ],

  dashboards: [
    {
      uid: "storefront-web-ux",
      title: "Storefront: user experience",
      description: "What visitors of www.acme.example get: errors, server latency and Core Web Vitals.",
      tags: ["storefront", "ux"],
      rows: [
        {
          title: "Server",
          panels: [
            {
              title: "Requests per second by status",
              queries: [{ expr: "sum by (code) (rate(storefront_http_requests_total[$__rate_interval]))", legend: "{{code}}" }],
              unit: "reqps",
            },
            {
              title: "Error ratio",
              queries: [
                {
                  expr: promql`sum(rate(${requests.where({ code: /5../ })}[5m])) / sum(rate(${requests}[5m]))`,
                  legend: "5xx",
                },
              ],
              unit: "percentunit",
            },
            {
              title: "SSR render time p95 by page",
              queries: [{ expr: "histogram_quantile(0.95, sum by (page, le) (rate(storefront_ssr_render_duration_seconds_bucket[$__rate_interval])))", legend: "{{page}}" }],
              unit: "s",
              width: 24,
            },
          ],
        },
        {
          title: "Browsers",
          panels: [
            {
              title: "LCP p75 by device",
              queries: [{ expr: "histogram_quantile(0.75, sum by (device, le) (rate(storefront_web_vitals_lcp_seconds_bucket[$__rate_interval])))", legend: "{{device}}" }],
              unit: "s",
            },
            {
              title: "JavaScript errors per second",
              queries: [{ expr: "sum by (browser) (rate(storefront_client_errors_total[$__rate_interval]))", legend: "{{browser}}" }],
              unit: "short",
            },
          ],
        },
        {
          title: "Backends",
          panels: [
            {
              title: "Upstream error ratio",
              queries: [
                {
                  expr: 'sum by (upstream) (rate(storefront_upstream_requests_total{code=~"5.."}[$__rate_interval])) / sum by (upstream) (rate(storefront_upstream_requests_total[$__rate_interval]))',
                  legend: "{{upstream}}",
                },
              ],
              unit: "percentunit",
            },
            {
              title: "External probe success",
              type: "stat",
              queries: ['avg(avg_over_time(probe_success{job="blackbox-storefront"}[1h]))'],
              unit: "percentunit",
            },
          ],
        },
      ],
    },
  ],
});
