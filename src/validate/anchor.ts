import type { Diagnostic } from "../check/diagnostic.js";
import type { Locator } from "../load/sourcemap.js";
import { callSiteOf, type SourceLocation } from "../model/location.js";
import { isPromQL } from "../model/promql.js";
import { locateInTemplate, SourceLocator } from "./locate.js";

/** A declared object as the monitor wrote it, and where its define call is. */
export interface Origin {
  value: unknown;
  location: SourceLocation | undefined;
}

/** Where a diagnostic belongs, before it is resolved to a file, line and column. */
export interface Anchor {
  origin: Origin;
  path: readonly PropertyKey[];
  /** Show at the property's name (unknown or duplicate keys) rather than its value. */
  at?: "value" | "key";
  /** A character inside the string or template at `path` (PromQL errors). */
  offset?: number;
}

export interface Pending {
  diagnostic: Omit<Diagnostic, "location" | "related">;
  anchor: Anchor;
  related?: { message: string; anchor: Anchor }[];
}

/** Resolves anchors to locations; parses source files (ts-morph) only when a path must be followed. */
export async function resolvePending(pending: readonly Pending[], locate: Locator, rootDir: string, options: { preciseWarnings?: boolean } = {}): Promise<Diagnostic[]> {
  const locator = new SourceLocator(rootDir);
  const steps = pending.map((p) => [p.anchor, ...(p.related ?? []).map((r) => r.anchor)].map((a) => start(a, locate)));
  const needed = (options.preciseWarnings ?? true) ? steps.flat() : steps.filter((_, i) => pending[i]!.diagnostic.severity === "error").flat();
  // Without the parser, finish() falls back to the declaration's own location.
  if (needed.some((s) => s.needsSource)) await locator.load();
  const resolve = (s: Start) => s.finish(locator);
  return pending.map((p, i) => {
    const [main, ...others] = steps[i]!;
    const location = resolve(main!);
    const related = (p.related ?? []).map((r, j) => ({ message: r.message, location: resolve(others[j]!) })).filter((r) => r.location);
    return {
      ...p.diagnostic,
      ...(location && { location }),
      ...(related.length > 0 && { related: related as { message: string; location: SourceLocation }[] }),
    };
  });
}

interface Start {
  needsSource: boolean;
  finish(locator: SourceLocator): SourceLocation | undefined;
}

function start(anchor: Anchor, locate: Locator): Start {
  let base = anchor.origin.location;
  let rest = [...anchor.path];
  let value: unknown = anchor.origin.value;
  anchor.path.forEach((segment, i) => {
    value = value !== null && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[segment] : undefined;
    const own = locate(callSiteOf(value));
    if (own) {
      base = own;
      rest = anchor.path.slice(i + 1);
    }
  });
  const finalValue = value;
  const needsSource = base !== undefined && (rest.length > 0 || anchor.offset !== undefined || anchor.at === "key");
  return {
    needsSource,
    finish(locator) {
      if (!base) return undefined;
      if (!needsSource || !locator.morph) return base;
      if (anchor.offset !== undefined && isPromQL(finalValue) && rest.length === 0) {
        return locateInTemplate(locator, locator.morph, base, finalValue.chunks, anchor.offset);
      }
      const found = locator.find(base, rest, anchor.at ?? "value");
      if (anchor.offset === undefined) return found;
      return isPromQL(finalValue)
        ? locateInTemplate(locator, locator.morph, found, finalValue.chunks, anchor.offset)
        : locator.insideLiteral(found, anchor.offset);
    },
  };
}
