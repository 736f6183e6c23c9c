import type { EscalationLevel } from "../model/routing.js";

/** An escalation level as runbooks and pagers say it: "payments-lead (after 15m unacknowledged)". */
export function escalationText(level: EscalationLevel): string {
  if (typeof level === "string") return level;
  return level.after ? `${level.who} (after ${level.after} unacknowledged)` : level.who;
}
