/**
 * Go's number formatting, as Prometheus templates print values: used to predict the exact
 * annotation text that promtool compares in the generated tests.
 *
 * Go's strconv rounds the exact binary value of a double half to even, at any magnitude;
 * JS's toFixed/toExponential round ties away from zero and toFixed switches to exponents
 * from 1e21. So the digits are computed here: exactly, then rounded as strconv does.
 */

/** A non-negative decimal 0.d1d2d3… × 10^point, without trailing zeros ("" is zero, with point 0). */
interface Decimal {
  digits: string;
  point: number;
}

const ZERO: Decimal = { digits: "", point: 0 };

/** Go prints the sign of negative zero too: the sign bit decides. */
const negative = (value: number) => value < 0 || Object.is(value, -0);

const special = (value: number) => (Number.isNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf");

function decimal(digits: string, point: number): Decimal {
  const trimmed = digits.replace(/0+$/, "");
  return trimmed === "" ? ZERO : { digits: trimmed, point };
}

/** The exact decimal value of |value| (finite): a double is mantissa × 2^exponent, and 2^-n = 5^n / 10^n. */
function exact(value: number): Decimal {
  if (value === 0) return ZERO;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(value));
  const bits = view.getBigUint64(0);
  const biased = Number(bits >> 52n);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  if (exponent >= 0) {
    const digits = (mantissa << BigInt(exponent)).toString();
    return decimal(digits, digits.length);
  }
  const digits = (mantissa * 5n ** BigInt(-exponent)).toString();
  return decimal(digits, digits.length + exponent);
}

/** The shortest digits that read back as |value|, as Go's 'g' with precision -1 (and %v) uses. */
function shortest(value: number): Decimal {
  if (value === 0) return ZERO;
  const [mantissa, exponent] = Math.abs(value).toExponential().split("e");
  return decimal(mantissa!.replace(".", ""), Number(exponent) + 1);
}

/** Keeps n digits (n may be zero or negative), rounding half to even as strconv's decimal.Round. */
function round(d: Decimal, n: number): Decimal {
  if (n >= d.digits.length) return d;
  if (n < 0) return ZERO;
  const next = d.digits[n]!;
  // Trailing zeros are trimmed, so "5" as the last digit is an exact tie.
  const tie = next === "5" && n + 1 === d.digits.length;
  const up = tie ? n > 0 && Number(d.digits[n - 1]) % 2 === 1 : next >= "5";
  const kept = d.digits.slice(0, n);
  if (!up) return decimal(kept, d.point);
  const last = kept.search(/9*$/);
  if (last === 0) return { digits: "1", point: d.point + 1 };
  return decimal(kept.slice(0, last - 1) + String(Number(kept[last - 1]) + 1), d.point);
}

/** strconv's fmtF: the integer part, then `decimals` digits. */
function fixedText(d: Decimal, decimals: number): string {
  const integer = d.point > 0 ? d.digits.slice(0, d.point).padEnd(d.point, "0") : "0";
  let fraction = "";
  for (let i = 0; i < decimals; i++) fraction += d.digits[d.point + i] ?? "0";
  return decimals > 0 ? `${integer}.${fraction}` : integer;
}

/** strconv's fmtE: one digit, `decimals` more, and an exponent of at least two digits. */
function exponentText(d: Decimal, decimals: number): string {
  const first = d.digits[0] ?? "0";
  const rest = decimals > 0 ? `.${d.digits.slice(1, decimals + 1).padEnd(decimals, "0")}` : "";
  const exponent = d.digits === "" ? 0 : d.point - 1;
  return `${first}${rest}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
}

const signed = (value: number, text: string) => (negative(value) ? `-${text}` : text);

/** strconv.FormatFloat(v, 'f', decimals, 64), as printf "%.Nf" prints it. */
export function formatFixed(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return special(value);
  const d = exact(value);
  return signed(value, fixedText(round(d, d.point + decimals), decimals));
}

/** strconv.FormatFloat(v, 'e', decimals, 64), as printf "%.Ne" prints it. */
export function formatExponent(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return special(value);
  return signed(value, exponentText(round(exact(value), decimals + 1), decimals));
}

/**
 * strconv.FormatFloat(v, 'g', precision, 64), e.g. %.4g as humanize uses; a negative precision
 * means the shortest digits (Go's %v).
 */
export function formatG(value: number, precision: number): string {
  if (!Number.isFinite(value)) return special(value);
  const isShortest = precision < 0;
  let prec = precision === 0 ? 1 : precision;
  const d = isShortest ? shortest(value) : round(exact(value), prec);
  const nd = d.digits.length;
  if (isShortest) prec = nd;
  // As strconv: exponent form when the exponent is below -4 or at least the precision
  // (6 for the shortest form).
  let eprec = prec;
  if (eprec > nd && nd >= d.point) eprec = nd;
  if (isShortest) eprec = 6;
  const exponent = d.point - 1;
  if (exponent < -4 || exponent >= eprec) return signed(value, exponentText(d, Math.min(prec, nd) - 1));
  if (prec > d.point) prec = nd;
  return signed(value, fixedText(d, Math.max(prec - d.point, 0)));
}

/** Prometheus' humanizePercentage: %.4g of the value times 100, and "%". */
export const humanizePercentage = (value: number): string => `${formatG(value * 100, 4)}%`;

/** Go's %v of a float64, as `{{ $value }}` prints it: shortest digits, exponent from 1e+06 and below 1e-04. */
export const formatValue = (value: number): string => formatG(value, -1);

const BIG = ["k", "M", "G", "T", "P", "E", "Z", "Y"];
const SMALL = ["m", "u", "n", "p", "f", "a", "z", "y"];

/** Prometheus' humanize: SI prefixes, 4 significant digits. */
export function humanize(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return formatG(value, 4);
  let v = value;
  let prefix = "";
  if (Math.abs(v) >= 1) {
    for (const p of BIG) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
  } else {
    for (const p of SMALL) {
      if (Math.abs(v) >= 1) break;
      prefix = p;
      v *= 1000;
    }
  }
  return `${formatG(v, 4)}${prefix}`;
}

const INT64_MIN = -(2n ** 63n);

/** Prometheus' humanizeDuration: "1d 2h 3m 4s" from a number of seconds. */
export function humanizeDuration(value: number): string {
  if (!Number.isFinite(value)) return formatG(value, 4);
  if (value === 0) return `${formatG(value, 4)}s`;
  if (Math.abs(value) >= 1) {
    const sign = value < 0 ? "-" : "";
    const v = Math.abs(value);
    // Go's int64(v), exactly (BigInt: doubles above 2^53 divide inexactly). From 2^63 it
    // overflows; amd64 then gives the minimum int64, and Go's / and % truncate like BigInt's.
    const total = v >= 2 ** 63 ? INT64_MIN : BigInt(Math.trunc(v));
    const [days, hours, minutes, seconds] = [total / 86400n, (total / 3600n) % 24n, (total / 60n) % 60n, total % 60n];
    if (days !== 0n) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0n) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0n) return `${sign}${minutes}m ${seconds}s`;
    return `${sign}${formatG(v, 4)}s`;
  }
  let v = value;
  let prefix = "";
  for (const p of SMALL) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return `${formatG(v, 4)}${prefix}s`;
}
