import path from "node:path";
import { TraceMap, originalPositionFor } from "@jridgewell/trace-mapping";
import type { RawCallSite, SourceLocation } from "../model/location.js";

export type Locator = (site: RawCallSite | undefined) => SourceLocation | undefined;

/**
 * Maps positions in the bundle back to the monitor files, with paths relative to the root
 * so that diagnostics read the same on every machine.
 */
export function makeLocator(bundleUrl: string, mapJson: string, bundleDir: string, rootDir: string): Locator {
  const map = new TraceMap(mapJson);
  return (site) => {
    if (!site || site.url !== bundleUrl) return undefined;
    const original = originalPositionFor(map, { line: site.line, column: Math.max(0, site.column - 1) });
    if (original.source === null || original.line === null) return undefined;
    const absolute = path.resolve(bundleDir, original.source);
    return { file: toRelative(rootDir, absolute), line: original.line, column: (original.column ?? 0) + 1 };
  };
}

/**
 * A locator that answers the given sites from a table made now, and only decodes the source
 * map again for a site it has not seen. The decoded map of a large bundle is millions of small
 * arrays: kept alive, it costs memory and every garbage collection has to walk it.
 */
export function tabulatedLocator(sites: Iterable<RawCallSite | undefined>, locateOnce: Locator, makeFallback: () => Locator): Locator {
  const key = (site: RawCallSite) => `${site.url}\n${site.line}:${site.column}`;
  const table = new Map<string, SourceLocation | undefined>();
  for (const site of sites) if (site && !table.has(key(site))) table.set(key(site), locateOnce(site));
  let fallback: Locator | undefined;
  return (site) => {
    if (!site) return undefined;
    const k = key(site);
    if (table.has(k)) return table.get(k);
    fallback ??= makeFallback();
    return fallback(site);
  };
}

export function toRelative(rootDir: string, absolute: string): string {
  return path.relative(rootDir, absolute).split(path.sep).join("/");
}

/** The first frame of an error's stack that lies in the bundle. */
export function siteInStack(error: unknown, bundleUrl: string): RawCallSite | undefined {
  const stack = error instanceof Error ? error.stack ?? "" : "";
  for (const line of stack.split("\n")) {
    const at = line.lastIndexOf(bundleUrl + ":");
    if (at < 0) continue;
    const match = /^:(\d+):(\d+)/.exec(line.slice(at + bundleUrl.length));
    if (match) return { url: bundleUrl, line: Number(match[1]), column: Number(match[2]) };
  }
  return undefined;
}
