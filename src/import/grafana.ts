import { KNOWN_UNITS } from "../model/dashboard.js";
import { arr, comment, commented, obj, slug, type Code, type CommentOnly } from "./code.js";
import { queryMetrics } from "./promql.js";
import type { Imported, ImportOptions, ImportProblem, SourceFile } from "./types.js";

/**
 * `vigil import grafana`: dashboard JSON (as exported, or as the HTTP API returns it) into a
 * service's declarative `dashboards`: rows, panels with their titles, queries, legends, units,
 * thresholds and sizes, variables and links. What a declarative dashboard has no field for is
 * named in a comment and on stderr.
 */

interface GrafanaPanel {
  type?: string;
  title?: string;
  description?: string;
  collapsed?: boolean;
  panels?: GrafanaPanel[];
  gridPos?: { w?: number; h?: number };
  targets?: { expr?: string; legendFormat?: string; hide?: boolean; refId?: string }[];
  fieldConfig?: { defaults?: { unit?: string; min?: number; max?: number; decimals?: number; thresholds?: { steps?: { value: number | null; color: string }[] } } };
}

interface GrafanaDashboard {
  uid?: string;
  title?: string;
  description?: string;
  tags?: string[];
  panels?: GrafanaPanel[];
  rows?: unknown[];
  templating?: { list?: { type?: string; name?: string; label?: string; query?: string | { query?: string }; multi?: boolean; includeAll?: boolean; options?: { value?: string }[] }[] };
  links?: { title?: string; type?: string; url?: string; tags?: string[] }[];
}

const PANEL_TYPES: Record<string, string> = { timeseries: "timeseries", graph: "timeseries", stat: "stat", singlestat: "stat", gauge: "gauge", bargauge: "bargauge", table: "table", heatmap: "heatmap" };
const known = new Set(KNOWN_UNITS);

function panelCode(panel: GrafanaPanel, warn: (m: string) => void): Code | CommentOnly {
  const title = panel.title?.trim() || "Untitled";
  const type = PANEL_TYPES[panel.type ?? "timeseries"];
  if (!type) {
    warn(`panel "${title}": type ${panel.type} has no declarative form: not imported`);
    return comment(`panel "${title}" (type ${panel.type}) not imported: declarative dashboards have timeseries, stat, gauge, bargauge, table and heatmap panels`);
  }
  const notes: string[] = [];
  const queries = (panel.targets ?? []).filter((t) => !t.hide && t.expr);
  const others = (panel.targets ?? []).length - queries.length;
  if (others) {
    notes.push(`${others} hidden or non-PromQL queries not imported`);
    warn(`panel "${title}": ${others} hidden or non-PromQL queries not imported`);
  }
  if (queries.length === 0) {
    warn(`panel "${title}": no PromQL query: not imported`);
    return comment(`panel "${title}" not imported: it has no PromQL query`);
  }
  if (!panel.title?.trim()) notes.push("TODO: the panel has no title in the source");
  const d = panel.fieldConfig?.defaults ?? {};
  let unit: Code | undefined = d.unit || undefined;
  if (d.unit && !known.has(d.unit) && !/^(suffix|prefix|si|count|currency|time):.+$/.test(d.unit)) {
    warn(`panel "${title}": unit ${d.unit} is not one Grafana's SDK lists: left out`);
    unit = undefined;
    notes.push(`unit "${d.unit}" left out: not in Grafana's unit list`);
  }
  const steps = d.thresholds?.steps ?? [];
  const thresholds = steps.length > 1 ? arr(steps.map((s, i) => obj([["value", i === 0 || s.value === null ? undefined : s.value], ["color", s.color]]))) : undefined;
  return commented(
    obj([
      ["title", title],
      ["type", type === "timeseries" ? undefined : type],
      ["description", panel.description || undefined],
      ["queries", arr(queries.map((q) => (q.legendFormat ? obj([["expr", q.expr!], ["legend", q.legendFormat]]) : q.expr!)))],
      ["unit", unit],
      ["thresholds", thresholds],
      ["min", d.min ?? undefined],
      ["max", d.max ?? undefined],
      ["decimals", d.decimals ?? undefined],
      ["width", panel.gridPos?.w && panel.gridPos.w !== 12 ? Math.min(24, panel.gridPos.w) : undefined],
      ["height", panel.gridPos?.h && panel.gridPos.h !== 8 ? Math.min(40, panel.gridPos.h) : undefined],
    ]),
    ...notes,
  );
}

function dashboardCode(dashboard: GrafanaDashboard, warn: (m: string) => void): Code {
  const title = dashboard.title ?? "Imported dashboard";
  const rows: { title: string; panels: (Code | CommentOnly)[] }[] = [];
  let current: { title: string; panels: (Code | CommentOnly)[] } | undefined;
  for (const panel of dashboard.panels ?? []) {
    if (panel.type === "row") {
      current = { title: panel.title || "Row", panels: (panel.panels ?? []).map((p) => panelCode(p, warn)) };
      rows.push(current);
      continue;
    }
    if (!current) rows.push((current = { title, panels: [] }));
    current.panels.push(panelCode(panel, warn));
  }
  if (dashboard.rows?.length) warn(`dashboard "${title}": old-style rows (schema before 16) not imported: open and save it in a recent Grafana first`);
  const variables: (Code | CommentOnly)[] = [];
  for (const v of dashboard.templating?.list ?? []) {
    if (v.type === "datasource") continue; // Vigil adds its own Prometheus data source variable.
    const base: [string, Code | undefined][] = [["name", v.name ?? "var"], ["label", v.label || undefined]];
    const flags: [string, Code | undefined][] = [["multi", v.multi || undefined], ["includeAll", v.includeAll || undefined]];
    if (v.type === "query") {
      const query = typeof v.query === "string" ? v.query : v.query?.query;
      if (query) variables.push(obj([...base, ["query", query], ...flags]));
    } else if (v.type === "custom" && v.options?.length) {
      variables.push(obj([...base, ["values", arr(v.options.map((o) => String(o.value)).filter((s) => s && s !== "$__all"))], ...flags]));
    } else {
      warn(`dashboard "${title}": ${v.type} variable ${v.name} has no declarative form: not imported`);
      variables.push(comment(`${v.type} variable ${v.name} not imported: declarative dashboards have query and custom variables`));
    }
  }
  const links = (dashboard.links ?? []).flatMap((l): Code[] =>
    l.type === "dashboards" && l.tags?.length ? [obj({ title: l.title || "Dashboards", tags: arr(l.tags) })] : l.url ? [obj({ title: l.title || l.url, url: l.url })] : [],
  );
  return obj([
    ["uid", dashboard.uid && /^[a-zA-Z0-9_-]{1,40}$/.test(dashboard.uid) ? dashboard.uid : undefined],
    ["title", title],
    ["description", dashboard.description || undefined],
    ["tags", dashboard.tags?.length ? arr(dashboard.tags) : undefined],
    ["variables", variables.length ? arr(variables) : undefined],
    ["links", links.length ? arr(links) : undefined],
    ["rows", arr(rows.map((r) => obj({ title: r.title, panels: arr(r.panels) })))],
  ]);
}

export function importGrafana(files: readonly SourceFile[], options: ImportOptions): Imported {
  const problems: ImportProblem[] = [];
  const dashboards: Code[] = [];
  const queries: string[] = [];
  let first: string | undefined;
  for (const file of files) {
    let data: { dashboard?: GrafanaDashboard } & GrafanaDashboard;
    try {
      data = JSON.parse(file.text) as typeof data;
    } catch (failure) {
      problems.push({ severity: "error", source: file.name, message: `not JSON: ${(failure as Error).message}` });
      continue;
    }
    const dashboard = data.dashboard ?? data;
    if (!Array.isArray(dashboard.panels) && !Array.isArray(dashboard.rows)) {
      problems.push({ severity: "error", source: file.name, message: "not a Grafana dashboard: no panels" });
      continue;
    }
    first ??= dashboard.title;
    const panels = (dashboard.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
    queries.push(...panels.flatMap((p) => (p.targets ?? []).filter((t) => !t.hide && t.expr).map((t) => t.expr!)));
    dashboards.push(dashboardCode(dashboard, (message) => problems.push({ severity: "warning", source: file.name, message })));
  }
  if (!options.team) problems.push({ severity: "error", source: files.map((f) => f.name).join(", "), message: "a dashboard names no team: pass --team NAME (and --service NAME)" });
  if (!options.team || dashboards.length === 0) return { services: [], teams: [], teamNotes: [], problems };
  const { metrics, ...declared } = queryMetrics(queries, options.team, (message) => problems.push({ severity: "warning", source: files.map((f) => f.name).join(", "), message }));
  return {
    services: [
      {
        name: options.service ?? slug(first ?? "dashboards"),
        team: options.team,
        sources: files.map((f) => f.name),
        ...declared,
        notes: [...declared.notes, "Panel options beyond unit, thresholds, min, max and decimals (colours, legends, overrides), annotations and time settings are not imported."],
        entries: [["metrics", metrics], ["dashboards", arr(dashboards)]],
      },
    ],
    teams: [],
    teamNotes: [],
    problems,
  };
}
