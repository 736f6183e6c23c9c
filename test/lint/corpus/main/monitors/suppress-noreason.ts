import { counter, defineService } from "vigil";

// A suppression must say why.
const spare = counter("spare_events_total");

export default defineService({
  name: "no-reason",
  team: "payments",
  metrics: [spare],
  suppress: { "unused-metric": "" },
  //                           ^ suppression-without-reason
});
