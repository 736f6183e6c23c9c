import { captureCallSite, markCallSite, type RawCallSite } from "./location.js";

export type DeclarationKind = "config" | "team" | "service";

/** Something a monitor file declared, with the raw call site of its define helper. */
export interface Declaration {
  kind: DeclarationKind;
  value: unknown;
  site: RawCallSite | undefined;
}

// On globalThis so that every copy of this module (built or source) records into one list.
const KEY = Symbol.for("vigil.declarations");
type Holder = { [KEY]?: Declaration[] };

export function startRecording(): void {
  (globalThis as Holder)[KEY] = [];
}

export function stopRecording(): Declaration[] {
  const list = (globalThis as Holder)[KEY] ?? [];
  delete (globalThis as Holder)[KEY];
  return list;
}

/**
 * Reads every enumerable property, nested ones too, once. A getter or Proxy trap that throws
 * then throws here, inside the monitor file that declared it, where the loader reports it at
 * its line, instead of later inside the validator, where it would be an internal error.
 */
function readAll(value: object): void {
  const seen = new Set<object>();
  const pending: object[] = [value];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (seen.has(next)) continue;
    seen.add(next);
    for (const key of Object.keys(next)) {
      const child = (next as Record<string, unknown>)[key];
      if (typeof child === "object" && child !== null) pending.push(child);
    }
  }
}

export function declare<T extends object>(kind: DeclarationKind, value: T): T {
  readAll(value);
  const site = captureCallSite();
  (globalThis as Holder)[KEY]?.push({ kind, value, site });
  return markCallSite(value, site);
}
