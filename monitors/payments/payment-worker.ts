import { counter, defineAlert, defineDashboard, defineService, gauge, histogram, promql, summary } from "vigil";
import { payments } from "../teams.js";

// payment-worker consumes the RabbitMQ queues payments.capture, payments.refund and
// payments.webhook (Stripe events) and exposes these metrics on :9102/metrics.
const processed = counter("payment_worker_jobs_processed_total", {
  help: "Messages taken off a queue and finished, by final outcome: succeeded, failed (will be retried) or rejected (dead-lettered).",
  labels: ["queue", "outcome"],
  unit: "jobs",
});

const jobDuration = histogram("payment_worker_job_duration_seconds", {
  help: "Time spent handling one message, from delivery to ack or nack.",
  labels: ["queue"],
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  unit: "seconds",
});

const endToEnd = summary("payment_worker_end_to_end_latency_seconds", {
  help: "Time from the message being published to its ack, with client-side quantiles 0.5, 0.9 and 0.99 over 10 minutes.",
  labels: ["queue"],
  unit: "seconds",
});

const queueDepth = gauge("payment_worker_queue_depth", {
  help: "Messages ready in the queue, as reported by RabbitMQ to the worker's passive queue.declare every 15s.",
  labels: ["queue"],
  unit: "messages",
});

const oldestAge = gauge("payment_worker_oldest_message_age_seconds", {
  help: "Age of the oldest ready message in the queue.",
  labels: ["queue"],
  unit: "seconds",
});

const deadLettered = counter("payment_worker_dead_lettered_total", {
  help: "Messages sent to the dead-letter queue after the last retry, by reason.",
  labels: ["queue", "reason"],
  unit: "jobs",
});

const busy = gauge("payment_worker_busy_slots", {
  help: "Consumer slots handling a message right now.",
});

const concurrency = gauge("payment_worker_concurrency", {
  help: "Consumer slots configured (WORKER_CONCURRENCY x prefetch).",
});

const DASHBOARD = "https://grafana.acme.example/d/payment-worker-queues";

const down = defineAlert({
  name: "PaymentWorkerDown",
  expr: 'sum by (job) (up{job="payment-worker"}) == 0 or absent(up{job="payment-worker"})',
  for: "5m",
  severity: "page",
  summary: "No payment worker is running.",
  description: "Prometheus has not scraped any {{ $labels.job }} pod for 5 minutes; captures, refunds and Stripe webhooks are not processed.",
  tests: [
    {
      name: "fires when every pod is down",
      series: { 'up{job="payment-worker", instance="10.1.1.21:9102"}': "0x10" },
      at: "8m",
      fires: [{ labels: { job: "payment-worker" } }],
    },
    {
      name: "fires when no pod is discovered",
      series: { 'up{job="checkout-api", instance="10.1.0.11:9102"}': "1x10" },
      at: "8m",
      fires: [{ labels: { job: "payment-worker" } }],
    },
    {
      name: "stays quiet while one pod is up",
      series: {
        'up{job="payment-worker", instance="10.1.1.21:9102"}': "0x10",
        'up{job="payment-worker", instance="10.1.1.22:9102"}': "1x10",
      },
      at: "8m",
      fires: false,
    },
  ],
  runbook: {
    summary: "Every payment-worker pod is down or missing from service discovery.",
    impact: "Orders stay in \"payment pending\", refunds do not go out and Stripe webhooks pile up (Stripe retries them for 3 days).",
    triage: [
      "Check the pods: `kubectl -n payments get pods -l app=payment-worker`.",
      "If they crash at start, read the last logs: `kubectl -n payments logs deploy/payment-worker --previous | tail -50`. A failing connection to RabbitMQ (`amqp://rabbitmq.payments.svc:5672`) or to orders-postgres is the usual cause.",
      "Check RabbitMQ itself: `kubectl -n payments exec rabbitmq-0 -- rabbitmq-diagnostics check_running`.",
    ],
    mitigation: [
      "Roll back the last deploy: `kubectl -n payments rollout undo deploy/payment-worker`.",
      "If RabbitMQ is down, restart the broken node: `kubectl -n payments delete pod rabbitmq-<n>` (quorum queues survive the loss of one node of three).",
    ],
  },
});

const workerDashboard = defineDashboard({
  uid: "payment-worker-queues",
  title: "Payment worker: queues",
  description: "Throughput, backlog and failures of the payment queues.",
  tags: ["payments", "queues"],
  rows: [
    {
      title: "Backlog",
      panels: [
        {
          title: "Ready messages by queue",
          queries: [{ expr: promql`sum by (queue) (${queueDepth})`, legend: "{{queue}}" }],
          unit: "short",
        },
        {
          title: "Oldest message age",
          queries: [{ expr: promql`max by (queue) (${oldestAge})`, legend: "{{queue}}" }],
          unit: "s",
          description: "PaymentWorkerQueueBacklog pages above 5 minutes.",
        },
      ],
    },
    {
      title: "Throughput",
      panels: [
        {
          title: "Jobs per second by outcome",
          queries: [{ expr: "sum by (queue, outcome) (rate(payment_worker_jobs_processed_total[$__rate_interval]))", legend: "{{queue}} {{outcome}}" }],
          unit: "ops",
        },
        {
          title: "Dead-lettered jobs",
          queries: [{ expr: "sum by (queue, reason) (increase(payment_worker_dead_lettered_total[$__rate_interval]))", legend: "{{queue}} {{reason}}" }],
          unit: "short",
        },
      ],
    },
    {
      title: "Duration and saturation",
      panels: [
        {
          title: "Job duration p99",
          queries: [{ expr: "histogram_quantile(0.99, sum by (queue, le) (rate(payment_worker_job_duration_seconds_bucket[$__rate_interval])))", legend: "{{queue}}" }],
          unit: "s",
        },
        {
          title: "End-to-end latency p99",
          queries: [{ expr: promql`max by (queue) (${endToEnd}{quantile="0.99"})`, legend: "{{queue}}" }],
          unit: "s",
        },
        {
          title: "Busy slots",
          type: "stat",
          queries: [promql`sum(${busy}) / sum(${concurrency})`],
          unit: "percentunit",
          width: 6,
        },
      ],
    },
  ],
});

export default defineService({
  name: "payment-worker",
  team: payments,
  // While one of these is down, this service\'s alerts are symptoms and stay quiet.
  dependsOn: ["orders-postgres"],
  description:
    "Background worker that captures authorized payments, sends refunds and applies Stripe webhook events to orders. checkout-api enqueues the work; finance reports depend on it being done within minutes.",
  metrics: [processed, jobDuration, endToEnd, queueDepth, oldestAge, deadLettered, busy, concurrency],

  recordingRules: [
    {
      record: "queue_outcome:payment_worker_jobs_processed:rate5m",
      expr: promql`sum by (queue, outcome) (rate(${processed}[5m]))`,
    },
    {
      record: "queue:payment_worker_jobs_failed:ratio_rate5m",
      expr: promql`sum by (queue) (rate(${processed.where({ outcome: /failed|rejected/ })}[5m])) / sum by (queue) (rate(${processed}[5m]))`,
    },
  ],

  alerts: [
    down,
    {
      name: "PaymentWorkerQueueBacklog",
      expr: promql`max by (queue) (${oldestAge}) > 300`,
      for: "5m",
      severity: "page",
      summary: "Payment jobs have been waiting for more than 5 minutes.",
      description: "The oldest message of queue {{ $labels.queue }} is {{ $value | humanizeDuration }} old.",
      tests: [
        {
          name: "fires when the oldest message is 10 minutes old",
          series: {
            'payment_worker_oldest_message_age_seconds{job="payment-worker", instance="10.1.1.21:9102", queue="capture"}': "600x15",
            'payment_worker_oldest_message_age_seconds{job="payment-worker", instance="10.1.1.21:9102", queue="refund"}': "20x15",
          },
          at: "10m",
          fires: [{ labels: { queue: "capture" }, value: 600 }],
        },
        {
          name: "stays quiet under 5 minutes",
          series: { 'payment_worker_oldest_message_age_seconds{job="payment-worker", instance="10.1.1.21:9102", queue="capture"}': "240x15" },
          at: "10m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Messages wait in a payment queue longer than the 5-minute objective: the workers do not keep up or do not consume.",
        impact: "Payments are captured late; customers whose refund is late open support tickets, and uncaptured authorizations expire after 7 days.",
        triage: [
          {
            step: "Are the workers consuming at all? A rate of zero on a queue with messages is a stuck consumer, not a slow one.",
            query: promql`sum by (queue, outcome) (rate(${processed}[5m]))`,
          },
          {
            step: "Are all consumer slots busy? Then the workers are too few or each job is too slow.",
            query: promql`sum(${busy}) / sum(${concurrency})`,
          },
          {
            step: "Did jobs get slower? Slow Stripe calls or slow database writes show up here.",
            query: promql`histogram_quantile(0.99, sum by (queue, le) (rate(${jobDuration}_bucket[5m])))`,
          },
          "Look at the queue in the RabbitMQ management UI (https://rabbitmq.acme.example, queue `payments.<queue>`): consumers count, unacked messages.",
        ],
        mitigation: [
          "Scale out: `kubectl -n payments scale deploy/payment-worker --replicas=<n>` (stay below 12: orders-postgres connections).",
          "If consumers are connected but idle with many unacked messages, restart them: `kubectl -n payments rollout restart deploy/payment-worker`.",
          "If jobs are slow because Stripe is slow, scaling out does not help; follow StripeGatewaySlowProbe.",
        ],
        links: [{ title: "Payment worker dashboard", url: DASHBOARD }],
      },
    },
    {
      name: "PaymentWorkerHighFailureRate",
      expr: promql`sum by (queue) (rate(${processed.where({ outcome: /failed|rejected/ })}[5m])) / sum by (queue) (rate(${processed}[5m])) > 0.05`,
      for: "10m",
      severity: "page",
      summary: "More than 5% of payment jobs fail.",
      description: "{{ $value | humanizePercentage }} of the jobs of queue {{ $labels.queue }} failed over the last 5 minutes.",
      tests: [
        {
          name: "fires when a fifth of the jobs fail or are rejected",
          series: {
            'payment_worker_jobs_processed_total{job="payment-worker", queue="capture", outcome="failed"}': "0+6x30",
            'payment_worker_jobs_processed_total{job="payment-worker", queue="capture", outcome="rejected"}': "0+6x30",
            'payment_worker_jobs_processed_total{job="payment-worker", queue="capture", outcome="succeeded"}': "0+48x30",
            'payment_worker_jobs_processed_total{job="payment-worker", queue="refund", outcome="succeeded"}': "0+10x30",
          },
          at: "20m",
          fires: [{ labels: { queue: "capture" }, value: 0.2 }],
        },
        {
          name: "stays quiet at 1% failures",
          series: {
            'payment_worker_jobs_processed_total{job="payment-worker", queue="capture", outcome="failed"}': "0+1x30",
            'payment_worker_jobs_processed_total{job="payment-worker", queue="capture", outcome="succeeded"}': "0+99x30",
          },
          at: "20m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Jobs fail and are retried or dead-lettered. Failed jobs are retried 5 times with backoff before being dead-lettered.",
        impact: "Captures and refunds are delayed; after the retries they need a manual replay.",
        triage: [
          "Read the errors: `kubectl -n payments logs -l app=payment-worker --since=15m | jq -r 'select(.level==\"error\") | .err.type' | sort | uniq -c | sort -rn`.",
          {
            step: "Which dead-letter reasons grow?",
            query: promql`sum by (queue, reason) (increase(${deadLettered}[15m]))`,
          },
          "`StripeConnectionError` or `RateLimitError` point at Stripe (see stripe-gateway alerts); `SerializationFailure` or `deadlock detected` at orders-postgres.",
        ],
        mitigation: [
          "If a deploy caused it: `kubectl -n payments rollout undo deploy/payment-worker`.",
          "If one poison message fails again and again, move it to the dead-letter queue by hand with `rabbitmqadmin` and open a ticket with its message id.",
          "Once fixed, replay dead-lettered messages: `kubectl -n payments exec deploy/payment-worker -- node dist/scripts/replay-dlq.js --queue <queue> --dry-run`, then without `--dry-run`.",
        ],
      },
    },
    {
      name: "PaymentWorkerNotConsuming",
      expr: promql`sum by (queue) (${queueDepth}) > 0 unless sum by (queue) (rate(${processed}[10m])) > 0`,
      labels: { component: "consumer" },
      for: "10m",
      severity: "page",
      summary: "A payment queue has messages but no worker consumes it.",
      description: "Queue {{ $labels.queue }} holds {{ $value }} ready messages and no job finished in the last 10 minutes.",
      tests: [
        {
          name: "fires when messages wait and nothing is processed",
          series: {
            'payment_worker_queue_depth{job="payment-worker", instance="10.1.1.21:9102", queue="refund"}': "42x25",
            'payment_worker_jobs_processed_total{job="payment-worker", queue="refund", outcome="succeeded"}': "1500x25",
          },
          at: "20m",
          fires: [{ labels: { queue: "refund" }, value: 42 }],
        },
        {
          name: "stays quiet while jobs finish",
          series: {
            'payment_worker_queue_depth{job="payment-worker", instance="10.1.1.21:9102", queue="refund"}': "42x25",
            'payment_worker_jobs_processed_total{job="payment-worker", queue="refund", outcome="succeeded"}': "1500+60x25",
          },
          at: "20m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Messages are ready but nothing is processed: consumers lost their channel, or every slot is stuck on a hung call.",
        impact: "Same as a backlog, getting worse every minute.",
        triage: [
          "In the RabbitMQ UI, check that the queue has consumers. Zero consumers with running pods means they lost their channel and did not reconnect.",
          "Get a diagnostic report (stacks, handles) of a stuck pod: `kubectl -n payments exec <pod> -- kill -USR2 1`; the worker runs with `--report-on-signal` and writes the report to its log.",
        ],
        mitigation: ["Restart the workers: `kubectl -n payments rollout restart deploy/payment-worker`.", "Open a ticket with the diagnostic report attached so that the hang gets fixed."],
      },
    },
    {
      name: "PaymentWorkerQueueGrowing",
      expr: promql`deriv(${queueDepth}[15m]) > 1 and ${queueDepth} > 500`,
      for: "15m",
      severity: "ticket",
      summary: "A payment queue has been growing for 15 minutes.",
      description: "Queue {{ $labels.queue }} grows by {{ $value | humanize }} messages per second and holds more than 500.",
      tests: [
        {
          name: "fires when the queue grows by 2 messages a second",
          series: { 'payment_worker_queue_depth{job="payment-worker", instance="10.1.1.21:9102", queue="webhook"}': "0+120x40" },
          at: "25m",
          fires: [{ labels: { job: "payment-worker", instance: "10.1.1.21:9102", queue: "webhook" }, value: 2 }],
        },
        {
          name: "stays quiet on a large but steady queue",
          series: { 'payment_worker_queue_depth{job="payment-worker", instance="10.1.1.21:9102", queue="webhook"}': "800x40" },
          at: "25m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Producers enqueue faster than the workers consume; no message is old yet, but it will be.",
        triage: [
          {
            step: "Compare what comes in (depth trend) with what goes out.",
            query: promql`sum by (queue) (rate(${processed}[15m]))`,
          },
          "Check whether a batch producer (nightly-reconciliation, a refund campaign) is running.",
        ],
        mitigation: ["Scale out the workers ahead of the backlog: `kubectl -n payments scale deploy/payment-worker --replicas=<n>`."],
      },
    },
    {
      name: "PaymentWorkerDeadLetters",
      expr: promql`sum by (queue, reason) (increase(${deadLettered}[1h])) > 0`,
      severity: "ticket",
      summary: "Payment jobs were dead-lettered in the last hour.",
      description: "{{ $value | humanize }} messages of queue {{ $labels.queue }} were dead-lettered with reason {{ $labels.reason }} in the last hour.",
      tests: [
        {
          name: "fires when 3 messages were dead-lettered",
          series: { 'payment_worker_dead_lettered_total{job="payment-worker", instance="10.1.1.21:9102", queue="capture", reason="max_retries"}': "0x30 3x30" },
          at: "1h",
          fires: [{ labels: { queue: "capture", reason: "max_retries" }, value: 3 }],
        },
        {
          name: "stays quiet when nothing was dead-lettered in the last hour",
          series: { 'payment_worker_dead_lettered_total{job="payment-worker", instance="10.1.1.21:9102", queue="capture", reason="max_retries"}': "5x70" },
          at: "1h",
          fires: false,
        },
      ],
      runbook: {
        summary: "Messages failed every retry and sit in the dead-letter queue. Each one is a payment action that did not happen.",
        impact: "A customer was not charged, or not refunded, until someone replays the message.",
        triage: [
          "List the messages: `rabbitmqadmin -H rabbitmq.acme.example get queue=payments.<queue>.dlq count=20 ackmode=reject_requeue_true`.",
          "Look up the order id of each message in the back office and check its payment state in Stripe.",
        ],
        mitigation: [
          "Fix the cause, then replay: `kubectl -n payments exec deploy/payment-worker -- node dist/scripts/replay-dlq.js --queue <queue>`.",
          "For messages that must not be replayed (order cancelled since), purge them one by one and note them in the ticket for finance.",
        ],
      },
    },
    {
      name: "PaymentWorkerSaturated",
      expr: promql`sum(${busy}) / sum(${concurrency}) > 0.9`,
      for: "15m",
      severity: "ticket",
      summary: "Payment workers use more than 90% of their consumer slots.",
      description: "{{ $value | humanizePercentage }} of payment-worker consumer slots have been busy for 15 minutes.",
      tests: [
        {
          name: "fires at 95% of slots busy",
          series: {
            'payment_worker_busy_slots{job="payment-worker", instance="10.1.1.21:9102"}': "19x20",
            'payment_worker_concurrency{job="payment-worker", instance="10.1.1.21:9102"}': "20x20",
          },
          at: "20m",
          fires: [{ value: 0.95 }],
        },
        {
          name: "stays quiet at half the slots",
          series: {
            'payment_worker_busy_slots{job="payment-worker", instance="10.1.1.21:9102"}': "10x20",
            'payment_worker_concurrency{job="payment-worker", instance="10.1.1.21:9102"}': "20x20",
          },
          at: "20m",
          fires: false,
        },
      ],
      runbook: {
        summary: "The workers have almost no spare capacity; any spike will build a backlog.",
        triage: ["Check whether job duration went up (slower dependencies) or traffic went up (more orders)."],
        mitigation: ["Raise the HPA minimum in `deploy/payment-worker/hpa.yaml` of acme/k8s-manifests, or scale out by hand for the day."],
      },
    },
    {
      name: "PaymentWorkerSlowEndToEnd",
      expr: promql`max by (queue) (${endToEnd}{quantile="0.99"}) > 60`,
      for: "15m",
      severity: "ticket",
      summary: "Payment jobs take more than a minute from publish to ack.",
      description: "The p99 end-to-end latency of queue {{ $labels.queue }} is {{ $value | humanizeDuration }}.",
      tests: [
        {
          name: "fires at a p99 of 90 seconds",
          series: {
            'payment_worker_end_to_end_latency_seconds{job="payment-worker", instance="10.1.1.21:9102", queue="webhook", quantile="0.99"}': "90x20",
            'payment_worker_end_to_end_latency_seconds{job="payment-worker", instance="10.1.1.21:9102", queue="webhook", quantile="0.5"}': "4x20",
          },
          at: "20m",
          fires: [{ labels: { queue: "webhook" }, value: 90 }],
        },
        {
          name: "stays quiet when only the median is slow",
          series: {
            'payment_worker_end_to_end_latency_seconds{job="payment-worker", instance="10.1.1.21:9102", queue="webhook", quantile="0.99"}': "30x20",
            'payment_worker_end_to_end_latency_seconds{job="payment-worker", instance="10.1.1.21:9102", queue="webhook", quantile="0.5"}': "80x20",
          },
          at: "20m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Messages spend more than a minute between being published and being acknowledged, mostly waiting in the queue.",
        triage: [
          {
            step: "Split waiting from working: job duration is the working part.",
            query: promql`histogram_quantile(0.99, sum by (queue, le) (rate(${jobDuration}_bucket[15m])))`,
          },
        ],
        mitigation: ["If waiting dominates, scale out; if working dominates, find the slow dependency."],
      },
    },
    {
      name: "PaymentWorkerSlowJobs",
      // 5s is the largest finite bucket, so histogram_quantile() never returns more than 5: it
      // returns 5 when the p99 falls in the +Inf bucket, hence >= rather than >.
      expr: promql`histogram_quantile(0.99, sum by (queue, le) (rate(${jobDuration}_bucket[10m]))) >= 5`,
      for: "30m",
      severity: "info",
      summary: "Payment jobs take 5 seconds or more at p99.",
      description: "Jobs of queue {{ $labels.queue }} take {{ $value | humanizeDuration }} or more at p99 (5s is the largest bucket of the job duration histogram).",
      tests: [
        {
          name: "fires when half the jobs take more than 5 seconds",
          series: {
            'payment_worker_job_duration_seconds_bucket{job="payment-worker", instance="10.1.1.21:9102", queue="capture", le="2.5"}': "0+30x45",
            'payment_worker_job_duration_seconds_bucket{job="payment-worker", instance="10.1.1.21:9102", queue="capture", le="5"}': "0+30x45",
            'payment_worker_job_duration_seconds_bucket{job="payment-worker", instance="10.1.1.21:9102", queue="capture", le="+Inf"}': "0+60x45",
          },
          at: "40m",
          fires: [{ labels: { queue: "capture" }, value: 5 }],
        },
        {
          name: "stays quiet when every job takes less than 5 seconds",
          series: {
            'payment_worker_job_duration_seconds_bucket{job="payment-worker", instance="10.1.1.21:9102", queue="capture", le="2.5"}': "0x45",
            'payment_worker_job_duration_seconds_bucket{job="payment-worker", instance="10.1.1.21:9102", queue="capture", le="5"}': "0+60x45",
            'payment_worker_job_duration_seconds_bucket{job="payment-worker", instance="10.1.1.21:9102", queue="capture", le="+Inf"}': "0+60x45",
          },
          at: "40m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Individual jobs are slow. Usually a slow Stripe API or slow writes to orders-postgres.",
        triage: ["Check the stripe-gateway dashboard for Stripe API latency.", "Search the slowest job traces in Tempo: `service.name=payment-worker`."],
        mitigation: ["Nothing urgent; open a ticket if it lasts more than a day."],
      },
    },
  ],

  // Every attempt counts: a job that fails and later succeeds on a retry is one bad and one good
  // event, because each retry delays the payment by the backoff (30s, then minutes).
  slos: [
    {
      name: "jobs-succeeded",
      objective: 99.5,
      description:
        "Payments are captured and Stripe's payment updates are applied on the first try: 99.5% of capture and webhook jobs succeed, over any 30 days. The others are retried automatically, but the order stays \"payment pending\" for minutes longer.",
      sli: {
        good: processed.where({ job: "payment-worker", queue: /capture|webhook/, outcome: "succeeded" }),
        total: processed.where({ job: "payment-worker", queue: /capture|webhook/ }),
      },
      runbook: {
        triage: [
          {
            step: "Which queue fails, and are jobs retried (failed) or dead-lettered (rejected)?",
            query: promql`sum by (queue, outcome) (rate(${processed.where({ job: "payment-worker", outcome: /failed|rejected/ })}[1h]))`,
          },
          "Read the error types: `kubectl -n payments logs -l app=payment-worker --since=1h | jq -r 'select(.level==\"error\") | .err.type' | sort | uniq -c | sort -rn`. `StripeConnectionError` or `RateLimitError` point at Stripe, `SerializationFailure` at orders-postgres.",
        ],
        mitigation: [
          "If a deploy started it: `kubectl -n payments rollout undo deploy/payment-worker`.",
          "Once the cause is fixed, replay what was dead-lettered: `kubectl -n payments exec deploy/payment-worker -- node dist/scripts/replay-dlq.js --queue <queue> --dry-run`, then without `--dry-run`.",
        ],
      },
    },
    {
      // Refunds are low-traffic: about 600 a day, 40 an hour in the afternoon but fewer than 5 an
      // hour at night. Without a guard, one failed refund out of 3 in a night hour is a 33% error
      // ratio, 33 times the 1% budget, and the 1h tier would page someone at 03:00 for a single
      // refund that is retried anyway. With minEvents a tier fires only when its long window saw
      // at least 20 refunds: the 1h tier during the day, the 6h, 1d and 3d tiers around the clock,
      // so failures at night still open a ticket or page, just not on one event.
      name: "refunds-succeeded",
      objective: 99,
      description:
        "Customers get their money back without delay: 99% of refunds are sent to Stripe successfully on the first try, over any 30 days. A failed refund is retried, but the customer waits longer and often contacts support.",
      sli: {
        good: processed.where({ job: "payment-worker", queue: "refund", outcome: "succeeded" }),
        total: processed.where({ job: "payment-worker", queue: "refund" }),
      },
      minEvents: 20,
    },
  ],

  dashboards: [workerDashboard],
});
