import { hashValue } from "./hash.js";

/**
 * Which monitor files must be validated together with the files that changed, so that their
 * diagnostics are those of a full validation. Checks across services relate them by name:
 *
 * - names that must be unique or that others refer to (services, alerts, recording rules,
 *   dashboard uids and titles): files declaring or mentioning the same one go together;
 * - metrics, which services may share (an exporter's `http_requests_total`): lint's catalog
 *   takes a metric's kind from its first declaration and its labels from all of them, and calls
 *   a declared metric unused when no expression anywhere uses it. So a file goes with the
 *   declarations that make up the catalog entries of the metrics it mentions, with one user of
 *   each metric it declares, and, when a declaration changed, with every file mentioning it.
 *
 * Sharing a metric does not tie a thousand services together, and a change validates a few
 * files. Not covered: warnings relating two services through a name neither declares
 * (`duplicate-expression` on an undeclared metric), refreshed when either file is validated.
 */
export interface FileKeys {
  /** Names the file declares that must be unique or are referred to. */
  names: string[];
  /**
   * Declared metrics: name to a hash of the file's declarations of it, their labels (in order,
   * each once) and the kind of the first: what the file adds to the metric's catalog entry.
   */
  metrics: Record<string, { signature: string; labels: string[]; kind: string | null }>;
  /** Strings and name-like tokens of the file's services, outside their `metrics`. */
  mentioned: string[];
}

export interface KeyIndex {
  names: Map<string, Set<string>>;
  metrics: Map<string, Set<string>>;
  mentioned: Map<string, Set<string>>;
  byFile: Map<string, FileKeys>;
}

const TOKEN = /[A-Za-z0-9_:-]+/g;

/** The keys of the services a file declared (raw values, as the monitor wrote them). */
export function fileKeys(services: readonly unknown[]): FileKeys {
  const names = new Set<string>();
  const declared = new Map<string, Record<string, unknown>[]>();
  const mentioned = new Set<string>();
  const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter((x) => x !== null && typeof x === "object") : []);
  for (const service of services) {
    if (service === null || typeof service !== "object") continue;
    const s = service as Record<string, unknown>;
    const add = (value: unknown) => typeof value === "string" && names.add(value);
    add(s.name);
    for (const alert of list(s.alerts)) add(alert.name);
    for (const rule of list(s.recordingRules)) add(rule.record);
    for (const dashboard of list(s.dashboards)) {
      add(dashboard.title);
      add(dashboard.uid);
    }
    for (const metric of list(s.metrics)) {
      if (typeof metric.name !== "string") continue;
      declared.set(metric.name, [...(declared.get(metric.name) ?? []), metric]);
    }
    // The team object is the team file's: its strings would tie every service of a team together.
    const { team: _team, metrics: _metrics, ...rest } = s;
    collectStrings(rest, mentioned);
  }
  const metrics: FileKeys["metrics"] = {};
  for (const [name, declarations] of declared) {
    const labels = new Set<string>();
    for (const metric of declarations) if (Array.isArray(metric.labels)) for (const label of metric.labels) if (typeof label === "string") labels.add(label);
    const kind = declarations[0]!.kind;
    metrics[name] = { signature: hashValue(declarations), labels: [...labels], kind: typeof kind === "string" ? kind : null };
  }
  return { names: [...names].sort(), metrics, mentioned: [...mentioned].sort() };
}

function collectStrings(value: unknown, into: Set<string>): void {
  const seen = new WeakSet<object>();
  const walk = (v: unknown): void => {
    if (typeof v === "string") {
      into.add(v);
      for (const token of v.match(TOKEN) ?? []) into.add(token);
      return;
    }
    if (v === null || typeof v !== "object" || seen.has(v)) return;
    seen.add(v);
    if (v instanceof RegExp) return walk(v.source);
    for (const item of Array.isArray(v) ? v : Object.values(v)) walk(item);
  };
  walk(value);
}

export function emptyIndex(): KeyIndex {
  return { names: new Map(), metrics: new Map(), mentioned: new Map(), byFile: new Map() };
}

/**
 * Replaces these files' keys in the index (undefined: the file is gone), in place: copying
 * maps of every name in a thousand services on each change cost more than the change. The
 * index belongs to the session, which hands it on to the next one.
 */
export function updateIndex(index: KeyIndex, updates: ReadonlyMap<string, FileKeys | undefined>): KeyIndex {
  const edit = (map: Map<string, Set<string>>, key: string, file: string, add: boolean) => {
    const files = map.get(key);
    if (add) {
      if (files) files.add(file);
      else map.set(key, new Set([file]));
    } else if (files) {
      files.delete(file);
      if (files.size === 0) map.delete(key);
    }
  };
  for (const [file, keys] of updates) {
    const old = index.byFile.get(file);
    for (const key of old?.names ?? []) edit(index.names, key, file, false);
    for (const key of Object.keys(old?.metrics ?? {})) edit(index.metrics, key, file, false);
    for (const key of old?.mentioned ?? []) edit(index.mentioned, key, file, false);
    if (keys) {
      for (const key of keys.names) edit(index.names, key, file, true);
      for (const key of Object.keys(keys.metrics)) edit(index.metrics, key, file, true);
      for (const key of keys.mentioned) edit(index.mentioned, key, file, true);
      index.byFile.set(file, keys);
    } else index.byFile.delete(file);
  }
  return index;
}

/**
 * The files to validate: `changed` (with their keys before the change in `previous`, so that a
 * clash that just went away is cleared from both files), `also` (files to validate anyway), and
 * what the rules above add, to a fixed point. `rank` orders files as a cold load runs them now,
 * `rankBefore` as it ran them before the change.
 */
export function neighbourhood(index: KeyIndex, changed: Iterable<string>, previous: ReadonlyMap<string, FileKeys>, also: Iterable<string>, rank: ReadonlyMap<string, number>, rankBefore: ReadonlyMap<string, number> = rank): Set<string> {
  const result = new Set<string>();
  const queue: string[] = [];
  const include = (file: string) => {
    if (!result.has(file)) queue.push(file);
  };
  const ordered = (files: Iterable<string>) => [...files].sort((a, b) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity));
  const changedFiles = [...changed];
  const changedSet = new Set(changedFiles);

  /** Whether a metric's catalog entry (the first declaration's kind, every declaration's labels, in order) is as it was. */
  const sameEntry = (metric: string): boolean => {
    const after = [...(index.metrics.get(metric) ?? [])];
    const before = new Set(after.filter((f) => !changedSet.has(f)));
    for (const file of changedFiles) if (previous.get(file)?.metrics[metric]) before.add(file);
    const entry = (files: Iterable<string>, order: ReadonlyMap<string, number>, keysOf: (file: string) => FileKeys | undefined) => {
      const list = [...files];
      // A declaring file out of the order (the declarations without a file): assume the entry changed.
      if (list.some((f) => !order.has(f))) return undefined;
      list.sort((a, b) => order.get(a)! - order.get(b)!);
      const labels = new Set<string>();
      for (const file of list) for (const label of keysOf(file)?.metrics[metric]?.labels ?? []) labels.add(label);
      return JSON.stringify([list.length ? keysOf(list[0]!)?.metrics[metric]?.kind ?? null : null, [...labels]]);
    };
    const was = entry(before, rankBefore, (file) => (changedSet.has(file) ? previous.get(file) : index.byFile.get(file)));
    const is = entry(after, rank, (file) => index.byFile.get(file));
    return was !== undefined && was === is && before.size > 0 && after.length > 0;
  };

  // A declaration that changed (or came or went) changes the catalog entry: every file mentioning the metric.
  for (const file of changedFiles) {
    const before = previous.get(file)?.metrics ?? {};
    const after = index.byFile.get(file)?.metrics ?? {};
    for (const metric of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (before[metric]?.signature === after[metric]?.signature) continue;
      // A service added or removed that declares a shared metric as the others do leaves its entry as it was.
      if (sameEntry(metric)) continue;
      for (const other of index.mentioned.get(metric) ?? []) include(other);
      for (const other of index.metrics.get(metric) ?? []) include(other);
    }
    // A metric this file stopped or started using may become (un)used for its declarers.
    const was = new Set(previous.get(file)?.mentioned ?? []);
    const is = new Set(index.byFile.get(file)?.mentioned ?? []);
    for (const metric of index.metrics.keys()) {
      if (was.has(metric) === is.has(metric)) continue;
      const users = [...(index.mentioned.get(metric) ?? [])].filter((f) => f !== file);
      if (users.length === 0) for (const other of index.metrics.get(metric) ?? []) include(other);
    }
  }
  for (const file of [...changedFiles, ...also]) include(file);

  while (queue.length > 0) {
    const file = queue.pop()!;
    if (result.has(file)) continue;
    result.add(file);
    for (const keys of [index.byFile.get(file), previous.get(file)]) {
      if (!keys) continue;
      for (const name of keys.names) {
        for (const other of index.names.get(name) ?? []) include(other);
        for (const other of index.mentioned.get(name) ?? []) include(other);
      }
      for (const token of keys.mentioned) {
        for (const other of index.names.get(token) ?? []) include(other);
        // The declarations making up the catalog entry: the first (its kind), then any adding labels.
        const declarers = index.metrics.get(token);
        if (declarers) catalogCover(index, token, ordered(declarers)).forEach(include);
      }
      // Whether a declared metric is used: this file, or one file that mentions it.
      for (const metric of Object.keys(keys.metrics)) {
        if (keys.mentioned.includes(metric)) continue;
        const user = ordered(index.mentioned.get(metric) ?? [])[0];
        if (user) include(user);
        catalogCover(index, metric, ordered(index.metrics.get(metric) ?? [])).forEach(include);
      }
    }
  }
  return result;
}

/** The fewest declarations, in order, giving the metric's kind (the first) and all its labels. */
function catalogCover(index: KeyIndex, metric: string, declarers: readonly string[]): string[] {
  const covered = new Set<string>();
  const cover: string[] = [];
  for (const file of declarers) {
    const labels = index.byFile.get(file)?.metrics[metric]?.labels ?? [];
    if (cover.length === 0 || labels.some((l) => !covered.has(l))) {
      cover.push(file);
      labels.forEach((l) => covered.add(l));
    }
  }
  return cover;
}
