import { counter, defineService } from "vigil";

// One metric, two kinds: queue_depth is a gauge in checkout (catalog.ts), and lint reads it so.
const depth = counter("queue_depth", { labels: ["queue"] });

export default defineService({
  name: "queue-exporter",
  team: "payments",
  description: "Exports the depth of the order queues.",
  metrics: [depth],
  //        ^ metric-kind-conflict
});
