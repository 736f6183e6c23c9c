/**
 * A tiny model of TypeScript source for generated monitors: plain data rendered as object
 * literals, with `{ $code }` leaves for what must stay code (metric handles, `promql` templates,
 * RegExps). Data, not text, so that mutations and key shuffles work on the structure.
 */

export interface Code {
  $code: string;
}

export type Src = string | number | boolean | Code | readonly Src[] | SrcObject;
export interface SrcObject {
  readonly [key: string]: Src | undefined;
}

export const code = (text: string): Code => ({ $code: text });

export const isCode = (value: unknown): value is Code =>
  typeof value === "object" && value !== null && !Array.isArray(value) && typeof (value as { $code?: unknown }).$code === "string" && Object.keys(value).length === 1;

/** Reorders an object's keys; identity unless a key-order shuffle is wanted. */
export type KeyOrder = (keys: string[]) => string[];

/** A seeded permutation (mulberry32), so that a shuffled render is reproducible from its seed. */
export function shuffledOrder(seed: number): KeyOrder {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (keys) => {
    const out = [...keys];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
}

const isArray = (value: Src): value is readonly Src[] => Array.isArray(value);
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The value as a TypeScript expression. */
export function toSource(value: Src, order: KeyOrder = (keys) => keys, indent = ""): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (isCode(value)) return value.$code;
  const inner = `${indent}  `;
  if (isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => `${inner}${toSource(v, order, inner)},\n`).join("")}${indent}]`;
  }
  const keys = order(Object.keys(value).filter((k) => value[k] !== undefined));
  if (keys.length === 0) return "{}";
  const entries = keys.map((k) => `${inner}${IDENTIFIER.test(k) ? k : JSON.stringify(k)}: ${toSource(value[k]!, order, inner)},\n`);
  return `{\n${entries.join("")}${indent}}`;
}

/** A deep copy (Src is plain data). */
export const cloneSrc = <T extends Src>(value: T): T => structuredClone(value);
