/** The functions of Prometheus 2.42 (promql/parser/functions.go): argument and return types. */
import { closeNames } from "../check/closest.js";

export type ValueType = "scalar" | "vector" | "matrix" | "string";

export interface FunctionSignature {
  args: readonly ValueType[];
  /** 0: exactly `args`; n > 0: up to n trailing arguments may be left out; -1: the last one repeats. */
  variadic: number;
  returns: ValueType;
}

const fn = (args: ValueType[], returns: ValueType = "vector", variadic = 0): FunctionSignature => ({ args, returns, variadic });
const V: ValueType = "vector";
const M: ValueType = "matrix";
const S: ValueType = "scalar";
const STR: ValueType = "string";

const table: Record<string, FunctionSignature> = {
  abs: fn([V]), absent: fn([V]), absent_over_time: fn([M]), acos: fn([V]), acosh: fn([V]),
  asin: fn([V]), asinh: fn([V]), atan: fn([V]), atanh: fn([V]),
  avg_over_time: fn([M]), ceil: fn([V]), changes: fn([M]),
  clamp: fn([V, S, S]), clamp_max: fn([V, S]), clamp_min: fn([V, S]),
  cos: fn([V]), cosh: fn([V]), count_over_time: fn([M]),
  days_in_month: fn([V], V, 1), day_of_month: fn([V], V, 1), day_of_week: fn([V], V, 1), day_of_year: fn([V], V, 1),
  deg: fn([V]), delta: fn([M]), deriv: fn([M]), exp: fn([V]), floor: fn([V]),
  histogram_count: fn([V]), histogram_sum: fn([V]), histogram_fraction: fn([S, S, V]), histogram_quantile: fn([S, V]),
  holt_winters: fn([M, S, S]), hour: fn([V], V, 1), idelta: fn([M]), increase: fn([M]), irate: fn([M]),
  label_replace: fn([V, STR, STR, STR, STR]), label_join: fn([V, STR, STR, STR], V, -1),
  last_over_time: fn([M]), ln: fn([V]), log10: fn([V]), log2: fn([V]),
  max_over_time: fn([M]), min_over_time: fn([M]), minute: fn([V], V, 1), month: fn([V], V, 1),
  pi: fn([], S), predict_linear: fn([M, S]), present_over_time: fn([M]), quantile_over_time: fn([S, M]),
  rad: fn([V]), rate: fn([M]), resets: fn([M]), round: fn([V, S], V, 1), scalar: fn([V], S),
  sgn: fn([V]), sin: fn([V]), sinh: fn([V]), sort: fn([V]), sort_desc: fn([V]), sqrt: fn([V]),
  stddev_over_time: fn([M]), stdvar_over_time: fn([M]), sum_over_time: fn([M]),
  tan: fn([V]), tanh: fn([V]), time: fn([], S), timestamp: fn([V]), vector: fn([S]), year: fn([V], V, 1),
};

export const FUNCTIONS: ReadonlyMap<string, FunctionSignature> = new Map(Object.entries(table));

export const TYPE_NAMES: Record<ValueType, string> = {
  scalar: "scalar",
  vector: "instant vector",
  matrix: "range vector",
  string: "string",
};

/**
 * Words Prometheus' lexer reads as keywords (aggregations, operators, modifiers) or numbers, in
 * any case: before "(" they are not a call of an unknown function.
 */
export const NOT_FUNCTION_NAMES: ReadonlySet<string> = new Set([
  "sum", "avg", "count", "min", "max", "group", "stddev", "stdvar", "topk", "bottomk", "count_values", "quantile",
  "and", "or", "unless", "atan2", "bool", "by", "without", "on", "ignoring", "group_left", "group_right", "offset",
  "start", "end", "inf", "nan",
]);

/** The error for a call of a function Prometheus 2.42 does not have (its parser: `unknown function with name "rat"`). */
export function unknownFunction(name: string): { message: string; hint: string } {
  const list = "See the list of functions at https://prometheus.io/docs/prometheus/2.42/querying/functions/.";
  const lower = name.toLowerCase();
  if (FUNCTIONS.has(lower)) {
    return { message: `PromQL syntax error: unknown function "${name}" (function names are case-sensitive: "${lower}")`, hint: `Write ${lower}(...).` };
  }
  const close = closeNames(name, FUNCTIONS.keys());
  return { message: `PromQL syntax error: unknown function "${name}"`, hint: close.length > 0 ? `did you mean ${close.join(", ")}? ${list}` : list };
}
