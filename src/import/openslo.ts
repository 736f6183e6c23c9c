import { parser } from "@prometheus-io/lezer-promql";
import { parseAllDocuments } from "yaml";
import { arr, commented, obj, slug, type Code } from "./code.js";
import { objectiveCode } from "./sloth.js";
import { planMetrics, queryMetrics } from "./promql.js";
import type { Imported, ImportedService, ImportOptions, ImportProblem, SourceFile } from "./types.js";

/**
 * `vigil import openslo`: OpenSLO v1 `SLO` documents (with their `SLI` documents, inline or
 * referenced) into services with `slos`. Ratio SLIs with Prometheus queries become
 * `{ errors | good, total }`; each objective becomes one Vigil SLO over the rolling window.
 */

interface MetricSource {
  metricSource?: { type?: string; spec?: { query?: string } };
}

interface Indicator {
  metadata?: { name?: string };
  spec?: { ratioMetric?: { counter?: boolean; good?: MetricSource; bad?: MetricSource; total?: MetricSource }; thresholdMetric?: unknown };
}

interface SloDoc {
  kind: "SLO";
  metadata: { name: string; displayName?: string; labels?: Record<string, string | string[]> };
  spec: {
    description?: string;
    service: string;
    indicator?: Indicator;
    indicatorRef?: string;
    timeWindow?: { duration?: string; isRolling?: boolean }[];
    budgetingMethod?: string;
    objectives?: { displayName?: string; target?: number; targetPercent?: number }[];
    alertPolicies?: unknown[];
  };
}

/**
 * A query as Vigil's SLI events: its range windows become `{{window}}`; a query with none (a
 * counter read raw) is read through `rate(...[{{window}}])`.
 */
export function windowed(query: string): { text: string; wrapped: boolean } {
  const trimmed = query.trim();
  const matrices: [number, number][] = [];
  const bare: [number, number][] = [];
  const cursor = parser.parse(trimmed).cursor();
  do {
    if (cursor.name === "MatrixSelector") {
      const duration = cursor.node.getChild("Duration");
      if (duration) matrices.push([duration.from, duration.to]);
    }
    if (cursor.name === "VectorSelector" && cursor.node.parent?.name !== "MatrixSelector") bare.push([cursor.from, cursor.to]);
  } while (cursor.next());
  const edits = matrices.length ? matrices.map(([from, to]) => ({ from, to, text: "{{window}}" })) : bare.map(([from, to]) => ({ from, to, text: `rate(${trimmed.slice(from, to)}[{{window}}])` }));
  let text = trimmed;
  for (const e of [...edits].sort((a, b) => b.from - a.from)) text = text.slice(0, e.from) + e.text + text.slice(e.to);
  return { text, wrapped: matrices.length === 0 };
}

const asLabel = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export function importOpenSlo(files: readonly SourceFile[], options: ImportOptions): Imported {
  const problems: ImportProblem[] = [];
  const docs = files.flatMap((file) => parseAllDocuments(file.text).map((d) => ({ file: file.name, data: d.toJS() as { kind?: string; metadata?: { name?: string } } | null })));
  const slis = new Map(docs.filter((d) => d.data?.kind === "SLI").map((d) => [d.data!.metadata?.name, d.data as Indicator]));
  const services = new Map<string, ImportedService & { slos: Code[]; queries: string[] }>();
  for (const { file, data } of docs) {
    if (data?.kind !== "SLO") {
      if (data && data.kind !== "SLI" && data.kind !== "Service") problems.push({ severity: "warning", source: file, message: `${data.kind ?? "a document without kind"} ${data.metadata?.name ?? ""}: not an SLO or SLI, not imported` });
      continue;
    }
    const slo = data as SloDoc;
    const name = slug(slo.metadata.name);
    const notes: string[] = [];
    const note = (message: string) => {
      notes.push(message);
      problems.push({ severity: "warning", source: file, message: `SLO ${name}: ${message}` });
    };
    const indicator = slo.spec.indicator ?? slis.get(slo.spec.indicatorRef);
    const ratio = indicator?.spec?.ratioMetric;
    const query = (m: MetricSource | undefined) => (m?.metricSource?.type ?? "Prometheus").toLowerCase() === "prometheus" ? m?.metricSource?.spec?.query : undefined;
    const goodOrBad = ratio?.bad ? "errors" : "good";
    const events = query(ratio?.bad ?? ratio?.good);
    const total = query(ratio?.total);
    if (!events || !total) {
      problems.push({ severity: "warning", source: file, message: `SLO ${name}: only ratio SLIs with Prometheus queries can be imported (${indicator ? "this one is not" : `SLI ${slo.spec.indicatorRef ?? ""} not found`}): not imported` });
      continue;
    }
    const [e, t] = [windowed(events), windowed(total)];
    if (e.wrapped || t.wrapped) notes.push("queries without a range are counters: read through rate(...[{{window}}])");
    const window = slo.spec.timeWindow?.[0];
    let period = window?.duration;
    if (window && window.isRolling === false) note("calendar time windows are not supported: Vigil's periods roll");
    if (period && !/^\d+[dw]$/.test(period)) {
      note(`time window ${period} is not whole days or weeks: the period is left at Vigil's 30d`);
      period = undefined;
    }
    if (slo.spec.budgetingMethod && slo.spec.budgetingMethod !== "Occurrences") note(`budgeting method ${slo.spec.budgetingMethod} is not supported: Vigil counts occurrences`);
    if (slo.spec.alertPolicies?.length) note("alert policies not imported: Vigil writes multiwindow burn-rate alerts (alerting.tiers to change them)");
    const objectives = slo.spec.objectives?.length ? slo.spec.objectives : [];
    const team = options.team ?? asLabel(slo.metadata.labels?.team);
    const service = options.service ?? slug(slo.spec.service);
    if (!team) {
      problems.push({ severity: "error", source: file, message: `SLO ${name}: no team label: pass --team NAME` });
      continue;
    }
    const entry = services.get(service) ?? { name: service, team, sources: [], notes: [], declarations: [], uses: [], entries: [], slos: [], queries: [] };
    entry.queries.push(e.text, t.text);
    if (!entry.sources.includes(file)) entry.sources.push(file);
    objectives.forEach((objective, i) => {
      const percent = objective.targetPercent ?? (objective.target !== undefined ? Number((objective.target * 100).toFixed(8)) : undefined);
      if (percent === undefined) return note(`objective ${i + 1} has no target: not imported`);
      const suffix = objectives.length > 1 ? `-${slug(objective.displayName ?? String(i + 1))}` : "";
      entry.slos.push(
        commented(
          obj([
            ["name", `${name}${suffix}`],
            ["objective", objectiveCode(percent, (m) => note(m))],
            ["period", period],
            ["description", slo.spec.description ?? slo.metadata.displayName],
            ["sli", obj([[goodOrBad, e.text], ["total", t.text]])],
          ]),
          ...(i === 0 ? notes : []),
        ),
      );
    });
    services.set(service, entry);
  }
  // Metrics declared alike in every service: one kind, labels and buckets over all the SLIs.
  const plan = planMetrics([...services.values()].flatMap((s) => s.queries), new Set());
  return {
    services: [...services.values()].map(({ slos, queries, ...s }) => {
      const { metrics, ...declared } = queryMetrics(queries, s.team, (message) => problems.push({ severity: "warning", source: s.sources.join(", "), message }), plan);
      return { ...s, ...declared, entries: [["metrics", metrics], ["slos", arr(slos)]] };
    }),
    teams: [],
    teamNotes: [],
    problems,
  };
}
