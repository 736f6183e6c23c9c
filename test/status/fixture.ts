import type { BurnDownPoint, StatusReport } from "../../src/status/report.js";

/** 2024-05-06 09:00:00 UTC. */
export const AT = 1_714_986_000;
const WEEK = 7 * 86_400;

/** A straight burn from 1 down to `end` over a 7d period, in 8 steps. */
function line(end: number): BurnDownPoint[] {
  return Array.from({ length: 8 }, (_, i) => ({ t: AT - WEEK + ((i + 1) * WEEK) / 8, remaining: 1 - ((1 - end) * (i + 1)) / 8 }));
}

/**
 * A fixed report with one of everything a renderer must handle: an SLO within budget, a grouped
 * SLO with an exhausted and an unknown group, alerts in every state, a rule error, a firing alert
 * that is not Vigil's, and a failed query.
 */
export const REPORT: StatusReport = {
  prometheus: "http://prometheus.example:9090",
  at: AT,
  slos: [
    {
      service: "api",
      team: "shop",
      name: "availability",
      description: "Requests succeed.",
      objective: 99.5,
      period: "7d",
      budget: 0.005,
      kind: "ratio",
      windows: ["5m", "1h", "6h"],
      groupBy: [],
      groups: [{ labels: {}, sli: 0.997, budgetRemaining: 0.4, burnRates: [{ window: "5m", rate: 0.6 }, { window: "1h", rate: 0.6 }, { window: "6h", rate: 0.6 }], burnDown: line(0.4) }],
      alerts: ["ApiAvailabilityErrorBudgetBurn"],
      burnDownStep: 2520,
    },
    {
      service: "api",
      team: "shop",
      name: "routes",
      objective: 99.9,
      period: "7d",
      budget: 0.001,
      kind: "ratio",
      windows: ["5m", "1h"],
      groupBy: ["route"],
      groups: [
        { labels: { route: "/list" }, burnRates: [{ window: "5m" }, { window: "1h" }], burnDown: [] },
        { labels: { route: "/pay" }, sli: 0.995, budgetRemaining: -4, burnRates: [{ window: "5m", rate: 5 }, { window: "1h", rate: 5 }], burnDown: line(-4) },
      ],
      alerts: ["ApiRoutesErrorBudgetBurn"],
      burnDownStep: 2520,
    },
  ],
  alerts: [
    { name: "ApiAvailabilityErrorBudgetBurn", service: "api", team: "shop", severity: "page", origin: "slo", state: "inactive", firingCount: 0, pendingCount: 0 },
    { name: "ApiHighLatency", service: "api", team: "shop", severity: "ticket", origin: "alert", state: "pending", firingCount: 0, pendingCount: 1, activeSince: AT - 120 },
    { name: "ApiRoutesErrorBudgetBurn", service: "api", team: "shop", severity: "page", origin: "slo", state: "firing", firingCount: 1, pendingCount: 0, activeSince: AT - 3 * 3600 - 600 },
    { name: "ApiSlowQueries", service: "api", team: "shop", severity: "ticket", origin: "alert", state: "not-loaded", firingCount: 0, pendingCount: 0 },
    { name: "ApiBrokenRule", service: "api", team: "shop", severity: "ticket", origin: "alert", state: "inactive", firingCount: 0, pendingCount: 0, error: "many-to-many matching not allowed" },
  ],
  firing: [
    { name: "ApiRoutesErrorBudgetBurn", labels: { route: "/pay", service: "api", severity: "page", slo: "routes", team: "shop" }, activeSince: AT - 3 * 3600 - 600, value: 0.005, vigil: true },
    { name: "Watchdog", labels: { severity: "none" }, activeSince: AT - 2 * 86_400, vigil: false },
  ],
  problems: ["Prometheus at http://prometheus.example:9090: GET /api/v1/query_range (sum(rate(x[2520s]))) answered HTTP 422: query timed out"],
};
