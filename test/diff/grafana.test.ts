import { describe, expect, it } from "vitest";
import { diffOutputs } from "../../src/diff/diff.js";

const PATH = "grafana/dashboards/payments/checkout-routes.json";

interface PanelSpec {
  title: string;
  type?: string;
  unit?: string;
  exprs?: string[];
  gridY?: number;
}

const v1Panel = ({ title, type = "timeseries", unit, exprs = ["up"], gridY = 0 }: PanelSpec, id: number) => ({
  id,
  title,
  type,
  gridPos: { h: 8, w: 12, x: 0, y: gridY },
  fieldConfig: { defaults: { ...(unit && { unit }) }, overrides: [] },
  targets: exprs.map((expr, i) => ({ refId: String.fromCharCode(65 + i), expr })),
});

const dashboard = (uid: string, title: string, panels: PanelSpec[], extra: Record<string, unknown> = {}) =>
  `${JSON.stringify({ uid, title, panels: [{ id: 1, type: "row", title: "Traffic", panels: [] }, ...panels.map((p, i) => v1Panel(p, i + 2))], ...extra }, null, 2)}\n`;

const tree = (entries: Record<string, string>) => new Map(Object.entries(entries));
const summary = (before: Map<string, string>, after: Map<string, string>) => diffOutputs(before, after).map((c) => [c.kind, c.op, c.name, c.fields]);

describe("diffOutputs on Grafana dashboards", () => {
  const requests = { title: "Requests by route", unit: "reqps", exprs: ['sum by (route) (rate(http_requests_total{service="checkout"}[5m]))'] };

  it("reports dashboards added and removed by uid, and a title changed", () => {
    const before = tree({ [PATH]: dashboard("checkout-routes", "Checkout routes", [requests]), "grafana/dashboards/payments/old.json": dashboard("old", "Old", []) });
    const after = tree({ [PATH]: dashboard("checkout-routes", "Checkout: routes", [requests]), "grafana/dashboards/payments/new.json": dashboard("new", "New", []) });
    expect(summary(before, after)).toEqual([
      ["dashboard", "changed", "checkout-routes", [{ field: "title", before: "Checkout routes", after: "Checkout: routes" }]],
      ["dashboard", "added", "new", []],
      ["dashboard", "removed", "old", []],
    ]);
  });

  it("knows panels by title: added, removed, query, unit and type changed, ignoring positions", () => {
    const before = tree({ [PATH]: dashboard("checkout-routes", "Checkout routes", [requests, { title: "Errors" }]) });
    const after = tree({
      [PATH]: dashboard("checkout-routes", "Checkout routes", [
        { title: "Latency", gridY: 0 },
        { title: "Requests by route", type: "stat", unit: "ops", exprs: ['sum(rate(http_requests_total{service="checkout"}[5m]))', "vector(1)"], gridY: 9 },
      ]),
    });
    expect(summary(before, after)).toEqual([
      ["panel", "removed", "checkout-routes / Errors", []],
      ["panel", "added", "checkout-routes / Latency", []],
      [
        "panel",
        "changed",
        "checkout-routes / Requests by route",
        [
          { field: "query A", before: 'sum by (route) (rate(http_requests_total{service="checkout"}[5m]))', after: 'sum(rate(http_requests_total{service="checkout"}[5m]))' },
          { field: "query B", after: "vector(1)" },
          { field: "type", before: "timeseries", after: "stat" },
          { field: "unit", before: "reqps", after: "ops" },
        ],
      ],
    ]);
  });

  it("names other properties that changed, without their (JSON) values", () => {
    const before = tree({ [PATH]: dashboard("checkout-routes", "Checkout routes", [requests], { links: [] }) });
    const after = tree({ [PATH]: dashboard("checkout-routes", "Checkout routes", [requests], { links: [{ title: "Runbook", url: "https://x" }] }) });
    expect(summary(before, after)).toEqual([["dashboard", "changed", "checkout-routes", [{ field: "links" }]]]);
  });

  it("follows a dashboard that moved to another team's folder", () => {
    const moved = "grafana/dashboards/web/checkout-routes.json";
    const before = tree({ [PATH]: dashboard("checkout-routes", "Checkout routes", [requests]) });
    const after = tree({ [moved]: dashboard("checkout-routes", "Checkout routes", [requests]) });
    expect(summary(before, after)).toEqual([["dashboard", "changed", "checkout-routes", [{ field: "file", before: PATH, after: moved }]]]);
  });

  it("reads schema v2 manifests: uid from metadata, panels from elements", () => {
    const v2 = (title: string, expr: string) =>
      JSON.stringify({
        apiVersion: "dashboard.grafana.app/v2beta1",
        kind: "Dashboard",
        metadata: { name: "checkout-routes" },
        spec: {
          title,
          elements: {
            "panel-2": {
              kind: "Panel",
              spec: {
                id: 2,
                title: "Requests by route",
                data: { kind: "QueryGroup", spec: { queries: [{ kind: "PanelQuery", spec: { refId: "A", query: { kind: "prometheus", spec: { expr } } } }] } },
                vizConfig: { kind: "timeseries", spec: { fieldConfig: { defaults: { unit: "reqps" } } } },
              },
            },
          },
          layout: { kind: "GridLayout", spec: { items: [] } },
        },
      });
    expect(summary(tree({ [PATH]: v2("A", "up") }), tree({ [PATH]: v2("B", "up == 0") }))).toEqual([
      ["dashboard", "changed", "checkout-routes", [{ field: "title", before: "A", after: "B" }]],
      ["panel", "changed", "checkout-routes / Requests by route", [{ field: "query A", before: "up", after: "up == 0" }]],
    ]);
  });

  it("compares a file that is not a dashboard as a file", () => {
    expect(summary(tree({ [PATH]: "{ not json" }), tree({ [PATH]: dashboard("x", "X", []) }))).toEqual([["file", "changed", PATH, []]]);
  });
});
