import type { Change, ChangeKind } from "./types.js";

/**
 * Pure planning: current state + desired state -> changes. No I/O here; the target modules read
 * the state, call these, and perform the result.
 */
export interface KeyedPlanInput<D, C> {
  object: string;
  desired: ReadonlyMap<string, D>;
  current: ReadonlyMap<string, C>;
  /** Desired and current are the same: nothing to do. */
  same: (desired: D, current: C) => boolean;
  /**
   * Whether a current object that is no longer desired is Vigil's to delete (a managed tag, an
   * owned namespace, a manifest entry). Objects that are not are left out of the plan entirely.
   */
  owned: (key: string, current: C) => boolean;
  /** Delete owned objects that are no longer desired; otherwise they are reported as stale. */
  prune: boolean;
  /** Optional detail for an update (what differs). */
  describe?: (desired: D, current: C) => string | undefined;
}

/** Changes sorted by name: the same plan for the same states, whatever order the APIs answered in. */
export function planKeyed<D, C>(input: KeyedPlanInput<D, C>): Change[] {
  const changes: Change[] = [];
  const change = (kind: ChangeKind, name: string, detail?: string): Change => ({ kind, object: input.object, name, ...(detail && { detail }) });
  for (const [key, desired] of input.desired) {
    const current = input.current.get(key);
    if (current === undefined) changes.push(change("create", key));
    else if (input.same(desired, current)) changes.push(change("unchanged", key));
    else changes.push(change("update", key, input.describe?.(desired, current)));
  }
  for (const [key, current] of input.current) {
    if (input.desired.has(key) || !input.owned(key, current)) continue;
    changes.push(input.prune ? change("delete", key) : change("stale", key, "no longer generated; --prune deletes it"));
  }
  return changes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export interface PlanCounts {
  create: number;
  update: number;
  delete: number;
  unchanged: number;
  stale: number;
}

export function countChanges(changes: readonly Change[]): PlanCounts {
  const counts: PlanCounts = { create: 0, update: 0, delete: 0, unchanged: 0, stale: 0 };
  for (const c of changes) counts[c.kind] += 1;
  return counts;
}

/**
 * Values compared as data: object keys in any order, `undefined`/`null` members and empty
 * objects and arrays dropped (APIs omit what is empty; Vigil may write it).
 */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.keys(value)
    .sort()
    .map((key) => [key, canonical((value as Record<string, unknown>)[key])] as const)
    .filter(([, v]) => v !== undefined && v !== null && !(typeof v === "object" && Object.keys(v as object).length === 0));
  return Object.fromEntries(entries);
}

export const sameData = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
