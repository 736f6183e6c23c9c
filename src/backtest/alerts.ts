/**
 * The alerts a backtest replays, as plain data, read from generated Prometheus rule files: those
 * compile produces in memory for the working tree, and a base revision's committed `generated/`.
 * Both sides are read the same way, so an alert that did not change compares equal. Pure.
 */
import { parse } from "yaml";
import { parseDuration } from "../model/duration.js";

export interface AlertSpec {
  name: string;
  /** The `severity` label ("" when there is none). */
  severity: string;
  service?: string;
  expr: string;
  forMs: number;
  keepFiringForMs: number;
  /** The evaluation interval of the alert's group, ms. */
  intervalMs: number;
}

/** An alert is known by its name and severity: one name may exist at several severities. */
export const alertKey = (a: Pick<AlertSpec, "name" | "severity">) => `${a.name}\0${a.severity}`;

const ms = (text: string | undefined) => (text === undefined ? 0 : (parseDuration(text) ?? 0));

/** The recording rules `expr` reads (whole-name matches). */
export function recordsUsed(expr: string, records: readonly string[]): string[] {
  return records.filter((name) => new RegExp(`(^|[^a-zA-Z0-9_:])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^a-zA-Z0-9_:])`).test(expr));
}

interface RawRule {
  alert?: unknown;
  record?: unknown;
  expr?: unknown;
  for?: unknown;
  keep_firing_for?: unknown;
  labels?: Record<string, unknown>;
}

export interface RuleFileContents {
  /** Alerting rules, sorted by name then severity. */
  alerts: AlertSpec[];
  /** Recording rule names, sorted: an alert reading one needs that rule's history in Prometheus. */
  records: string[];
}

/**
 * Alerting rules of generated Prometheus rule files (`prometheus/**.yaml`, unit-test files left
 * out), keyed by path in `files`. A group without `interval` takes `defaultIntervalMs`, as
 * Prometheus takes its global evaluation interval. Files that are not rule files are skipped.
 */
export function readRuleFiles(files: ReadonlyMap<string, string>, defaultIntervalMs: number): RuleFileContents {
  const alerts: AlertSpec[] = [];
  const records = new Set<string>();
  for (const [file, text] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!file.startsWith("prometheus/") || !/\.ya?ml$/.test(file) || /\.test\.ya?ml$/.test(file)) continue;
    let groups: unknown;
    try {
      groups = (parse(text) as { groups?: unknown } | null)?.groups;
    } catch {
      continue;
    }
    if (!Array.isArray(groups)) continue;
    for (const group of groups as { interval?: unknown; rules?: unknown }[]) {
      const intervalMs = typeof group?.interval === "string" ? ms(group.interval) || defaultIntervalMs : defaultIntervalMs;
      for (const rule of (Array.isArray(group?.rules) ? group.rules : []) as RawRule[]) {
        if (typeof rule?.record === "string") records.add(rule.record);
        if (typeof rule?.alert !== "string" || typeof rule.expr !== "string") continue;
        alerts.push({
          name: rule.alert,
          severity: typeof rule.labels?.severity === "string" ? rule.labels.severity : "",
          service: typeof rule.labels?.service === "string" ? rule.labels.service : undefined,
          expr: rule.expr,
          forMs: typeof rule.for === "string" ? ms(rule.for) : 0,
          keepFiringForMs: typeof rule.keep_firing_for === "string" ? ms(rule.keep_firing_for) : 0,
          intervalMs,
        });
      }
    }
  }
  return { alerts: sortAlerts(alerts), records: [...records].sort() };
}

function sortAlerts(alerts: AlertSpec[]): AlertSpec[] {
  return alerts.sort((a, b) => (alertKey(a) < alertKey(b) ? -1 : alertKey(a) > alertKey(b) ? 1 : 0));
}

/** Two versions of an alert evaluate the same way: same expression, for, keep_firing_for, interval. */
export function sameEvaluation(a: AlertSpec, b: AlertSpec): boolean {
  return a.expr === b.expr && a.forMs === b.forMs && a.keepFiringForMs === b.keepFiringForMs && a.intervalMs === b.intervalMs;
}
