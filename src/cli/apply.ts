import { execFile } from "node:child_process";
import { hasErrors } from "../check/diagnostic.js";
import { desiredState } from "../apply/desired.js";
import { formatOutcome, formatPlan, planSummary } from "../apply/report.js";
import { applyTargets, prepareTargets } from "../apply/run.js";
import { resolveTargets, type TargetFlags } from "../apply/settings.js";
import { isChange } from "../apply/types.js";
import { compile } from "../pipeline.js";
import { info, report, type GlobalOptions } from "./report.js";

export interface ApplyOptions extends GlobalOptions, TargetFlags {
  yes?: boolean;
  prune?: boolean;
  message?: string;
}

/** `git rev-parse --short HEAD` in the repository, or undefined outside one (or without git). */
function gitCommit(cwd: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile("git", ["rev-parse", "--short", "HEAD"], { cwd }, (failure, stdout) => resolve(failure ? undefined : String(stdout).trim() || undefined));
  });
}

/**
 * Progress on stderr, a line per step; on a terminal each step overwrites the previous one so a
 * long run shows where it is without scrolling the plan away.
 */
function progressWriter(options: ApplyOptions): { step: (text: string) => void; clear: () => void } {
  const quiet = options.quiet || options.format !== "text";
  const tty = process.stderr.isTTY === true;
  let shown = false;
  return {
    step(text) {
      if (quiet) return;
      if (tty) {
        process.stderr.write(`\r\x1b[2K${text}`);
        shown = true;
      } else process.stderr.write(`${text}\n`);
    },
    clear() {
      if (shown) process.stderr.write("\r\x1b[2K");
      shown = false;
    },
  };
}

/**
 * `vigil apply`: compile in memory, read every target and print the plan; with --yes perform it.
 * Exit 0: dry run, or applied; 1: diagnostics, a target unreadable or misconfigured, or a
 * failed apply (file-based targets rolled back); 2: usage.
 */
export async function applyCommand(options: ApplyOptions): Promise<number> {
  const result = await compile({ cwd: options.cwd, config: options.config, preciseWarnings: false });
  // JSON: one document on stdout; warnings go inside it unless there are errors (then only they print).
  if (options.format !== "json" || hasErrors(result.diagnostics)) report(result.diagnostics, options, result.rootDir);
  if (hasErrors(result.diagnostics)) {
    info(options, "nothing applied: fix the errors above first");
    return 1;
  }
  const targets = resolveTargets(result.config.apply, result.rootDir, options, process.env, result.config.mimir);
  if (targets.usage) {
    process.stderr.write(`vigil apply: ${targets.usage}\n`);
    return 2;
  }
  for (const skipped of targets.skipped) info(options, skipped);
  if (targets.problems.length > 0) {
    for (const problem of targets.problems) process.stderr.write(`vigil apply: ${problem}\n`);
    info(options, "nothing applied");
    return 1;
  }
  const message = options.message ?? (await gitCommit(result.rootDir)) ?? "vigil apply";
  const progress = progressWriter(options);
  const { prepared, reports } = await prepareTargets(targets, desiredState(result.files), { prune: options.prune === true, message }, progress.step);
  progress.clear();
  const unreadable = reports.some((r) => r.error);
  const changes = reports.some((r) => r.changes.some(isChange));
  const apply = options.yes === true && !unreadable && changes;
  let ok = !unreadable;
  if (options.format !== "json") {
    process.stdout.write(formatPlan(reports));
    if (!unreadable) info(options, planSummary(reports));
  }
  if (apply) {
    ok = await applyTargets(prepared, reports, progress.step);
    progress.clear();
    if (options.format !== "json") process.stdout.write(formatOutcome(reports));
  }
  if (options.format === "json") {
    process.stdout.write(`${JSON.stringify({ dryRun: !options.yes, applied: apply, ok, diagnostics: result.diagnostics, targets: reports }, null, 2)}\n`);
  }

  if (unreadable) info(options, "nothing applied: a target could not be read (see above)");
  else if (!changes) info(options, "no changes: everything is up to date");
  else if (!options.yes) info(options, "dry run: nothing was changed; run with --yes to apply");
  else info(options, ok ? "applied" : "apply failed (see above)");
  return ok ? 0 : 1;
}
