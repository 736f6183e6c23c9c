/**
 * PromQL string literals as Prometheus 2.42 reads them: its lexer checks escapes the way Go's
 * strconv.Unquote does, which lezer-promql does not ("\q" parses in the editor, fails in promtool).
 */

export interface StringProblem {
  /** Offset of the problem inside the literal (its opening quote is 0). */
  at: number;
  length: number;
  message: string;
}

export interface DecodedString {
  value: string;
  /** Bytes that are not UTF-8 ("\xff"): Go keeps them as they are, and its regexp rejects them. */
  invalidUtf8: boolean;
  problem?: StringProblem;
}

const SIMPLE: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 92 };
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const lenientUtf8 = new TextDecoder("utf-8");

/** Decodes a whole literal, quotes included ("...", '...' or `...`). */
export function decodeString(literal: string): DecodedString {
  const quote = literal.charAt(0);
  const body = literal.slice(1, -1);
  if (quote === "`" || !body.includes("\\")) return { value: body, invalidUtf8: false };
  const bytes: number[] = [];
  let problem: StringProblem | undefined;
  for (let i = 0; i < body.length; ) {
    const ch = body.charAt(i);
    if (ch !== "\\") {
      const cp = body.codePointAt(i)!;
      const size = cp > 0xffff ? 2 : 1;
      for (const b of utf8.encode(body.slice(i, i + size))) bytes.push(b);
      i += size;
      continue;
    }
    const escape = body.charAt(i + 1);
    const at = i + 1; // inside the literal, after the opening quote
    if (escape in SIMPLE || escape === quote) {
      bytes.push(escape === quote ? quote.charCodeAt(0) : SIMPLE[escape]!);
      i += 2;
      continue;
    }
    const form = /[0-7]/.test(escape) ? { digits: 3, base: 8, max: 255, skip: 1 } :
      escape === "x" ? { digits: 2, base: 16, max: 255, skip: 2 } :
      escape === "u" ? { digits: 4, base: 16, max: 0x10ffff, skip: 2 } :
      escape === "U" ? { digits: 8, base: 16, max: 0x10ffff, skip: 2 } : undefined;
    if (!form) {
      problem ??= { at, length: 2, message: `unknown escape sequence "\\${escape}"` };
      i += 2;
      continue;
    }
    const start = i + form.skip;
    const digits = body.slice(start, start + form.digits);
    const valid = digits.length === form.digits && [...digits].every((d) => !Number.isNaN(parseInt(d, form.base)) && parseInt(d, form.base) < form.base);
    if (!valid) {
      problem ??= { at, length: form.skip + digits.length, message: `escape sequence "\\${body.slice(i + 1, start + form.digits)}" needs ${form.digits} ${form.base === 8 ? "octal" : "hexadecimal"} digits` };
      i = start + form.digits;
      continue;
    }
    const value = parseInt(digits, form.base);
    if (value > form.max || (value >= 0xd800 && value < 0xe000)) {
      problem ??= { at, length: form.skip + form.digits, message: `escape sequence "\\${body.slice(i + 1, start + form.digits)}" is not a valid Unicode code point` };
    } else if (form.max === 255) {
      bytes.push(value); // octal and \x escapes are raw bytes in Go
    } else {
      for (const b of utf8.encode(String.fromCodePoint(value))) bytes.push(b);
    }
    i = start + form.digits;
  }
  const array = Uint8Array.from(bytes);
  let invalidUtf8 = false;
  let value: string;
  try {
    value = strictUtf8.decode(array);
  } catch {
    invalidUtf8 = true;
    value = lenientUtf8.decode(array);
  }
  return { value, invalidUtf8, ...(problem && { problem }) };
}

/**
 * Whether a literal ends with its closing quote. lezer-promql takes `"abc` up to the end of the
 * line as a string; Prometheus' lexer says the string is not terminated.
 */
export function isTerminated(literal: string): boolean {
  const quote = literal.charAt(0);
  if (quote === "`") return literal.length >= 2 && literal.endsWith("`");
  for (let i = 1; i < literal.length; i++) {
    const c = literal.charAt(i);
    if (c === "\\") i++;
    else if (c === quote) return i === literal.length - 1;
  }
  return false;
}

/** A value as a PromQL double-quoted literal (Go's %q for printable text). */
export function quoteString(value: string): string {
  return JSON.stringify(value);
}
