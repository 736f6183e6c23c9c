import { counter, defineService, gauge, histogram, promql } from "vigil";
import { search } from "../teams.js";

// The worked example of docs/tutorial-multi-region-api.md: one API deployed in three regions
// (us, eu, asia), each with its own pods, an in-process L1 cache, a Redis L2 cache and a
// PostgreSQL replica of the primary in us. Every series carries the `region` label, set by
// the pods from the REGION environment variable; Prometheus adds `job` and `instance`.

/** The API's three endpoints; `bulk_process` takes up to 500 items per call. */
const requests = counter("recommendation_http_requests_total", {
  help: "HTTP requests served by recommendation-api, by region, endpoint and status code.",
  labels: ["region", "endpoint", "code"],
  unit: "requests",
});

const latency = histogram("recommendation_http_request_duration_seconds", {
  help: "Time from reading the request to writing the last byte of the response.",
  labels: ["region", "endpoint"],
  // Dense around the 100ms and 200ms thresholds, so that the p95 is interpolated within a
  // bucket that ends at a threshold instead of guessed across a wide one.
  buckets: [0.025, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6],
  unit: "seconds",
});

const cacheLookups = counter("recommendation_cache_lookups_total", {
  help: "Cache lookups by cache level (l1: in-process LRU, l2: the region's Redis) and result (hit or miss).",
  labels: ["region", "cache", "result"],
  unit: "lookups",
});

const replicationLag = gauge("recommendation_db_replication_lag_seconds", {
  help: "Replay lag of the region's PostgreSQL replica behind the primary in us (now() - pg_last_xact_replay_timestamp()), read by the API every 5s.",
  labels: ["region"],
  unit: "seconds",
});

const cpuUsage = counter("recommendation_cpu_usage_seconds_total", {
  help: "CPU time used by the pod's containers (cgroup cpu.stat usage_usec).",
  labels: ["region"],
  unit: "seconds",
});

const cpuLimit = gauge("recommendation_cpu_limit_cores", {
  help: "CPU limit of the pod, in cores.",
  labels: ["region"],
});

const memoryUsed = gauge("recommendation_memory_working_set_bytes", {
  help: "Working set of the pod (what the OOM killer compares with the limit).",
  labels: ["region"],
  unit: "bytes",
});

const memoryLimit = gauge("recommendation_memory_limit_bytes", {
  help: "Memory limit of the pod.",
  labels: ["region"],
  unit: "bytes",
});

const ready = gauge("recommendation_instance_ready", {
  help: "1 while the pod passes its readiness check (models loaded, Redis and the database reachable), else 0.",
  labels: ["region"],
});

const SERVICE = { job: "recommendation-api" };
const errors = requests.where({ ...SERVICE, code: /5../ });
const all = requests.where(SERVICE);
const DASHBOARDS = "https://grafana.acme.example/d";

/** promtool series of one region's latency histogram: `counts` requests a minute in each bucket, cumulative. */
function latencySeries(region: string, endpoint: string, perMinute: Record<string, number>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(perMinute).map(([le, n]) => [
      `recommendation_http_request_duration_seconds_bucket{job="recommendation-api", region="${region}", endpoint="${endpoint}", le="${le}"}`,
      `0+${n}x40`,
    ]),
  );
}

/** promtool series of one region's requests: `ok` 200s and `failed` 503s a minute. */
function requestSeries(region: string, ok: number, failed: number): Record<string, string> {
  return {
    [`recommendation_http_requests_total{job="recommendation-api", region="${region}", endpoint="recommend", code="200"}`]: `0+${ok}x40`,
    [`recommendation_http_requests_total{job="recommendation-api", region="${region}", endpoint="recommend", code="503"}`]: `0+${failed}x40`,
  };
}

/** promtool series of one region's L1 or L2 cache. */
function cacheSeries(region: string, cache: string, hits: number, misses: number): Record<string, string> {
  return {
    [`recommendation_cache_lookups_total{job="recommendation-api", region="${region}", cache="${cache}", result="hit"}`]: `0+${hits}x60`,
    [`recommendation_cache_lookups_total{job="recommendation-api", region="${region}", cache="${cache}", result="miss"}`]: `0+${misses}x60`,
  };
}

const INTERNAL_PAGE =
  "[{{region}}] recommendation-api is degraded ({{alert}}). Incident lead: <name>. Customer impact: <what users see>. Current action: <what we are doing>. Next update in 30 minutes, in #inc-recommendations.";
const EXTERNAL_PAGE =
  "We are investigating slower or failed recommendations for customers in <region>. Search and checkout are not affected. We will post an update within 30 minutes.";

export default defineService({
  name: "recommendation-api",
  team: search,
  description:
    "Personalised product recommendations for the storefront and the mobile apps, served from three regions (us, eu, asia) behind geo-DNS. `process` scores one item, `recommend` returns a ranked list, `bulk_process` scores up to 500 items for the nightly e-mail campaigns. Reads models from an in-process L1 cache, feature vectors from a regional Redis (L2), and user history from the region's PostgreSQL replica.",
  metrics: [requests, latency, cacheLookups, replicationLag, cpuUsage, cpuLimit, memoryUsed, memoryLimit, ready],
  selector: SERVICE,

  recordingRules: [
    {
      record: "region_endpoint:recommendation_http_requests:rate5m",
      expr: promql`sum by (region, endpoint, code) (rate(${all}[5m]))`,
    },
    {
      record: "region_le:recommendation_http_request_duration_seconds_bucket:rate5m",
      expr: promql`sum by (region, endpoint, le) (rate(${latency.where(SERVICE).render("_bucket")}[5m]))`,
    },
    {
      record: "region_cache:recommendation_cache_hit:ratio_rate10m",
      expr: promql`sum by (region, cache) (rate(${cacheLookups.where({ ...SERVICE, result: "hit" })}[10m])) / sum by (region, cache) (rate(${cacheLookups.where(SERVICE)}[10m]))`,
    },
  ],

  alerts: [
    // Two thresholds, one alert name: Vigil makes the page inhibit the ticket while both fire.
    // Each test looks before the other severity's `for` has passed, so only one of them fires.
    {
      name: "RecommendationApiHighLatency",
      expr: promql`histogram_quantile(0.95, sum by (region, endpoint, le) (rate(${latency.where(SERVICE).render("_bucket")}[5m]))) > 0.2`,
      for: "5m",
      keepFiringFor: "10m",
      severity: "page",
      labels: { priority: "critical" },
      summary: "Recommendation API p95 latency is above 200ms in a region.",
      description: "The p95 latency of {{ $labels.endpoint }} in {{ $labels.region }} is {{ $value | humanizeDuration }} (page above 200ms).",
      tests: [
        {
          name: "pages after 5 minutes at a p95 of 390ms",
          series: latencySeries("eu", "recommend", { "0.1": 0, "0.2": 0, "0.4": 60, "+Inf": 60 }),
          at: "10m",
          // p95 = 0.2 + (0.4 - 0.2) x 0.95; the ticket (for 15m) is still pending
          fires: [{ labels: { region: "eu", endpoint: "recommend" }, value: 0.39 }],
        },
        {
          name: "does not page at a p95 of 195ms",
          series: latencySeries("eu", "recommend", { "0.1": 0, "0.2": 60, "0.4": 60, "+Inf": 60 }),
          at: "10m",
          fires: false,
        },
      ],
      runbook: {
        summary: "One endpoint in one region answers 5% of its requests in more than 200ms, for 5 minutes. The storefront gives up on recommendations after 300ms and shows bestsellers instead.",
        impact: "Customers in that region see generic bestsellers instead of personalised recommendations; the mobile apps show an empty carousel. Conversion from recommendations drops by about a third.",
        triage: [
          {
            step: "Is it one region or all of them, one endpoint or all? One region points at its Redis, its replica or its pods; all regions point at a deploy or at the primary database.",
            query: promql`histogram_quantile(0.95, sum by (region, endpoint, le) (rate(${latency.where(SERVICE).render("_bucket")}[5m])))`,
          },
          {
            step: "Did the L1 or L2 hit rate fall? Every L2 miss costs a database read (about 40ms).",
            query: "region_cache:recommendation_cache_hit:ratio_rate10m",
          },
          {
            step: "Are the pods out of CPU? Throttled pods queue requests.",
            query: promql`sum by (region) (rate(${cpuUsage.where(SERVICE)}[5m])) / sum by (region) (${cpuLimit.where(SERVICE)})`,
          },
          "Did a deploy just happen? `kubectl --context <region> -n recommendations rollout history deploy/recommendation-api` and #deploys.",
        ],
        mitigation: [
          "If a deploy caused it, roll back in every region: `kubectl --context <region> -n recommendations rollout undo deploy/recommendation-api`.",
          "If the pods are CPU-bound, scale out the region: `kubectl --context <region> -n recommendations scale deploy/recommendation-api --replicas=<current + 50%>`.",
          "If a single region cannot recover, drain it: set its weight to 0 in the geo-DNS record `recs.acme.example` (Route 53 console, or `make drain REGION=<region>` in acme/dns). The other two regions absorb its traffic within the 60s TTL.",
        ],
        links: [{ title: "Performance dashboard", url: `${DASHBOARDS}/recommendation-api-performance` }],
        communication: { internal: INTERNAL_PAGE.replace("{{alert}}", "p95 latency above 200ms"), external: EXTERNAL_PAGE },
      },
    },
    {
      name: "RecommendationApiHighLatency",
      expr: promql`histogram_quantile(0.95, sum by (region, endpoint, le) (rate(${latency.where(SERVICE).render("_bucket")}[5m]))) > 0.1`,
      for: "15m",
      keepFiringFor: "15m",
      severity: "ticket",
      labels: { priority: "warning" },
      summary: "Recommendation API p95 latency is above 100ms in a region.",
      description: "The p95 latency of {{ $labels.endpoint }} in {{ $labels.region }} is {{ $value | humanizeDuration }} (ticket above 100ms).",
      tests: [
        {
          name: "opens a ticket after 15 minutes at a p95 of 195ms",
          series: latencySeries("asia", "process", { "0.1": 0, "0.2": 60, "+Inf": 60 }),
          at: "20m",
          // p95 = 0.1 + (0.2 - 0.1) x 0.95
          fires: [{ labels: { region: "asia", endpoint: "process" }, value: 0.195 }],
        },
        {
          name: "stays quiet at a p95 under 50ms",
          series: latencySeries("asia", "process", { "0.05": 60, "0.1": 60, "+Inf": 60 }),
          at: "20m",
          fires: false,
        },
      ],
      runbook: {
        summary: "The p95 latency of an endpoint in a region is above its 100ms objective, though still under the 200ms that pages.",
        impact: "None visible yet: the storefront waits up to 300ms. The margin before customers see fallbacks is gone.",
        triage: [
          {
            step: "Which endpoint and region, and since when?",
            query: promql`histogram_quantile(0.95, sum by (region, endpoint, le) (rate(${latency.where(SERVICE).render("_bucket")}[30m])))`,
          },
          { step: "Compare the regions' traffic: a region that took over another's traffic is slower.", query: promql`sum by (region) (rate(${all}[5m]))` },
        ],
        mitigation: ["Scale the region out if it is busier than usual; otherwise find the slow spans in Tempo (`service.name=recommendation-api`, sorted by duration) and fix the code path in the ticket."],
      },
    },
    {
      name: "RecommendationApiHighErrorRate",
      expr: promql`sum by (region) (rate(${errors}[5m])) / sum by (region) (rate(${all}[5m])) > 0.01`,
      for: "5m",
      keepFiringFor: "10m",
      severity: "page",
      labels: { priority: "critical" },
      summary: "Recommendation API fails more than 1% of requests in a region.",
      description: "{{ $value | humanizePercentage }} of the requests in {{ $labels.region }} failed over the last 5 minutes (page above 1%).",
      tests: [
        {
          name: "pages after 5 minutes at 2% errors",
          series: requestSeries("us", 588, 12),
          at: "10m",
          fires: [{ labels: { region: "us" }, value: 0.02 }],
        },
        {
          name: "does not page at 0.5% errors",
          series: requestSeries("us", 597, 3),
          at: "10m",
          fires: false,
        },
      ],
      runbook: {
        summary: "More than one request in a hundred ends in a 5xx in a region, for 5 minutes.",
        impact: "Failed recommendation calls show bestsellers on the storefront; `bulk_process` failures delay the nightly e-mail campaign.",
        triage: [
          {
            step: "Which regions, endpoints and status codes? 503 from every endpoint of one region is usually its Redis or its replica; 500 from one endpoint is a bug.",
            query: promql`sum by (region, endpoint, code) (rate(${errors}[5m]))`,
          },
          {
            step: "Are pods of the region failing their readiness check?",
            query: promql`sum by (region) (${ready.where(SERVICE)})`,
          },
          "Read the errors: `kubectl --context <region> -n recommendations logs -l app=recommendation-api --since=15m | jq -r 'select(.level==\"error\") | .err.message' | sort | uniq -c | sort -rn | head`.",
        ],
        mitigation: [
          "If a deploy caused it, roll back: `kubectl --context <region> -n recommendations rollout undo deploy/recommendation-api`.",
          "If the region's Redis is down, the API falls back to the database: scale the replica's connection pool up (`PG_POOL_MAX`) only if RecommendationApiReplicationLagHigh is quiet.",
          "If the region cannot recover within 15 minutes, drain it in geo-DNS (`make drain REGION=<region>` in acme/dns).",
        ],
        links: [{ title: "Reliability dashboard", url: `${DASHBOARDS}/recommendation-api-reliability` }],
        communication: { internal: INTERNAL_PAGE.replace("{{alert}}", "error rate above 1%"), external: EXTERNAL_PAGE },
      },
    },
    {
      name: "RecommendationApiHighErrorRate",
      expr: promql`sum by (region) (rate(${errors}[5m])) / sum by (region) (rate(${all}[5m])) > 0.005`,
      for: "15m",
      keepFiringFor: "15m",
      severity: "ticket",
      labels: { priority: "warning" },
      summary: "Recommendation API fails more than 0.5% of requests in a region.",
      description: "{{ $value | humanizePercentage }} of the requests in {{ $labels.region }} failed over the last 5 minutes (ticket above 0.5%).",
      tests: [
        {
          name: "opens a ticket after 15 minutes at 0.75% errors",
          series: requestSeries("eu", 2382, 18),
          at: "20m",
          fires: [{ labels: { region: "eu" }, value: 0.0075 }],
        },
        {
          name: "stays quiet at 0.25% errors",
          series: requestSeries("eu", 2394, 6),
          at: "20m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Between 0.5% and 1% of the requests of a region fail: too many for the availability objective, too few to page.",
        impact: "A few customers see bestsellers instead of their recommendations.",
        triage: [{ step: "Which endpoints and codes?", query: promql`sum by (region, endpoint, code) (rate(${errors}[30m]))` }],
        mitigation: ["Find the error in the logs and fix it in the ticket; watch the availability SLO's budget on the reliability dashboard meanwhile."],
      },
    },
    {
      name: "RecommendationApiReplicationLagHigh",
      expr: promql`max by (region) (${replicationLag.where({ ...SERVICE, region: /eu|asia/ })}) > 0.5`,
      for: "5m",
      keepFiringFor: "10m",
      severity: "ticket",
      summary: "A regional database replica is more than 500ms behind the primary.",
      description: "The PostgreSQL replica in {{ $labels.region }} replays {{ $value | humanizeDuration }} behind the primary in us.",
      tests: [
        {
          name: "fires after 5 minutes 800ms behind",
          series: { 'recommendation_db_replication_lag_seconds{job="recommendation-api", instance="10.20.0.11:9100", region="eu"}': "0.8x20" },
          at: "10m",
          fires: [{ labels: { region: "eu" }, value: 0.8 }],
        },
        {
          // The lag recovers at 11m; keep_firing_for holds the alert (with its last value) until 20m.
          name: "keeps firing for 10 minutes after the lag recovers",
          series: { 'recommendation_db_replication_lag_seconds{job="recommendation-api", instance="10.30.0.11:9100", region="asia"}': "0.8x10 0.1x20" },
          at: "18m",
          fires: [{ labels: { region: "asia" }, value: 0.8 }],
        },
        {
          name: "resolves once keep_firing_for has passed",
          series: { 'recommendation_db_replication_lag_seconds{job="recommendation-api", instance="10.30.0.11:9100", region="asia"}': "0.8x10 0.1x20" },
          at: "25m",
          fires: false,
        },
        {
          name: "ignores us, which reads from the primary",
          series: { 'recommendation_db_replication_lag_seconds{job="recommendation-api", instance="10.10.0.11:9100", region="us"}': "0.8x20" },
          at: "10m",
          fires: false,
        },
      ],
      runbook: {
        summary: "The eu or asia replica replays the primary's WAL more than 500ms late. Recommendations then miss the customer's last clicks, and writes made in us are not yet visible.",
        impact: "Recommendations ignore the last seconds of browsing; no errors. Above 30s the API stops reading the replica and goes to the primary across the ocean (about 150ms more per request).",
        triage: [
          { step: "How far behind, and growing or shrinking?", query: promql`max by (region) (${replicationLag.where({ ...SERVICE, region: /eu|asia/ })})` },
          "On the replica, is replay blocked by a long query? `SELECT pid, now() - xact_start AS age, query FROM pg_stat_activity WHERE state <> 'idle' ORDER BY age DESC LIMIT 5;`",
          "Is the network link saturated? Look at the primary's `pg_stat_replication` (`write_lag`, `replay_lag` per replica).",
        ],
        mitigation: [
          "Cancel a query that blocks replay: `SELECT pg_cancel_backend(<pid>);` on the replica.",
          "If the link is saturated by a bulk write on the primary (a backfill), pause the backfill.",
        ],
      },
    },
    {
      name: "RecommendationApiCacheHitRateLow",
      expr: promql`sum by (region, cache) (rate(${cacheLookups.where({ ...SERVICE, result: "hit" })}[10m])) / sum by (region, cache) (rate(${cacheLookups.where(SERVICE)}[10m])) < 0.7`,
      for: "15m",
      keepFiringFor: "15m",
      severity: "ticket",
      summary: "An L1 or L2 cache of the recommendation API hits less than 70% of lookups.",
      description: "The {{ $labels.cache }} cache in {{ $labels.region }} hits {{ $value | humanizePercentage }} of lookups (ticket under 70%).",
      tests: [
        {
          name: "fires when half the L2 lookups miss",
          series: cacheSeries("eu", "l2", 30, 30),
          at: "40m",
          fires: [{ labels: { region: "eu", cache: "l2" }, value: 0.5 }],
        },
        {
          name: "stays quiet at 90% hits",
          series: cacheSeries("eu", "l2", 54, 6),
          at: "40m",
          fires: false,
        },
      ],
      runbook: {
        summary: "A cache misses more than 30% of lookups. L1 misses go to Redis (about 2ms), L2 misses go to the database (about 40ms).",
        impact: "Slower responses and more load on the database; latency alerts usually follow.",
        triage: [
          { step: "Which level and region?", query: "region_cache:recommendation_cache_hit:ratio_rate10m" },
          "L1 right after a deploy is normal for a few minutes (the pods start cold). L1 for hours: the LRU is too small for the model catalogue (`L1_MAX_ITEMS`).",
          "L2: is Redis evicting keys? `redis-cli -h redis-recs.<region>.internal info stats | grep evicted_keys`.",
        ],
        mitigation: ["Raise `L1_MAX_ITEMS` (and the pod memory limit with it), or Redis `maxmemory` in the region's Helm values in acme/k8s-manifests."],
      },
    },
    {
      name: "RecommendationApiCpuHigh",
      expr: promql`sum by (region) (rate(${cpuUsage.where(SERVICE)}[5m])) / sum by (region) (${cpuLimit.where(SERVICE)}) > 0.8`,
      for: "10m",
      keepFiringFor: "10m",
      severity: "ticket",
      summary: "Recommendation API pods use more than 80% of their CPU limit in a region.",
      description: "The pods in {{ $labels.region }} use {{ $value | humanizePercentage }} of their CPU limit.",
      tests: [
        {
          name: "fires at 90% of the limit",
          series: {
            'recommendation_cpu_usage_seconds_total{job="recommendation-api", instance="10.10.0.11:9100", region="us"}': "0+54x30",
            'recommendation_cpu_limit_cores{job="recommendation-api", instance="10.10.0.11:9100", region="us"}': "1x30",
          },
          at: "15m",
          fires: [{ labels: { region: "us" }, value: 0.9 }],
        },
        {
          name: "stays quiet at 70% (the info digest's business)",
          series: {
            'recommendation_cpu_usage_seconds_total{job="recommendation-api", instance="10.10.0.11:9100", region="us"}': "0+42x30",
            'recommendation_cpu_limit_cores{job="recommendation-api", instance="10.10.0.11:9100", region="us"}': "1x30",
          },
          at: "15m",
          fires: false,
        },
      ],
      runbook: {
        summary: "The region's pods are close to their CPU limit; above it they are throttled and latency climbs.",
        impact: "None yet; p95 latency rises as throttling starts.",
        triage: [
          { step: "How many pods are ready in the region, compared with the others?", query: promql`sum by (region) (${ready.where(SERVICE)})` },
          "Is the horizontal pod autoscaler at its maximum? `kubectl --context <region> -n recommendations get hpa recommendation-api`.",
        ],
        mitigation: ["Raise the HPA maximum or scale out by hand: `kubectl --context <region> -n recommendations scale deploy/recommendation-api --replicas=<n>`."],
      },
    },
    {
      // The e-mail digest's alert: capacity planning, read once a day, not acted on at night.
      name: "RecommendationApiCpuHigh",
      expr: promql`sum by (region) (rate(${cpuUsage.where(SERVICE)}[5m])) / sum by (region) (${cpuLimit.where(SERVICE)}) > 0.6`,
      for: "1h",
      keepFiringFor: "1h",
      severity: "info",
      summary: "Recommendation API pods have used more than 60% of their CPU limit for an hour.",
      description: "The pods in {{ $labels.region }} use {{ $value | humanizePercentage }} of their CPU limit: plan capacity before it reaches 80%.",
      tests: [
        {
          name: "goes into the digest after an hour at 70%",
          series: {
            'recommendation_cpu_usage_seconds_total{job="recommendation-api", instance="10.10.0.11:9100", region="us"}': "0+42x80",
            'recommendation_cpu_limit_cores{job="recommendation-api", instance="10.10.0.11:9100", region="us"}': "1x80",
          },
          at: "70m",
          fires: [{ labels: { region: "us" }, value: 0.7 }],
        },
        {
          name: "stays out of the digest at 50%",
          series: {
            'recommendation_cpu_usage_seconds_total{job="recommendation-api", instance="10.10.0.11:9100", region="us"}': "0+30x80",
            'recommendation_cpu_limit_cores{job="recommendation-api", instance="10.10.0.11:9100", region="us"}': "1x80",
          },
          at: "70m",
          fires: false,
        },
      ],
      runbook: {
        summary: "The region runs hot for an hour or more: the next traffic peak, or a drained region's traffic, will not fit.",
        triage: [{ step: "Weekly CPU trend by region.", query: promql`sum by (region) (rate(${cpuUsage.where(SERVICE)}[1h])) / sum by (region) (${cpuLimit.where(SERVICE)})` }],
        mitigation: ["Raise the region's HPA minimum and maximum in acme/k8s-manifests at the next capacity review."],
      },
    },
    {
      name: "RecommendationApiMemoryHigh",
      expr: promql`sum by (region) (${memoryUsed.where(SERVICE)}) / sum by (region) (${memoryLimit.where(SERVICE)}) > 0.8`,
      for: "10m",
      keepFiringFor: "10m",
      severity: "ticket",
      summary: "Recommendation API pods use more than 80% of their memory limit in a region.",
      description: "The pods in {{ $labels.region }} use {{ $value | humanizePercentage }} of their memory limit.",
      tests: [
        {
          name: "fires at 90% of the limit",
          series: {
            'recommendation_memory_working_set_bytes{job="recommendation-api", instance="10.30.0.11:9100", region="asia"}': "3600000000x20",
            'recommendation_memory_limit_bytes{job="recommendation-api", instance="10.30.0.11:9100", region="asia"}': "4000000000x20",
          },
          at: "15m",
          fires: [{ labels: { region: "asia" }, value: 0.9 }],
        },
        {
          name: "stays quiet at half the limit",
          series: {
            'recommendation_memory_working_set_bytes{job="recommendation-api", instance="10.30.0.11:9100", region="asia"}': "2000000000x20",
            'recommendation_memory_limit_bytes{job="recommendation-api", instance="10.30.0.11:9100", region="asia"}': "4000000000x20",
          },
          at: "15m",
          fires: false,
        },
      ],
      runbook: {
        summary: "The pods' working set approaches their limit; at the limit the kernel OOM-kills them, and every restart empties an L1 cache.",
        impact: "None yet. OOM kills show as 503s and cold L1 caches.",
        triage: [
          "Look for OOM kills: `kubectl --context <region> -n recommendations get pods -l app=recommendation-api -o jsonpath='{range .items[*]}{.metadata.name} {.status.containerStatuses[0].lastState.terminated.reason}{\"\\n\"}{end}'`.",
          { step: "Is it the L1 cache growing? Compare the memory trend with the L1 hit rate.", query: promql`sum by (region) (${memoryUsed.where(SERVICE)})` },
        ],
        mitigation: ["Lower `L1_MAX_ITEMS`, or raise the memory limit in the region's Helm values; restart pods one at a time (`kubectl rollout restart`) if one leaks."],
      },
    },
    {
      name: "RecommendationApiFewInstances",
      expr: promql`sum by (region) (${ready.where(SERVICE)}) < 2`,
      for: "5m",
      keepFiringFor: "5m",
      severity: "ticket",
      summary: "A region has fewer than two ready recommendation API pods.",
      description: "Only {{ $value }} pod(s) are ready in {{ $labels.region }}: one more failure takes the region down.",
      tests: [
        {
          name: "fires with one ready pod out of three",
          series: {
            'recommendation_instance_ready{job="recommendation-api", instance="10.20.0.11:9100", region="eu"}': "1x20",
            'recommendation_instance_ready{job="recommendation-api", instance="10.20.0.12:9100", region="eu"}': "0x20",
            'recommendation_instance_ready{job="recommendation-api", instance="10.20.0.13:9100", region="eu"}': "0x20",
          },
          at: "10m",
          fires: [{ labels: { region: "eu" }, value: 1 }],
        },
        {
          name: "stays quiet with two ready pods",
          series: {
            'recommendation_instance_ready{job="recommendation-api", instance="10.20.0.11:9100", region="eu"}': "1x20",
            'recommendation_instance_ready{job="recommendation-api", instance="10.20.0.12:9100", region="eu"}': "1x20",
            'recommendation_instance_ready{job="recommendation-api", instance="10.20.0.13:9100", region="eu"}': "0x20",
          },
          at: "10m",
          fires: false,
        },
      ],
      runbook: {
        summary: "The region runs on a single ready pod (or none that reports): no redundancy left.",
        impact: "None while the last pod holds; if it fails, geo-DNS health checks move the region's customers elsewhere (about 60s of errors).",
        triage: ["`kubectl --context <region> -n recommendations get pods -l app=recommendation-api`: Pending (capacity), CrashLoopBackOff (a bad deploy or config) or not ready (a dependency)?"],
        mitigation: ["Pending: ask #platform for node capacity in the region. CrashLoopBackOff: roll back. Not ready: follow the dependency's alert (Redis, replica)."],
      },
    },
  ],

  slos: [
    {
      // Availability as an SLO, not as a threshold: 99.95% over 30 days is a budget of 21.6
      // minutes of full outage; burn-rate alerts page when it is being spent fast (2% of it in an
      // hour) and ignore a short blip that a 99.95% threshold on a 5-minute window would page for.
      name: "availability",
      objective: 99.95,
      period: "30d",
      description:
        "Customers get their recommendations: 99.95% of requests to each region succeed, over any 30 days (about 22 minutes of full outage a month per region).",
      sli: { errors, total: all },
      groupBy: ["region"],
      alerting: { names: { page: "RecommendationApiAvailabilityBurnFast", ticket: "RecommendationApiAvailabilityBurnSlow" } },
      runbook: {
        summary: "A region spends its 0.05% error budget faster than it can afford.",
        impact: "Customers of the region see bestsellers instead of recommendations, or nothing in the mobile apps.",
        triage: [
          { step: "Which endpoints and codes burn the budget?", query: promql`sum by (region, endpoint, code) (rate(${errors}[1h]))` },
          { step: "Is another alert of the service firing (latency, replica, Redis)?", query: 'ALERTS{alertstate="firing", service="recommendation-api"}' },
        ],
        mitigation: [
          "Follow RecommendationApiHighErrorRate: roll back a bad deploy, or drain the region in geo-DNS (`make drain REGION=<region>` in acme/dns).",
        ],
        communication: { internal: INTERNAL_PAGE.replace("{{alert}}", "availability error budget burning"), external: EXTERNAL_PAGE },
      },
    },
  ],

  dashboards: [
    {
      uid: "recommendation-api-regions",
      title: "Recommendation API: regions overview",
      description: "The four golden signals of every region on one screen.",
      tags: ["recommendations"],
      variables: [{ name: "region", query: "label_values(recommendation_http_requests_total, region)", multi: true, includeAll: true }],
      rows: [
        {
          title: "Golden signals",
          panels: [
            { title: "Requests per second by region", unit: "reqps", queries: [{ expr: 'sum by (region) (rate(recommendation_http_requests_total{region=~"$region"}[$__rate_interval]))', legend: "{{region}}" }] },
            {
              title: "Error ratio by region",
              unit: "percentunit",
              thresholds: [{ color: "green" }, { value: 0.005, color: "orange" }, { value: 0.01, color: "red" }],
              queries: [{ expr: 'sum by (region) (rate(recommendation_http_requests_total{region=~"$region", code=~"5.."}[$__rate_interval])) / sum by (region) (rate(recommendation_http_requests_total{region=~"$region"}[$__rate_interval]))', legend: "{{region}}" }],
            },
            {
              title: "p95 latency by region",
              unit: "s",
              thresholds: [{ color: "green" }, { value: 0.1, color: "orange" }, { value: 0.2, color: "red" }],
              queries: [{ expr: 'histogram_quantile(0.95, sum by (region, le) (rate(recommendation_http_request_duration_seconds_bucket{region=~"$region"}[$__rate_interval])))', legend: "{{region}}" }],
            },
            { title: "Ready pods by region", type: "stat", unit: "short", queries: [{ expr: 'sum by (region) (recommendation_instance_ready{region=~"$region"})', legend: "{{region}}" }] },
          ],
        },
      ],
    },
    {
      uid: "recommendation-api-performance",
      title: "Recommendation API: performance",
      description: "Latency percentiles by region and endpoint, against the 100ms (ticket) and 200ms (page) thresholds.",
      tags: ["recommendations"],
      variables: [
        { name: "region", query: "label_values(recommendation_http_requests_total, region)", multi: true, includeAll: true },
        { name: "endpoint", values: ["process", "recommend", "bulk_process"], multi: true, includeAll: true },
      ],
      rows: [
        {
          title: "Percentiles by region",
          panels: [
            { title: "p50 by region", unit: "s", queries: [{ expr: 'histogram_quantile(0.5, sum by (region, le) (rate(recommendation_http_request_duration_seconds_bucket{region=~"$region", endpoint=~"$endpoint"}[$__rate_interval])))', legend: "{{region}}" }] },
            {
              title: "p95 by region",
              unit: "s",
              thresholds: [{ color: "green" }, { value: 0.1, color: "orange" }, { value: 0.2, color: "red" }],
              queries: [{ expr: 'histogram_quantile(0.95, sum by (region, le) (rate(recommendation_http_request_duration_seconds_bucket{region=~"$region", endpoint=~"$endpoint"}[$__rate_interval])))', legend: "{{region}}" }],
            },
            { title: "p99 by region", unit: "s", queries: [{ expr: 'histogram_quantile(0.99, sum by (region, le) (rate(recommendation_http_request_duration_seconds_bucket{region=~"$region", endpoint=~"$endpoint"}[$__rate_interval])))', legend: "{{region}}" }] },
          ],
        },
        {
          title: "By endpoint",
          panels: [
            { title: "p95 by endpoint and region", unit: "s", width: 24, queries: [{ expr: 'histogram_quantile(0.95, sum by (region, endpoint, le) (rate(recommendation_http_request_duration_seconds_bucket{region=~"$region", endpoint=~"$endpoint"}[$__rate_interval])))', legend: "{{region}} {{endpoint}}" }] },
            { title: "Latency distribution", type: "heatmap", width: 24, queries: [{ expr: 'sum by (le) (rate(recommendation_http_request_duration_seconds_bucket{region=~"$region", endpoint=~"$endpoint"}[$__rate_interval]))', legend: "{{le}}" }] },
          ],
        },
      ],
    },
    {
      uid: "recommendation-api-reliability",
      title: "Recommendation API: reliability and errors",
      description: "Errors by region, endpoint and code, and the availability SLO's budget per region.",
      tags: ["recommendations"],
      variables: [{ name: "region", query: "label_values(recommendation_http_requests_total, region)", multi: true, includeAll: true }],
      rows: [
        {
          title: "Errors",
          panels: [
            { title: "5xx per second by endpoint and code", unit: "reqps", queries: [{ expr: 'sum by (region, endpoint, code) (rate(recommendation_http_requests_total{region=~"$region", code=~"5.."}[$__rate_interval]))', legend: "{{region}} {{endpoint}} {{code}}" }] },
            { title: "4xx per second by endpoint", unit: "reqps", queries: [{ expr: 'sum by (region, endpoint) (rate(recommendation_http_requests_total{region=~"$region", code=~"4.."}[$__rate_interval]))', legend: "{{region}} {{endpoint}}" }] },
          ],
        },
        {
          title: "Availability SLO (99.95%, 30 days)",
          panels: [
            { title: "Error budget left by region", type: "bargauge", unit: "percentunit", min: 0, max: 1, queries: [{ expr: 'slo:period_error_budget_remaining:ratio{service="recommendation-api", slo="availability", region=~"$region"}', legend: "{{region}}" }] },
            { title: "Burn rate (5m) by region", unit: "short", queries: [{ expr: 'slo:current_burn_rate:ratio{service="recommendation-api", slo="availability", region=~"$region"}', legend: "{{region}}" }] },
          ],
        },
      ],
    },
    {
      uid: "recommendation-api-cache",
      title: "Recommendation API: cache",
      description: "Hit rates and lookup rates of the L1 (in-process) and L2 (Redis) caches, per region.",
      tags: ["recommendations"],
      variables: [{ name: "region", query: "label_values(recommendation_cache_lookups_total, region)", multi: true, includeAll: true }],
      rows: [
        {
          title: "Hit rate",
          panels: [
            {
              title: "Hit rate by region and level",
              unit: "percentunit",
              min: 0,
              max: 1,
              thresholds: [{ color: "red" }, { value: 0.7, color: "green" }],
              queries: [{ expr: 'region_cache:recommendation_cache_hit:ratio_rate10m{region=~"$region"}', legend: "{{region}} {{cache}}" }],
            },
            { title: "Lookups per second by level and result", unit: "ops", queries: [{ expr: 'sum by (region, cache, result) (rate(recommendation_cache_lookups_total{region=~"$region"}[$__rate_interval]))', legend: "{{region}} {{cache}} {{result}}" }] },
          ],
        },
      ],
    },
    {
      uid: "recommendation-api-infrastructure",
      title: "Recommendation API: infrastructure",
      description: "CPU, memory and ready pods per region, and the replicas' replication lag.",
      tags: ["recommendations"],
      variables: [{ name: "region", query: "label_values(recommendation_instance_ready, region)", multi: true, includeAll: true }],
      rows: [
        {
          title: "Capacity",
          panels: [
            {
              title: "CPU used / limit by region",
              unit: "percentunit",
              thresholds: [{ color: "green" }, { value: 0.6, color: "orange" }, { value: 0.8, color: "red" }],
              queries: [{ expr: 'sum by (region) (rate(recommendation_cpu_usage_seconds_total{region=~"$region"}[$__rate_interval])) / sum by (region) (recommendation_cpu_limit_cores{region=~"$region"})', legend: "{{region}}" }],
            },
            {
              title: "Memory used / limit by region",
              unit: "percentunit",
              thresholds: [{ color: "green" }, { value: 0.8, color: "red" }],
              queries: [{ expr: 'sum by (region) (recommendation_memory_working_set_bytes{region=~"$region"}) / sum by (region) (recommendation_memory_limit_bytes{region=~"$region"})', legend: "{{region}}" }],
            },
            { title: "Ready pods by region", unit: "short", queries: [{ expr: 'sum by (region) (recommendation_instance_ready{region=~"$region"})', legend: "{{region}}" }] },
          ],
        },
        {
          title: "Database",
          panels: [
            {
              title: "Replication lag (eu, asia)",
              unit: "s",
              width: 24,
              thresholds: [{ color: "green" }, { value: 0.5, color: "red" }],
              queries: [{ expr: 'max by (region) (recommendation_db_replication_lag_seconds{region=~"eu|asia"})', legend: "{{region}}" }],
            },
          ],
        },
      ],
    },
  ],
});
