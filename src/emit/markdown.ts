/**
 * A small writer of Markdown in prettier's canonical form, so that compile need not run
 * prettier (about 5 ms per KB) on every page. Tests check that prettier leaves every page
 * it writes unchanged. Text from monitors that prettier might restyle (emphasis, escapes,
 * line starts that mean something) marks the page for prettier instead: see `risky`.
 */

export interface MarkdownDoc {
  text: string;
  /** The page holds user text that only prettier can put in canonical form. */
  needsPrettier: boolean;
}

/**
 * What prettier may restyle outside code spans: emphasis, escapes, links, HTML, strikethrough,
 * line starts that open a block, runs of spaces, line breaks.
 */
const RISKY = /[*\\~[\]!]|<[a-zA-Z/!?]|(^|\s)_|_(\s|$)|^\s*([-+#>]|\d+[.)])(\s|$)|\n|\s{2}|^\s|\s$/;
const CODE_SPAN = /(`+)[\s\S]*?\1/g;
const WIDE = /[\u3000-\uffff]/;

/** Collects the user text a page holds, to know whether prettier must look at it. */
export class MarkdownText {
  needsPrettier = false;

  /** User text, as is; remembers when it is risky. */
  user(text: string): string {
    // Wide characters (any UTF-16 unit from U+3000, surrogates included): a regex, not a
    // spread of the string, which cost a second at 1,000 services.
    if (RISKY.test(text.replace(CODE_SPAN, "code")) || WIDE.test(text)) this.needsPrettier = true;
    return text;
  }

  /**
   * A URL from monitors or the config for a link destination; prettier rewrites one with
   * spaces, parentheses, backslashes, angle brackets or entity-like `&name;` (as `<url>`).
   */
  url(url: string): string {
    if (/[\x00-\x20\x7f()\\<>]|&(?:#\d{1,7}|#x[\da-f]{1,6}|[\da-z]{1,31});/i.test(url)) this.needsPrettier = true;
    return url;
  }

  /** User text inside a table cell, on one line; an escaped pipe is aligned by prettier's own rules. */
  cell(text: string): string {
    if (text.includes("|")) this.needsPrettier = true;
    return this.user(text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " "));
  }
}

export const heading = (level: number, text: string) => `${"#".repeat(level)} ${text}`;

/** The lengths of the runs of backticks in a text. */
const backtickRuns = (text: string): number[] => (text.match(/`+/g) ?? []).map((run) => run.length);

/**
 * A code span, as prettier writes it: fenced by the shortest run of backticks the text does not
 * hold, padded with a space only where CommonMark would otherwise misread or strip its ends.
 * Line breaks become spaces, as CommonMark renders them: a break left in the Markdown lets the
 * next line open a list, a heading or a new paragraph, and the span falls apart. Text whose
 * lines matter goes in a `codeBlock` instead.
 */
export function inlineCode(text: string): string {
  const line = text.replace(/\r?\n/g, " ");
  const runs = new Set(backtickRuns(line));
  let length = 1;
  while (runs.has(length)) length++;
  const fence = "`".repeat(length);
  const pad = line.startsWith("`") || line.endsWith("`") || (line.startsWith(" ") && line.endsWith(" ") && line.trim() !== "") ? " " : "";
  return `${fence}${pad}${line}${pad}${fence}`;
}

export function codeBlock(lang: string, code: string): string {
  // Longer than every run of backticks in the code, as prettier writes it: a line holding a
  // run as long, even indented, would close the block early.
  const longest = Math.max(2, ...backtickRuns(code));
  const fence = "`".repeat(longest + 1);
  return `${fence}${lang}\n${code}\n${fence}`;
}

/**
 * An ordered list. An item may carry a block (a code fence) under it; then, as prettier
 * does, the list is loose: items are separated by blank lines.
 */
export function orderedList(items: readonly { text: string; block?: string }[]): string {
  const loose = items.some((item) => item.block !== undefined);
  return items
    .map((item, i) => {
      const marker = `${i + 1}. `;
      const pad = " ".repeat(marker.length);
      const block = item.block === undefined ? "" : `\n\n${item.block.split("\n").map((line) => (line ? pad + line : line)).join("\n")}`;
      return `${marker}${item.text}${block}`;
    })
    .join(loose ? "\n\n" : "\n");
}

/** An inline link; `url` must already be safe (see `MarkdownText.url`, `urlComponent`). */
export const link = (text: string, url: string) => `[${text}](${url})`;

/**
 * A URL query component that prettier leaves alone in a link destination: like
 * `encodeURIComponent`, with `!'()*` encoded too.
 */
export function urlComponent(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A block quote: every line prefixed with "> ", blank lines with ">". */
export function blockquote(text: string): string {
  return text
    .split("\n")
    .map((line) => (line.trim() === "" ? ">" : `> ${line}`))
    .join("\n");
}

export function bulletList(items: readonly string[]): string {
  return items.map((item) => `- ${item}`).join("\n");
}

/** A table with columns padded to their widest cell, as prettier aligns them. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(3, h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, c) => cell.padEnd(widths[c]!)).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** Blocks separated by one blank line, with a final newline. */
export function document(blocks: readonly string[]): string {
  return `${blocks.filter((b) => b !== "").join("\n\n")}\n`;
}
