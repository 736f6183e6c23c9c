import { parse } from "yaml";
import { byKey, compareFields, flatten, matchKeys, type Change, type Files } from "./change.js";

interface Rule {
  alert?: string;
  record?: string;
  labels?: Record<string, unknown>;
  [field: string]: unknown;
}

interface Group {
  name: string;
  rules: Rule[];
  [field: string]: unknown;
}

/** Rule groups of a Prometheus rule file; undefined when it is not one (then it diffs as a file). */
function parseRuleFile(text: string | undefined): Group[] | undefined {
  if (text === undefined) return [];
  try {
    const value = parse(text) as { groups?: unknown } | null;
    const groups = value?.groups ?? [];
    if (!Array.isArray(groups)) return undefined;
    return groups.map((g: Group) => {
      if (typeof g?.name !== "string" || !Array.isArray(g.rules ?? [])) throw new Error("not a rule group");
      return { ...g, rules: g.rules ?? [] };
    });
  } catch {
    return undefined;
  }
}

interface Placed {
  rule: Rule;
  group: string;
  file: string;
}

interface PlacedGroup {
  group: Group;
  file: string;
}

const labelsOf = (rule: Rule) =>
  Object.entries(rule.labels ?? {})
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${JSON.stringify(String(v))}`)
    .join(",");

/**
 * An alert is known by its name and severity (one name may exist at several severities), a
 * recording rule by its name and labels (one record may be written per service).
 */
function ruleKey({ rule }: Placed): string {
  return rule.alert !== undefined ? `alert\0${rule.alert}\0${String(rule.labels?.severity ?? "")}` : `record\0${rule.record}\0${labelsOf(rule)}`;
}

/** Every field but the name, labels and annotations by key; `group` and `file` when it moved. */
function ruleFields({ rule, group, file }: Placed): Map<string, string> {
  const { alert: _alert, record: _record, ...rest } = rule;
  return flatten({ ...rest, group, file });
}

/** Every file's rule groups, by path in sorted order; undefined for a file that is not a rule file. */
const parseAll = (files: Files) => new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([file, text]) => [file, parseRuleFile(text)] as const));

/**
 * Rule groups and rules of every rule file, each to be found by its identity wherever it is: a
 * service's rules may move between files (SLO rules to their own file). A file that is not a
 * rule file on either side is left out on both, to be compared as a file.
 */
function collect(parsed: Map<string, Group[] | undefined>, unparsed: ReadonlySet<string>): { groups: PlacedGroup[]; rules: Placed[] } {
  const groups: PlacedGroup[] = [];
  const rules: Placed[] = [];
  for (const [file, fileGroups] of parsed) {
    if (!fileGroups || unparsed.has(file)) continue;
    for (const group of fileGroups) {
      groups.push({ group, file });
      for (const rule of group.rules) rules.push({ rule, group: group.name, file });
    }
  }
  return { groups, rules };
}

/**
 * Rule groups added, removed or changed (interval, limit, file), and rules added, removed or
 * changed with the fields that changed (expr, for, keep_firing_for, labels.X, annotations.X,
 * group, file).
 */
export function diffRules(before: Files, after: Files): { changes: Change[]; unparsed: string[] } {
  const parsedA = parseAll(before);
  const parsedB = parseAll(after);
  const unparsed = new Set([...parsedA, ...parsedB].filter(([, groups]) => !groups).map(([file]) => file));
  const a = collect(parsedA, unparsed);
  const b = collect(parsedB, unparsed);
  const changes: Change[] = [];

  const groupFields = ({ group, file }: PlacedGroup) => {
    const { rules: _rules, name: _name, ...rest } = group;
    return flatten({ ...rest, file });
  };
  matchKeys(byKey(a.groups, (g) => g.group.name), byKey(b.groups, (g) => g.group.name), {
    added: (name, g) => changes.push({ kind: "group", op: "added", name, file: g.file, fields: [] }),
    removed: (name, g) => changes.push({ kind: "group", op: "removed", name, file: g.file, fields: [] }),
    both: (name, x, y) => {
      const fields = compareFields(groupFields(x), groupFields(y));
      if (fields.length > 0) changes.push({ kind: "group", op: "changed", name, file: y.file, fields });
    },
  });

  const rulesA = byKey(a.rules, ruleKey);
  const rulesB = byKey(b.rules, ruleKey);
  // A record shown with its labels only when its name alone does not say which one it is.
  const recordCount = new Map<string, number>();
  for (const rules of [a.rules, b.rules]) {
    const names = new Map<string, number>();
    for (const { rule } of rules) if (rule.record !== undefined) names.set(rule.record, (names.get(rule.record) ?? 0) + 1);
    for (const [name, n] of names) recordCount.set(name, Math.max(n, recordCount.get(name) ?? 0));
  }
  // Rules alike in name, severity (or labels) are told apart by their order: `#2`, `#3`.
  const display = ({ rule }: Placed, key: string) => {
    const nth = / #\d+$/.exec(key)?.[0] ?? "";
    if (rule.alert !== undefined) return `${rule.labels?.severity !== undefined ? `${rule.alert} (${String(rule.labels.severity)})` : rule.alert}${nth}`;
    return `${(recordCount.get(String(rule.record)) ?? 0) > 1 ? `${rule.record}{${labelsOf(rule)}}` : String(rule.record)}${nth}`;
  };
  const kind = ({ rule }: Placed) => (rule.alert !== undefined ? "alert" : "record");

  const added: [string, Placed][] = [];
  const removed: [string, Placed][] = [];
  const changed = (x: Placed, [key, y]: [string, Placed]) => {
    const fields = compareFields(ruleFields(x), ruleFields(y));
    if (fields.length > 0) changes.push({ kind: kind(y), op: "changed", name: display(y, key), file: y.file, fields });
  };
  matchKeys(rulesA, rulesB, { added: (k, p) => added.push([k, p]), removed: (k, p) => removed.push([k, p]), both: (k, x, y) => changed(x, [k, y]) });

  // A recording rule whose labels changed: one removed and one added of the same name are the
  // same rule, changed.
  const named = (list: [string, Placed][], record: string) => list.filter(([, p]) => p.rule.record === record);
  const paired = new Set<Placed>();
  for (const [, x] of removed) {
    if (x.rule.record === undefined) continue;
    const from = named(removed, x.rule.record);
    const to = named(added, x.rule.record);
    if (from.length === 1 && to.length === 1) {
      changed(x, to[0]!);
      paired.add(x).add(to[0]![1]);
    }
  }
  for (const [k, p] of removed) if (!paired.has(p)) changes.push({ kind: kind(p), op: "removed", name: display(p, k), file: p.file, fields: [] });
  for (const [k, p] of added) if (!paired.has(p)) changes.push({ kind: kind(p), op: "added", name: display(p, k), file: p.file, fields: [] });
  return { changes, unparsed: [...unparsed].sort() };
}
