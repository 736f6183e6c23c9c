import { parse } from "yaml";
import { byKey, compareFields, flatten, matchKeys, type Change, type ChangeKind } from "./change.js";

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node => value !== null && typeof value === "object" && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function parseConfig(text: string | undefined): Node | undefined {
  if (text === undefined) return {};
  try {
    const value: unknown = parse(text);
    return value === null ? {} : isNode(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A route's or inhibition's matchers as one sorted string, whichever syntax they are written in. */
function matchers(node: Node, prefix = ""): string {
  const all = [
    ...list(node[`${prefix}matchers`]).map(String),
    ...Object.entries(isNode(node[`${prefix}match`]) ? (node[`${prefix}match`] as Node) : {}).map(([k, v]) => `${k}="${String(v)}"`),
    ...Object.entries(isNode(node[`${prefix}match_re`]) ? (node[`${prefix}match_re`] as Node) : {}).map(([k, v]) => `${k}=~"${String(v)}"`),
  ];
  return all.sort().join(", ");
}

const without = (node: Node, keys: readonly string[]) => Object.fromEntries(Object.entries(node).filter(([k]) => !keys.includes(k)));

/**
 * Every route of the tree by its path of matchers from the root (`team="payments" >
 * severity="page"`); a route without matchers is known by its receiver.
 */
function flattenRoutes(root: unknown): Map<string, Node> {
  const routes: { name: string; route: Node }[] = [];
  const walk = (route: Node, name: string) => {
    routes.push({ name, route });
    const children = list(route.routes).filter(isNode);
    const named = byKey(children, (child) => matchers(child) || `(receiver ${String(child.receiver ?? "none")})`);
    for (const [key, child] of named) walk(child, name === "(root)" ? key : `${name} > ${key}`);
  };
  if (isNode(root)) walk(root, "(root)");
  return new Map(routes.map((r) => [r.name, r.route]));
}

const ROUTE_KEYS = ["routes", "matchers", "match", "match_re"];
const INHIBIT_KEYS = ["source_matchers", "source_match", "source_match_re", "target_matchers", "target_match", "target_match_re"];

/**
 * Routes (by matcher path), receivers, inhibit rules (by source and target matchers), time
 * intervals (by name) and global settings, each with the fields that changed.
 */
export function diffAlertmanager(file: string, before: string | undefined, after: string | undefined): Change[] | undefined {
  const a = parseConfig(before);
  const b = parseConfig(after);
  if (!a || !b) return undefined;
  const changes: Change[] = [];
  const compare = <T>(kind: ChangeKind, x: Map<string, T>, y: Map<string, T>, fieldsOf: (item: T) => unknown) =>
    matchKeys(x, y, {
      added: (name) => changes.push({ kind, op: "added", name, file, fields: [] }),
      removed: (name) => changes.push({ kind, op: "removed", name, file, fields: [] }),
      both: (name, p, q) => {
        const fields = compareFields(flatten(fieldsOf(p)), flatten(fieldsOf(q)));
        if (fields.length > 0) changes.push({ kind, op: "changed", name, file, fields });
      },
    });

  compare("route", flattenRoutes(a.route), flattenRoutes(b.route), (route) => without(route, ROUTE_KEYS));

  const receivers = (c: Node) => byKey(list(c.receivers).filter(isNode), (r) => String(r.name));
  compare("receiver", receivers(a), receivers(b), (r) => without(r, ["name"]));

  const inhibitions = (c: Node) =>
    byKey(list(c.inhibit_rules).filter(isNode), (r) => `${matchers(r, "source_") || "(any)"} -> ${matchers(r, "target_") || "(any)"}`);
  compare("inhibit", inhibitions(a), inhibitions(b), (r) => without(r, INHIBIT_KEYS));

  // `mute_time_intervals` is the older name of `time_intervals`; both are named intervals.
  const intervals = (c: Node) =>
    byKey([...list(c.time_intervals), ...list(c.mute_time_intervals)].filter(isNode), (t) => String(t.name));
  compare("time-interval", intervals(a), intervals(b), (t) => without(t, ["name"]));

  // Everything else at the top (global, templates...) by its key.
  const SEEN = ["route", "receivers", "inhibit_rules", "time_intervals", "mute_time_intervals"];
  const rest = (c: Node) => new Map(Object.entries(c).filter(([k]) => !SEEN.includes(k)));
  compare("alertmanager", rest(a), rest(b), (value) => (isNode(value) ? value : { value }));
  return changes;
}
