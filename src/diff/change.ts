/**
 * What `vigil diff` reports: one change per semantic object (an alert, a route, a panel...) that
 * was added, removed or changed between two generated trees, with the fields that changed.
 */

/** The kinds of objects compared, in the order reports list them. */
export const CHANGE_KINDS = [
  "group",
  "alert",
  "record",
  "route",
  "receiver",
  "inhibit",
  "time-interval",
  "alertmanager",
  "dashboard",
  "panel",
  "runbook",
  "section",
  "file",
] as const;

export type ChangeKind = (typeof CHANGE_KINDS)[number];

export type ChangeOp = "added" | "removed" | "changed";

/** One field of a changed object: absent `before` means it was set, absent `after` unset. */
export interface FieldChange {
  field: string;
  before?: string;
  after?: string;
}

export interface Change {
  kind: ChangeKind;
  op: ChangeOp;
  /** How a reader names the object, e.g. `CheckoutHighErrorRate (page)`. */
  name: string;
  /** The generated file it is in (the head's when it moved), relative to the output directory. */
  file: string;
  /** For "changed": what changed. Empty for added and removed. */
  fields: FieldChange[];
}

export type Files = ReadonlyMap<string, string>;

const KIND_ORDER = new Map(CHANGE_KINDS.map((kind, index) => [kind, index]));
const OP_ORDER: Record<ChangeOp, number> = { removed: 0, added: 1, changed: 2 };

/** The one order every report uses: kind, file, name, then removed before added before changed. */
export function sortChanges(changes: readonly Change[]): Change[] {
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...changes].sort(
    (a, b) =>
      KIND_ORDER.get(a.kind)! - KIND_ORDER.get(b.kind)! ||
      compare(a.file, b.file) ||
      compare(a.name, b.name) ||
      OP_ORDER[a.op] - OP_ORDER[b.op],
  );
}

export type Counts = Partial<Record<ChangeKind, Record<ChangeOp, number>>>;

/** How many objects of each kind were added, removed and changed; only kinds that changed. */
export function countChanges(changes: readonly Change[]): Counts {
  const counts: Counts = {};
  for (const change of changes) {
    const entry = (counts[change.kind] ??= { added: 0, removed: 0, changed: 0 });
    entry[change.op] += 1;
  }
  return counts;
}

/** A value as one string: scalars as they are, lists of scalars as `[a, b]`, the rest as JSON. */
export function show(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || typeof value !== "object") return String(value);
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== "object")) return `[${value.map(show).join(", ")}]`;
  return JSON.stringify(value);
}

/**
 * An object's scalar leaves by dotted path (`slack_configs[0].channel`); lists of scalars are
 * one leaf (`group_by`), so that reordering them reads as one change.
 */
export function flatten(value: unknown, prefix = "", into = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value) && value.some((v) => v !== null && typeof v === "object")) {
    value.forEach((item, index) => flatten(item, `${prefix}[${index}]`, into));
  } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) flatten(item, prefix ? `${prefix}.${key}` : key, into);
    }
  } else if (value !== undefined) {
    into.set(prefix, show(value));
  }
  return into;
}

/** Fields that differ between two flattened objects, sorted by field name. */
export function compareFields(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): FieldChange[] {
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  const fields: FieldChange[] = [];
  for (const field of keys) {
    const a = before.get(field);
    const b = after.get(field);
    if (a === b) continue;
    fields.push({ field, ...(a !== undefined && { before: a }), ...(b !== undefined && { after: b }) });
  }
  return fields;
}

/**
 * Pairs objects of two lists by key: duplicates of a key get `#2`, `#3`... in order of
 * appearance, so that pairing stays deterministic even when keys are not unique.
 */
export function byKey<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    const base = key(item);
    let unique = base;
    for (let n = 2; map.has(unique); n++) unique = `${base} #${n}`;
    map.set(unique, item);
  }
  return map;
}

/** Walks two keyed maps: calls `added`, `removed` or `both` for every key, in sorted key order. */
export function matchKeys<T>(
  before: ReadonlyMap<string, T>,
  after: ReadonlyMap<string, T>,
  visit: { added: (key: string, item: T) => void; removed: (key: string, item: T) => void; both: (key: string, a: T, b: T) => void },
): void {
  for (const key of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const a = before.get(key);
    const b = after.get(key);
    if (a !== undefined && b !== undefined) visit.both(key, a, b);
    else if (a !== undefined) visit.removed(key, a);
    else if (b !== undefined) visit.added(key, b);
  }
}
