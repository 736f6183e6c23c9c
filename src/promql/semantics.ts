/**
 * Checks that need to know the metrics (a catalog): unknown metrics and labels, rate over
 * non-counters, raw counter comparisons, histogram_quantile without "le", too-short ranges.
 * Each check stays silent when in doubt: a false alarm costs more than a missed warning.
 */
import { COMPARISON_OPS, unparen, walk, type Expr, type Span, type VectorSelector } from "./ast.js";
import { resolveSeries, type Catalog, type ResolvedSeries } from "./catalog.js";
import { formatDuration } from "./duration.js";
import { finding, type Finding } from "./finding.js";

export interface SemanticOptions {
  catalog: Catalog;
  targetLabels: readonly string[];
  scrapeIntervalSeconds: number;
  minRangeScrapes: number;
}

const RATE_FUNCTIONS = new Set(["rate", "increase", "irate"]);
/** Aggregations whose result is still a raw sample value of their input. */
const VALUE_PRESERVING = new Set(["sum", "min", "max", "avg", "topk", "bottomk"]);

export function semanticFindings(root: Expr, options: SemanticOptions): Finding[] {
  const findings: Finding[] = [];
  const report = (code: string, span: Span, message: string, hint?: string) => findings.push(finding(code, span, message, hint));
  const resolved = new Map<VectorSelector, ResolvedSeries | undefined>();
  const resolve = (selector: VectorSelector) => {
    if (!resolved.has(selector)) resolved.set(selector, selector.name === undefined || selector.variableName ? undefined : resolveSeries(selector.name, options.catalog));
    return resolved.get(selector);
  };
  const targetLabels = new Set(options.targetLabels);
  const minRangeMs = options.minRangeScrapes * options.scrapeIntervalSeconds * 1000;

  walk(root, (node) => {
    switch (node.type) {
      case "selector":
        checkSelector(node);
        break;
      case "matrix":
        checkRange(node.selector, node.range);
        break;
      case "call":
        if (RATE_FUNCTIONS.has(node.name) && node.args.length === 1) checkRated(node.name, node.args[0]!);
        if (node.name === "histogram_quantile" && node.args.length === 2) checkQuantile(node.args[1]!);
        break;
      case "binary":
        if (COMPARISON_OPS.has(node.op)) {
          checkRawCounter(node.lhs, node.rhs, node.op);
          checkRawCounter(node.rhs, node.lhs, node.op);
        }
        break;
      default:
        break;
    }
  });
  return findings;

  function checkSelector(selector: VectorSelector) {
    if (selector.name === undefined || selector.variableName) return;
    const series = resolve(selector);
    if (!series) {
      report("unknown-metric", selector.nameSpan!, `metric "${selector.name}" is not declared`,
        "Declare it in a service's metrics (counter(), gauge(), histogram(), summary()), declare it as external, or fix the name.");
      return;
    }
    if (!series.labels) return;
    for (const matcher of selector.matchers) {
      const label = matcher.label;
      if (label === "__name__" || targetLabels.has(label) || series.labels.has(label)) continue;
      const known = [...series.labels, ...options.targetLabels].sort();
      report("unknown-label", matcher.labelSpan, `metric "${selector.name}" has no label "${label}"`,
        `Its labels are: ${known.join(", ") || "(none)"}. Declare "${label}" on the metric or fix the matcher.`);
    }
  }

  function checkRange(inner: Expr, range: { ms: number; variable: boolean } & Span) {
    if (inner.type !== "selector" || range.variable || range.ms === 0) return;
    const series = resolve(inner);
    if (!series || series.entry.origin === "recorded" || range.ms >= minRangeMs) return;
    report("range-too-short", range,
      `the range [${formatDuration(range.ms)}] covers fewer than ${options.minRangeScrapes} scrapes of ${inner.name} (scraped every ${options.scrapeIntervalSeconds}s), so a missed scrape leaves too few samples`,
      `Use a range of at least [${formatDuration(minRangeMs)}] (or $__rate_interval in dashboards).`);
  }

  function checkRated(fn: string, arg: Expr) {
    const inner = unparen(arg);
    const selector = inner.type === "matrix" ? inner.selector : inner.type === "subquery" ? unparen(inner.expr) : undefined;
    if (selector?.type !== "selector") return;
    const series = resolve(selector);
    if (!series || series.part !== "plain") return;
    const { kind } = series.entry;
    const name = selector.name!;
    if (kind === "gauge") {
      report("rate-over-non-counter", selector, `${fn}() over the gauge "${name}": ${fn}() only makes sense on counters`,
        `For a gauge, use deriv(${name}[...]) for the per-second trend, delta(${name}[...]) for the change, or avg_over_time(...).`);
    } else if (kind === "summary") {
      report("rate-over-non-counter", selector, `${fn}() over the quantiles of summary "${name}": quantiles are not counters`,
        `Rate ${name}_sum or ${name}_count instead; quantiles cannot be aggregated or rated.`);
    } else if (kind === "histogram") {
      report("rate-over-non-counter", selector, `${fn}() over histogram "${name}" without a series suffix`,
        `Rate ${name}_bucket (for histogram_quantile), ${name}_sum or ${name}_count.`);
    }
  }

  function checkQuantile(arg: Expr) {
    const inner = unparen(arg);
    if (inner.type !== "aggregate") return;
    const grouping = inner.grouping;
    const keepsLe = grouping ? (grouping.without ? !grouping.labels.includes("le") : grouping.labels.includes("le")) : false;
    if (keepsLe) return;
    const span = grouping ?? inner.opSpan;
    const message = grouping?.without
      ? `histogram_quantile() needs the "le" label, but ${inner.op} without (...) removes it`
      : `histogram_quantile() needs the "le" label, but ${inner.op}${grouping ? " by (...)" : "(...)"} drops it`;
    const kept = grouping && !grouping.without ? [...grouping.labels, "le"].join(", ") : "le";
    report("histogram-quantile-without-le", span, message,
      grouping?.without ? `Remove "le" from without (...).` : `Aggregate by (${kept}): histogram_quantile(0.99, ${inner.op} by (${kept}) (rate(x_bucket[5m]))).`);
  }

  function checkRawCounter(side: Expr, other: Expr, op: string) {
    if (!isScalar(other)) return;
    let inner = unparen(side);
    while (inner.type === "aggregate" && VALUE_PRESERVING.has(inner.op) && inner.args.length >= 1) inner = unparen(inner.args.at(-1)!);
    if (inner.type !== "selector") return;
    const series = resolve(inner);
    if (!series || series.part !== "plain" || series.entry.kind !== "counter") return;
    report("counter-without-rate", inner, `counter "${inner.name}" is compared with "${op}" as it is: a counter only grows (and resets on restart), so its raw value says little`,
      `Compare its rate or increase instead, e.g. increase(${inner.name}[5m]) ${op} N.`);
  }
}

/** Expressions that are certainly scalars: numbers and arithmetic on them, time(), scalar(...). */
function isScalar(node: Expr): boolean {
  switch (node.type) {
    case "number":
      return true;
    case "paren":
    case "unary":
      return isScalar(node.expr);
    case "binary":
      return isScalar(node.lhs) && isScalar(node.rhs);
    case "call":
      return node.name === "time" || node.name === "scalar" || node.name === "pi";
    default:
      return false;
  }
}
