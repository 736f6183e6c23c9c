/**
 * Monitor files printed from data: importers build values (objects, arrays, literals, code
 * such as identifiers and `promql` templates, comments) and this prints them as TypeScript,
 * then prettier formats the module. Printing from data keeps importers pure and testable.
 */

/** A piece of TypeScript code, written as is (an identifier, a call, a template literal). */
export interface Raw {
  readonly kind: "raw";
  readonly text: string;
}

/** A value with comment lines printed before it (in an object: before its property). */
export interface Commented {
  readonly kind: "commented";
  readonly comments: readonly string[];
  readonly value: Code;
}

/** Comment lines standing alone among the properties of an object or the items of an array. */
export interface CommentOnly {
  readonly kind: "comment";
  readonly lines: readonly string[];
}

export interface Obj {
  readonly kind: "object";
  readonly entries: readonly (readonly [string, Code | undefined] | CommentOnly)[];
}

export interface Arr {
  readonly kind: "array";
  readonly items: readonly (Code | CommentOnly)[];
}

export type Code = string | number | boolean | Raw | Commented | Obj | Arr;

export const raw = (text: string): Raw => ({ kind: "raw", text });
export const comment = (...lines: string[]): CommentOnly => ({ kind: "comment", lines });
export const commented = (value: Code, ...comments: string[]): Code => (comments.length ? { kind: "commented", comments, value } : value);
export const arr = (items: readonly (Code | CommentOnly)[]): Arr => ({ kind: "array", items });

/** An object from entries; entries whose value is undefined are left out. */
export function obj(entries: readonly (readonly [string, Code | undefined] | CommentOnly)[] | Record<string, Code | undefined>): Obj {
  return { kind: "object", entries: Array.isArray(entries) ? entries : Object.entries(entries) };
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function key(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

function commentLines(lines: readonly string[]): string {
  // Each line on its own `//`, so that no text can close a block comment.
  return lines.flatMap((l) => l.split("\n")).map((l) => `// ${l}`.trimEnd() + "\n").join("");
}

const isComment = (value: unknown): value is CommentOnly => typeof value === "object" && value !== null && (value as CommentOnly).kind === "comment";

/** TypeScript source for a value (unformatted: prettier lays it out). */
export function print(code: Code): string {
  if (typeof code === "string") return JSON.stringify(code);
  if (typeof code === "number" || typeof code === "boolean") return String(code);
  switch (code.kind) {
    case "raw":
      return code.text;
    case "commented":
      return `\n${commentLines(code.comments)}${print(code.value)}`;
    case "array":
      return `[\n${code.items.map((item) => (isComment(item) ? commentLines(item.lines) : `${print(item)},\n`)).join("")}]`;
    case "object": {
      const body = code.entries
        .map((entry) => {
          if (isComment(entry)) return commentLines(entry.lines);
          const [name, value] = entry as readonly [string, Code | undefined];
          if (value === undefined) return "";
          if (typeof value === "object" && value.kind === "commented") return `${commentLines(value.comments)}${key(name)}: ${print(value.value)},\n`;
          return `${key(name)}: ${print(value)},\n`;
        })
        .join("");
      return `{\n${body}}`;
    }
  }
}

/** A template literal's text: backslashes, backticks and `${` escaped. */
export function templateText(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/\$\{/g, "\\${");
}

/** A `promql` template from literal chunks and interpolated code, alternating (chunks one longer). */
export function promqlTemplate(chunks: readonly string[], values: readonly string[]): Raw {
  return raw(`promql\`${chunks.map((c, i) => templateText(c) + (i < values.length ? `\${${values[i]}}` : "")).join("")}\``);
}

/** camelCase identifier for a name ("orders-postgres" -> "ordersPostgres"), never a reserved word. */
export function identifier(name: string, taken: ReadonlySet<string> = new Set()): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  let id = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join("") || "value";
  if (/^\d/.test(id)) id = `_${id}`;
  if (RESERVED.has(id)) id = `${id}Metric`;
  let candidate = id;
  for (let n = 2; taken.has(candidate); n++) candidate = `${id}${n}`;
  return candidate;
}

const RESERVED = new Set(
  "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await arguments eval undefined NaN Infinity"
    .split(" "),
);

/** Lowercase slug for service and team names: "Kubernetes Apps" -> "kubernetes-apps". */
export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "imported";
}

/** A whole module, formatted by prettier. `header` lines become a leading comment. */
export async function formatModule(header: readonly string[], imports: readonly string[], statements: readonly string[]): Promise<string> {
  const source = `${commentLines(header)}${imports.join("\n")}\n\n${statements.join("\n\n")}\n`;
  const prettier = await import("prettier");
  return prettier.format(source, { parser: "typescript", printWidth: 120, endOfLine: "lf" });
}
