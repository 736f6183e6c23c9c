import { parser } from "@prometheus-io/lezer-promql";
import { arr, identifier, promqlTemplate, raw, type Code, type Raw } from "./code.js";
import type { ImportedService } from "./types.js";
import { builtinCatalog } from "../promql/catalog.js";

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

/** Series every Prometheus server has (`up`, `ALERTS`, `scrape_*`), which lint knows without a declaration. */
const BUILTINS = builtinCatalog();

/**
 * The kind of handle a metric name gets, or undefined for a series that gets none: one the
 * imported rules record (the repository records it, so lint knows it), Vigil's own SLO series,
 * Prometheus' own series (lint knows them), and histogram or summary parts, whose family is
 * declared instead.
 */
export function handleKind(metric: string, recorded: ReadonlySet<string>): HandleKind | undefined {
  if (recorded.has(metric) || metric.startsWith("slo:") || BUILTINS.lookup(metric)) return undefined;
  // A colon name recorded elsewhere (another repository's rules) is one series, whatever its
  // suffix: `job:latency_seconds_bucket` is no part of a family this repository could declare.
  if (isPart(metric, recorded)) return undefined;
  return metric.endsWith("_total") ? "counter" : "gauge";
}

/** `x_bucket`, `x_sum`, `x_count` of a family `x` the repository could declare. */
const isPart = (metric: string, recorded: ReadonlySet<string>): boolean => PART.test(metric) && !recorded.has(metric) && !isRecordedName(metric);

const TARGET_LABELS = new Set(["job", "instance"]);

/** A label a declaration lists: not a target label, not an internal one (`__name__`). */
const declarable = (label: string): boolean => !TARGET_LABELS.has(label) && !label.startsWith("__");

interface Family {
  /** A `_bucket` series is read: a histogram; otherwise a summary. */
  bucket: boolean;
  /** The plain name is read too (a summary's quantiles, a native histogram). */
  plain: boolean;
  labels: Set<string>;
  les: Set<number>;
}

/**
 * What the imported queries say about each metric they read, over the whole import, so that
 * every service that reads a metric declares it alike: one kind, one set of labels, one set of
 * buckets. `plain`: counters and gauges; `families`: histograms and summaries, by base name
 * (a plain name is a family when its `_bucket`, `_sum` or `_count` is read too); `builtins`:
 * Prometheus' own series with fixed labels (`up`, `scrape_*`) that the queries select by
 * labels lint would not know them by (other than the target labels).
 */
export interface MetricPlan {
  plain: Map<string, { kind: HandleKind; labels: Set<string> }>;
  families: Map<string, Family>;
  builtins: Map<string, { kind: HandleKind; labels: Set<string> }>;
}

/** Grafana variables and Vigil's `{{window}}` read as a plain range, so that such queries parse. */
const parseable = (expr: string): string => expr.replace(/\{\{\s*window\s*\}\}/g, "5m").replace(/\$__\w+|\$\{?\w+\}?/g, "5m");

const byName = <V>(map: Map<string, V>): Map<string, V> => new Map([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The metrics of `exprs` (all the queries of an import), their kinds, labels and buckets. */
export function planMetrics(exprs: readonly string[], recorded: ReadonlySet<string>): MetricPlan {
  const plain = new Map<string, { kind: HandleKind; labels: Set<string> }>();
  const families = new Map<string, Family>();
  const builtins = new Map<string, { kind: HandleKind; labels: Set<string> }>();
  const family = (base: string) => families.get(base) ?? families.set(base, { bucket: false, plain: false, labels: new Set(), les: new Set() }).get(base)!;
  const uses = exprs.flatMap((e) => selectors(parseable(e)));
  for (const use of uses) {
    const builtin = recorded.has(use.metric) ? undefined : BUILTINS.lookup(use.metric);
    if (builtin) {
      // ALERTS has every label of its alerts: a declaration could only narrow it. `up` has the
      // target labels; one selected by another (`namespace`, from relabelling) is declared with it.
      if (builtin.labels === undefined) continue;
      const extra = use.matchers.map((m) => m.label).filter((l) => declarable(l) && !builtin.labels!.includes(l));
      const entry = builtins.get(use.metric) ?? { kind: builtin.kind === "counter" ? "counter" : "gauge", labels: new Set<string>() };
      for (const label of extra) entry.labels.add(label);
      builtins.set(use.metric, entry);
      continue;
    }
    if (isPart(use.metric, recorded)) {
      // Not a family of Prometheus' own series (`scrape_duration_seconds_count`): no such series.
      if (BUILTINS.lookup(use.metric.replace(PART, ""))) continue;
      const f = family(use.metric.replace(PART, ""));
      f.bucket ||= use.metric.endsWith("_bucket");
      for (const m of use.matchers) {
        if (m.label === "le" && m.op === "=") {
          const le = Number(m.literal.slice(1, -1));
          if (Number.isFinite(le) && le > 0) f.les.add(le);
        } else if (declarable(m.label) && m.label !== "le" && m.label !== "quantile") f.labels.add(m.label);
      }
      continue;
    }
    const kind = handleKind(use.metric, recorded);
    if (!kind) continue;
    const entry = plain.get(use.metric) ?? { kind, labels: new Set<string>() };
    if (use.counted) entry.kind = "counter";
    for (const m of use.matchers) if (declarable(m.label)) entry.labels.add(m.label);
    plain.set(use.metric, entry);
  }
  // A plain name whose _bucket, _sum or _count is read is that family, declared once:
  // `go_gc_duration_seconds{quantile="1"}` and `go_gc_duration_seconds_sum` are one summary.
  for (const [metric, { labels }] of plain) {
    const f = families.get(metric);
    if (!f) continue;
    f.plain = true;
    for (const label of labels) if (label !== "quantile" && label !== "le") f.labels.add(label);
    plain.delete(metric);
  }
  for (const [metric, { labels }] of builtins) if (labels.size === 0) builtins.delete(metric);
  return { plain: byName(plain), families: byName(families), builtins: byName(builtins) };
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

/** The comment over the handle of one of Prometheus' own series, selected by labels lint does not know it by. */
const BUILTIN_LABELS = [
  "// Prometheus' own series: lint knows it with the target labels (lint.targetLabels) only, so it is",
  "// declared with the other labels the rules select it by; or add those to lint.targetLabels instead.",
].join("\n");

/**
 * Handles for the metrics `exprs` read, as `plan` (by default, planned from `exprs` alone; an
 * importer of several services plans over all their queries, so that they agree) says.
 * Histogram parts (`_bucket`, `_sum`, `_count`) declare their family: a histogram, with the
 * `le` values the queries name as its buckets, when a `_bucket` series is read; otherwise a
 * summary. A colon name that `recorded` lacks is recorded by rules elsewhere (another
 * repository's): it gets a counter or gauge handle like a scraped series, or lint would refuse
 * the queries that read it as an unknown metric. Prometheus' own series get none (lint knows
 * them), unless the queries select `up` or `scrape_*` by a label other than a target label.
 */
export function declareMetrics(exprs: readonly string[], recorded: ReadonlySet<string>, taken: Set<string>, plan: MetricPlan = planMetrics(exprs, recorded)): Declared {
  const declarations: string[] = [];
  const handles = new Map<string, string>();
  const variables: string[] = [];
  const kinds = new Set<string>();
  const guessed: string[] = [];
  const declare = (metric: string, kind: string, options: string[], note?: string) => {
    const id = identifier(metric, taken);
    taken.add(id);
    variables.push(id);
    kinds.add(kind);
    const statement = `const ${id} = ${kind}(${JSON.stringify(metric)}${options.length ? `, { ${options.join(", ")} }` : ""});`;
    declarations.push(note ? `${note}\n${statement}` : statement);
    return id;
  };
  const labelsOption = (labels: ReadonlySet<string>) => (labels.size ? [`labels: ${JSON.stringify([...labels].sort())}`] : []);
  // What these queries read, by the plan's name for it: a family by its base name.
  const read = new Set<string>();
  for (const use of exprs.flatMap((e) => selectors(parseable(e)))) {
    read.add(use.metric);
    if (isPart(use.metric, recorded)) read.add(use.metric.replace(PART, ""));
  }
  const plainOnes = new Map<string, { kind: HandleKind; labels: Set<string>; note?: string }>();
  for (const [metric, entry] of plan.plain) plainOnes.set(metric, { ...entry, ...(isRecordedName(metric) && { note: RECORDED_ELSEWHERE }) });
  for (const [metric, entry] of plan.builtins) plainOnes.set(metric, { ...entry, note: BUILTIN_LABELS });
  for (const [metric, { kind, labels, note }] of byName(plainOnes)) {
    if (read.has(metric)) handles.set(metric, declare(metric, kind, labelsOption(labels), note));
  }
  for (const [base, family] of plan.families) {
    if (!read.has(base)) continue;
    const labels = labelsOption(family.labels);
    if (family.bucket) {
      declare(base, "histogram", [...labels, `buckets: ${JSON.stringify([...family.les].sort((a, b) => a - b))}`]);
      guessed.push(`${base} (a histogram: its buckets are ${family.les.size ? "only those the queries name" : "not in the source"})`);
    } else {
      declare(base, "summary", labels);
      guessed.push(`${base} (a summary, or a histogram: the source reads ${family.plain ? `${base} itself (quantiles) and its _sum or _count` : "only its _sum or _count"})`);
    }
  }
  return { declarations, handles, variables, kinds, guessed };
}

/**
 * What a service made of queries (SLIs, panels) needs to declare the metrics they read: lint
 * reports a query of an undeclared metric.
 */
export function queryMetrics(queries: readonly string[], team: string, warn: (message: string) => void, plan?: MetricPlan): Pick<ImportedService, "declarations" | "uses" | "notes"> & { metrics?: Code } {
  const d = declareMetrics(queries, new Set(), new Set(["defineService", "counter", "gauge", "histogram", "summary", identifier(team)]), plan);
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
