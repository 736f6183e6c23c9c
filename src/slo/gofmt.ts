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
