import { countChanges } from "./plan.js";
import type { TargetReport } from "./run.js";
import type { Change } from "./types.js";

const SIGN: Record<Change["kind"], string> = { create: "+", update: "~", delete: "-", unchanged: "=", stale: "!" };

/** The plan as text: one block per target, every object that changes listed, unchanged counted. */
export function formatPlan(reports: readonly TargetReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    lines.push(`${r.target}${r.where ? `  ${r.where}` : ""}`);
    if (r.error) {
      lines.push(`  error: ${r.error}`);
      continue;
    }
    const width = Math.max(0, ...r.changes.map((c) => c.object.length));
    for (const c of r.changes) {
      if (c.kind === "unchanged") continue;
      lines.push(`  ${SIGN[c.kind]} ${c.kind.padEnd(9)} ${c.object.padEnd(width)}  ${c.name}${c.detail ? `  (${c.detail})` : ""}`);
    }
    const unchanged = countChanges(r.changes).unchanged;
    if (unchanged > 0) lines.push(`  = ${unchanged} unchanged`);
    if (r.changes.length === 0) lines.push("  nothing generated for this target");
  }
  return `${lines.join("\n")}\n`;
}

/** After --yes: what happened per target. */
export function formatOutcome(reports: readonly TargetReport[]): string {
  return reports
    .map((r) => {
      if (!r.outcome) return `${r.target}: not applied (an earlier target failed)\n`;
      const notes = r.outcome.notes.join("; ");
      return r.outcome.ok ? `${r.target}: ${notes || "done"}\n` : `${r.target}: FAILED: ${r.outcome.error ?? "unknown error"}\n`;
    })
    .join("");
}

/** "Plan: 2 to create, 1 to update, 0 to delete, 30 unchanged." */
export function planSummary(reports: readonly TargetReport[]): string {
  const c = countChanges(reports.flatMap((r) => r.changes));
  const stale = c.stale > 0 ? ` ${c.stale} stale kept (--prune deletes them).` : "";
  return `Plan: ${c.create} to create, ${c.update} to update, ${c.delete} to delete, ${c.unchanged} unchanged.${stale}`;
}
