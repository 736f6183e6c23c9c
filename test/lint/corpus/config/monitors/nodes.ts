import { counter, defineService, gauge } from "vigil";

const io = counter("disk_io_ops_total", { labels: ["device"] });
const spare = gauge("disk_spare_blocks", { labels: ["device"] });
const depth = gauge("scheduler_queue_depth", { labels: ["queue"] });

const steps = { triage: ["Look at the node's dmesg."], mitigation: ["Drain the node."] };

export default defineService({
  name: "nodes",
  team: "platform",
  // Unused: lint.rules says "unused-metric": "off".
  metrics: [io, spare, depth],
  recordingRules: [
    // External metrics (globs), the extra target label, ranges of 3 scrapes of 1m.
    { record: "instance:node_cpu_seconds:rate3m", expr: 'sum by (instance) (rate(node_cpu_seconds_total{mode!="idle", cluster="eu"}[3m]))' },
    { record: "cluster:kube_pod_status_ready:sum", expr: 'sum by (cluster) (kube_pod_status_ready{condition="false"})' },
    { record: "device:disk_io_ops:rate2m", expr: "sum by (device) (rate(disk_io_ops_total[2m]))" },
    //                                                                                    ^ warning:range-too-short
    { record: "queue:scheduler_queue_depth:max", expr: 'max by (queue) (scheduler_queue_depth{cluster="eu", region="west"})' },
    //                                                                                                      ^ unknown-label
    { record: "queue:scheduler_queue_depth:avg", expr: "avg by (queue) (scheduler_queue_dept)" },
    //                                                                  ^ warning:unknown-metric
    { record: "instance:kube_pod_status:sum", expr: "sum by (instance) (kube_pod_status_phase)" },
    //                                                                  ^ warning:unknown-metric
  ],
  alerts: [
    {
      name: "NodeDiskErrors",
      expr: 'disk_io_ops_total{device="sda"} > 1e9',
      //     ^ error:counter-without-rate
      severity: "ticket",
      summary: "A disk did a billion operations.",
      description: "Time to look at the disk.",
    },
    {
      name: "NodeDown",
      //    ^ warning:paging-alert-for
      expr: 'up{job="node"} == 0',
      severity: "page",
      summary: "A node is down.",
      description: "A node is down.",
      runbook: steps,
    },
    {
      name: "NodeLoadHigh",
      expr: 'node_load1{cluster="eu"} > 64',
      severity: "ticket",
      summary: "node load is high",
      //       ^ warning:alert-summary-style
      description: "The load is high.",
    },
  ],
});
