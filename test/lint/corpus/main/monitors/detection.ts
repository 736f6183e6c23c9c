import { counter, defineService, gauge } from "vigil";

// A service that pages must page for a full outage within lint.detection.maxPageDelay (5m): its
// fastest paging alert is judged, at its `for` (or name), an SLO at its name. Alerts that cannot
// be modelled do not count; tickets do not count.
const orders = counter("shipping_orders_total", { labels: ["code"] });
const backlog = gauge("shipping_backlog");
const steps = { triage: ["Check the carrier API status page."], mitigation: ["Switch to the backup carrier."] };

export const slowRate = defineService({
  name: "shipping-labels",
  team: "payments",
  metrics: [orders],
  alerts: [
    {
      name: "ShippingLabelsFailing",
      // rate() shows the step at the 1m evaluation, then 10m of `for`: 11m.
      expr: 'sum(rate(shipping_orders_total{code=~"5.."}[5m])) > 1',
      for: "10m",
      //   ^ warning:detection-time
      severity: "page",
      summary: "Shipping labels fail.",
      description: "{{ $value }} label requests fail per second.",
      runbook: steps,
    },
  ],
});

export const slowSlo = defineService({
  name: "shipping-quotes",
  team: "payments",
  metrics: [orders],
  slos: [
    {
      name: "availability",
      //    ^ warning:detection-time
      // 99%: the 1h tier's threshold is 14.4%, passed after 8.64m of a full outage: 9m.
      objective: 99,
      sli: { errors: orders.where({ code: /5../ }), total: orders.where({}) },
    },
  ],
});

export const fastAndSlow = defineService({
  name: "shipping-tracking",
  team: "payments",
  metrics: [orders, backlog],
  alerts: [
    {
      name: "ShippingTrackingBacklog",
      expr: "shipping_backlog > 1000",
      for: "30m",
      severity: "page",
      summary: "Tracking updates back up.",
      description: "{{ $value }} tracking updates wait.",
      runbook: steps,
    },
    {
      // The sample at the step crosses it, then 2m: the service pages in time.
      name: "ShippingTrackingDown",
      expr: "shipping_backlog < 0",
      for: "2m",
      severity: "page",
      summary: "Tracking is down.",
      description: "The backlog reads {{ $value }}.",
      runbook: steps,
    },
  ],
});

export const unknown = defineService({
  name: "shipping-returns",
  team: "payments",
  metrics: [orders, backlog],
  alerts: [
    {
      // `unless` a rate over a number other than 0 is not modelled (when it passes depends on
      // the rate before): the service is not judged.
      name: "ShippingReturnsStuck",
      expr: "shipping_backlog > 0 unless sum(rate(shipping_orders_total[10m])) > 1",
      for: "30m",
      severity: "page",
      summary: "Returns are stuck.",
      description: "{{ $value }} returns wait.",
      runbook: steps,
    },
  ],
});
