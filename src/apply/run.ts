import { prepareAlertmanager } from "./alertmanager.js";
import type { DesiredState } from "./desired.js";
import { prepareGrafana } from "./grafana.js";
import { prepareMimir } from "./mimir.js";
import { preparePrometheus } from "./prometheus.js";
import type { ResolvedTargets } from "./settings.js";
import { ApplyError, ORDER, type ApplyOutcome, type Change, type PreparedTarget, type Progress, type TargetName } from "./types.js";

export interface RunOptions {
  prune: boolean;
  /** Save message for Grafana: the commit. */
  message: string;
}

/** One target's part of the run, for the report. */
export interface TargetReport {
  target: TargetName;
  where: string;
  changes: Change[];
  /** Reading the target failed: what went wrong (nothing is applied anywhere then). */
  error?: string;
  /** Set once applied (or attempted). */
  outcome?: ApplyOutcome;
}

const message = (failure: unknown) => (failure instanceof Error ? failure.message : String(failure));

/**
 * Reads every selected target and plans it; only GETs and file reads happen here, so a dry run
 * is this and nothing more. Errors are collected per target, not thrown.
 */
export async function prepareTargets(targets: ResolvedTargets, desired: DesiredState, options: RunOptions, progress: Progress): Promise<{ prepared: PreparedTarget[]; reports: TargetReport[] }> {
  const prepared: PreparedTarget[] = [];
  const reports: TargetReport[] = [];
  const prepare: Record<TargetName, (() => Promise<PreparedTarget>) | undefined> = {
    prometheus: targets.prometheus && (() => preparePrometheus(targets.prometheus!, desired.ruleFiles, progress)),
    alertmanager: targets.alertmanager && (() => {
      if (desired.alertmanagerConfig === undefined) throw new ApplyError("no alertmanager/alertmanager.yaml was generated");
      return prepareAlertmanager(targets.alertmanager!, desired.alertmanagerConfig, progress);
    }),
    grafana: targets.grafana && (() => prepareGrafana({ ...targets.grafana!, message: options.message, prune: options.prune }, desired.dashboards, progress)),
    mimir: targets.mimir && (() => prepareMimir({ ...targets.mimir!, prune: options.prune }, desired.ruleGroups, progress)),
  };
  for (const target of ORDER) {
    const work = prepare[target];
    if (!work) continue;
    try {
      const p = await work();
      prepared.push(p);
      reports.push({ target, where: p.where, changes: p.changes });
    } catch (failure) {
      // ApplyError messages are already masked; anything else (a file system error) has no secret in it.
      reports.push({ target, where: "", changes: [], error: message(failure) });
    }
  }
  return { prepared, reports };
}

/** Performs the prepared plans in ORDER, stopping at the first target that fails. */
export async function applyTargets(prepared: readonly PreparedTarget[], reports: TargetReport[], progress: Progress): Promise<boolean> {
  for (const p of prepared) {
    const report = reports.find((r) => r.target === p.target)!;
    try {
      report.outcome = await p.apply(progress);
    } catch (failure) {
      report.outcome = { ok: false, notes: [], error: message(failure) };
    }
    if (!report.outcome.ok) return false;
  }
  return true;
}
