import { counter, defineService, gauge, promql } from "vigil";
import { platform } from "../teams.js";

// Metrics of postgres_exporter (v0.15, sidecar of each orders-postgres pod, scrape job
// "orders-postgres"). The cluster is a CloudNativePG cluster of one primary and two replicas
// in namespace "databases"; the application database is "orders".
const up = gauge("pg_up", { help: "Whether the last scrape could connect to PostgreSQL (1) or not (0)." });

const activity = gauge("pg_stat_activity_count", {
  help: "Backends by database and state (active, idle, idle in transaction, ...).",
  labels: ["datname", "state", "usename", "application_name"],
});

const maxTxDuration = gauge("pg_stat_activity_max_tx_duration", {
  help: "Age in seconds of the oldest open transaction, by database and state.",
  labels: ["datname", "state", "usename", "application_name"],
  unit: "seconds",
});

const maxConnections = gauge("pg_settings_max_connections", { help: "The max_connections setting." });

const replicationLag = gauge("pg_replication_lag_seconds", {
  help: "Replay lag of this replica behind the primary (0 on the primary).",
  unit: "seconds",
});

const isReplica = gauge("pg_replication_is_replica", { help: "1 on a replica (in recovery), 0 on the primary." });

const commits = counter("pg_stat_database_xact_commit", { help: "Transactions committed.", labels: ["datname"] });
const rollbacks = counter("pg_stat_database_xact_rollback", { help: "Transactions rolled back.", labels: ["datname"] });
const deadlocks = counter("pg_stat_database_deadlocks", { help: "Deadlocks detected.", labels: ["datname"] });
const blocksHit = counter("pg_stat_database_blks_hit", { help: "Disk blocks found in shared buffers.", labels: ["datname"] });
const blocksRead = counter("pg_stat_database_blks_read", { help: "Disk blocks read from disk (or the OS cache).", labels: ["datname"] });

const databaseSize = gauge("pg_database_size_bytes", { help: "Disk space used by the database.", labels: ["datname"], unit: "bytes" });

const deadTuples = gauge("pg_stat_user_tables_n_dead_tup", {
  help: "Estimated dead rows per table, waiting for vacuum.",
  labels: ["datname", "schemaname", "relname"],
});

const liveTuples = gauge("pg_stat_user_tables_n_live_tup", {
  help: "Estimated live rows per table.",
  labels: ["datname", "schemaname", "relname"],
});

const PSQL = "`kubectl -n databases exec -it orders-postgres-1 -c postgres -- psql -U postgres orders`";

export default defineService({
  name: "orders-postgres",
  team: platform,
  selector: { job: "orders-postgres" },
  description:
    "PostgreSQL 15 cluster (CloudNativePG, one primary and two streaming replicas) holding orders, payments and carts. checkout-api, payment-worker and nightly-reconciliation write to it; the back office reads from the replicas.",
  metrics: [up, activity, maxTxDuration, maxConnections, replicationLag, isReplica, commits, rollbacks, deadlocks, blocksHit, blocksRead, databaseSize, deadTuples, liveTuples],

  recordingRules: [
    {
      record: "instance:pg_stat_activity_count:ratio_max_connections",
      expr: 'sum by (instance) (pg_stat_activity_count{job="orders-postgres"}) / on (instance) max by (instance) (pg_settings_max_connections{job="orders-postgres"})',
    },
    {
      record: "instance_datname:pg_stat_database_xact:rate5m",
      expr: promql`sum by (instance, datname) (rate(${commits}{job="orders-postgres"}[5m]) + rate(${rollbacks}{job="orders-postgres"}[5m]))`,
    },
  ],

  alerts: [
    {
      name: "OrdersPostgresDown",
      // The whole service is down: the alerts of the services that need it are symptoms.
      serviceDown: true,
      expr: 'pg_up{job="orders-postgres"} == 0',
      for: "1m",
      severity: "page",
      summary: "Orders PostgreSQL does not accept connections.",
      description: "postgres_exporter on {{ $labels.instance }} cannot connect to PostgreSQL.",
      tests: [
        {
          name: "fires after a minute without a connection",
          series: { 'pg_up{job="orders-postgres", instance="orders-postgres-1"}': "1 0x5" },
          at: "4m",
          fires: [{ labels: { job: "orders-postgres", instance: "orders-postgres-1" } }],
        },
        {
          name: "stays quiet while connected",
          series: { 'pg_up{job="orders-postgres", instance="orders-postgres-1"}': "1x5" },
          at: "4m",
          fires: false,
        },
      ],
      runbook: {
        summary: "The exporter sidecar cannot open a connection to its PostgreSQL instance: the instance is down, restarting, or out of connection slots.",
        impact: "If it is the primary: no order can be written and checkout fails. If it is a replica: the back office is slow or fails, customers are unaffected.",
        triage: [
          "Find out which instance is primary: `kubectl cnpg status orders-postgres -n databases`.",
          "Check the pods: `kubectl -n databases get pods -l cnpg.io/cluster=orders-postgres`.",
          "Read the PostgreSQL log of the failing pod: `kubectl -n databases logs <pod> -c postgres --since=10m | grep -E 'FATAL|PANIC'`. `too many connections` means the pool limits are wrong, `could not write` means the disk is full.",
          {
            step: "Is the connection count at the limit?",
            query: 'sum by (instance) (pg_stat_activity_count{job="orders-postgres"})',
          },
        ],
        mitigation: [
          "If the primary is down and CloudNativePG has not failed over within 2 minutes, promote the most recent replica: `kubectl cnpg promote orders-postgres <replica> -n databases`.",
          "If the volume is full, grow the PVC (`kubectl -n databases patch pvc <pvc> -p '{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"600Gi\"}}}}'`); gp3 volumes grow online.",
          "Tell #payments in the incident channel: checkout-api and payment-worker will error until the primary is back.",
        ],
        links: [{ title: "CloudNativePG failover docs", url: "https://cloudnative-pg.io/documentation/current/failover/" }],
      },
    },
    {
      name: "OrdersPostgresExporterMissing",
      expr: 'absent(pg_up{job="orders-postgres"})',
      for: "10m",
      severity: "ticket",
      summary: "Orders PostgreSQL is not monitored.",
      description: "No pg_up series of job {{ $labels.job }} has been scraped for 10 minutes: every other orders-postgres alert is blind.",
      tests: [
        {
          name: "fires when only other databases are scraped",
          series: { 'pg_up{job="catalog-postgres", instance="catalog-postgres-1"}': "1x15" },
          at: "15m",
          fires: [{ labels: { job: "orders-postgres" } }],
        },
        {
          name: "stays quiet while pg_up is scraped, even down",
          series: { 'pg_up{job="orders-postgres", instance="orders-postgres-1"}': "0x15" },
          at: "15m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Prometheus does not scrape the postgres_exporter sidecars any more, so none of the database alerts can fire.",
        impact: "None directly; an outage of the database would only be noticed through the applications.",
        triage: [
          "Check the target in Prometheus: Status > Targets, job orders-postgres.",
          "Check that the PodMonitor still exists: `kubectl -n databases get podmonitor orders-postgres`.",
        ],
        mitigation: ["Restore the PodMonitor from acme/k8s-manifests (`databases/orders-postgres/podmonitor.yaml`) and re-sync Argo CD."],
      },
    },
    {
      name: "OrdersPostgresTooManyConnections",
      expr: 'sum by (instance) (pg_stat_activity_count{job="orders-postgres"}) / on (instance) max by (instance) (pg_settings_max_connections{job="orders-postgres"}) > 0.9',
      for: "5m",
      severity: "page",
      summary: "Orders PostgreSQL is using more than 90% of its connections.",
      description: "{{ $labels.instance }} uses {{ $value | humanizePercentage }} of max_connections.",
      tests: [
        {
          name: "fires at 95 of 100 connections",
          series: {
            'pg_stat_activity_count{job="orders-postgres", instance="orders-postgres-1", datname="orders", state="active", usename="checkout", application_name="checkout-api"}': "45x10",
            'pg_stat_activity_count{job="orders-postgres", instance="orders-postgres-1", datname="orders", state="idle", usename="checkout", application_name="checkout-api"}': "50x10",
            'pg_settings_max_connections{job="orders-postgres", instance="orders-postgres-1"}': "100x10",
          },
          at: "8m",
          fires: [{ labels: { instance: "orders-postgres-1" }, value: 0.95 }],
        },
        {
          name: "stays quiet at 40 of 100",
          series: {
            'pg_stat_activity_count{job="orders-postgres", instance="orders-postgres-1", datname="orders", state="active", usename="checkout", application_name="checkout-api"}': "40x10",
            'pg_settings_max_connections{job="orders-postgres", instance="orders-postgres-1"}': "100x10",
          },
          at: "8m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Almost every connection slot is taken. When all are, new connections fail with `FATAL: sorry, too many clients already`.",
        impact: "Imminent: checkout and payment processing fail as soon as the last slot is taken.",
        triage: [
          {
            step: "Who holds the connections?",
            query: 'sum by (application_name, state) (pg_stat_activity_count{job="orders-postgres", datname="orders"})',
          },
          `Look at the sessions: ${PSQL}, then \`SELECT application_name, state, count(*), max(now() - state_change) FROM pg_stat_activity GROUP BY 1, 2 ORDER BY 3 DESC;\`.`,
          "Check whether an application scaled out (HPA) without lowering its pool size.",
        ],
        mitigation: [
          "Terminate idle-in-transaction sessions older than 10 minutes: `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'idle in transaction' AND now() - state_change > interval '10 minutes';`.",
          "Scale down the application that holds most connections to its HPA minimum.",
          "Do not raise max_connections in a hurry: it needs a restart of the primary.",
        ],
      },
    },
    {
      name: "OrdersPostgresReplicationLag",
      expr: promql`${replicationLag}{job="orders-postgres"} > 30 and on (instance) ${isReplica}{job="orders-postgres"} == 1`,
      for: "10m",
      severity: "ticket",
      summary: "An orders PostgreSQL replica is more than 30 seconds behind.",
      description: "Replica {{ $labels.instance }} is {{ $value | humanizeDuration }} behind the primary.",
      tests: [
        {
          name: "fires for a replica 45 seconds behind",
          series: {
            'pg_replication_lag_seconds{job="orders-postgres", instance="orders-postgres-2"}': "45x15",
            'pg_replication_is_replica{job="orders-postgres", instance="orders-postgres-2"}': "1x15",
            'pg_replication_lag_seconds{job="orders-postgres", instance="orders-postgres-1"}': "0x15",
            'pg_replication_is_replica{job="orders-postgres", instance="orders-postgres-1"}': "0x15",
          },
          at: "12m",
          fires: [{ labels: { job: "orders-postgres", instance: "orders-postgres-2" }, value: 45 }],
        },
        {
          name: "stays quiet for a replica 2 seconds behind",
          series: {
            'pg_replication_lag_seconds{job="orders-postgres", instance="orders-postgres-2"}': "2x15",
            'pg_replication_is_replica{job="orders-postgres", instance="orders-postgres-2"}': "1x15",
          },
          at: "12m",
          fires: false,
        },
      ],
      runbook: {
        summary: "A replica replays the primary's WAL slowly. Reads on it are stale, and a failover to it would lose or delay data.",
        impact: "The back office shows stale orders; a failover right now would take longer.",
        triage: [
          "Check replication from the primary: `SELECT application_name, state, write_lag, flush_lag, replay_lag FROM pg_stat_replication;`.",
          "Look for a long query on the replica that blocks replay (`max_standby_streaming_delay`): `SELECT pid, now() - xact_start, query FROM pg_stat_activity WHERE state <> 'idle' ORDER BY 2 DESC LIMIT 5;` on the replica.",
          {
            step: "Did a large write burst on the primary cause it (nightly-reconciliation runs at 02:00 UTC)?",
            query: promql`sum by (instance) (rate(${commits}{job="orders-postgres", datname="orders"}[5m]))`,
          },
        ],
        mitigation: ["Cancel the blocking query on the replica with `SELECT pg_cancel_backend(<pid>);`.", "If the replica does not catch up within an hour, rebuild it: `kubectl cnpg destroy orders-postgres <instance-number> -n databases` (the operator re-clones it)."],
      },
    },
    {
      name: "OrdersPostgresDeadlocks",
      expr: 'increase(pg_stat_database_deadlocks{job="orders-postgres", datname="orders"}[15m]) > 5',
      severity: "ticket",
      summary: "Orders PostgreSQL is detecting deadlocks.",
      description: "{{ $value | humanize }} deadlocks in database {{ $labels.datname }} on {{ $labels.instance }} over the last 15 minutes.",
      tests: [
        {
          name: "fires at 15 deadlocks in 15 minutes",
          series: { 'pg_stat_database_deadlocks{job="orders-postgres", instance="orders-postgres-1", datname="orders"}': "0+1x30" },
          at: "20m",
          fires: [{ labels: { job: "orders-postgres", instance: "orders-postgres-1", datname: "orders" }, value: 15 }],
        },
        {
          name: "stays quiet at 2 deadlocks in 15 minutes",
          series: { 'pg_stat_database_deadlocks{job="orders-postgres", instance="orders-postgres-1", datname="orders"}': "0x10 1x5 2x15" },
          at: "20m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Transactions lock rows in conflicting orders; PostgreSQL aborts one of them each time.",
        impact: "The aborted transactions fail; the applications retry most of them.",
        triage: [
          "Find the statements in the log: `kubectl -n databases logs orders-postgres-1 -c postgres --since=30m | grep -A5 'deadlock detected'`.",
          "The two statements of each deadlock tell which code paths race; usually payment-worker and checkout-api updating the same order.",
        ],
        mitigation: ["Open a ticket for the owning team with the statements; the fix is to lock rows in a consistent order (`SELECT ... FOR UPDATE ORDER BY id`)."],
      },
    },
    {
      name: "OrdersPostgresHighRollbackRatio",
      expr: promql`rate(${rollbacks}{job="orders-postgres", datname="orders"}[10m]) / (rate(${commits}{job="orders-postgres", datname="orders"}[10m]) + rate(${rollbacks}{job="orders-postgres", datname="orders"}[10m])) > 0.1`,
      for: "15m",
      severity: "ticket",
      summary: "More than 10% of orders PostgreSQL transactions roll back.",
      description: "{{ $value | humanizePercentage }} of transactions on {{ $labels.instance }} rolled back over the last 10 minutes.",
      tests: [
        {
          name: "fires when a fifth of the transactions roll back",
          series: {
            'pg_stat_database_xact_rollback{job="orders-postgres", instance="orders-postgres-1", datname="orders"}': "0+20x30",
            'pg_stat_database_xact_commit{job="orders-postgres", instance="orders-postgres-1", datname="orders"}': "0+80x30",
          },
          at: "25m",
          fires: [{ labels: { job: "orders-postgres", instance: "orders-postgres-1", datname: "orders" }, value: 0.2 }],
        },
        {
          name: "stays quiet at 2% rollbacks",
          series: {
            'pg_stat_database_xact_rollback{job="orders-postgres", instance="orders-postgres-1", datname="orders"}': "0+2x30",
            'pg_stat_database_xact_commit{job="orders-postgres", instance="orders-postgres-1", datname="orders"}': "0+98x30",
          },
          at: "25m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Many transactions end in a rollback: application errors, serialization failures or statement timeouts.",
        triage: [
          "Look for errors in the PostgreSQL log: `kubectl -n databases logs orders-postgres-1 -c postgres --since=15m | grep ERROR | sort | uniq -c | sort -rn | head`.",
          "Check the error rates of checkout-api and payment-worker.",
        ],
        mitigation: ["Depends on the error; hand over to the owning team with the log excerpt."],
      },
    },
    {
      name: "OrdersPostgresLongRunningTransaction",
      expr: promql`max by (instance, application_name) (${maxTxDuration}{job="orders-postgres", datname="orders", state!="idle"}) > 600`,
      for: "2m",
      severity: "ticket",
      summary: "A transaction on orders PostgreSQL has been open for more than 10 minutes.",
      description: "A transaction of {{ $labels.application_name }} on {{ $labels.instance }} has been open for {{ $value | humanizeDuration }}.",
      tests: [
        {
          name: "fires for a transaction open for more than 10 minutes",
          series: { 'pg_stat_activity_max_tx_duration{job="orders-postgres", instance="orders-postgres-1", datname="orders", state="idle in transaction", usename="backoffice", application_name="back-office"}': "700+60x10" },
          at: "5m",
          fires: [{ labels: { instance: "orders-postgres-1", application_name: "back-office" }, value: 1000 }],
        },
        {
          name: "ignores idle sessions",
          series: { 'pg_stat_activity_max_tx_duration{job="orders-postgres", instance="orders-postgres-1", datname="orders", state="idle", usename="backoffice", application_name="back-office"}': "3600x10" },
          at: "5m",
          fires: false,
        },
      ],
      runbook: {
        summary: "A long transaction holds locks and prevents vacuum from removing dead rows in every table.",
        impact: "Table bloat grows; writes that need its locks wait.",
        triage: [
          `Find it: ${PSQL}, then \`SELECT pid, application_name, state, now() - xact_start AS age, left(query, 120) FROM pg_stat_activity WHERE xact_start IS NOT NULL ORDER BY age DESC LIMIT 5;\`.`,
          "A back-office report or a manual psql session is the usual culprit; ask in #platform before killing it.",
        ],
        mitigation: ["Cancel it: `SELECT pg_cancel_backend(<pid>);`, or if that does not work, `SELECT pg_terminate_backend(<pid>);`."],
      },
    },
    {
      name: "OrdersPostgresIdleInTransaction",
      expr: promql`sum by (instance, application_name) (${activity.where({ datname: "orders", state: "idle in transaction" })}) > 20`,
      for: "10m",
      severity: "ticket",
      summary: "Many orders PostgreSQL sessions are idle in a transaction.",
      description: "{{ $value }} sessions of {{ $labels.application_name }} on {{ $labels.instance }} are idle in transaction.",
      tests: [
        {
          name: "fires at 25 sessions idle in transaction",
          series: {
            'pg_stat_activity_count{job="orders-postgres", instance="orders-postgres-1", datname="orders", state="idle in transaction", usename="worker", application_name="payment-worker"}': "25x20",
            'pg_stat_activity_count{job="orders-postgres", instance="orders-postgres-1", datname="orders", state="active", usename="worker", application_name="payment-worker"}': "40x20",
          },
          at: "15m",
          fires: [{ labels: { instance: "orders-postgres-1", application_name: "payment-worker" }, value: 25 }],
        },
        {
          name: "stays quiet at 5",
          series: { 'pg_stat_activity_count{job="orders-postgres", instance="orders-postgres-1", datname="orders", state="idle in transaction", usename="worker", application_name="payment-worker"}': "5x20" },
          at: "15m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Sessions opened a transaction and stopped talking: a code path that does not commit or roll back, or a client that hangs.",
        impact: "They hold connection slots and locks.",
        triage: ["See which code path: `SELECT pid, now() - state_change, left(query, 200) FROM pg_stat_activity WHERE state = 'idle in transaction';` (the query is the last one the session ran)."],
        mitigation: ["Restart the pods of the application; set `idle_in_transaction_session_timeout` for its role if it recurs."],
      },
    },
    {
      name: "OrdersPostgresDiskFullIn7Days",
      expr: promql`predict_linear(${databaseSize}{job="orders-postgres", datname="orders"}[6h], 7 * 86400) > 450 * 1024 ^ 3`,
      for: "1h",
      severity: "ticket",
      summary: "The orders database will outgrow its volume within a week.",
      description: "At the growth rate of the last 6 hours, database {{ $labels.datname }} on {{ $labels.instance }} reaches {{ $value | humanize1024 }}B within 7 days (volume: 500GiB).",
      tests: [
        {
          // 300GiB growing by 1GiB an hour (a quarter every 15 minutes): 302GiB at 2h, 470GiB a week later.
          name: "fires when growth reaches 470GiB within a week",
          interval: "15m",
          series: { 'pg_database_size_bytes{job="orders-postgres", instance="orders-postgres-1", datname="orders"}': "322122547200+268435456x12" },
          at: "2h",
          fires: [
            {
              labels: { job: "orders-postgres", instance: "orders-postgres-1", datname: "orders" },
              annotations: {
                description: "At the growth rate of the last 6 hours, database orders on orders-postgres-1 reaches 470GiB within 7 days (volume: 500GiB).",
              },
            },
          ],
        },
        {
          name: "stays quiet when the size is stable",
          interval: "15m",
          series: { 'pg_database_size_bytes{job="orders-postgres", instance="orders-postgres-1", datname="orders"}': "322122547200x12" },
          at: "2h",
          fires: false,
        },
      ],
      runbook: {
        summary: "The database grows fast enough to fill its 500GiB volume within a week.",
        triage: [
          "Find the largest tables: `SELECT relname, pg_size_pretty(pg_total_relation_size(relid)) FROM pg_catalog.pg_statio_user_tables ORDER BY pg_total_relation_size(relid) DESC LIMIT 10;`.",
          "Check for bloat (see OrdersPostgresDeadTuplesHigh) before adding disk.",
        ],
        mitigation: ["Grow the volume in `databases/orders-postgres/cluster.yaml` (`spec.storage.size`) and let CloudNativePG resize the PVCs."],
      },
    },
    {
      name: "OrdersPostgresCacheHitRatioLow",
      expr: promql`sum by (instance) (rate(${blocksHit}{job="orders-postgres", datname="orders"}[10m])) / (sum by (instance) (rate(${blocksHit}{job="orders-postgres", datname="orders"}[10m])) + sum by (instance) (rate(${blocksRead}{job="orders-postgres", datname="orders"}[10m]))) < 0.95`,
      for: "30m",
      severity: "info",
      summary: "Orders PostgreSQL reads more than 5% of blocks from disk.",
      description: "The buffer cache hit ratio of {{ $labels.instance }} is {{ $value | humanizePercentage }}.",
      tests: [
        {
          name: "fires at a 90% hit ratio",
          series: {
            'pg_stat_database_blks_hit{job="orders-postgres", instance="orders-postgres-1", datname="orders"}': "0+900x50",
            'pg_stat_database_blks_read{job="orders-postgres", instance="orders-postgres-1", datname="orders"}': "0+100x50",
          },
          at: "40m",
          fires: [{ labels: { instance: "orders-postgres-1" }, value: 0.9 }],
        },
        {
          name: "stays quiet at 99%",
          series: {
            'pg_stat_database_blks_hit{job="orders-postgres", instance="orders-postgres-1", datname="orders"}': "0+990x50",
            'pg_stat_database_blks_read{job="orders-postgres", instance="orders-postgres-1", datname="orders"}': "0+10x50",
          },
          at: "40m",
          fires: false,
        },
      ],
      runbook: {
        summary: "The working set no longer fits in shared_buffers, or a query scans a large table.",
        triage: ["Look for sequential scans: `SELECT relname, seq_scan, seq_tup_read FROM pg_stat_user_tables ORDER BY seq_tup_read DESC LIMIT 10;`."],
        mitigation: ["Add the missing index, or plan a larger instance class with the team."],
      },
    },
    {
      name: "OrdersPostgresDeadTuplesHigh",
      expr: promql`${deadTuples}{job="orders-postgres"} / (${liveTuples}{job="orders-postgres"} + ${deadTuples}{job="orders-postgres"}) > 0.2 and ${deadTuples}{job="orders-postgres"} > 1e6`,
      for: "1h",
      severity: "info",
      summary: "Autovacuum is falling behind on an orders PostgreSQL table.",
      description: "{{ $value | humanizePercentage }} of the rows of {{ $labels.schemaname }}.{{ $labels.relname }} are dead.",
      tests: [
        {
          name: "fires when 30% of 10 million rows are dead",
          series: {
            'pg_stat_user_tables_n_dead_tup{job="orders-postgres", instance="orders-postgres-1", datname="orders", schemaname="public", relname="orders"}': "3000000x70",
            'pg_stat_user_tables_n_live_tup{job="orders-postgres", instance="orders-postgres-1", datname="orders", schemaname="public", relname="orders"}': "7000000x70",
          },
          at: "65m",
          fires: [{ labels: { job: "orders-postgres", instance: "orders-postgres-1", datname: "orders", schemaname: "public", relname: "orders" }, value: 0.3 }],
        },
        {
          name: "stays quiet on a small table",
          series: {
            'pg_stat_user_tables_n_dead_tup{job="orders-postgres", instance="orders-postgres-1", datname="orders", schemaname="public", relname="coupons"}': "3000x70",
            'pg_stat_user_tables_n_live_tup{job="orders-postgres", instance="orders-postgres-1", datname="orders", schemaname="public", relname="coupons"}': "7000x70",
          },
          at: "65m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Vacuum does not keep up with updates on this table; it bloats and queries on it slow down.",
        triage: [
          "Check when it was last vacuumed: `SELECT relname, last_autovacuum, autovacuum_count FROM pg_stat_user_tables WHERE relname = '<table>';`.",
          "Look for a long-running transaction holding back the xmin horizon (OrdersPostgresLongRunningTransaction).",
        ],
        mitigation: ["Run `VACUUM (VERBOSE, ANALYZE) <schema>.<table>;` outside peak hours; tune `autovacuum_vacuum_scale_factor` for the table if it recurs."],
      },
    },
  ],

  slos: [
    {
      // A raw SLI: postgres_exporter has no event counter for "stale read", so the error ratio is
      // the share of minutes in the window during which the most lagging replica was 30s or more
      // behind, or no replica reported at all (the read-only service then has nowhere to go).
      name: "replica-freshness",
      objective: 99.5,
      description:
        "Customer service and finance see up-to-date orders in the back office: the database copies it reads from are less than 30 seconds behind 99.5% of the time, over any 30 days (about 3.6 hours a month of staler data).",
      sli: {
        errorRatio: promql`1 - avg_over_time(((max(${replicationLag}{job="orders-postgres"} and on (instance) ${isReplica}{job="orders-postgres"} == 1) < bool 30) or vector(0))[{{window}}:1m])`,
      },
      alerting: {
        // Customers never read from the replicas (checkout-api and payment-worker use the primary):
        // stale back-office data is worth a ticket in working hours, never a page.
        page: false,
      },
      runbook: {
        triage: [
          "Check replication from the primary: `SELECT application_name, state, write_lag, flush_lag, replay_lag FROM pg_stat_replication;`.",
          {
            step: "Which replica lags, and since when?",
            query: promql`${replicationLag}{job="orders-postgres"} and on (instance) ${isReplica}{job="orders-postgres"} == 1`,
          },
          "Look for a long query on the lagging replica that holds back replay (`max_standby_streaming_delay`): `SELECT pid, now() - xact_start, left(query, 120) FROM pg_stat_activity WHERE state <> 'idle' ORDER BY 2 DESC LIMIT 5;`.",
        ],
        mitigation: [
          "Cancel the blocking back-office query with `SELECT pg_cancel_backend(<pid>);` and tell its owner in #finance-ops or #support-tools.",
          "If a replica does not catch up within an hour, rebuild it: `kubectl cnpg destroy orders-postgres <instance-number> -n databases` (the operator re-clones it).",
        ],
      },
    },
  ],

  dashboards: [
    {
      uid: "orders-postgres-health",
      title: "Orders PostgreSQL: health",
      description: "Connections, replication, throughput and size of the orders-postgres cluster.",
      tags: ["postgres", "database"],
      rows: [
        {
          title: "Availability",
          panels: [
            { title: "Instances up", type: "stat", queries: ['sum(pg_up{job="orders-postgres"})'], unit: "short", width: 6 },
            { title: "Replicas", type: "stat", queries: ['sum(pg_replication_is_replica{job="orders-postgres"})'], unit: "short", width: 6 },
            {
              title: "Replication lag",
              queries: [{ expr: 'pg_replication_lag_seconds{job="orders-postgres"} and on (instance) pg_replication_is_replica{job="orders-postgres"} == 1', legend: "{{instance}}" }],
              unit: "s",
            },
          ],
        },
        {
          title: "Connections",
          panels: [
            {
              title: "Connections by state",
              queries: [{ expr: 'sum by (state) (pg_stat_activity_count{job="orders-postgres", datname="orders"})', legend: "{{state}}" }],
              unit: "short",
            },
            {
              title: "Connections used",
              queries: [
                {
                  expr: 'sum by (instance) (pg_stat_activity_count{job="orders-postgres"}) / on (instance) max by (instance) (pg_settings_max_connections{job="orders-postgres"})',
                  legend: "{{instance}}",
                },
              ],
              unit: "percentunit",
            },
          ],
        },
        {
          title: "Throughput",
          panels: [
            {
              title: "Transactions per second",
              queries: [
                { expr: 'sum(rate(pg_stat_database_xact_commit{job="orders-postgres", datname="orders"}[$__rate_interval]))', legend: "commit" },
                { expr: 'sum(rate(pg_stat_database_xact_rollback{job="orders-postgres", datname="orders"}[$__rate_interval]))', legend: "rollback" },
              ],
              unit: "ops",
            },
            {
              title: "Database size",
              queries: [{ expr: 'pg_database_size_bytes{job="orders-postgres", datname="orders"}', legend: "{{instance}}" }],
              unit: "bytes",
            },
          ],
        },
      ],
    },
  ],
});
