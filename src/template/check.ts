/**
 * Checks a Go template in an alert's labels or annotations the way Prometheus 2.42 does when it
 * loads a rule: `promtool check rules` (and the rule manager) only *parse* each template, with
 * text/template (Go 1.19, Debian's build) and Prometheus' function map, after prefixing
 * `{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}`.
 *
 * Why a port and not a library: npm has `@ctrl/golang-template` (a small renderer without
 * Go's parse errors or positions) and `prettier-plugin-go-template` (a formatter); neither
 * reports what Go's parser rejects, at an offset. So this file ports the lexer and the parser's
 * checks of text/template/parse (lex.go, parse.go of Go 1.19) without building a tree.
 *
 * Everything Go's parser rejects is reported (promtool rejects the same templates; the tests
 * compare the two on every template). A few mistakes pass promtool's parse and only fail when
 * Prometheus expands the template while the alert fires, leaving an error text in the
 * notification; they are reported too, with `checkerOnly: true`:
 * - a wrong number of arguments to a function (`{{ humanize }}`, `{{ label "job" }}`);
 * - arguments or a piped value given to something that is not a function (`{{ $labels . }}`,
 *   `{{ $value | $labels }}`, `{{ 1 2 }}`) and `{{ nil }}` as a command;
 * - `{{ template "x" }}` for a template that is never defined;
 * - assigning (`=`) a variable that was never declared with `:=`;
 * - a pipe with nothing after it (`{{ $value | }}`): Go 1.19 ignores the `|` (it expands like
 *   `{{ $value }}`), but it is almost always a function left out.
 * The tests show each of these (but the pipe) failing under `promtool test rules`.
 * Not checked (they too fail only at expansion): field names on `.` (`.labels` for `.Labels`),
 * fields on numbers (`$value.x`), argument types (`{{ humanize $labels }}`), and query results.
 */
import { closeNames } from "../check/closest.js";

export interface TemplateProblem {
  /** Offset into the checked text (UTF-16 code units, as JavaScript strings index). */
  offset: number;
  length: number;
  message: string;
  hint?: string;
  /** Passes `promtool check rules`: found by this checker only (see the list above). */
  checkerOnly?: boolean;
}

/** Go's text/template builtins. */
const GO_FUNCTIONS = ["and", "or", "not", "len", "index", "print", "printf", "println", "eq", "ne", "lt", "le", "gt", "ge", "html", "js", "urlquery", "slice", "call"] as const;
/**
 * Prometheus 2.42's template functions (template/template.go), each checked against the real
 * promtool 2.42 on this machine: `toDuration`, `tmpl` (console templates only) and
 * `urlQueryEscape` are rejected by it.
 */
const PROMETHEUS_FUNCTIONS = [
  "query", "first", "label", "value", "strvalue", "args", "reReplaceAll", "safeHtml", "match", "title", "toUpper", "toLower",
  "graphLink", "tableLink", "sortByLabel", "humanize", "humanize1024", "humanizeDuration", "humanizePercentage",
  "humanizeTimestamp", "pathPrefix", "externalURL", "stripPort", "stripDomain", "parseDuration", "toTime",
] as const;
export const TEMPLATE_FUNCTIONS: readonly string[] = [...GO_FUNCTIONS, ...PROMETHEUS_FUNCTIONS].sort();
const FUNCTION_SET = new Set(TEMPLATE_FUNCTIONS);

/** [min, max] arguments (a piped value counts as the last one); Infinity for variadic. */
const ARITY: Record<string, readonly [number, number]> = {
  and: [1, Infinity], or: [1, Infinity], not: [1, 1], len: [1, 1], index: [1, Infinity], print: [0, Infinity], printf: [1, Infinity],
  println: [0, Infinity], eq: [2, Infinity], ne: [2, 2], lt: [2, 2], le: [2, 2], gt: [2, 2], ge: [2, 2], html: [0, Infinity],
  js: [0, Infinity], urlquery: [0, Infinity], slice: [1, Infinity], call: [1, Infinity],
  query: [1, 1], first: [1, 1], label: [2, 2], value: [1, 1], strvalue: [1, 1], args: [0, Infinity], reReplaceAll: [3, 3],
  safeHtml: [1, 1], match: [2, 2], title: [1, 1], toUpper: [1, 1], toLower: [1, 1], graphLink: [1, 1], tableLink: [1, 1],
  sortByLabel: [2, 2], humanize: [1, 1], humanize1024: [1, 1], humanizeDuration: [1, 1], humanizePercentage: [1, 1],
  humanizeTimestamp: [1, 1], pathPrefix: [0, 0], externalURL: [0, 0], stripPort: [1, 1], stripDomain: [1, 1],
  parseDuration: [1, 1], toTime: [1, 1],
};

/** The variables Prometheus declares before an alert template; `$` is Go's own. */
export const ALERT_TEMPLATE_VARIABLES: readonly string[] = ["$", "$labels", "$value", "$externalLabels", "$externalURL"];
const STRING_HINT = 'Go strings know \\n \\t \\\\ \\" \\xHH \\uHHHH \\NNN; or use a `raw string`';
const VARIABLES_HINT = "alert templates know $labels, $value, $externalLabels, $externalURL, $ and variables declared with :=";

// ---------------------------------------------------------------------------------------------
// Lexer (text/template/parse/lex.go)

type Kind =
  | "text" | "comment" | "leftDelim" | "rightDelim" | "space" | "identifier" | "keyword" | "nil" | "bool" | "dot" | "field"
  | "variable" | "number" | "complex" | "string" | "rawString" | "charConstant" | "char" | "assign" | "declare" | "pipe"
  | "leftParen" | "rightParen" | "eof" | "error";

interface Token {
  kind: Kind;
  value: string;
  offset: number;
  /** For "error" tokens: how many characters to underline, and how to fix it. */
  length?: number;
  hint?: string;
}

const KEYWORDS = new Set(["block", "break", "continue", "define", "else", "end", "if", "range", "template", "with"]);
const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\r" || c === "\n";
const isAlphaNumeric = (c: string | undefined) => c !== undefined && /^[\p{L}\p{Nd}_]$/u.test(c);

function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let actionStart = 0;
  const parens: number[] = [];
  const at = (i: number) => (i < text.length ? String.fromCodePoint(text.codePointAt(i)!) : undefined);
  /** `}}` or ` -}}` (any Go space before the marker) at `i`: its length, else 0. */
  const rightDelim = (i: number) => (isSpace(text[i]) && text.startsWith("-}}", i + 1) ? 4 : text.startsWith("}}", i) ? 2 : 0);
  const atTerminator = (i: number) => {
    const c = text[i];
    return i >= text.length || isSpace(c) || ".,|:()".includes(c!) || text.startsWith("}}", i);
  };
  const push = (kind: Kind, start: number, end: number) => tokens.push({ kind, value: text.slice(start, end), offset: start });
  const fail = (message: string, offset: number, length = 1, hint?: string) => {
    tokens.push({ kind: "error", value: message, offset, length, ...(hint && { hint }) });
    return tokens;
  };

  for (;;) {
    // Text up to the next action.
    const open = text.indexOf("{{", pos);
    if (open < 0) {
      if (pos < text.length) push("text", pos, text.length);
      tokens.push({ kind: "eof", value: "", offset: text.length });
      return tokens;
    }
    if (open > pos) push("text", pos, open);
    actionStart = open;
    pos = open + 2;
    const trim = text[pos] === "-" && isSpace(text[pos + 1]) ? 2 : 0;
    if (text.startsWith("/*", pos + trim)) {
      const close = text.indexOf("*/", pos + trim + 2);
      if (close < 0) return fail("unclosed comment", open, 2 + trim + 2);
      pos = close + 2;
      const delim = rightDelim(pos);
      if (!delim) return fail("comment ends before closing delimiter", pos, 1);
      pos += delim;
      push("comment", open, pos);
      continue;
    }
    push("leftDelim", open, pos + trim);
    pos += trim;
    parens.length = 0;

    // Inside the action.
    for (;;) {
      const delim = rightDelim(pos);
      if (delim) {
        if (parens.length > 0) return fail("unclosed left paren", parens.at(-1)!, 1);
        push("rightDelim", pos, pos + delim);
        pos += delim;
        break;
      }
      const c = at(pos);
      const start = pos;
      if (c === undefined) return fail("unclosed action", actionStart, 2);
      if (isSpace(c)) {
        while (isSpace(text[pos])) pos++;
        // ` -}}`: the last space belongs to the trim marker.
        const end = text.startsWith("-}}", pos) ? pos - 1 : pos;
        if (end > start) push("space", start, end);
        pos = end;
        continue;
      }
      pos += c.length;
      if (c === "=") push("assign", start, pos);
      else if (c === ":") {
        if (text[pos] !== "=") return fail("expected :=", start, 1);
        pos++;
        push("declare", start, pos);
      } else if (c === "|") push("pipe", start, pos);
      else if (c === '"' || c === "'") {
        for (;;) {
          const d = text[pos];
          if (d === "\\" && pos + 1 < text.length && text[pos + 1] !== "\n") pos += 2;
          else if (d === undefined || d === "\n" || d === "\\") return fail(c === '"' ? "unterminated quoted string" : "unterminated character constant", start, pos - start);
          else {
            pos++;
            if (d === c) break;
          }
        }
        push(c === '"' ? "string" : "charConstant", start, pos);
      } else if (c === "`") {
        const close = text.indexOf("`", pos);
        if (close < 0) return fail("unterminated raw quoted string", start, text.length - start);
        pos = close + 1;
        push("rawString", start, pos);
      } else if (c === "$" || (c === "." && !/[0-9]/.test(text[pos] ?? ""))) {
        // A variable or a field: `$`, `$name`, `.`, `.Name`.
        if (!atTerminator(pos)) {
          while (isAlphaNumeric(at(pos))) pos += at(pos)!.length;
          if (!atTerminator(pos)) return fail(`bad character ${JSON.stringify(at(pos))} after ${text.slice(start, pos)}`, pos, at(pos)!.length, at(pos) === "-" ? 'names cannot contain "-"; a map key that does is read with {{ index $labels "some-key" }}': undefined);
        }
        push(c === "$" ? "variable" : pos - start === 1 ? "dot" : "field", start, pos);
      } else if (c === "." || c === "+" || c === "-" || /[0-9]/.test(c)) {
        pos = start;
        const number = scanNumber(text, pos);
        pos = number.end;
        if (!number.ok) return fail(`bad number syntax: ${JSON.stringify(text.slice(start, pos))}`, start, pos - start);
        if (text[pos] === "+" || text[pos] === "-") {
          // Complex: 1+2i, no spaces, ends in i.
          const imaginary = scanNumber(text, pos);
          pos = imaginary.end;
          if (!imaginary.ok || text[pos - 1] !== "i") return fail(`bad number syntax: ${JSON.stringify(text.slice(start, pos))}`, start, pos - start);
          push("complex", start, pos);
        } else push("number", start, pos);
      } else if (isAlphaNumeric(c)) {
        while (isAlphaNumeric(at(pos))) pos += at(pos)!.length;
        const word = text.slice(start, pos);
        if (!atTerminator(pos)) return fail(`bad character ${JSON.stringify(at(pos))} after ${word}`, pos, at(pos)!.length);
        push(KEYWORDS.has(word) ? "keyword" : word === "nil" ? "nil" : word === "true" || word === "false" ? "bool" : "identifier", start, pos);
      } else if (c === "(") {
        parens.push(start);
        push("leftParen", start, pos);
      } else if (c === ")") {
        push("rightParen", start, pos);
        if (parens.pop() === undefined) return fail("unexpected right paren", start, 1);
      } else if (c >= "!" && c <= "~") push("char", start, pos);
      else return fail(`unrecognized character in action: U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`, start, c.length);
    }
  }
}

/** lex.go's scanNumber: what the lexer takes as one number (validated later, as the parser does). */
function scanNumber(text: string, start: number): { ok: boolean; end: number } {
  let pos = start;
  const accept = (chars: string) => (pos < text.length && chars.includes(text[pos]!) ? (pos++, true) : false);
  const acceptRun = (chars: string) => {
    while (accept(chars));
  };
  accept("+-");
  let digits = "0123456789_";
  if (accept("0")) {
    if (accept("xX")) digits = "0123456789abcdefABCDEF_";
    else if (accept("oO")) digits = "01234567_";
    else if (accept("bB")) digits = "01_";
  }
  acceptRun(digits);
  if (accept(".")) acceptRun(digits);
  if (digits.length === 11 && accept("eE")) {
    accept("+-");
    acceptRun("0123456789_");
  }
  if (digits.length === 23 && accept("pP")) {
    accept("+-");
    acceptRun("0123456789_");
  }
  accept("i");
  if (isAlphaNumeric(text[pos])) return { ok: false, end: pos + 1 };
  return { ok: true, end: pos };
}

// ---------------------------------------------------------------------------------------------
// Literal validation (what parse.go's newNumber and strconv.Unquote accept)

/** strconv's underscoreOK: `_` only between digits (or after a base prefix). */
function underscoreOK(s: string): boolean {
  let saw = "^";
  let i = 0;
  if (s[0] === "+" || s[0] === "-") s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === "0" && "bBoOxX".includes(s[1]!)) {
    i = 2;
    saw = "0";
    hex = s[1] === "x" || s[1] === "X";
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (/[0-9]/.test(c) || (hex && /[a-fA-F]/.test(c))) saw = "0";
    else if (c === "_") {
      if (saw !== "0") return false;
      saw = "_";
    } else {
      if (saw === "_") return false;
      saw = "!";
    }
  }
  return saw !== "_";
}

/** strconv.ParseInt/ParseUint(text, 0, 64) succeed. */
function parsesAsInteger(text: string): boolean {
  if (text.includes("_") && !underscoreOK(text)) return false;
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(text);
  if (!m) return false;
  let body = m[2]!.replace(/_/g, "");
  if (/^0[0-7]+$/.test(body)) body = `0o${body.slice(1)}`;
  if (/^0[xXbBoO]$/.test(body)) return false;
  const value = BigInt(body) * (m[1] === "-" ? -1n : 1n);
  return value >= -(2n ** 63n) && value < 2n ** 64n && !(m[1] === "+" && value >= 2n ** 63n);
}

/** strconv.ParseFloat(text, 64) succeeds (range errors aside: Go then rejects too). */
function parsesAsFloat(text: string): boolean {
  if (text.includes("_") && !underscoreOK(text)) return false;
  const t = text.replace(/_/g, "");
  const decimal = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;
  const hex = /^[+-]?0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?[0-9]+$/;
  if (hex.test(t)) return true;
  return decimal.test(t) && Number.isFinite(Number(t));
}

/** parse.go's newNumber: an error message, or undefined when Go accepts the literal. */
function numberProblem(token: Token): string | undefined {
  const text = token.value;
  if (token.kind === "complex") {
    const m = /^([+-]?[^+-]+(?:[eEpP][+-][^+-]+)?)([+-].+)i$/.exec(text);
    return m && parsesAsFloat(m[1]!) && parsesAsFloat(m[2]!) ? undefined : `illegal number syntax: ${JSON.stringify(text)}`;
  }
  if (text.endsWith("i") && parsesAsFloat(text.slice(0, -1))) return undefined;
  if (parsesAsInteger(text)) return undefined;
  if (parsesAsFloat(text)) return /[.eEpP]/.test(text) ? undefined : `integer overflow: ${JSON.stringify(text)}`;
  return `illegal number syntax: ${JSON.stringify(text)}`;
}

/** strconv.Unquote of a "..." literal, or UnquoteChar of a '...' one: the offending escape's offset in the literal. */
function quotedProblem(literal: string, quote: '"' | "'"): { at: number; length: number } | undefined {
  const body = literal.slice(1, -1);
  let i = 0;
  let chars = 0;
  while (i < body.length) {
    chars++;
    if (body[i] !== "\\") {
      if (quote === "'" && body[i] === "'") return { at: i + 1, length: 1 };
      i += String.fromCodePoint(body.codePointAt(i)!).length;
      continue;
    }
    const e = body[i + 1]!;
    let length = 2;
    let ok = true;
    if ("abfnrtv\\".includes(e)) ok = true;
    else if (e === quote) ok = true;
    else if (/[0-7]/.test(e)) {
      length = 4;
      const digits = body.slice(i + 1, i + 4);
      ok = /^[0-7]{3}$/.test(digits) && parseInt(digits, 8) <= 255;
    } else if (e === "x" || e === "u" || e === "U") {
      length = 2 + (e === "x" ? 2 : e === "u" ? 4 : 8);
      const digits = body.slice(i + 2, i + length);
      const value = parseInt(digits, 16);
      ok = new RegExp(`^[0-9a-fA-F]{${length - 2}}$`).test(digits) && (e === "x" || (value <= 0x10ffff && !(value >= 0xd800 && value < 0xe000)));
    } else ok = false;
    if (!ok) return { at: i + 1, length: Math.min(length, body.length - i) };
    i += length;
  }
  if (quote === "'" && chars !== 1) return { at: 0, length: literal.length };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Parser (text/template/parse/parse.go): structure, scopes, functions; no tree is kept.

/** A structural error: Go's parser stops at it, and so do we. */
class Fatal {
  constructor(readonly problem: TemplateProblem) {}
}

interface Arg {
  kind: "identifier" | "variable" | "field" | "chain" | "dot" | "nil" | "bool" | "number" | "string" | "pipeline";
  token: Token;
  end: number;
}
interface Command {
  args: Arg[];
  offset: number;
}

function describe(token: Token): string {
  switch (token.kind) {
    case "eof":
      return "end of template";
    case "rightDelim":
      return "}}";
    case "keyword":
      return `<${token.value}>`;
    default:
      return JSON.stringify(token.value);
  }
}

function closest(name: string, known: readonly string[]): string | undefined {
  return closeNames(name, known, { max: 1, minLimit: 1, ignoreCase: true })[0];
}

function parseTemplate(text: string, tokens: readonly Token[]): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  let index = 0;
  /** Variables in scope, innermost last. */
  let vars: string[] = [...ALERT_TEMPLATE_VARIABLES];
  let rangeDepth = 0;
  const defined = new Map<string, boolean>();
  const invoked: Token[] = [];

  const problem = (offset: number, length: number, message: string, hint?: string, checkerOnly = false) =>
    problems.push({ offset, length, message, ...(hint && { hint }), ...(checkerOnly && { checkerOnly }) });
  const fatal = (token: Token, message: string, hint?: string): never => {
    throw new Fatal({ offset: token.offset, length: Math.max(1, token.length ?? token.value.length), message, ...(hint && { hint }) });
  };
  const next = (): Token => {
    const token = tokens[Math.min(index++, tokens.length - 1)]!;
    if (token.kind === "error") fatal(token, token.value, token.hint);
    return token;
  };
  const backup = (n = 1) => {
    index -= n;
  };
  const peek = () => {
    const token = next();
    backup();
    return token;
  };
  const nextNonSpace = () => {
    let token = next();
    while (token.kind === "space") token = next();
    return token;
  };
  const peekNonSpace = () => {
    const token = nextNonSpace();
    backup();
    return token;
  };
  const unexpected = (token: Token, context: string): never => fatal(token, `unexpected ${describe(token)} in ${context}`);
  const expect = (kind: Kind, context: string) => {
    const token = nextNonSpace();
    if (token.kind !== kind) unexpected(token, context);
    return token;
  };
  const isKeyword = (token: Token, word: string) => token.kind === "keyword" && token.value === word;

  const useVar = (token: Token) => {
    if (!vars.includes(token.value)) {
      const inDefinition = !vars.includes("$labels") && ALERT_TEMPLATE_VARIABLES.includes(token.value);
      problem(
        token.offset,
        token.value.length,
        `undefined variable ${JSON.stringify(token.value)}`,
        inDefinition ? `a {{define}} or {{block}} body sees only $ and its own variables: pass what it needs as the argument, e.g. {{template "name" $labels}}` : closest(token.value, vars) ? `did you mean ${closest(token.value, vars)}? (${VARIABLES_HINT})` : VARIABLES_HINT,
      );
    }
  };

  // A term: an operand without its field chain.
  const term = (): Arg | undefined => {
    const token = nextNonSpace();
    switch (token.kind) {
      case "identifier":
        if (!FUNCTION_SET.has(token.value)) {
          const suggestion = closest(token.value, TEMPLATE_FUNCTIONS);
          problem(token.offset, token.value.length, `function ${JSON.stringify(token.value)} not defined`, suggestion ? `did you mean ${suggestion}?` : `Prometheus 2.42 templates know: ${TEMPLATE_FUNCTIONS.join(", ")}`);
        }
        return { kind: "identifier", token, end: token.offset + token.value.length };
      case "dot":
      case "nil":
      case "field":
      case "bool":
        return { kind: token.kind, token, end: token.offset + token.value.length };
      case "variable":
        useVar(token);
        return { kind: "variable", token, end: token.offset + token.value.length };
      case "number":
      case "complex":
      case "charConstant": {
        const message = token.kind === "charConstant" ? (quotedProblem(token.value, "'") ? `malformed character constant: ${token.value}` : undefined) : numberProblem(token);
        if (message) problem(token.offset, token.value.length, message);
        return { kind: "number", token, end: token.offset + token.value.length };
      }
      case "string":
      case "rawString": {
        const bad = token.kind === "string" ? quotedProblem(token.value, '"') : undefined;
        if (bad) problem(token.offset + bad.at, bad.length, `invalid escape ${JSON.stringify(token.value.slice(bad.at, bad.at + bad.length))} in string`, STRING_HINT);
        return { kind: "string", token, end: token.offset + token.value.length };
      }
      case "leftParen": {
        pipeline("parenthesized pipeline", "rightParen", token);
        return { kind: "pipeline", token, end: tokens[index - 1]!.offset + 1 };
      }
    }
    backup();
    return undefined;
  };

  const operand = (): Arg | undefined => {
    const node = term();
    if (!node || peek().kind !== "field") return node;
    if (["bool", "string", "number", "nil", "dot"].includes(node.kind)) fatal(peek(), `unexpected . after term ${JSON.stringify(node.token.value)}`);
    let end = node.end;
    while (peek().kind === "field") {
      const field = next();
      end = field.offset + field.value.length;
    }
    return { ...node, kind: node.kind === "field" || node.kind === "variable" ? node.kind : "chain", end };
  };

  const command = (): Command => {
    const cmd: Command = { args: [], offset: peekNonSpace().offset };
    for (;;) {
      peekNonSpace();
      const arg = operand();
      if (arg) cmd.args.push(arg);
      const token = next();
      if (token.kind === "space") continue;
      if (token.kind === "rightDelim" || token.kind === "rightParen") backup();
      else if (token.kind !== "pipe") unexpected(token, "operand");
      else if (peekNonSpace().kind === "rightDelim" || peekNonSpace().kind === "rightParen") {
        problem(token.offset, 1, "| with no command after it", "remove the | or add a function after it", true);
      }
      break;
    }
    if (cmd.args.length === 0) fatal(tokens[index]!, "empty command");
    return cmd;
  };

  /** Checks what only expansion would find: arity, non-functions given arguments. */
  const checkCommands = (cmds: readonly Command[]) => {
    cmds.forEach((cmd, stage) => {
      const [head, ...rest] = cmd.args;
      const given = rest.length + (stage > 0 ? 1 : 0);
      for (const arg of rest) if (arg.kind === "identifier") checkArity(arg, 0);
      if (head!.kind === "identifier") checkArity(head!, given);
      else if (head!.kind === "nil") problem(head!.token.offset, 3, "nil is not a command", undefined, true);
      else if (given > 0) {
        const what = text.slice(head!.token.offset, head!.end);
        const piped = stage > 0 ? `the value piped into ${what}` : `arguments to ${what}`;
        problem(head!.token.offset, head!.end - head!.token.offset, `can't give ${piped}: it is not a function`, stage > 0 ? "only a function can follow |" : "separate values with separate actions, or call a function such as printf", true);
      }
    });
  };
  const checkArity = (arg: Arg, given: number) => {
    const arity = ARITY[arg.token.value];
    if (!arity || (given >= arity[0] && given <= arity[1])) return;
    const want = arity[0] === arity[1] ? `${arity[0]}` : arity[1] === Infinity ? `at least ${arity[0]}` : `${arity[0]} to ${arity[1]}`;
    problem(arg.token.offset, arg.token.value.length, `wrong number of arguments for ${arg.token.value}: want ${want}, got ${given}`, "a value piped in with | counts as the last argument", true);
  };

  function pipeline(context: string, end: "rightDelim" | "rightParen", opener: Token): Command[] {
    const decls: Token[] = [];
    // Declarations or assignments: `$x :=`, `$x =`, `$i, $x :=` (range only).
    for (;;) {
      if (peekNonSpace().kind !== "variable") break;
      const v = nextNonSpace();
      const variableIndex = index - 1;
      const following = peekNonSpace();
      if (following.kind === "assign" || following.kind === "declare") {
        nextNonSpace();
        if (following.kind === "assign" && !vars.includes(v.value)) {
          problem(v.offset, v.value.length, `assignment to undeclared variable ${v.value}`, `declare it first with ${v.value} := ...`, true);
        }
        decls.push(v);
        vars.push(v.value);
      } else if (following.kind === "char" && following.value === ",") {
        nextNonSpace();
        decls.push(v);
        vars.push(v.value);
        if (context === "range" && decls.length < 2) {
          const k = peekNonSpace().kind;
          if (k === "variable" || k === "rightDelim" || k === "rightParen") continue;
          fatal(peekNonSpace(), "range can only initialize variables");
        }
        fatal(v, `too many declarations in ${context}`);
      } else {
        // Not a declaration: the variable starts the first command.
        index = variableIndex;
      }
      break;
    }
    const cmds: Command[] = [];
    for (;;) {
      const token = nextNonSpace();
      if (token.kind === end) {
        if (cmds.length === 0) {
          const what = context === "command" ? "empty action" : `missing value for ${context}`;
          throw new Fatal({ offset: opener.offset, length: token.offset + token.value.length - opener.offset, message: what });
        }
        cmds.slice(1).forEach((c, i) => {
          if (["bool", "dot", "nil", "number", "string"].includes(c.args[0]!.kind)) fatal(c.args[0]!.token, `non executable command in pipeline stage ${i + 2}`, "only a function can follow |");
        });
        checkCommands(cmds);
        return cmds;
      }
      if (["bool", "charConstant", "complex", "dot", "field", "identifier", "number", "nil", "rawString", "string", "variable", "leftParen"].includes(token.kind)) {
        backup();
        cmds.push(command());
      } else unexpected(token, context);
    }
  }

  type Ending = { kind: "end" | "else"; token: Token; elseIf?: boolean };
  /** Items until {{end}} or {{else}}; returns which, and whether the items were all blank. */
  const itemList = (opener: Token, what: string): { ending: Ending; empty: boolean } => {
    let empty = true;
    while (peekNonSpace().kind !== "eof") {
      const item = textOrAction();
      if (item.kind === "end" || item.kind === "else") return { ending: item as Ending, empty };
      if (!item.empty) empty = false;
    }
    return fatal(opener, `${what} has no matching {{end}}`, "add {{ end }} where the block should stop");
  };

  const textOrAction = (): { kind: "item" | "end" | "else"; token: Token; empty: boolean; elseIf?: boolean } => {
    const token = nextNonSpace();
    if (token.kind === "text") return { kind: "item", token, empty: token.value.trim() === "" };
    if (token.kind === "comment") return { kind: "item", token, empty: true };
    if (token.kind === "leftDelim") return action(token);
    return unexpected(token, "input");
  };

  const control = (delim: Token, keyword: Token, context: "if" | "range" | "with") => {
    const depth = vars.length;
    pipeline(context, "rightDelim", keyword);
    if (context === "range") rangeDepth++;
    let { ending } = itemList(delim, `{{${context}}}`);
    if (context === "range") rangeDepth--;
    if (ending.kind === "else") {
      if (ending.elseIf) {
        if (context !== "if") fatal(ending.token, `{{else if}} is only allowed after {{if}}, not {{${context}}}`);
        // `{{else if x}}` is `{{else}}{{if x}}...{{end}}` sharing the outer {{end}}.
        control(delim, nextNonSpace(), "if");
      } else {
        ({ ending } = itemList(delim, `{{${context}}}`));
        if (ending.kind !== "end") fatal(ending.token, "expected {{end}}; found {{else}}");
      }
    }
    vars = vars.slice(0, depth);
  };

  const action = (delim: Token): { kind: "item" | "end" | "else"; token: Token; empty: boolean; elseIf?: boolean } => {
    const token = nextNonSpace();
    if (token.kind === "keyword") {
      switch (token.value) {
        case "if":
        case "range":
        case "with":
          control(delim, token, token.value);
          return { kind: "item", token, empty: false };
        case "end":
          expect("rightDelim", "end");
          return { kind: "end", token, empty: false };
        case "else": {
          if (isKeyword(peekNonSpace(), "if")) return { kind: "else", token, empty: false, elseIf: true };
          expect("rightDelim", "else");
          return { kind: "else", token, empty: false };
        }
        case "break":
        case "continue":
          expect("rightDelim", `{{${token.value}}}`);
          if (rangeDepth === 0) fatal(token, `{{${token.value}}} outside {{range}}`);
          return { kind: "item", token, empty: false };
        case "template": {
          const name = templateName(nextNonSpace(), "template clause");
          invoked.push(name);
          if (nextNonSpace().kind !== "rightDelim") {
            backup();
            pipeline("template clause", "rightDelim", token);
          }
          return { kind: "item", token, empty: false };
        }
        case "block": {
          const name = templateName(nextNonSpace(), "block clause");
          pipeline("block clause", "rightDelim", token);
          body(delim, name, "{{block}}");
          return { kind: "item", token, empty: false };
        }
      }
    }
    backup();
    pipeline("command", "rightDelim", delim);
    return { kind: "item", token, empty: false };
  };

  const templateName = (token: Token, context: string): Token => {
    if (token.kind !== "string" && token.kind !== "rawString") return unexpected(token, context);
    const bad = token.kind === "string" ? quotedProblem(token.value, '"') : undefined;
    if (bad) problem(token.offset + bad.at, bad.length, `invalid escape ${JSON.stringify(token.value.slice(bad.at, bad.at + bad.length))} in string`, STRING_HINT);
    return token;
  };

  /** A {{define}} or {{block}} body: a template of its own, which sees only `$`. */
  const body = (delim: Token, name: Token, what: string) => {
    const [outerVars, outerRange] = [vars, rangeDepth];
    vars = ["$"];
    rangeDepth = 0;
    const { ending, empty } = itemList(delim, what);
    if (ending.kind !== "end") fatal(ending.token, `unexpected {{else}} in ${what}`);
    const key = templateKey(name.value);
    if (!empty && defined.get(key)) problem(name.offset, name.value.length, `template ${JSON.stringify(key)} is defined twice`);
    if (!empty || !defined.has(key)) defined.set(key, !empty);
    [vars, rangeDepth] = [outerVars, outerRange];
  };

  try {
    while (peek().kind !== "eof") {
      const token = peek();
      if (token.kind === "leftDelim") {
        const delim = next();
        if (isKeyword(peekNonSpace(), "define")) {
          nextNonSpace();
          const name = templateName(nextNonSpace(), "define clause");
          expect("rightDelim", "define clause");
          body(delim, name, "{{define}}");
          continue;
        }
        index = tokens.indexOf(delim);
      }
      const item = textOrAction();
      if (item.kind === "end" || item.kind === "else") fatal(item.token, `unexpected {{${item.kind}}}`, item.kind === "end" ? "this {{end}} closes nothing: remove it" : "{{else}} belongs inside {{if}}, {{range}} or {{with}}");
    }
  } catch (failure) {
    if (!(failure instanceof Fatal)) throw failure;
    problems.push(failure.problem);
    return problems;
  }
  for (const name of invoked) {
    if (!defined.has(templateKey(name.value))) {
      problem(name.offset, name.value.length, `no template ${name.value} is defined`, 'define it in the same text with {{ define "name" }}...{{ end }}', true);
    }
  }
  return problems;
}

/** A template name from its literal; escapes other than JSON's are rare enough to compare as written. */
function templateKey(literal: string): string {
  if (literal.startsWith("`")) return literal.slice(1, -1);
  try {
    return JSON.parse(literal) as string;
  } catch {
    return literal.slice(1, -1);
  }
}

/**
 * Problems in a Go template (an alert label or annotation) as Prometheus 2.42 parses it, in
 * order of offset; empty when it parses. Offsets are into `text`.
 */
export function templateProblems(text: string): TemplateProblem[] {
  return parseTemplate(text, lex(text)).sort((a, b) => a.offset - b.offset || a.message.localeCompare(b.message));
}
