import { stableJson } from "../emit/output.js";
import { countChanges, type Change } from "./change.js";

/** `{ equal, counts, changes }` with sorted keys: the same bytes for the same trees. */
export function renderJson(changes: readonly Change[]): string {
  return stableJson({ equal: changes.length === 0, counts: countChanges(changes), changes });
}
