import type { Diagnostic } from "../check/diagnostic.js";
import type { OutputFile } from "../emit/output.js";
import type { ServicePlan } from "../plan/types.js";

/**
 * What watch mode keeps between compiles: pure data, keyed by the content it came from, so
 * that an entry is reused exactly when a cold compile would compute the same thing.
 */

/** A file as written, with its sha256 (for the manifest and to tell what changed). */
export interface HashedFile extends OutputFile {
  sha256: string;
}

/** One service, planned and rendered; `key` hashes the validated service, its team and the config. */
export interface ServiceEntry {
  key: string;
  plan: ServicePlan;
  files: HashedFile[];
  /** Errors planning found (alert tests, fields too new), located. */
  problems: Diagnostic[];
}

/** Files rendered from several services, and the keys of those services (in order). */
export interface GroupEntry {
  key: string;
  files: HashedFile[];
}

export interface OutputCache {
  services: Map<string, ServiceEntry>;
  /** Team dashboards, by team. */
  teams: Map<string, GroupEntry>;
  /** Mimir namespace files, by namespace. */
  mimir: Map<string, GroupEntry>;
}

export function emptyCache(): OutputCache {
  return { services: new Map(), teams: new Map(), mimir: new Map() };
}

/** The key of a group: its name and its members' keys. */
export function groupKey(name: string, memberKeys: readonly string[]): string {
  return `${name}\0${memberKeys.join("\0")}`;
}

/** Only the entries the last compile used: the cache never outgrows the repository. */
export function retain(cache: OutputCache, used: { services: Iterable<string>; teams: Iterable<string>; mimir: Iterable<string> }): OutputCache {
  const keep = <T>(map: Map<string, T>, keys: Iterable<string>) => {
    const kept = new Map<string, T>();
    for (const key of keys) {
      const entry = map.get(key);
      if (entry) kept.set(key, entry);
    }
    return kept;
  };
  return { services: keep(cache.services, used.services), teams: keep(cache.teams, used.teams), mimir: keep(cache.mimir, used.mimir) };
}

/** What differs between the files last written (path to sha256) and the next ones. */
export function diffOutput(previous: ReadonlyMap<string, string>, next: readonly HashedFile[]): { changed: string[]; removed: string[] } {
  const paths = new Set(next.map((f) => f.path));
  return {
    changed: next.filter((f) => previous.get(f.path) !== f.sha256).map((f) => f.path).sort(),
    removed: [...previous.keys()].filter((p) => !paths.has(p)).sort(),
  };
}
