import { parser } from "@prometheus-io/lezer-promql";
import { arr, identifier, promqlTemplate, raw, type Code, type Raw } from "./code.js";
import type { ImportedService } from "./types.js";

/**
 * Imported PromQL as Vigil monitors write it: the metrics it reads become typed handles
 * (`counter(...)`, `gauge(...)`), and a selector becomes `${handle.where({...})}` inside a
 * `promql` template, but only where the handle renders exactly the text of the source, so the
 * compiled expression is the imported one, byte for byte.
 */

interface Matcher {
  label: string;
  op: string;
  literal: string;
}

interface SelectorUse {
  from: number;
  to: number;
  metric: string;
  matchers: Matcher[];
  /** Read by rate(), irate(), increase() or resets(): a counter, whatever its name. */
  counted: boolean;
}

const COUNTER_FUNCTIONS = new Set(["rate", "irate", "increase", "resets"]);

/** Metric selectors of an expression, with their matchers and where they are in the text. */
function selectors(expr: string): SelectorUse[] {
  const found: SelectorUse[] = [];
  const cursor = parser.parse(expr).cursor();
  do {
    if (cursor.name !== "VectorSelector") continue;
    const node = cursor.node;
    const ident = node.getChild("Identifier");
    if (!ident) continue;
    const matchers: Matcher[] = [];
    for (const m of node.getChild("LabelMatchers")?.getChildren("LabelMatcher") ?? []) {
      const label = m.getChild("LabelName");
      const op = m.getChild("MatchOp");
      const literal = m.getChild("StringLiteral");
      if (label && op && literal) matchers.push({ label: expr.slice(label.from, label.to), op: expr.slice(op.from, op.to), literal: expr.slice(literal.from, literal.to) });
    }
    // VectorSelector < MatrixSelector (< OffsetExpr) < FunctionCallBody < FunctionCall.
    let up = node.parent;
    for (let depth = 0; up && up.name !== "FunctionCall" && depth < 4; depth++) up = up.parent;
    const fn = up?.name === "FunctionCall" ? up.getChild("FunctionIdentifier") : null;
    const counted = node.parent?.name === "MatrixSelector" && !!fn && COUNTER_FUNCTIONS.has(expr.slice(fn.from, fn.to));
    found.push({ from: node.from, to: node.to, metric: expr.slice(ident.from, ident.to), matchers, counted });
  } while (cursor.next());
  return found;
}

export type HandleKind = "counter" | "gauge";

const PART = /_(bucket|sum|count)$/;

/** A recording rule's output by Prometheus' naming convention (level:metric:operations). */
const isRecordedName = (metric: string): boolean => metric.includes(":");

/**
 * The kind of handle a metric name gets, or undefined for a series that gets none: one the
 * imported rules record (the repository records it, so lint knows it), Vigil's own SLO series,
 * and histogram or summary parts, whose family is declared instead.
 */
export function handleKind(metric: string, recorded: ReadonlySet<string>): HandleKind | undefined {
  if (recorded.has(metric) || metric.startsWith("slo:")) return undefined;
  // A colon name recorded elsewhere (another repository's rules) is one series, whatever its
  // suffix: `job:latency_seconds_bucket` is no part of a family this repository could declare.
  if (!isRecordedName(metric) && PART.test(metric)) return undefined;
  return metric.endsWith("_total") ? "counter" : "gauge";
}

const TARGET_LABELS = new Set(["job", "instance"]);

/** Metrics read by the expressions that get handles, with the label names they are selected by. */
export function metricsOf(exprs: readonly string[], recorded: ReadonlySet<string>): Map<string, { kind: HandleKind; labels: Set<string> }> {
  const metrics = new Map<string, { kind: HandleKind; labels: Set<string> }>();
  for (const expr of exprs) {
    for (const use of selectors(expr)) {
      const kind = handleKind(use.metric, recorded);
      if (!kind) continue;
      const entry = metrics.get(use.metric) ?? { kind, labels: new Set<string>() };
      if (use.counted) entry.kind = "counter";
      for (const m of use.matchers) if (!TARGET_LABELS.has(m.label) && !m.label.startsWith("__")) entry.labels.add(m.label);
      metrics.set(use.metric, entry);
    }
  }
  return new Map([...metrics].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A matcher value as a `where()` value and the text Vigil renders for it, or undefined. */
function whereValue(m: Matcher): { code: string; rendered: string } | undefined {
  if (!m.literal.startsWith('"')) return undefined;
  let value: string;
  try {
    value = JSON.parse(m.literal) as string;
  } catch {
    return undefined;
  }
  if (m.op === "=" || m.op === "!=") {
    const code = JSON.stringify(value);
    return { code: m.op === "=" ? code : `{ not: ${code} }`, rendered: `${m.label}${m.op}${JSON.stringify(value)}` };
  }
  // A RegExp literal only when JavaScript reads the RE2 text the same way and writes it back unchanged.
  let source: string;
  try {
    source = new RegExp(value).source;
  } catch {
    return undefined;
  }
  if (value === "" || source !== value || value.includes("\n")) return undefined;
  return { code: m.op === "=~" ? `/${value}/` : `{ not: /${value}/ }`, rendered: `${m.label}${m.op}${JSON.stringify(source)}` };
}

/** The expression as a `promql` template that interpolates handles where they render the same text. */
export function exprCode(expr: string, handles: ReadonlyMap<string, string>): Raw {
  const chunks: string[] = [];
  const values: string[] = [];
  let at = 0;
  for (const use of selectors(expr)) {
    const handle = handles.get(use.metric);
    if (!handle || use.matchers.length === 0) continue;
    if (new Set(use.matchers.map((m) => m.label)).size !== use.matchers.length) continue;
    const parts = use.matchers.map(whereValue);
    if (parts.some((p) => !p) || use.matchers.some((m) => m.label.startsWith("__"))) continue;
    const rendered = `${use.metric}{${parts.map((p) => p!.rendered).join(", ")}}`;
    if (rendered !== expr.slice(use.from, use.to)) continue;
    chunks.push(expr.slice(at, use.from));
    values.push(`${handle}.where({ ${use.matchers.map((m, i) => `${m.label}: ${parts[i]!.code}`).join(", ")} })`);
    at = use.to;
  }
  chunks.push(expr.slice(at));
  return promqlTemplate(chunks, values);
}

/** Metric handles declared for imported queries: their statements, and the series left undeclared. */
export interface Declared {
  /** `const x = counter("x_total", { labels: [...] });` lines. */
  declarations: string[];
  /** Metric name -> handle variable, for counters and gauges (their selectors render as the metric). */
  handles: Map<string, string>;
  /** Every declared handle variable, histograms and summaries too, for `metrics`. */
  variables: string[];
  /** counter / gauge / histogram / summary: what to import from "vigil". */
  kinds: Set<string>;
  /** Histogram or summary families declared with buckets or a kind the source does not give. */
  guessed: string[];
}

/**
 * The comment over the handle of a series that rules outside the import record: why a recorded
 * series is declared like a scraped one, and that its kind is a guess.
 */
const RECORDED_ELSEWHERE = "// Recorded by rules outside the imported files: declared so that lint knows it (kind guessed).";

/**
 * Handles for the metrics `exprs` read. Grafana variables and Vigil's `{{window}}` are read as
 * a plain range first, so that such queries parse. Histogram parts (`_bucket`, `_sum`,
 * `_count`) declare their family: a histogram, with the `le` values the queries name as its
 * buckets, when a `_bucket` series is read; otherwise a summary. A colon name that `recorded`
 * lacks is recorded by rules elsewhere (another repository's): it gets a counter or gauge handle
 * like a scraped series, or lint would refuse the queries that read it as an unknown metric.
 */
export function declareMetrics(exprs: readonly string[], recorded: ReadonlySet<string>, taken: Set<string>): Declared {
  const texts = exprs.map((e) => e.replace(/\{\{\s*window\s*\}\}/g, "5m").replace(/\$__\w+|\$\{?\w+\}?/g, "5m"));
  const declarations: string[] = [];
  const handles = new Map<string, string>();
  const variables: string[] = [];
  const kinds = new Set<string>();
  const guessed: string[] = [];
  const declare = (metric: string, kind: string, options: string[]) => {
    const id = identifier(metric, taken);
    taken.add(id);
    variables.push(id);
    kinds.add(kind);
    const statement = `const ${id} = ${kind}(${JSON.stringify(metric)}${options.length ? `, { ${options.join(", ")} }` : ""});`;
    declarations.push(isRecordedName(metric) ? `${RECORDED_ELSEWHERE}\n${statement}` : statement);
    return id;
  };
  for (const [metric, { kind, labels }] of metricsOf(texts, recorded)) {
    const labelList = [...labels].sort();
    handles.set(metric, declare(metric, kind, labelList.length ? [`labels: ${JSON.stringify(labelList)}`] : []));
  }
  const families = new Map<string, { bucket: boolean; labels: Set<string>; les: Set<number> }>();
  for (const use of texts.flatMap(selectors)) {
    if (!PART.test(use.metric) || recorded.has(use.metric) || isRecordedName(use.metric)) continue;
    const base = use.metric.replace(PART, "");
    const family = families.get(base) ?? { bucket: false, labels: new Set<string>(), les: new Set<number>() };
    family.bucket ||= use.metric.endsWith("_bucket");
    for (const m of use.matchers) {
      if (m.label === "le" && m.op === "=") {
        const le = Number(m.literal.slice(1, -1));
        if (Number.isFinite(le) && le > 0) family.les.add(le);
      } else if (!TARGET_LABELS.has(m.label) && !m.label.startsWith("__") && m.label !== "le" && m.label !== "quantile") family.labels.add(m.label);
    }
    families.set(base, family);
  }
  for (const [base, family] of [...families].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const labels = family.labels.size ? [`labels: ${JSON.stringify([...family.labels].sort())}`] : [];
    if (family.bucket) {
      declare(base, "histogram", [...labels, `buckets: ${JSON.stringify([...family.les].sort((a, b) => a - b))}`]);
      guessed.push(`${base} (a histogram: its buckets are ${family.les.size ? "only those the queries name" : "not in the source"})`);
    } else {
      declare(base, "summary", labels);
      guessed.push(`${base} (a summary, or a histogram: the source reads only its _sum or _count)`);
    }
  }
  return { declarations, handles, variables, kinds, guessed };
}

/**
 * What a service made of queries (SLIs, panels) needs to declare the metrics they read: lint
 * reports a query of an undeclared metric.
 */
export function queryMetrics(queries: readonly string[], team: string, warn: (message: string) => void): Pick<ImportedService, "declarations" | "uses" | "notes"> & { metrics?: Code } {
  const d = declareMetrics(queries, new Set(), new Set(["defineService", "counter", "gauge", "histogram", "summary", identifier(team)]));
  return {
    declarations: d.declarations.length ? [d.declarations.join("\n")] : [],
    uses: [...d.kinds].sort(),
    notes: guessNotes(d.guessed, warn),
    ...(d.variables.length && { metrics: arr(d.variables.map(raw)) }),
  };
}

/** Notes, and a warning, for the metric families declared from their parts alone. */
export function guessNotes(guessed: readonly string[], warn: (message: string) => void): string[] {
  if (guessed.length === 0) return [];
  const message = `metrics declared from the series the queries read, check them: ${guessed.join("; ")}`;
  warn(message);
  return [`TODO: ${message}`];
}
