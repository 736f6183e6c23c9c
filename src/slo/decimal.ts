/**
 * Exact rational arithmetic for SLO constants, so that thresholds read as the math says
 * ("0.001", "14.4"), never as float noise ("0.0009999999999999432").
 */
export interface Rational {
  num: bigint;
  den: bigint;
}

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));

function reduce(num: bigint, den: bigint): Rational {
  if (den < 0n) [num, den] = [-num, -den];
  const g = gcd(num, den) || 1n;
  return { num: num / g, den: den / g };
}

/** A number as written in decimal (JavaScript's shortest round-trip form), exactly. */
export function fromNumber(value: number): Rational {
  const text = String(value);
  if (/e/i.test(text)) throw new Error(`cannot take ${text} exactly`);
  const [whole, fraction = ""] = text.split(".");
  return reduce(BigInt(whole! + fraction), 10n ** BigInt(fraction.length));
}

export const integer = (value: number | bigint): Rational => ({ num: BigInt(value), den: 1n });
export const mul = (a: Rational, b: Rational): Rational => reduce(a.num * b.num, a.den * b.den);
export const div = (a: Rational, b: Rational): Rational => reduce(a.num * b.den, a.den * b.num);
export const add = (a: Rational, b: Rational): Rational => reduce(a.num * b.den + b.num * a.den, a.den * b.den);
export const sub = (a: Rational, b: Rational): Rational => reduce(a.num * b.den - b.num * a.den, a.den * b.den);
export const compare = (a: Rational, b: Rational): number => Number(a.num * b.den - b.num * a.den);
export const toNumber = (r: Rational): number => Number(r.num) / Number(r.den);

/** True when the decimal expansion ends (the denominator has no prime factor but 2 and 5). */
export function terminates(r: Rational): boolean {
  let den = r.den;
  for (const p of [2n, 5n]) while (den % p === 0n) den /= p;
  return den === 1n;
}

/**
 * Decimal text: exact when the expansion ends, else rounded half-up to `maxDecimals`
 * (28d / 3d * 10% = 0.933333... is written 0.93333).
 */
export function toDecimal(r: Rational, maxDecimals = 5): string {
  const negative = r.num < 0n;
  const num = negative ? -r.num : r.num;
  let decimals = 0;
  if (terminates(r)) {
    while ((num * 10n ** BigInt(decimals)) % r.den !== 0n) decimals++;
  } else {
    decimals = maxDecimals;
  }
  const scale = 10n ** BigInt(decimals);
  const scaled = (num * scale * 2n + r.den) / (2n * r.den); // half-up
  const whole = scaled / scale;
  const fraction = (scaled % scale).toString().padStart(decimals, "0").replace(/0+$/, "");
  return `${negative && scaled !== 0n ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}
