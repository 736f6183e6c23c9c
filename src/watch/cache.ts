import type { Diagnostic } from "../check/diagnostic.js";
import type { OutputFile } from "../emit/output.js";
import type { AlertmanagerPlan, ServicePlan } from "../plan/types.js";
import { ManifestBuilder } from "./manifest.js";

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
  /** The files of the whole repository: "routing" (Alertmanager, provisioning) and "index" (the runbook index). */
  shared: Map<string, GroupEntry>;
  /** Alertmanager's plan, and the key of what it was planned from. */
  routing?: { key: string; alertmanager: AlertmanagerPlan };
  /** manifest.json, kept up to date. */
  manifest: ManifestBuilder;
}

export function emptyCache(): OutputCache {
  return { services: new Map(), teams: new Map(), mimir: new Map(), shared: new Map(), manifest: new ManifestBuilder() };
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
  return { ...cache, services: keep(cache.services, used.services), teams: keep(cache.teams, used.teams), mimir: keep(cache.mimir, used.mimir) };
}

/**
 * A compile's whole output, manifest included, as groups of files: a service's own files, a
 * team's dashboards, a Mimir namespace, the files of the whole repository, the manifest. A
 * group is an array that stays the same object from one compile to the next while it is
 * unchanged (it comes from the cache), so what changed between two outputs is found among the
 * groups that are not in both, without looking at 12,000 files. No path is in two groups.
 */
export type Output = readonly (readonly HashedFile[])[];

/** Every file of an output, sorted by path. */
export function outputFiles(output: Output): HashedFile[] {
  return output.flat().sort((a, b) => (a.path < b.path ? -1 : 1));
}

/**
 * What differs between an output (`before`: its groups) and the next one: the files written
 * anew or changed, and the paths removed.
 */
export function changesBetween(before: ReadonlySet<readonly HashedFile[]>, after: Output): { files: HashedFile[]; removed: string[] } {
  const afterGroups = new Set(after);
  const previous = new Map<string, string>();
  for (const group of before) if (!afterGroups.has(group)) for (const file of group) previous.set(file.path, file.sha256);
  const files: HashedFile[] = [];
  const present = new Set<string>();
  for (const group of after) {
    if (before.has(group)) continue;
    for (const file of group) {
      present.add(file.path);
      if (previous.get(file.path) !== file.sha256) files.push(file);
    }
  }
  const removed = [...previous.keys()].filter((p) => !present.has(p));
  return { files, removed };
}

/** What differs between the files last written (path to sha256) and the next ones. */
export function diffOutput(previous: ReadonlyMap<string, string>, next: readonly HashedFile[]): { changed: string[]; removed: string[] } {
  const paths = new Set(next.map((f) => f.path));
  return {
    changed: next.filter((f) => previous.get(f.path) !== f.sha256).map((f) => f.path).sort(),
    removed: [...previous.keys()].filter((p) => !paths.has(p)).sort(),
  };
}
