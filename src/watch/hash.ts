import { createHash } from "node:crypto";

/**
 * A digest of a value's content, for cache keys. JSON would not do: it drops RegExps
 * (`code: /5../` and `code: /4../` would collide), undefined, symbols' absence and functions.
 * Object keys are sorted, so two objects built in different orders hash the same.
 */
export function hashValue(value: unknown): string {
  const hash = createHash("sha256");
  const seen = new WeakSet<object>();
  const walk = (v: unknown): void => {
    switch (typeof v) {
      case "string":
        hash.update(`s${v.length}:${v}`);
        return;
      case "number":
      case "boolean":
      case "bigint":
        hash.update(`${typeof v}:${String(v)};`);
        return;
      case "undefined":
        hash.update("u;");
        return;
      case "symbol":
        hash.update(`y:${String(v.description)};`);
        return;
      case "function":
        hash.update(`f:${v.toString()};`);
        return;
    }
    if (v === null) {
      hash.update("n;");
      return;
    }
    const object = v as object;
    if (seen.has(object)) {
      // A cycle: the object is already being hashed further up.
      hash.update("r;");
      return;
    }
    seen.add(object);
    if (object instanceof RegExp) hash.update(`re:${object.source}/${object.flags};`);
    else if (object instanceof Date) hash.update(`d:${object.getTime()};`);
    else if (Array.isArray(object)) {
      hash.update(`[${object.length}`);
      for (const item of object) walk(item);
      hash.update("]");
    } else if (object instanceof Map) {
      hash.update("M{");
      for (const [key, item] of [...object.entries()].sort(([a], [b]) => (String(a) < String(b) ? -1 : 1))) {
        walk(key);
        walk(item);
      }
      hash.update("}");
    } else if (object instanceof Set) {
      hash.update("S{");
      for (const item of object) walk(item);
      hash.update("}");
    } else {
      hash.update(`{${object.constructor?.name ?? ""}`);
      for (const key of Object.keys(object).sort()) {
        hash.update(`k${key.length}:${key}`);
        walk((object as Record<string, unknown>)[key]);
      }
      hash.update("}");
    }
    seen.delete(object);
  };
  walk(value);
  return hash.digest("hex");
}

export function hashText(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
