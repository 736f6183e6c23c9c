import { counter, defineService, gauge, promql } from "vigil";
import { platform } from "../teams.js";

// redis_exporter sidecars of the session-redis StatefulSet (namespace cache, one master and
// two replicas under Redis Sentinel), scrape job "session-redis".
const up = gauge("redis_up", { help: "Whether the exporter could talk to Redis (1) or not (0)." });
const info = gauge("redis_instance_info", { help: "Always 1; the labels describe the instance.", labels: ["role", "redis_version", "redis_mode"] });
const memoryUsed = gauge("redis_memory_used_bytes", { help: "Memory allocated by Redis.", unit: "bytes" });
const memoryMax = gauge("redis_memory_max_bytes", { help: "The maxmemory setting (0 when unlimited).", unit: "bytes" });
const clients = gauge("redis_connected_clients", { help: "Client connections, replicas excluded." });
const maxClients = gauge("redis_config_maxclients", { help: "The maxclients setting." });
const evicted = counter("redis_evicted_keys_total", { help: "Keys evicted because of the maxmemory limit." });
const hits = counter("redis_keyspace_hits_total", { help: "Successful key lookups." });
const misses = counter("redis_keyspace_misses_total", { help: "Failed key lookups." });
const rejected = counter("redis_rejected_connections_total", { help: "Connections refused because of the maxclients limit." });
const masterLinkUp = gauge("redis_master_link_up", { help: "On a replica: 1 while the link to the master is up." });
const replicas = gauge("redis_connected_slaves", { help: "Replicas connected to this instance." });
const commandSeconds = counter("redis_commands_duration_seconds_total", { help: "Time spent executing commands, by command.", labels: ["cmd"], unit: "seconds" });
const commandCalls = counter("redis_commands_total", { help: "Commands executed, by command.", labels: ["cmd"] });

const JOB = '{job="session-redis"}';
const CLI = "`kubectl -n cache exec -it session-redis-0 -c redis -- redis-cli`";

export default defineService({
  name: "session-redis",
  team: platform,
  selector: { job: "session-redis" },
  description:
    "Redis 7 holding storefront and checkout sessions and carts of anonymous visitors (TTL 30 days), replicated under Sentinel. Losing it logs every customer out and empties anonymous carts.",
  metrics: [up, info, memoryUsed, memoryMax, clients, maxClients, evicted, hits, misses, rejected, masterLinkUp, replicas, commandSeconds, commandCalls],

  recordingRules: [
    {
      record: "instance:redis_keyspace_hits:ratio_rate5m",
      expr: promql`rate(${hits}${JOB}[5m]) / (rate(${hits}${JOB}[5m]) + rate(${misses}${JOB}[5m]))`,
    },
    {
      record: "cmd:redis_commands_duration_seconds:avg_rate5m",
      expr: promql`sum by (cmd) (rate(${commandSeconds}${JOB}[5m])) / sum by (cmd) (rate(${commandCalls}${JOB}[5m]))`,
    },
  ],

  alerts: [
    {
      name: "SessionRedisDown",
      // The whole service is down: the alerts of the services that need it are symptoms.
      serviceDown: true,
      expr: promql`${up}${JOB} == 0`,
      for: "2m",
      severity: "page",
      summary: "A session Redis instance is down.",
      description: "redis_exporter on {{ $labels.instance }} cannot reach Redis.",
      tests: [
        {
          name: "fires after 2 minutes down",
          series: { 'redis_up{job="session-redis", instance="10.3.0.11:9121"}': "1 0x10" },
          at: "5m",
          fires: [{ labels: { job: "session-redis", instance: "10.3.0.11:9121" } }],
        },
        {
          name: "stays quiet through a one-minute blip",
          series: { 'redis_up{job="session-redis", instance="10.3.0.11:9121"}': "1 1 0 1x8" },
          at: "5m",
          fires: false,
        },
      ],
      runbook: {
        summary: "One Redis instance does not answer. If it was the master, Sentinel should fail over within 30 seconds.",
        impact: "During a failover, logins and cart updates fail for a few seconds. If no master is elected, every page that needs a session fails.",
        triage: [
          "Ask Sentinel who the master is: `kubectl -n cache exec session-redis-0 -c sentinel -- redis-cli -p 26379 sentinel get-master-addr-by-name session`.",
          "Check the pods: `kubectl -n cache get pods -l app=session-redis`; read the log of the failing one with `kubectl -n cache logs <pod> -c redis --previous`.",
          {
            step: "Which roles are up?",
            query: promql`${up}${JOB} * on (instance) group_left (role) ${info}${JOB}`,
          },
        ],
        mitigation: [
          "If no master is elected after 2 minutes, force a failover: `kubectl -n cache exec session-redis-0 -c sentinel -- redis-cli -p 26379 sentinel failover session`.",
          "If the pod is OOMKilled, see SessionRedisMemoryHigh before restarting it.",
        ],
      },
    },
    {
      name: "SessionRedisRejectingConnections",
      expr: promql`increase(${rejected}${JOB}[5m]) > 0`,
      severity: "page",
      summary: "Session Redis is refusing client connections.",
      description: "{{ $labels.instance }} refused {{ $value | humanize }} connections over the last 5 minutes (maxclients reached).",
      // The 5m increase already smooths blips; every refused connection is a failed login.
      suppress: { "paging-alert-for": "increase() over 5m is the wait; a refused connection is never noise" },
      tests: [
        {
          name: "fires when 30 connections were refused in 5 minutes",
          series: { 'redis_rejected_connections_total{job="session-redis", instance="10.3.0.11:9121"}': "0x10 6+6x9" },
          at: "15m",
          fires: [{ labels: { job: "session-redis", instance: "10.3.0.11:9121" }, value: 30 }],
        },
        {
          name: "stays quiet when none were refused lately",
          series: { 'redis_rejected_connections_total{job="session-redis", instance="10.3.0.11:9121"}': "0+6x5 30x14" },
          at: "15m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Redis hit maxclients and refuses new connections.",
        impact: "The pods that cannot connect fail every request that needs a session.",
        triage: [
          { step: "Who holds the connections? Look at the trend first.", query: promql`${clients}${JOB}` },
          `List clients by name: ${CLI} \`CLIENT LIST\` | awk '{print $4}' | sort | uniq -c | sort -rn | head (the name field is set by each app).`,
        ],
        mitigation: [
          "Kill idle clients of the app that leaks: `CLIENT KILL ID <id>`, or restart its pods.",
          "Raise maxclients at runtime if the load is legitimate: `CONFIG SET maxclients 20000`, then persist it in the Helm values.",
        ],
      },
    },
    {
      name: "SessionRedisMemoryHigh",
      expr: promql`${memoryUsed}${JOB} / ${memoryMax}${JOB} > 0.9 and ${memoryMax}${JOB} > 0`,
      for: "15m",
      severity: "ticket",
      summary: "Session Redis uses more than 90% of its maxmemory.",
      description: "{{ $labels.instance }} uses {{ $value | humanizePercentage }} of maxmemory.",
      tests: [
        {
          name: "fires at 95% of maxmemory",
          series: {
            'redis_memory_used_bytes{job="session-redis", instance="10.3.0.11:9121"}': "3800000000x20",
            'redis_memory_max_bytes{job="session-redis", instance="10.3.0.11:9121"}': "4000000000x20",
          },
          at: "20m",
          fires: [{ labels: { job: "session-redis", instance: "10.3.0.11:9121" }, value: 0.95 }],
        },
        {
          name: "stays quiet without a maxmemory limit",
          series: {
            'redis_memory_used_bytes{job="session-redis", instance="10.3.0.11:9121"}': "3800000000x20",
            'redis_memory_max_bytes{job="session-redis", instance="10.3.0.11:9121"}': "0x20",
          },
          at: "20m",
          fires: false,
        },
        {
          name: "stays quiet at half of maxmemory",
          series: {
            'redis_memory_used_bytes{job="session-redis", instance="10.3.0.11:9121"}': "2000000000x20",
            'redis_memory_max_bytes{job="session-redis", instance="10.3.0.11:9121"}': "4000000000x20",
          },
          at: "20m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Redis is close to maxmemory; with the allkeys-lru policy it will start evicting sessions.",
        impact: "None yet. Evictions log customers out and empty anonymous carts.",
        triage: [
          `Find the big key prefixes: ${CLI} \`--bigkeys\` (safe on a replica, scans with SCAN).`,
          "Check that sessions still get a TTL: `redis-cli --scan --pattern 'sess:*' | head -100 | xargs -n1 redis-cli ttl | sort | uniq -c` should show no -1.",
        ],
        mitigation: ["Raise maxmemory (and the pod memory limit) in the session-redis Helm values of acme/k8s-manifests.", "If a deploy stopped setting TTLs, roll it back and expire the keys in batches."],
      },
    },
    {
      name: "SessionRedisEvictingKeys",
      expr: promql`increase(${evicted}${JOB}[15m]) > 100`,
      severity: "ticket",
      summary: "Session Redis is evicting keys.",
      description: "{{ $labels.instance }} evicted {{ $value | humanize }} keys over the last 15 minutes.",
      tests: [
        {
          name: "fires at 300 evictions in 15 minutes",
          series: { 'redis_evicted_keys_total{job="session-redis", instance="10.3.0.11:9121"}': "0+20x30" },
          at: "20m",
          fires: [{ labels: { job: "session-redis", instance: "10.3.0.11:9121" }, value: 300 }],
        },
        {
          name: "stays quiet at 30 evictions in 15 minutes",
          series: { 'redis_evicted_keys_total{job="session-redis", instance="10.3.0.11:9121"}': "0+2x30" },
          at: "20m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Redis is full and evicts keys to make room. Each evicted session logs a customer out.",
        impact: "Customers are logged out mid-session; anonymous carts disappear.",
        triage: [{ step: "How full is it?", query: promql`${memoryUsed}${JOB} / ${memoryMax}${JOB}` }],
        mitigation: ["Follow SessionRedisMemoryHigh: raise maxmemory or fix the missing TTLs."],
      },
    },
    {
      name: "SessionRedisTooManyConnections",
      expr: promql`${clients}${JOB} / ${maxClients}${JOB} > 0.8`,
      for: "10m",
      severity: "ticket",
      summary: "Session Redis uses more than 80% of its client connections.",
      description: "{{ $labels.instance }} has {{ $value | humanizePercentage }} of maxclients connected.",
      tests: [
        {
          name: "fires at 90% of maxclients",
          series: {
            'redis_connected_clients{job="session-redis", instance="10.3.0.11:9121"}': "9000x20",
            'redis_config_maxclients{job="session-redis", instance="10.3.0.11:9121"}': "10000x20",
          },
          at: "15m",
          fires: [{ labels: { job: "session-redis", instance: "10.3.0.11:9121" }, value: 0.9 }],
        },
        {
          name: "stays quiet at 20% of maxclients",
          series: {
            'redis_connected_clients{job="session-redis", instance="10.3.0.11:9121"}': "2000x20",
            'redis_config_maxclients{job="session-redis", instance="10.3.0.11:9121"}': "10000x20",
          },
          at: "15m",
          fires: false,
        },
      ],
      runbook: {
        summary: "The number of client connections approaches maxclients; at 100% Redis refuses new ones.",
        triage: [`List clients by name: ${CLI} \`CLIENT LIST\`.`, "Check whether an app scaled out a lot (HPA) or leaks connections (count grows without traffic)."],
        mitigation: ["Restart the leaking app, or raise maxclients."],
      },
    },
    {
      name: "SessionRedisReplicaLinkDown",
      expr: promql`${masterLinkUp}${JOB} == 0`,
      for: "5m",
      severity: "ticket",
      summary: "A session Redis replica lost its link to the master.",
      description: "Replica {{ $labels.instance }} has not been connected to its master for 5 minutes.",
      tests: [
        {
          name: "fires after 5 minutes without the master link",
          series: { 'redis_master_link_up{job="session-redis", instance="10.3.0.12:9121"}': "0x10" },
          at: "8m",
          fires: [{ labels: { job: "session-redis", instance: "10.3.0.12:9121" } }],
        },
        {
          name: "stays quiet while the link is up",
          series: { 'redis_master_link_up{job="session-redis", instance="10.3.0.12:9121"}': "1x10" },
          at: "8m",
          fires: false,
        },
      ],
      runbook: {
        summary: "A replica does not replicate; a failover to it would lose recent sessions.",
        triage: ["Look at the replica log for `MASTER <-> REPLICA sync` errors: `kubectl -n cache logs <pod> -c redis | tail -50`.", "A full resync of a large dataset can exceed `client-output-buffer-limit replica`; look for `scheduled to be closed ASAP`."],
        mitigation: ["Delete the replica pod so that it resyncs from scratch; raise the replica output buffer limit if it loops."],
      },
    },
    {
      name: "SessionRedisNoReplica",
      expr: promql`sum by (job) (${replicas}${JOB}) < 1`,
      for: "15m",
      severity: "ticket",
      summary: "Session Redis has no connected replica.",
      description: "The {{ $labels.job }} master has {{ $value }} connected replicas: a master failure would lose every session.",
      tests: [
        {
          name: "fires when no instance has a replica",
          series: {
            'redis_connected_slaves{job="session-redis", instance="10.3.0.11:9121"}': "0x20",
            'redis_connected_slaves{job="session-redis", instance="10.3.0.12:9121"}': "0x20",
          },
          at: "20m",
          fires: [{ labels: { job: "session-redis" }, value: 0 }],
        },
        {
          name: "stays quiet while the master has two replicas",
          series: {
            'redis_connected_slaves{job="session-redis", instance="10.3.0.11:9121"}': "2x20",
            'redis_connected_slaves{job="session-redis", instance="10.3.0.12:9121"}': "0x20",
            'redis_connected_slaves{job="session-redis", instance="10.3.0.13:9121"}': "0x20",
          },
          at: "20m",
          fires: false,
        },
      ],
      runbook: {
        summary: "No replica is connected to the master, so Sentinel has nothing to fail over to.",
        triage: ["Check the replica pods: `kubectl -n cache get pods -l app=session-redis`.", "See SessionRedisReplicaLinkDown."],
        mitigation: ["Restart the replicas one at a time."],
      },
    },
    {
      name: "SessionRedisHitRatioLow",
      expr: promql`rate(${hits}${JOB}[10m]) / (rate(${hits}${JOB}[10m]) + rate(${misses}${JOB}[10m])) < 0.8`,
      for: "30m",
      severity: "info",
      summary: "Session Redis hit ratio is below 80%.",
      description: "Only {{ $value | humanizePercentage }} of lookups on {{ $labels.instance }} found their key.",
      tests: [
        {
          name: "fires when half the lookups miss",
          series: {
            'redis_keyspace_hits_total{job="session-redis", instance="10.3.0.11:9121"}': "0+30x50",
            'redis_keyspace_misses_total{job="session-redis", instance="10.3.0.11:9121"}': "0+30x50",
          },
          at: "40m",
          fires: [{ labels: { job: "session-redis", instance: "10.3.0.11:9121" }, value: 0.5 }],
        },
        {
          name: "stays quiet at 95% hits",
          series: {
            'redis_keyspace_hits_total{job="session-redis", instance="10.3.0.11:9121"}': "0+57x50",
            'redis_keyspace_misses_total{job="session-redis", instance="10.3.0.11:9121"}': "0+3x50",
          },
          at: "40m",
          fires: false,
        },
      ],
      runbook: {
        summary: "Many lookups miss: sessions expire too early, were evicted, or a client looks up keys that never exist.",
        triage: ["Check evictions first (SessionRedisEvictingKeys).", `Sample the misses: ${CLI} \`MONITOR\` for a few seconds on a replica (never for long on the master).`],
        mitigation: ["Usually a bug in a client; open a ticket for its team."],
      },
    },
    {
      name: "SessionRedisSlowCommands",
      expr: promql`sum by (cmd) (rate(${commandSeconds}${JOB}[10m])) / sum by (cmd) (rate(${commandCalls}${JOB}[10m])) > 0.01`,
      for: "15m",
      severity: "info",
      summary: "A session Redis command takes more than 10ms on average.",
      description: "Command {{ $labels.cmd }} takes {{ $value | humanizeDuration }} on average.",
      tests: [
        {
          name: "fires when HGETALL takes 50ms",
          series: {
            'redis_commands_duration_seconds_total{job="session-redis", instance="10.3.0.11:9121", cmd="hgetall"}': "0+3x30",
            'redis_commands_total{job="session-redis", instance="10.3.0.11:9121", cmd="hgetall"}': "0+60x30",
            'redis_commands_duration_seconds_total{job="session-redis", instance="10.3.0.11:9121", cmd="get"}': "0+0.06x30",
            'redis_commands_total{job="session-redis", instance="10.3.0.11:9121", cmd="get"}': "0+6000x30",
          },
          at: "25m",
          fires: [{ labels: { cmd: "hgetall" }, value: 0.05 }],
        },
        {
          name: "stays quiet at 1ms per command",
          series: {
            'redis_commands_duration_seconds_total{job="session-redis", instance="10.3.0.11:9121", cmd="hgetall"}': "0+0.06x30",
            'redis_commands_total{job="session-redis", instance="10.3.0.11:9121", cmd="hgetall"}': "0+60x30",
          },
          at: "25m",
          fires: false,
        },
      ],
      runbook: {
        summary: "A command is slow inside Redis; since Redis is single-threaded, it delays every other command.",
        triage: [`Read the slow log: ${CLI} \`SLOWLOG GET 20\`.`, "`KEYS`, large `HGETALL` or `SMEMBERS` on big sets are the usual suspects."],
        mitigation: ["Rename or disable the dangerous command (`rename-command KEYS \"\"`) and fix the client."],
      },
    },
  ],

  slos: [
    {
      // Redis exposes no count of failed client requests, so availability is measured in time: the
      // share of 30-second steps in which an instance both answers and is the master. A Sentinel
      // failover of about 30s (one bad step) stays under the fast page threshold, 14.4 x 0.1% of
      // 1h = 52s; a failover that takes a minute or more pages.
      name: "master-available",
      objective: 99.9,
      description:
        "Customers stay logged in and keep their carts: a session store that accepts reads and writes is available 99.9% of the time, over any 30 days (about 43 minutes a month). Without it, logins fail and anonymous carts cannot be read or saved.",
      sli: {
        errorRatio: promql`1 - avg_over_time((max(${up}${JOB} * on (instance) ${info.where({ job: "session-redis", role: "master" })}) or vector(0))[{{window}}:30s])`,
      },
      runbook: {
        triage: [
          "Ask Sentinel who the master is: `kubectl -n cache exec session-redis-0 -c sentinel -- redis-cli -p 26379 sentinel get-master-addr-by-name session`. No answer, or an address no pod has, means no failover happened.",
          {
            step: "Which instances are up, and with which role?",
            query: promql`${up}${JOB} * on (instance) group_left (role) ${info}${JOB}`,
          },
          "Read the Sentinel log for `+sdown`, `+odown` and `+failover-end`: `kubectl -n cache logs session-redis-0 -c sentinel --since=1h`.",
        ],
        mitigation: [
          "If no master is elected after 2 minutes, force a failover: `kubectl -n cache exec session-redis-0 -c sentinel -- redis-cli -p 26379 sentinel failover session`.",
          "If the master was OOMKilled, raise maxmemory and the pod memory limit together (see SessionRedisMemoryHigh) before it restarts into the same state.",
        ],
      },
    },
  ],
});
