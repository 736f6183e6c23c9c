import { defineService, gauge, promql } from "vigil";
import { payments } from "../teams.js";

// The job is a Kubernetes CronJob (namespace payments, schedule "0 2 * * *" UTC). It pushes
// its metrics to the Pushgateway (grouping key job="nightly-reconciliation") at start and at
// the end of every run, so its values are those of the last run, not counters.
const lastSuccess = gauge("reconciliation_last_success_timestamp_seconds", {
  help: "Unix time at which the last successful run finished.",
  unit: "seconds",
});

const lastStart = gauge("reconciliation_last_start_timestamp_seconds", {
  help: "Unix time at which the last run started.",
  unit: "seconds",
});

const lastCompletion = gauge("reconciliation_last_completion_timestamp_seconds", {
  help: "Unix time at which the last run ended, successfully or not.",
  unit: "seconds",
});

const lastRunSuccess = gauge("reconciliation_last_run_success", {
  help: "1 if the last run finished successfully, 0 if it failed.",
});

const lastDuration = gauge("reconciliation_last_run_duration_seconds", {
  help: "Wall-clock duration of the last run.",
  unit: "seconds",
});

const records = gauge("reconciliation_last_run_records", {
  help: "Records read by the last run, by source: stripe (balance transactions export) or ledger (orders-postgres).",
  labels: ["source"],
});

const mismatches = gauge("reconciliation_last_run_mismatches", {
  help: "Differences between Stripe and the ledger found by the last run, by kind: missing_in_ledger, missing_in_stripe, amount_differs.",
  labels: ["kind"],
});

const JOB = '{job="nightly-reconciliation"}';

const TRIAGE_JOB = [
  "List the recent runs: `kubectl -n payments get jobs -l app=nightly-reconciliation --sort-by=.status.startTime`.",
  "Read the log of the last run: `kubectl -n payments logs job/<job-name> --tail=200`. The last lines name the failing stage (fetch-stripe, load-ledger, match, report).",
];

export default defineService({
  name: "nightly-reconciliation",
  team: payments,
  // While one of these is down, this service\'s alerts are symptoms and stay quiet.
  dependsOn: ["orders-postgres"],
  selector: { job: "nightly-reconciliation" },
  // A batch job has no 5-minute outage: a second missed night is what pages (its runbook states when).
  suppress: { "detection-time": "a nightly batch job pages for two missed runs, not for a minutes-long outage" },
  description:
    "Nightly batch job that matches every Stripe balance transaction of the previous day against the orders ledger and sends finance the mismatch report. Finance closes the books with it; a missed run blocks the daily close.",
  metrics: [lastSuccess, lastStart, lastCompletion, lastRunSuccess, lastDuration, records, mismatches],

  alerts: [
    {
      name: "NightlyReconciliationMissedRun",
      expr: promql`time() - ${lastSuccess}${JOB} > 26 * 3600`,
      for: "10m",
      severity: "ticket",
      summary: "The nightly reconciliation has not succeeded in the last 26 hours.",
      description: "The last successful reconciliation finished {{ $value | humanizeDuration }} ago.",
      tests: [
        {
          // time() is 0 at the start of a test: the last success was 25 hours before it.
          name: "fires 10 minutes after the last success turns 26 hours old",
          series: { 'reconciliation_last_success_timestamp_seconds{job="nightly-reconciliation"}': "-90000x80" },
          at: "75m",
          fires: [{ labels: { job: "nightly-reconciliation" }, value: 94500 }],
        },
        {
          name: "stays quiet while the last success is less than 26 hours old",
          series: { 'reconciliation_last_success_timestamp_seconds{job="nightly-reconciliation"}': "-90000x80" },
          at: "55m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Last night's run did not finish successfully (it failed, did not start, or is still running).",
        impact: "Finance does not get today's mismatch report; the daily close waits for it.",
        triage: [
          ...TRIAGE_JOB,
          "Check that the CronJob is not suspended: `kubectl -n payments get cronjob nightly-reconciliation -o jsonpath='{.spec.suspend}'`.",
          {
            step: "Did the last run fail, or is it still running?",
            query: promql`${lastRunSuccess}${JOB}`,
          },
        ],
        mitigation: [
          "Once the cause is fixed, start a run by hand for yesterday: `kubectl -n payments create job --from=cronjob/nightly-reconciliation reconciliation-manual-$(date +%s)`.",
          "Tell finance in #finance-ops when the report will arrive.",
        ],
      },
    },
    {
      name: "NightlyReconciliationMissedTwoRuns",
      expr: promql`time() - ${lastSuccess}${JOB} > 50 * 3600`,
      for: "10m",
      severity: "page",
      summary: "The nightly reconciliation has not succeeded for two nights.",
      description: "The last successful reconciliation finished {{ $value | humanizeDuration }} ago; two daily closes are blocked.",
      tests: [
        {
          name: "fires when the last success is more than 50 hours old",
          series: { 'reconciliation_last_success_timestamp_seconds{job="nightly-reconciliation"}': "-179400x30" },
          at: "25m",
          fires: [{ labels: { job: "nightly-reconciliation" }, value: 180900 }],
        },
        {
          name: "stays quiet after a single missed run",
          series: { 'reconciliation_last_success_timestamp_seconds{job="nightly-reconciliation"}': "-100000x30" },
          at: "25m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Two runs in a row did not succeed. The ticket of the first one was not handled in time.",
        impact: "Finance cannot close two days; Stripe payouts cannot be matched to orders, so disputes and refunds go unchecked.",
        triage: [...TRIAGE_JOB, "Look for the ticket opened by NightlyReconciliationMissedRun and its owner."],
        mitigation: [
          "Run the missing days one by one: `kubectl -n payments create job --from=cronjob/nightly-reconciliation reconciliation-manual-$(date +%s)` and set `RECONCILE_DATE=YYYY-MM-DD` with `kubectl set env job/<name>` before it starts (or edit the job spec).",
          "Escalate to the payments engineering manager; finance must be told by 09:00 CET.",
        ],
      },
    },
    {
      name: "NightlyReconciliationLastRunFailed",
      expr: promql`${lastRunSuccess}${JOB} == 0`,
      severity: "ticket",
      summary: "The last nightly reconciliation run failed.",
      description: "The last {{ $labels.job }} run reported a failure (reconciliation_last_run_success is {{ $value }}).",
      tests: [
        {
          name: "fires when the last run failed",
          series: { 'reconciliation_last_run_success{job="nightly-reconciliation"}': "0x5" },
          at: "5m",
          fires: [{ labels: { job: "nightly-reconciliation" }, value: 0 }],
        },
        {
          name: "stays quiet when the last run succeeded",
          series: { 'reconciliation_last_run_success{job="nightly-reconciliation"}': "1x5" },
          at: "5m",
          fires: false,
        },
      ],
      runbook: {
        summary: "The job ran to the end but reported a failure.",
        impact: "No mismatch report for finance today unless it is rerun.",
        triage: [
          ...TRIAGE_JOB,
          "`StripeAPIError: rate_limit` means the export hit Stripe limits (rerun later); `statement timeout` means orders-postgres was busy (rerun, then check the replica it reads from).",
        ],
        mitigation: ["Rerun it: `kubectl -n payments create job --from=cronjob/nightly-reconciliation reconciliation-manual-$(date +%s)`."],
      },
    },
    {
      name: "NightlyReconciliationStuck",
      expr: promql`time() - ${lastStart}${JOB} > 4 * 3600 and ${lastStart}${JOB} > ${lastCompletion}${JOB}`,
      severity: "ticket",
      summary: "A nightly reconciliation run has been running for more than 4 hours.",
      description: "The current run started {{ $value | humanizeDuration }} ago and has not finished.",
      tests: [
        {
          name: "fires when a run started 5 hours ago has not ended",
          series: {
            'reconciliation_last_start_timestamp_seconds{job="nightly-reconciliation"}': "-18000x15",
            'reconciliation_last_completion_timestamp_seconds{job="nightly-reconciliation"}': "-100000x15",
          },
          at: "10m",
          fires: [{ labels: { job: "nightly-reconciliation" }, value: 18600 }],
        },
        {
          name: "stays quiet once the run ended",
          series: {
            'reconciliation_last_start_timestamp_seconds{job="nightly-reconciliation"}': "-18000x15",
            'reconciliation_last_completion_timestamp_seconds{job="nightly-reconciliation"}': "-3600x15",
          },
          at: "10m",
          fires: false,
        },
      ],
      runbook: {
        summary: "A run started and never reported its end: it hangs, or the pod died without pushing its final metrics.",
        triage: [
          "Is the pod still there? `kubectl -n payments get pods -l app=nightly-reconciliation`.",
          "If it runs, see where it waits: the log prints progress every 10,000 records.",
        ],
        mitigation: [
          "Delete the stuck job (`kubectl -n payments delete job <job-name>`) and start a new one.",
          "If the pod died (OOMKilled), raise its memory limit in the CronJob spec for the rerun.",
        ],
      },
    },
    {
      name: "NightlyReconciliationMismatches",
      expr: promql`sum by (kind) (${mismatches}${JOB}) > 10`,
      severity: "ticket",
      summary: "The nightly reconciliation found more than 10 mismatches of one kind.",
      description: "The last run found {{ $value }} mismatches of kind {{ $labels.kind }} between Stripe and the ledger.",
      tests: [
        {
          name: "fires for 25 payments missing in the ledger",
          series: {
            'reconciliation_last_run_mismatches{job="nightly-reconciliation", kind="missing_in_ledger"}': "25x5",
            'reconciliation_last_run_mismatches{job="nightly-reconciliation", kind="amount_differs"}': "2x5",
          },
          at: "5m",
          fires: [{ labels: { kind: "missing_in_ledger" }, value: 25 }],
        },
        {
          name: "stays quiet at the usual few mismatches",
          series: {
            'reconciliation_last_run_mismatches{job="nightly-reconciliation", kind="missing_in_ledger"}': "2x5",
            'reconciliation_last_run_mismatches{job="nightly-reconciliation", kind="amount_differs"}': "1x5",
          },
          at: "5m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Stripe and our ledger disagree on more payments than usual (typically 0 to 3 a day).",
        impact: "Money may have been taken without an order, or orders marked paid without a charge.",
        triage: [
          "Open the report: it is in `s3://acme-finance-reports/reconciliation/<date>/mismatches.csv`.",
          "`missing_in_ledger` in bulk means payment-worker lost Stripe webhooks (check PaymentWorkerDeadLetters); `amount_differs` means a currency or rounding bug in checkout-api.",
        ],
        mitigation: ["Hand the list to finance in #finance-ops; fix the cause with the owning team; replay webhooks from the Stripe dashboard (Developers > Webhooks > Resend) if they were lost."],
      },
    },
    {
      name: "NightlyReconciliationTooFewRecords",
      expr: 'reconciliation_last_run_records{job="nightly-reconciliation", source="stripe"} < 1000',
      severity: "ticket",
      summary: "The nightly reconciliation read fewer Stripe records than expected.",
      description: "The last run read only {{ $value }} Stripe balance transactions (usually more than 20,000).",
      tests: [
        {
          name: "fires when only 250 Stripe records were read",
          series: {
            'reconciliation_last_run_records{job="nightly-reconciliation", source="stripe"}': "250x5",
            'reconciliation_last_run_records{job="nightly-reconciliation", source="ledger"}': "21000x5",
          },
          at: "5m",
          fires: [{ labels: { job: "nightly-reconciliation", source: "stripe" }, value: 250 }],
        },
        {
          name: "stays quiet at the usual volume",
          series: { 'reconciliation_last_run_records{job="nightly-reconciliation", source="stripe"}': "21000x5" },
          at: "5m",
          fires: false,
        },
      ],
      runbook: {
        summary: "The Stripe export looks truncated: the run may have succeeded on partial data.",
        triage: ["Compare with the number of payments in the Stripe dashboard for that day.", "Look for a pagination error in the log (`has_more` was true when the job stopped)."],
        mitigation: ["Rerun the job for that day once the export is complete."],
      },
    },
    {
      name: "NightlyReconciliationSlowRun",
      expr: promql`${lastDuration}${JOB} > 3 * 3600`,
      severity: "info",
      summary: "The last nightly reconciliation run took more than 3 hours.",
      description: "The last run took {{ $value | humanizeDuration }}.",
      tests: [
        {
          name: "fires for a 4-hour run",
          series: { 'reconciliation_last_run_duration_seconds{job="nightly-reconciliation"}': "14400x5" },
          at: "5m",
          fires: [{ labels: { job: "nightly-reconciliation" }, value: 14400 }],
        },
        {
          name: "stays quiet for a 90-minute run",
          series: { 'reconciliation_last_run_duration_seconds{job="nightly-reconciliation"}': "5400x5" },
          at: "5m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Runs get slower as volume grows; at 5 hours the report misses the 09:00 finance deadline.",
        triage: ["Check which stage took the time in the log (each stage logs its duration)."],
        mitigation: ["Open a ticket to parallelise the slow stage or read from a dedicated replica."],
      },
    },
    {
      name: "NightlyReconciliationMetricsMissing",
      expr: promql`absent(${lastSuccess}${JOB})`,
      for: "1h",
      severity: "ticket",
      summary: "The nightly reconciliation metrics are missing from the Pushgateway.",
      description: "No {{ $labels.job }} series in the Pushgateway for an hour: the other reconciliation alerts cannot fire.",
      tests: [
        {
          name: "fires an hour after the last success timestamp disappears",
          series: { 'reconciliation_last_run_success{job="nightly-reconciliation"}': "1x70" },
          at: "65m",
          fires: [{ labels: { job: "nightly-reconciliation" } }],
        },
        {
          name: "stays quiet while the timestamp is pushed",
          series: { 'reconciliation_last_success_timestamp_seconds{job="nightly-reconciliation"}': "-3600x70" },
          at: "65m",
          fires: false,
        },
      ],
      runbook: {
        summary: "The Pushgateway lost the job's metrics (it restarted without persistence) or the job pushes under another grouping key.",
        triage: ["Open https://pushgateway.acme.example and look for the job group.", "Check that the Pushgateway pod did not restart: `kubectl -n monitoring get pods -l app=pushgateway`."],
        mitigation: ["Rerun the job to push fresh metrics, or wait for tonight's run and acknowledge the ticket until then."],
      },
    },
  ],

  slos: [
    {
      // A daily batch has one event a day, far too few for a ratio SLI or for minEvents (which only
      // guards ratio and latency SLIs). The SLI is freshness instead: the share of 5-minute steps
      // in which the last successful run finished less than 26 hours ago (the 02:00 run plus slack).
      name: "freshness",
      objective: 99,
      description:
        "Finance can close the books every morning: yesterday's reconciliation report is available 99% of the time, over any 30 days (at most about 7 hours a month without an up-to-date report).",
      sli: {
        errorRatio: promql`1 - avg_over_time((time() - max(${lastSuccess}${JOB}) < bool 26 * 3600)[{{window}}:5m])`,
      },
      alerting: {
        // Each missed run already opens a ticket (NightlyReconciliationMissedRun) and two in a row
        // page, so the default tiers would only repeat them. One ticket tier instead, for a job that
        // keeps failing: half the month's budget (3.6 hours late) spent within a week, and still
        // late within the last day. Burn rate 50% x 30d / 7d = 2.14, so it fires only when the
        // budget would run out before the period ends.
        tiers: [{ severity: "ticket", long: "7d", short: "1d", budgetConsumed: 50 }],
      },
      runbook: {
        triage: [
          ...TRIAGE_JOB,
          "Look at the tickets NightlyReconciliationMissedRun opened this week: the same failing stage every night needs a fix, not another rerun.",
        ],
        mitigation: [
          "Fix the recurring cause with the owning team (Stripe export rate limits: stagger the export; ledger timeouts: read from a dedicated replica).",
          "Agree with finance in #finance-ops on a manual fallback (Stripe dashboard export) until the fix is deployed.",
        ],
      },
    },
  ],
});
