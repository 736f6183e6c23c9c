/**
 * The I/O of `--base`: the base revision's alerts, read from its committed generated rule files
 * (or a directory holding an output tree) the way `vigil diff` reads them, without a worktree.
 */
import { readBase, type BaseContext } from "../diff/base.js";
import { readRuleFiles, type RuleFileContents } from "./alerts.js";

export type BaseAlerts = (RuleFileContents & { label: string }) | { error: string; hint: string };

export async function readBaseAlerts(ref: string, context: BaseContext, defaultIntervalMs: number): Promise<BaseAlerts> {
  const base = await readBase(ref, context);
  if ("error" in base) return base;
  return { ...readRuleFiles(base.files, defaultIntervalMs), label: base.label };
}
