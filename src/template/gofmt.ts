/**
 * Go's number formatting, as Prometheus templates print values: used to predict the exact
 * annotation text that promtool compares in the generated SLO tests.
 */

/** strconv.FormatFloat(v, 'g', precision, 64), e.g. %.4g as humanizePercentage uses. */
export function formatG(value: number, precision: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";
  if (value === 0) return "0";
  const [mantissa, exponentText] = value.toExponential(precision - 1).split("e");
  const exponent = Number(exponentText);
  const trim = (digits: string) => (digits.includes(".") ? digits.replace(/0+$/, "").replace(/\.$/, "") : digits);
  if (exponent < -4 || exponent >= precision) {
    const sign = exponent < 0 ? "-" : "+";
    return `${trim(mantissa!)}e${sign}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  return trim(value.toFixed(Math.max(0, precision - 1 - exponent)));
}

/** Prometheus' humanizePercentage: %.4g of the value times 100, and "%". */
export const humanizePercentage = (value: number): string => `${formatG(value * 100, 4)}%`;

/** printf "%.Nf". */
export const formatFixed = (value: number, decimals: number): string => value.toFixed(decimals);

/** Go's %v of a float64, as `{{ $value }}` prints it: shortest digits, exponent from 1e+06 and below 1e-04. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";
  if (value === 0) return "0";
  const [mantissa, exponentText] = value.toExponential().split("e");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 21 || exponent >= 6) {
    return `${mantissa}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  return value.toFixed(Math.max(0, (mantissa!.split(".")[1]?.length ?? 0) - exponent));
}

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

/** Prometheus' humanizeDuration: "1d 2h 3m 4s" from a number of seconds. */
export function humanizeDuration(value: number): string {
  if (!Number.isFinite(value)) return formatG(value, 4);
  if (value === 0) return "0s";
  if (Math.abs(value) >= 1) {
    const sign = value < 0 ? "-" : "";
    const v = Math.abs(value);
    const total = Math.trunc(v);
    const [days, hours, minutes, seconds] = [Math.floor(total / 86400), Math.floor(total / 3600) % 24, Math.floor(total / 60) % 60, total % 60];
    if (days !== 0) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0) return `${sign}${minutes}m ${seconds}s`;
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
