import type { Metric } from "../model/metric.js";
import type { DashboardPlan, PanelPlan, PanelRow } from "./types.js";
import { serviceOverviewUid } from "./uid.js";

const RATE = "[$__rate_interval]";
const STATUS_LABELS = ["code", "status", "status_code"];

function unitOf(metric: Metric, fallback: string): string {
  if (metric.unit === "seconds" || metric.name.endsWith("_seconds") || metric.name.endsWith("_seconds_total")) return "s";
  if (metric.unit === "bytes" || metric.name.includes("_bytes")) return "bytes";
  return fallback;
}

/** How a service's series are picked out: its declared selector, else its `service` label. */
export type ServiceSelector = { name: string; matchers: Record<string, string> | undefined };

function selector(metric: Metric, service: ServiceSelector, suffix = "", extra = ""): string {
  const own = service.matchers
    ? Object.entries(service.matchers).map(([label, value]) => `${label}=${JSON.stringify(value)}`)
    : metric.labels.includes("service") ? [`service=${JSON.stringify(service.name)}`] : [];
  const matchers = [...own, extra].filter(Boolean);
  return `${metric.name}${suffix}${matchers.length ? `{${matchers.join(", ")}}` : ""}`;
}

function panel(title: string, queries: PanelPlan["queries"], unit: string, description?: string, type: PanelPlan["type"] = "timeseries"): PanelPlan {
  return { title, type, queries, unit, width: type === "stat" ? 6 : 12, height: 8, ...(description && { description }) };
}

function counterPanels(metric: Metric, service: ServiceSelector): PanelPlan[] {
  const panels = [panel(`${metric.name} rate`, [{ expr: `sum(rate(${selector(metric, service)}${RATE}))`, legend: "total" }], metric.name.endsWith("_seconds_total") ? "s" : "ops", metric.help)];
  const status = STATUS_LABELS.find((label) => metric.labels.includes(label));
  if (status) {
    panels.push(
      panel(`${metric.name} error ratio`, [{
        expr: `sum(rate(${selector(metric, service, "", `${status}=~"5.."`)}${RATE})) / sum(rate(${selector(metric, service)}${RATE}))`,
        legend: "5xx ratio",
      }], "percentunit", `Share of ${metric.name} with a 5xx ${status}.`),
    );
  }
  return panels;
}

function histogramPanels(metric: Metric, service: ServiceSelector): PanelPlan[] {
  const quantiles = [0.5, 0.95, 0.99].map((q) => ({
    expr: `histogram_quantile(${q}, sum by (le) (rate(${selector(metric, service, "_bucket")}${RATE})))`,
    legend: `p${Math.round(q * 100)}`,
  }));
  return [
    panel(`${metric.name} percentiles`, quantiles, unitOf(metric, "short"), metric.help),
    panel(`${metric.name} rate`, [{ expr: `sum(rate(${selector(metric, service, "_count")}${RATE}))`, legend: "observations" }], "ops"),
  ];
}

function summaryPanels(metric: Metric, service: ServiceSelector): PanelPlan[] {
  return [panel(`${metric.name} average`, [{
    expr: `sum(rate(${selector(metric, service, "_sum")}${RATE})) / sum(rate(${selector(metric, service, "_count")}${RATE}))`,
    legend: "average",
  }], unitOf(metric, "short"), metric.help)];
}

function gaugePanels(metric: Metric, service: ServiceSelector): PanelPlan[] {
  return [panel(metric.name, [{ expr: `max(${selector(metric, service)})`, legend: "max" }, { expr: `min(${selector(metric, service)})`, legend: "min" }], unitOf(metric, "short"), metric.help)];
}

/** The dashboard every service gets: its firing alerts, then its metrics by golden signal. */
export function overviewDashboard(service: ServiceSelector, team: string, description: string | undefined, metrics: readonly Metric[]): DashboardPlan {
  const byKind = (kind: Metric["kind"]) => metrics.filter((m) => m.kind === kind);
  const rows: PanelRow[] = [
    {
      title: "Alerts",
      panels: [
        panel("Firing alerts", [{ expr: `sum(ALERTS{service="${service.name}", alertstate="firing"}) or vector(0)` }], "short", "Alerts of this service firing now.", "stat"),
        panel("Pending alerts", [{ expr: `sum(ALERTS{service="${service.name}", alertstate="pending"}) or vector(0)` }], "short", "Alerts whose condition holds but whose `for` has not passed yet.", "stat"),
      ],
    },
    { title: "Traffic and errors", panels: byKind("counter").flatMap((m) => counterPanels(m, service)) },
    { title: "Latency", panels: [...byKind("histogram").flatMap((m) => histogramPanels(m, service)), ...byKind("summary").flatMap((m) => summaryPanels(m, service))] },
    { title: "Saturation", panels: byKind("gauge").flatMap((m) => gaugePanels(m, service)) },
  ].filter((row) => row.panels.length > 0);
  return {
    kind: "declarative",
    uid: serviceOverviewUid(service.name),
    title: `${service.name} overview`,
    ...(description && { description }),
    tags: ["overview", team, service.name],
    rows,
  };
}
