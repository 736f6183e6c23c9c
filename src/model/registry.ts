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

export function declare<T extends object>(kind: DeclarationKind, value: T): T {
  const site = captureCallSite();
  (globalThis as Holder)[KEY]?.push({ kind, value, site });
  return markCallSite(value, site);
}
