/** The systems `vigil apply` can push to, in the order it pushes them (see ORDER). */
export type TargetName = "prometheus" | "alertmanager" | "grafana" | "mimir";

/**
 * Why this order: what others refer to goes first. Alerts link to dashboards (dashboard_url) and
 * are routed by Alertmanager, so dashboards and routes exist before the rules that fire alerts.
 */
export const ORDER: readonly TargetName[] = ["grafana", "alertmanager", "prometheus", "mimir"];

/**
 * What apply does to one object. `stale`: no longer generated, Vigil's, but left in place
 * because --prune was not given (Grafana dashboards and Mimir groups).
 */
export type ChangeKind = "create" | "update" | "delete" | "unchanged" | "stale";

export interface Change {
  kind: ChangeKind;
  /** "file", "folder", "dashboard", "group". */
  object: string;
  /** Stable key: a path, a uid, "namespace/group". */
  name: string;
  /** A word on what differs or why, when it helps (e.g. "moves to folder vigil-payments"). */
  detail?: string;
}

/** One target, read and planned; `apply` performs the plan (nothing is written before it). */
export interface PreparedTarget {
  target: TargetName;
  /** Where it goes, for the plan header: a URL, and a path for file-based targets. No secrets. */
  where: string;
  changes: Change[];
  apply(progress: Progress): Promise<ApplyOutcome>;
}

export interface ApplyOutcome {
  ok: boolean;
  /** What happened, one line each: "reloaded, 12 groups loaded", "rolled back: ...". */
  notes: string[];
  /** Set when !ok: what failed and what state the target is left in. */
  error?: string;
}

/** Reports one step of a long run; a terminal may show it on one overwritten line. */
export type Progress = (step: string) => void;

/** A failure talking to a target, with a message safe to print (secrets masked). */
export class ApplyError extends Error {}

export const isChange = (c: Change) => c.kind !== "unchanged" && c.kind !== "stale";

/** Ends a message with a full stop unless it ends with one already ("...directory?" stays as is). */
export const sentence = (text: string) => (/[.?!]$/.test(text.trimEnd()) ? text.trimEnd() : `${text.trimEnd()}.`);
