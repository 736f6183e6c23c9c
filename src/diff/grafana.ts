import { byKey, compareFields, matchKeys, type Change, type FieldChange, type Files } from "./change.js";

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node => value !== null && typeof value === "object" && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** The first string under `key`, depth first: v2 manifests nest queries a few kinds deep. */
function find(value: unknown, key: string): string | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = find(item, key);
      if (found !== undefined) return found;
    }
  } else if (isNode(value)) {
    if (typeof value[key] === "string") return value[key] as string;
    for (const item of Object.values(value)) {
      const found = find(item, key);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

interface Panel {
  title: string;
  /** What a reviewer cares about: type, unit, each query's expression and legend by refId. */
  fields: Map<string, string>;
  /** Every other property (options, thresholds, links...) as JSON, reported by name only. */
  other: Map<string, string>;
}

interface Dashboard {
  uid: string;
  title: string;
  path: string;
  panels: Panel[];
  other: Map<string, string>;
}

/**
 * Properties as JSON by name, without those compared on their own and those that only place
 * things (ids, grid positions: they move whenever a panel is added above).
 */
function others(node: Node, skip: readonly string[]): Map<string, string> {
  return new Map(
    Object.entries(node)
      .filter(([key, value]) => !skip.includes(key) && value !== undefined)
      .map(([key, value]) => [key, JSON.stringify(value)]),
  );
}

/** A panel's field config without the unit, which is compared on its own. */
function withoutUnit(fieldConfig: unknown): unknown {
  if (!isNode(fieldConfig) || !isNode(fieldConfig.defaults)) return fieldConfig;
  const { unit: _unit, ...defaults } = fieldConfig.defaults;
  return { ...fieldConfig, defaults };
}

function panel(
  title: unknown,
  type: unknown,
  unit: string | undefined,
  queries: { refId?: string; expr?: string; legend?: string }[],
  other: Map<string, string>,
): Panel {
  const fields = new Map<string, string>();
  if (typeof type === "string") fields.set("type", type);
  if (unit !== undefined) fields.set("unit", unit);
  queries.forEach((q, i) => {
    const ref = q.refId ?? String(i);
    if (q.expr !== undefined) fields.set(`query ${ref}`, q.expr);
    if (q.legend !== undefined) fields.set(`legend ${ref}`, q.legend);
  });
  return { title: typeof title === "string" && title !== "" ? title : "(untitled)", fields, other };
}

/** Schema v1 panels, those inside collapsed rows included; rows themselves are only headings. */
function panelsV1(panels: unknown): Panel[] {
  return list(panels)
    .filter(isNode)
    .flatMap((p) =>
      p.type === "row"
        ? panelsV1(p.panels)
        : [
            panel(
              p.title,
              p.type,
              find(p.fieldConfig, "unit"),
              list(p.targets).filter(isNode).map((t) => ({ refId: t.refId as string | undefined, expr: find(t, "expr"), legend: find(t, "legendFormat") })),
              others({ ...p, fieldConfig: withoutUnit(p.fieldConfig) }, ["title", "type", "targets", "id", "gridPos"]),
            ),
          ],
    );
}

/** Schema v2 (`dashboard.grafana.app/v2`) panels: the Panel elements, by element name order. */
function panelsV2(elements: unknown): Panel[] {
  if (!isNode(elements)) return [];
  return Object.keys(elements)
    .sort()
    .map((name) => elements[name])
    .filter((e): e is Node => isNode(e) && e.kind === "Panel" && isNode(e.spec))
    .map((e) => {
      const spec = e.spec as Node;
      const viz = isNode(spec.vizConfig) ? spec.vizConfig : {};
      const queries = list(isNode(spec.data) && isNode(spec.data.spec) ? spec.data.spec.queries : []).filter(isNode);
      return panel(
        spec.title,
        viz.group ?? viz.kind,
        find(viz, "unit"),
        queries.map((q) => ({ refId: find(q, "refId"), expr: find(q, "expr"), legend: find(q, "legendFormat") })),
        others({ ...spec, vizConfig: withoutUnit(viz) }, ["title", "data", "id"]),
      );
    });
}

function parseDashboard(path: string, text: string): Dashboard | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (!isNode(value)) return undefined;
    if (typeof value.apiVersion === "string" && value.apiVersion.startsWith("dashboard.grafana.app/") && isNode(value.spec)) {
      const uid = isNode(value.metadata) ? value.metadata.name : undefined;
      if (typeof uid !== "string") return undefined;
      return { uid, title: String(value.spec.title ?? ""), path, panels: panelsV2(value.spec.elements), other: others(value.spec, ["title", "elements", "layout"]) };
    }
    if (typeof value.uid !== "string") return undefined;
    return { uid: value.uid, title: String(value.title ?? ""), path, panels: panelsV1(value.panels), other: others(value, ["title", "uid", "panels", "id", "version"]) };
  } catch {
    return undefined;
  }
}

/** Other properties that differ, by name only: their values are whole JSON objects. */
function otherChanges(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): FieldChange[] {
  return compareFields(before, after).map(({ field }) => ({ field }));
}

/**
 * Dashboards by uid, wherever their file is (a dashboard moves when its team changes): added,
 * removed, title or file changed (other properties by name); panels by title: added, removed,
 * type, unit, queries and legends changed (other properties by name).
 * Files that are not dashboards come back in `unparsed`, to be compared as files.
 */
export function diffDashboards(before: Files, after: Files): { changes: Change[]; unparsed: string[] } {
  const parseAll = (files: Files) => [...files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, text]) => [path, parseDashboard(path, text)] as const);
  const parsedA = parseAll(before);
  const parsedB = parseAll(after);
  // Not a dashboard on either side: left out on both, to be compared as a file.
  const unparsed = new Set([...parsedA, ...parsedB].filter(([, d]) => !d).map(([path]) => path));
  const keyed = (parsed: (readonly [string, Dashboard | undefined])[]) =>
    byKey(parsed.flatMap(([path, d]) => (d && !unparsed.has(path) ? [d] : [])), (d) => d.uid);
  const a = keyed(parsedA);
  const b = keyed(parsedB);
  const changes: Change[] = [];
  matchKeys(a, b, {
    added: (uid, d) => changes.push({ kind: "dashboard", op: "added", name: uid, file: d.path, fields: [] }),
    removed: (uid, d) => changes.push({ kind: "dashboard", op: "removed", name: uid, file: d.path, fields: [] }),
    both: (uid, x, y) => {
      const fields = [
        ...compareFields(new Map([["title", x.title], ["file", x.path]]), new Map([["title", y.title], ["file", y.path]])),
        ...otherChanges(x.other, y.other),
      ];
      if (fields.length > 0) changes.push({ kind: "dashboard", op: "changed", name: uid, file: y.path, fields });
      matchKeys(byKey(x.panels, (p) => p.title), byKey(y.panels, (p) => p.title), {
        added: (title) => changes.push({ kind: "panel", op: "added", name: `${uid} / ${title}`, file: y.path, fields: [] }),
        removed: (title) => changes.push({ kind: "panel", op: "removed", name: `${uid} / ${title}`, file: y.path, fields: [] }),
        both: (title, p, q) => {
          const panelFields = [...compareFields(p.fields, q.fields), ...otherChanges(p.other, q.other)];
          if (panelFields.length > 0) changes.push({ kind: "panel", op: "changed", name: `${uid} / ${title}`, file: y.path, fields: panelFields });
        },
      });
    },
  });
  return { changes, unparsed: [...unparsed].sort() };
}
