/**
 * `vigil backtest` without its I/O: for each alert, one range query of its expression at its
 * group's evaluation interval, the state machine replayed over the result, the episodes
 * summarised; with a base, the base's version of each alert too. The query is injected.
 */
import { alertKey, recordsUsed, sameEvaluation, type AlertSpec } from "./alerts.js";
import type { RangeQuery, RangeRequest } from "./query.js";
import { replayAlert, type Episode, type Series } from "./replay.js";
import { episodeStats, type EpisodeStats } from "./stats.js";

export interface BacktestInput {
  /** The working tree's alerts to replay. */
  alerts: readonly AlertSpec[];
  /** The base revision's alerts (the same selection), when comparing. */
  base?: { alerts: readonly AlertSpec[]; label: string };
  /** Recording rule names, to explain an expression that returned nothing. */
  records: readonly string[];
  /** End of the range, Unix ms (rounded down to each alert's interval). */
  endMs: number;
  rangeMs: number;
  /** Episodes shorter than this are flapping. */
  flapMs: number;
  query: RangeQuery;
}

/** One version of an alert, replayed. */
export interface AlertVersion {
  spec: AlertSpec;
  /** First and last evaluation time replayed, Unix ms. */
  startMs: number;
  endMs: number;
  /** Label sets the expression returned at some evaluation. */
  seriesReturned: number;
  stats: EpisodeStats;
  episodes: Episode[];
}

/** unchanged: same expression, for, keep_firing_for and interval; new/removed: on one side only. */
export type BaseStatus = "unchanged" | "changed" | "new" | "removed";

export interface AlertResult {
  name: string;
  severity: string;
  /** The working tree's version; absent for an alert only the base has. */
  head?: AlertVersion;
  /** The base's version, when comparing and the base has the alert. */
  base?: AlertVersion;
  /** Only when comparing with a base. */
  status?: BaseStatus;
  notes: string[];
}

export interface BacktestReport {
  endMs: number;
  rangeMs: number;
  flapMs: number;
  /** The base compared with, as given (`--base`). */
  baseLabel?: string;
  alerts: AlertResult[];
}

/** The evaluation grid of an alert: the last multiple of its interval at or before `endMs`, back over the range. */
export function alertRange(spec: Pick<AlertSpec, "intervalMs">, endMs: number, rangeMs: number): RangeRequest {
  const step = spec.intervalMs;
  const end = Math.floor(endMs / step) * step;
  return { startMs: end - Math.floor(rangeMs / step) * step, endMs: end, stepMs: step };
}

/** The distinct range queries a backtest makes (the same expression at the same interval is asked once). */
export function plannedQueries(input: Pick<BacktestInput, "alerts" | "base" | "endMs" | "rangeMs">): { expr: string; range: RangeRequest }[] {
  const seen = new Map<string, { expr: string; range: RangeRequest }>();
  for (const spec of [...input.alerts, ...(input.base?.alerts ?? [])]) {
    const range = alertRange(spec, input.endMs, input.rangeMs);
    seen.set(queryKey(spec.expr, range), { expr: spec.expr, range });
  }
  return [...seen.values()];
}

const queryKey = (expr: string, range: RangeRequest) => `${range.startMs}/${range.endMs}/${range.stepMs}\0${expr}`;

export async function runBacktest(input: BacktestInput): Promise<BacktestReport> {
  const cache = new Map<string, Promise<Series[]>>();
  const seriesOf = (spec: AlertSpec) => {
    const range = alertRange(spec, input.endMs, input.rangeMs);
    const key = queryKey(spec.expr, range);
    // Sequential on purpose (one query at a time is gentle with a production Prometheus): the
    // cache is filled in the loop order below.
    if (!cache.has(key)) cache.set(key, input.query(spec.expr, range));
    return cache.get(key)!;
  };
  const replay = async (spec: AlertSpec): Promise<AlertVersion> => {
    const range = alertRange(spec, input.endMs, input.rangeMs);
    const series = await seriesOf(spec);
    const episodes = replayAlert(series, { forMs: spec.forMs, keepFiringForMs: spec.keepFiringForMs, intervalMs: spec.intervalMs, startMs: range.startMs, endMs: range.endMs });
    return { spec, startMs: range.startMs, endMs: range.endMs, seriesReturned: series.length, stats: episodeStats(episodes, input.flapMs), episodes };
  };

  const baseByKey = new Map((input.base?.alerts ?? []).map((a) => [alertKey(a), a]));
  const headKeys = new Set(input.alerts.map(alertKey));
  const results: AlertResult[] = [];
  for (const spec of input.alerts) {
    const head = await replay(spec);
    const result: AlertResult = { name: spec.name, severity: spec.severity, head, notes: notes(head, input.records) };
    if (input.base) {
      const baseSpec = baseByKey.get(alertKey(spec));
      if (!baseSpec) result.status = "new";
      else if (sameEvaluation(spec, baseSpec)) Object.assign(result, { status: "unchanged", base: { ...head, spec: baseSpec } });
      else Object.assign(result, { status: "changed", base: await replay(baseSpec) });
    }
    results.push(result);
  }
  for (const baseSpec of input.base?.alerts ?? []) {
    if (headKeys.has(alertKey(baseSpec))) continue;
    const base = await replay(baseSpec);
    results.push({ name: baseSpec.name, severity: baseSpec.severity, base, status: "removed", notes: notes(base, input.records) });
  }
  results.sort((a, b) => (alertKey(a) < alertKey(b) ? -1 : alertKey(a) > alertKey(b) ? 1 : 0));
  return { endMs: input.endMs, rangeMs: input.rangeMs, flapMs: input.flapMs, baseLabel: input.base?.label, alerts: results };
}

/** Why a version's numbers may mislead: an expression that returned nothing, reading recording rules. */
function notes(version: AlertVersion, records: readonly string[]): string[] {
  if (version.seriesReturned > 0) return [];
  const used = recordsUsed(version.spec.expr, records);
  // Nothing returned is the normal answer of a quiet alert, unless it reads series that may not exist yet.
  if (used.length === 0) return [];
  return [`the expression returned nothing over the range; it reads the recording rule${used.length === 1 ? "" : "s"} ${used.join(", ")}, which must have history in this Prometheus (deploy them first, or backfill them with promtool tsdb create-blocks-from rules)`];
}
