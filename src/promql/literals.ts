/**
 * Number literals as Prometheus 2.42 reads them. lezer-promql decides what text is a number
 * (decimal, hex, exponent, Inf, NaN, in any case); this gives its value the way Prometheus'
 * parser.number() does (strconv.ParseInt with base 0, then ParseFloat), so "010" is 8.
 */

/** The value of a number literal without sign; undefined when Prometheus would not read it. */
export function numberValue(text: string): number | undefined {
  const lower = text.toLowerCase();
  if (lower === "inf") return Infinity;
  if (lower === "nan") return NaN;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return parseInt(text.slice(2), 16);
  if (/^0[0-7]+$/.test(text)) return parseInt(text, 8);
  if (/^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)) return Number(text);
  return undefined;
}
