import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatExponent, formatFixed, formatG, formatValue, humanize, humanizeDuration, humanizePercentage } from "../../src/template/gofmt.js";

/** Expected strings are what Go's strconv.FormatFloat(v, 'g', 4, 64) and fmt print. */
describe("Go number formatting", () => {
  it("formats %.4g as Go does", () => {
    const cases: [number, string][] = [
      [1484, "1484"], [-1484, "-1484"], [1.584, "1.584"], [12.5, "12.5"], [100, "100"], [0.01584, "0.01584"],
      [1e-5, "1e-05"], [123456, "1.235e+05"], [0.00012345, "0.0001234"], [99.99999, "100"], [0, "0"], [10000, "1e+04"],
    ];
    for (const [value, text] of cases) expect(formatG(value, 4), String(value)).toBe(text);
  });

  it("humanizes percentages like Prometheus", () => {
    expect(humanizePercentage(0.01584)).toBe("1.584%");
    expect(humanizePercentage(-14.84)).toBe("-1484%");
    expect(humanizePercentage(0.5)).toBe("50%");
  });

  it("prints %.1f", () => {
    expect(formatFixed(15.84, 1)).toBe("15.8");
    expect(formatFixed(6.6, 1)).toBe("6.6");
  });

  it("rounds exact ties half to even, as strconv does", () => {
    expect(formatFixed(0.125, 2)).toBe("0.12");
    expect(formatFixed(0.375, 2)).toBe("0.38");
    expect(formatFixed(-0.125, 2)).toBe("-0.12");
    expect(formatFixed(2.5, 0)).toBe("2");
    expect(formatFixed(3.5, 0)).toBe("4");
    expect(formatFixed(0.5, 0)).toBe("0");
    expect(formatFixed(1.5, 0)).toBe("2");
    expect(formatFixed(99.5, 0)).toBe("100");
    // Not ties: the doubles are just below (2.67499…, 1.00499…).
    expect(formatFixed(2.675, 2)).toBe("2.67");
    expect(formatFixed(1.005, 2)).toBe("1.00");
    expect(humanize(1.0625)).toBe("1.062");
    expect(humanize(1062.5)).toBe("1.062k");
    expect(humanize(0.0010625)).toBe("1.062m");
    expect(humanizePercentage(1.0625)).toBe("106.2%");
    expect(humanizeDuration(1.0625)).toBe("1.062s");
    expect(formatG(12345, 4)).toBe("1.234e+04");
    expect(formatExponent(1.25, 1)).toBe("1.2e+00");
  });

  it("prints big and small magnitudes in full with %f", () => {
    expect(formatFixed(1e21, 2)).toBe("1000000000000000000000.00");
    expect(formatFixed(-1e22, 0)).toBe("-10000000000000000000000");
    expect(formatFixed(2 ** 70, 1)).toBe("1180591620717411303424.0");
    // The exact value of the largest double, as Go prints it.
    expect(formatFixed(1.7976931348623157e308, 0)).toMatch(/^179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368$/);
    expect(formatFixed(0.1, 25)).toBe("0.1000000000000000055511151");
    expect(formatFixed(5e-324, 2)).toBe("0.00");
    expect(formatFixed(-5e-324, 2)).toBe("-0.00");
    expect(formatFixed(-0, 2)).toBe("-0.00");
    expect(formatValue(1e21)).toBe("1e+21");
    expect(formatValue(5e-324)).toBe("5e-324");
    expect(humanize(1e30)).toBe("1e+06Y");
    expect(humanizeDuration(1e17)).toBe("1157407407407d 9h 46m 40s");
    // Go's int64(v) overflows to the minimum int64 on amd64.
    expect(humanizeDuration(1e21)).toBe("-106751991167300d -15h -30m -8s");
    expect(formatFixed(Infinity, 2)).toBe("+Inf");
    expect(formatG(-Infinity, 4)).toBe("-Inf");
    expect(formatFixed(NaN, 2)).toBe("NaN");
  });
});

/**
 * A reference with none of gofmt's machinery: the double as an exact fraction (doubling a
 * double is exact), scaled by a power of ten and rounded half to even by comparing remainders.
 */
function fraction(value: number): [bigint, bigint] {
  let x = Math.abs(value);
  let den = 1n;
  while (!Number.isInteger(x)) {
    x *= 2;
    den *= 2n;
  }
  return [BigInt(x), den];
}

function divideHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const twice = 2n * (num % den);
  return twice > den || (twice === den && q % 2n === 1n) ? q + 1n : q;
}

const sign = (value: number) => (value < 0 || Object.is(value, -0) ? "-" : "");

function referenceFixed(value: number, decimals: number): string {
  const [num, den] = fraction(value);
  const digits = divideHalfEven(num * 10n ** BigInt(decimals), den).toString().padStart(decimals + 1, "0");
  const point = digits.length - decimals;
  return sign(value) + digits.slice(0, point) + (decimals > 0 ? `.${digits.slice(point)}` : "");
}

/** The significant digits (as an integer of `precision` digits) and the decimal exponent. */
function referenceSignificant(value: number, precision: number): [string, number] {
  if (value === 0) return ["0".repeat(precision), 0];
  const [num, den] = fraction(value);
  // The largest e with 10^e <= |value|.
  let e = Math.floor(Math.log10(Math.abs(value)));
  const atLeast = (k: number) => (k >= 0 ? num >= den * 10n ** BigInt(k) : num * 10n ** BigInt(-k) >= den);
  while (!atLeast(e)) e--;
  while (atLeast(e + 1)) e++;
  const shift = precision - 1 - e;
  let q = shift >= 0 ? divideHalfEven(num * 10n ** BigInt(shift), den) : divideHalfEven(num, den * 10n ** BigInt(-shift));
  if (q === 10n ** BigInt(precision)) {
    q /= 10n;
    e++;
  }
  return [q.toString(), e];
}

function referenceExponent(value: number, decimals: number): string {
  const [digits, e] = referenceSignificant(value, decimals + 1);
  const mantissa = digits[0] + (decimals > 0 ? `.${digits.slice(1)}` : "");
  return `${sign(value)}${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
}

/** C's (and Go's) %.Pg: %e when the exponent is below -4 or at least P, else %f; no trailing zeros. */
function referenceG(value: number, precision: number): string {
  const [, e] = referenceSignificant(value, precision);
  const trim = (text: string) => {
    const [mantissa, exponent] = text.split("e");
    const short = mantissa!.includes(".") ? mantissa!.replace(/0+$/, "").replace(/\.$/, "") : mantissa!;
    return exponent === undefined ? short : `${short}e${exponent}`;
  };
  return e < -4 || e >= precision ? trim(referenceExponent(value, precision - 1)) : trim(referenceFixed(value, precision - 1 - e));
}

describe("Go number formatting, against an exact reference", () => {
  const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
  // Dyadic fractions with few bits: exact ties at many digit positions.
  const dyadic = fc.tuple(fc.integer({ min: -(2 ** 30), max: 2 ** 30 }), fc.integer({ min: -40, max: 40 })).map(([n, k]) => n * 2 ** k);
  const anyValue = fc.oneof(finite, dyadic);

  it("printf %.Nf", () => {
    fc.assert(fc.property(anyValue, fc.nat({ max: 30 }), (value, decimals) => formatFixed(value, decimals) === referenceFixed(value, decimals)), { numRuns: 3000 });
  });

  it("printf %.Ne", () => {
    fc.assert(fc.property(anyValue, fc.nat({ max: 25 }), (value, decimals) => formatExponent(value, decimals) === referenceExponent(value, decimals)), { numRuns: 3000 });
  });

  it("%.Pg, as humanize uses", () => {
    fc.assert(fc.property(anyValue, fc.integer({ min: 1, max: 20 }), (value, precision) => formatG(value, precision) === referenceG(value, precision)), { numRuns: 3000 });
  });

  it("%v reads back as the same double", () => {
    fc.assert(fc.property(finite, (value) => Object.is(Number(formatValue(value)), value)), { numRuns: 3000 });
  });
});
