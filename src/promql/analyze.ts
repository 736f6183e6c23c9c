/**
 * PromQL analysis for the lint stage: syntax (lezer-promql, then what Prometheus 2.42 checks on
 * top), types, regexes, and, given a catalog of metrics, how the metrics are used.
 *
 * lezer-promql parses; parser.ts lowers its tree to our AST (ast.ts), rotating the subtrees where
 * lezer binds differently from Prometheus (postfix operators and signs next to binary operators:
 * `a > -b[5m:1m]` is `a > -(b[5m:1m])`), and makes the checks Prometheus makes while parsing.
 * Types are checked on that AST (typecheck.ts), not with @prometheus-io/codemirror-promql's
 * linter: that linter walks lezer's tree as it is, so its types are wrong where lezer's shape is,
 * it misses the parse-time checks (escapes, durations, "ranges only allowed for vector
 * selectors", modifier placement), and it would pull in CodeMirror as a runtime dependency.
 */
import { unparen, walk, type Expr, type Span } from "./ast.js";
import { resolveSeries, type Catalog } from "./catalog.js";
import { canonicalText } from "./canonical.js";
import { finding, type Finding } from "./finding.js";
import { substituteGrafanaVariables } from "./grafana.js";
import { parsePromQL } from "./parser.js";
import { compileAnchored } from "./regex.js";
import { semanticFindings } from "./semantics.js";
import { promqlSyntaxErrors } from "./syntax.js";
import { typecheck } from "./typecheck.js";

export { builtinCatalog, catalogOf, resolveSeries, type Catalog, type CatalogEntry, type MetricKind } from "./catalog.js";
export type { Finding } from "./finding.js";

export interface AnalyzeOptions {
  /** Absent: no catalog checks (only syntax, types, regexes, escapes). */
  catalog?: Catalog;
  /** Labels always allowed in matchers (added by the scrape), e.g. ["job", "instance"]. */
  targetLabels: readonly string[];
  /** How often metrics are scraped, e.g. 15. */
  scrapeIntervalSeconds: number;
  /** Range windows must cover at least this many scrapes, e.g. 4. */
  minRangeScrapes: number;
  /**
   * A dashboard query: Grafana variables ($var, ${var}, $__rate_interval, $__interval, $__range)
   * are replaced by same-length placeholders, so offsets still point into the original text.
   */
  grafana?: boolean;
}

export const DEFAULT_ANALYZE_OPTIONS: AnalyzeOptions = {
  targetLabels: ["job", "instance"],
  scrapeIntervalSeconds: 15,
  minRangeScrapes: 4,
};

export interface Analysis {
  findings: Finding[];
  /** Metric family names referenced (x_bucket/x_sum/x_count of a declared histogram -> x), in order of first use. */
  metrics: string[];
  /** Canonical text (whitespace/formatting-insensitive) for duplicate detection; undefined on syntax error. */
  canonical?: string;
  /** Selectors with a literal metric name, and the label names their matchers use (for a live Prometheus). */
  selectors: { name: string; labels: string[] }[];
}

export function analyzePromQL(text: string, options: AnalyzeOptions): Analysis {
  const substituted = options.grafana ? substituteGrafanaVariables(text) : { text, variables: new Map<number, string>() };
  const source = substituted.text;

  const lezer = promqlSyntaxErrors(source);
  if (lezer.length > 0) {
    const first = lezer[0]!;
    return { findings: [finding("promql-syntax", { from: first.offset, to: first.offset + first.length }, first.message, first.hint ?? syntaxHint(first.message))], metrics: [], selectors: [] };
  }

  const parsed = parsePromQL(source, substituted.variables);
  const findings = [...parsed.findings];
  const expr = parsed.expr;
  if (!expr) return { findings: sorted(findings), metrics: [], selectors: [] };

  findings.push(...typecheck(expr), ...labelFunctionArgs(expr));
  const catalog = options.catalog && memoized(options.catalog);
  if (catalog) {
    findings.push(...semanticFindings(expr, {
      catalog,
      targetLabels: options.targetLabels,
      scrapeIntervalSeconds: options.scrapeIntervalSeconds,
      minRangeScrapes: options.minRangeScrapes,
    }));
  }

  const syntaxOk = !findings.some((f) => f.code === "promql-syntax");
  const original = (span: Span) => text.slice(span.from, span.to);
  return {
    findings: sorted(findings),
    metrics: metricsOf(expr, catalog),
    selectors: selectorsOf(expr),
    ...(syntaxOk && { canonical: canonicalText(expr, original) }),
  };
}

/** Label names as Prometheus' model.LabelName.IsValid accepts them. */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * What label_replace and label_join check only once evaluated (promtool's syntax check lets them
 * through; every evaluation of the rule then fails): the regex, and the label names.
 */
function labelFunctionArgs(root: Expr): Finding[] {
  const findings: Finding[] = [];
  const labelName = (arg: Expr | undefined, what: string, fn: string) => {
    const name = arg && unparen(arg);
    if (name?.type !== "string" || LABEL_NAME.test(name.value)) return;
    findings.push(finding("invalid-label-name", name, `invalid ${what} label name in ${fn}(): ${JSON.stringify(name.value)}`,
      "label names are letters, digits and underscores, not starting with a digit: Prometheus fails every evaluation of this rule"));
  };
  walk(root, (node) => {
    if (node.type !== "call") return;
    if (node.name === "label_replace" && node.args.length === 5) {
      labelName(node.args[1], "destination", "label_replace");
      const regex = unparen(node.args[4]!);
      if (regex.type !== "string") return;
      const compiled = compileAnchored(regex.value);
      if (!compiled.ok) {
        findings.push(finding("invalid-regex", regex, `invalid regular expression in label_replace(): ${compiled.error}`,
          "Prometheus uses RE2 syntax (no lookaround, no backreferences), anchored at both ends."));
      }
    }
    if (node.name === "label_join" && node.args.length >= 3) {
      labelName(node.args[1], "destination", "label_join");
      for (const source of node.args.slice(3)) labelName(source, "source", "label_join");
    }
  });
  return findings;
}

function metricsOf(root: Expr, catalog: Catalog | undefined): string[] {
  const names = new Set<string>();
  const lookup: Catalog = catalog ?? { lookup: () => undefined };
  walk(root, (node) => {
    if (node.type !== "selector" || node.name === undefined || node.variableName) return;
    names.add(resolveSeries(node.name, lookup)?.family ?? node.name);
  });
  return [...names];
}

function selectorsOf(root: Expr): Analysis["selectors"] {
  const found: Analysis["selectors"] = [];
  walk(root, (node) => {
    if (node.type !== "selector" || node.name === undefined || node.variableName) return;
    found.push({ name: node.name, labels: [...new Set(node.matchers.map((m) => m.label).filter((l) => l !== "__name__"))] });
  });
  return found;
}

/** Each name is looked up once per expression, however often it occurs. */
function memoized(catalog: Catalog): Catalog {
  const cache = new Map<string, ReturnType<Catalog["lookup"]>>();
  return {
    lookup(name) {
      if (!cache.has(name)) cache.set(name, catalog.lookup(name));
      return cache.get(name);
    },
  };
}

function sorted(findings: Finding[]): Finding[] {
  const key = (f: Finding) => `${String(f.offset).padStart(8, "0")}\0${f.code}\0${f.message}`;
  const seen = new Set<string>();
  return findings
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    .filter((f) => !seen.has(key(f)) && (seen.add(key(f)), true));
}

function syntaxHint(message: string): string | undefined {
  if (message.includes("ends too early")) return "Close every (, [ and { and finish the last operation.";
  return undefined;
}
