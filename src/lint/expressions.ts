import { isPromQL } from "../model/promql.js";
import { withSameLengthWindow } from "../slo/sli.js";
import { isSelector, type Selector } from "../model/metric.js";
import type { RunbookStep } from "../model/runbook.js";
import type { Anchor, Origin } from "../validate/anchor.js";
import type { Model, ValidService } from "../validate/validate.js";

/** One PromQL expression written in a monitor, and where. */
export interface ExprSite {
  text: string;
  /** Points at the expression's value. */
  anchor: Anchor;
  /**
   * The value is a string or `promql` template whose characters map one to one onto `text`,
   * so a finding can point inside it. A metric selector (`.where()`) cannot.
   */
  literal: boolean;
  kind: "alert" | "recording-rule" | "sli" | "dashboard" | "runbook";
  service: string;
  /** Dashboard queries: Grafana variables ($service, $__rate_interval) stand for PromQL. */
  grafana: boolean;
  /** The object it belongs to, for messages: "alert CheckoutHighErrorRate". */
  owner: string;
}


function site(value: unknown, base: Omit<ExprSite, "text" | "literal" | "anchor">, origin: Origin, path: PropertyKey[], suffix = ""): ExprSite[] {
  if (typeof value === "string" || isPromQL(value)) {
    const text = typeof value === "string" ? value : value.text;
    return [{ ...base, text: base.kind === "sli" ? withSameLengthWindow(text) : text, literal: true, anchor: { origin, path } }];
  }
  if (isSelector(value)) return [{ ...base, text: (value as Selector).render(suffix), literal: false, anchor: { origin, path } }];
  return [];
}

function runbookSites(steps: { triage: RunbookStep[]; mitigation: RunbookStep[] } | undefined, base: Omit<ExprSite, "text" | "literal" | "anchor" | "kind">, origin: Origin, path: PropertyKey[]): ExprSite[] {
  if (!steps) return [];
  return (["triage", "mitigation"] as const).flatMap((part) =>
    steps[part].flatMap((step, j) => (typeof step === "object" && step.query !== undefined ? site(step.query, { ...base, kind: "runbook" }, origin, [...path, part, j, "query"]) : [])),
  );
}

/** Panel queries of a dashboard the foundation SDK built: findable only as the dashboard. */
function sdkTargets(json: Record<string, unknown>): { title: string; expr: string }[] {
  const panels = (json.panels as Record<string, unknown>[] | undefined) ?? [];
  return panels.flatMap((panel) => [
    ...((panel.targets as { expr?: unknown }[] | undefined) ?? []).flatMap((t) => (typeof t.expr === "string" && t.expr.trim() ? [{ title: String(panel.title ?? ""), expr: t.expr }] : [])),
    ...sdkTargets({ panels: panel.panels }),
  ]);
}

function serviceSites(service: ValidService): ExprSite[] {
  const origin = service.origin;
  const common = { service: service.name, grafana: false };
  const alerts = service.alerts.flatMap((alert, i) => {
    const base = { ...common, owner: `alert ${alert.name}` };
    return [...site(alert.expr, { ...base, kind: "alert" }, origin, ["alerts", i, "expr"]), ...runbookSites(alert.runbook, base, origin, ["alerts", i, "runbook"])];
  });
  const rules = service.recordingRules.flatMap((rule, i) => site(rule.expr, { ...common, kind: "recording-rule", owner: `recording rule ${rule.record}` }, origin, ["recordingRules", i, "expr"]));
  const slis = service.slos.flatMap((slo, i) => {
    const base = { ...common, owner: `SLO ${slo.name}` };
    const sli = slo.sli as Record<string, unknown>;
    const path = (key: string): PropertyKey[] => ["slos", i, "sli", key];
    const parts = Object.entries(sli).flatMap(([key, value]) => (key === "threshold" ? [] : site(value, { ...base, kind: "sli" }, origin, path(key), key === "latency" ? "_bucket" : "")));
    return [...parts, ...runbookSites(slo.runbook, base, origin, ["slos", i, "runbook"])];
  });
  const dashboards = service.dashboards.flatMap((dashboard) => {
    const base = { ...common, grafana: true, kind: "dashboard" as const, owner: `dashboard ${JSON.stringify(dashboard.title)}` };
    const at: PropertyKey[] = ["dashboards", dashboard.index];
    if (dashboard.kind === "sdk") {
      return sdkTargets(dashboard.json).map((t) => ({ ...base, owner: `${base.owner}, panel ${JSON.stringify(t.title)}`, text: t.expr, literal: false, anchor: { origin, path: at } }));
    }
    return dashboard.spec.rows.flatMap((row, r) =>
      row.panels.flatMap((panel, p) =>
        panel.queries.flatMap((query, q) => {
          const path = [...at, "rows", r, "panels", p, "queries", q];
          const owner = `${base.owner}, panel ${JSON.stringify(panel.title)}`;
          return typeof query === "object" && "expr" in query && !isPromQL(query) && !isSelector(query)
            ? site(query.expr, { ...base, owner }, origin, [...path, "expr"])
            : site(query, { ...base, owner }, origin, path);
        }),
      ),
    );
  });
  return [...alerts, ...rules, ...slis, ...dashboards];
}

/** Every PromQL expression the monitors wrote, in declaration order. */
export function collectExpressions(model: Model): ExprSite[] {
  return model.services.flatMap(serviceSites);
}
