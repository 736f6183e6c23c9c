import { RE2JS } from "re2js";

/**
 * Label-matcher regexes as Prometheus 2.42 compiles them: Go's RE2 syntax, anchored as
 * ^(?:...)$. re2js is a port of RE2 and accepts what Go accepts, with one difference that
 * matters here: Go before 1.22 (which built Prometheus 2.42) rejects `(?<name>...)`.
 */

export type CompiledRegex = { ok: true; regex: RE2JS } | { ok: false; error: string };

const cache = new Map<string, CompiledRegex>();

export function compileAnchored(pattern: string): CompiledRegex {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let result: CompiledRegex;
  const named = /(^|[^\\])\(\?<(?![=!])/.exec(pattern);
  if (named) {
    result = { ok: false, error: "invalid or unsupported Perl syntax: `(?<` (Prometheus 2.42 needs the `(?P<name>...)` form)" };
  } else {
    try {
      result = { ok: true, regex: RE2JS.compile(`^(?:${pattern})$`) };
    } catch (e) {
      const failure = e as { error?: string; input?: string; message?: string };
      result = { ok: false, error: failure.error ? `${failure.error}${failure.input ? `: \`${failure.input}\`` : ""}` : String(failure.message ?? e) };
    }
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(pattern, result);
  return result;
}

/** Whether a matcher with this operator and value selects series that lack the label. */
export function matchesEmpty(op: "=" | "!=" | "=~" | "!~", value: string): boolean | undefined {
  switch (op) {
    case "=":
      return value === "";
    case "!=":
      return value !== "";
    default: {
      const compiled = compileAnchored(value);
      if (!compiled.ok) return undefined;
      const matches = compiled.regex.matches("");
      return op === "=~" ? matches : !matches;
    }
  }
}
