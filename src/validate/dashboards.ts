import type { DashboardBuilderLike, DeclarativeDashboard } from "../model/dashboard.js";
import type { Origin, Pending } from "./anchor.js";

/** A dashboard with its uid settled: SDK builders are built here, once. */
export type ValidDashboard =
  | { kind: "sdk"; uid: string; title: string; index: number; json: Record<string, unknown> }
  | { kind: "declarative"; uid: string; title: string; index: number; spec: DeclarativeDashboard };

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

export function buildDashboards(
  service: string,
  dashboards: readonly (DashboardBuilderLike | DeclarativeDashboard)[],
  origin: Origin,
  pending: Pending[],
): ValidDashboard[] {
  return dashboards.flatMap((dashboard, index): ValidDashboard[] => {
    const anchor = { origin, path: ["dashboards", index] };
    if (!("build" in dashboard) || typeof dashboard.build !== "function") {
      const spec = dashboard as DeclarativeDashboard;
      const titleSlug = slug(spec.title);
      const uid = spec.uid ?? (titleSlug.startsWith(`${service}-`) ? titleSlug : `${service}-${titleSlug}`).slice(0, 40);
      return [{ kind: "declarative", uid, title: spec.title, index, spec }];
    }
    let json: Record<string, unknown>;
    try {
      json = (dashboard as DashboardBuilderLike).build() as Record<string, unknown>;
    } catch (thrown) {
      pending.push({
        diagnostic: { severity: "error", code: "dashboard-build-failed", message: `building this dashboard threw: ${String(thrown)}`, hint: "fix the builder calls of this dashboard" },
        anchor,
      });
      return [];
    }
    const uid = json.uid;
    if (typeof uid !== "string" || !/^[a-zA-Z0-9_-]{1,40}$/.test(uid)) {
      pending.push({
        diagnostic: {
          severity: "error",
          code: "invalid-dashboard-uid",
          message: uid === undefined ? "this dashboard has no uid" : `dashboard uid ${JSON.stringify(uid)} is not valid`,
          hint: 'call .uid("service-purpose") on the builder: at most 40 letters, digits, "-" or "_", stable across changes',
        },
        anchor,
      });
      return [];
    }
    return [{ kind: "sdk", uid, title: String(json.title ?? uid), index, json }];
  });
}
