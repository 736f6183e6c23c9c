import vm from "node:vm";
import { error, type Diagnostic } from "../check/diagnostic.js";
import { formatDuration } from "../model/duration.js";
import { siteInStack, type Locator } from "./sourcemap.js";

/** One file of the bundle: its repository-relative path, a function that runs it, one that awaits it. */
export type BundledModule = [file: string, run: () => Record<string, unknown>, settle: () => Promise<unknown>];

export interface EvaluateOptions {
  /** Most milliseconds running the files may take, top-level awaits included. */
  timeoutMs: number;
  /** Where the limit can be raised, for the hint: the config's own loading cannot be limited by the config. */
  raise: "flag" | "flag-or-config";
  bundleUrl: string;
  locate: Locator;
  /** Files with top-level awaits: the only ones that may still be running once the top levels have run. */
  asyncFiles?: readonly string[];
  /** Told which files are being run or awaited, so that a supervisor can name them if it must stop us. */
  onPhase?: (phase: "run" | "settle" | "done", files: string[], timeoutMs: number) => void;
}

export interface Evaluated {
  exports: Map<string, Record<string, unknown>>;
  diagnostics: Diagnostic[];
}

const RUN_ALL = Symbol.for("vigil.runAll");
// A script only calls the function: vm's watchdog stops whatever runs while the script is on the stack.
const RUN_SCRIPT = new vm.Script(`globalThis[Symbol.for("vigil.runAll")]()`, { filename: "vigil-evaluate.js" });

/**
 * Runs each file's top level, then awaits the top-level awaits, all within `timeoutMs`. A
 * synchronous endless loop cannot be interrupted by a timer: the top levels run under vm's
 * watchdog, which stops the running JavaScript when the time is up. A promise that never
 * settles loses a race against a timer. Code that loops forever after an `await` cannot be
 * stopped in this process (`--sandbox` kills its child process instead).
 */
export async function evaluateModules(modules: readonly BundledModule[], options: EvaluateOptions): Promise<Evaluated> {
  const exports = new Map<string, Record<string, unknown>>();
  const diagnostics: Diagnostic[] = [];
  const deadline = performance.now() + options.timeoutMs;
  const settling: { file: string; done: Promise<unknown> }[] = [];
  let current: string | undefined;

  (globalThis as Record<symbol, unknown>)[RUN_ALL] = () => {
    for (const [file, run, settle] of modules) {
      current = file;
      try {
        exports.set(file, run());
        // Asked at once, so that a rejection is handled before Node calls it unhandled.
        settling.push({ file, done: settle() });
      } catch (thrown) {
        diagnostics.push(threwDiagnostic(thrown, file, options));
      }
    }
    current = undefined;
  };
  const phase = (name: "run" | "settle" | "done", files: string[]) => options.onPhase?.(name, files, options.timeoutMs);
  phase("run", modules.map(([file]) => file));
  try {
    RUN_SCRIPT.runInThisContext({ timeout: Math.max(1, Math.ceil(options.timeoutMs)) });
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code !== "ERR_SCRIPT_EXECUTION_TIMEOUT") throw thrown;
    phase("done", []);
    return { exports, diagnostics: [...diagnostics, timeoutDiagnostic(current ? [current] : [], options)] };
  } finally {
    delete (globalThis as Record<symbol, unknown>)[RUN_ALL];
  }

  const pending = new Set(settling.map((s) => s.file));
  let timer: NodeJS.Timeout | undefined;
  // A referenced timer: without it, a promise that never settles would let Node exit mid-compile.
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), Math.max(0, deadline - performance.now()));
  });
  const settled = Promise.all(
    settling.map(({ file, done }) =>
      done.then(
        () => pending.delete(file),
        (thrown: unknown) => {
          pending.delete(file);
          diagnostics.push(threwDiagnostic(thrown, file, options));
        },
      ),
    ),
  );
  // Sent before any await resumes: a loop there blocks this process, and the supervisor must name the file.
  phase("settle", [...pending].filter((file) => options.asyncFiles?.includes(file)));
  const outcome = await Promise.race([settled, timedOut]);
  clearTimeout(timer);
  if (outcome === "timeout") diagnostics.push(timeoutDiagnostic([...pending], options));
  phase("done", []);
  return { exports, diagnostics };
}

export function timeoutDiagnostic(files: readonly string[], options: Pick<EvaluateOptions, "timeoutMs" | "raise">): Diagnostic {
  const limit = formatDuration(Math.round(options.timeoutMs));
  const twice = formatDuration(Math.round(options.timeoutMs) * 2);
  const raise = options.raise === "flag" ? `pass --timeout ${twice}` : `pass --timeout ${twice}, or set loadTimeout: "${twice}" in vigil.config.ts`;
  const what = files.length === 0 ? "the monitor files" : files.length === 1 ? files[0]! : `${files.slice(0, 3).join(", ")}${files.length > 3 ? ` and ${files.length - 3} more` : ""}`;
  return error(
    "monitor-timeout",
    `${what} did not finish loading within ${limit}, so it was stopped`,
    files.length === 1 ? { file: files[0]!, line: 1, column: 1 } : undefined,
    `a monitor file must return: look for an endless loop or a promise that never settles at its top level; if it is only slow, raise the limit (${raise})`,
  );
}

/** A file that threw while loading; the permission model's refusals (--sandbox) say what was refused. */
export function threwDiagnostic(thrown: unknown, file: string, options: Pick<EvaluateOptions, "bundleUrl" | "locate">): Diagnostic {
  const message = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : describeThrown(thrown);
  const location = options.locate(siteInStack(thrown, options.bundleUrl)) ?? (file ? { file, line: 1, column: 1 } : undefined);
  const denied = thrown as { code?: unknown; permission?: unknown; resource?: unknown };
  if (denied?.code === "ERR_ACCESS_DENIED") {
    const what = typeof denied.permission === "string" ? ` (${denied.permission}${typeof denied.resource === "string" ? ` ${denied.resource}` : ""})` : "";
    return error(
      "monitor-threw",
      `loading this file threw ${message}${what}: --sandbox refused it`,
      location,
      "under --sandbox a monitor may read files inside the repository only, and may not write files, start processes or workers; a monitor should only declare objects",
    );
  }
  return error("monitor-threw", `loading this file threw ${message}`, location, "a monitor file must run without throwing; fix the code at this line");
}

/** A thrown value that is not an Error, in words; some (Object.create(null)) have no string form. */
function describeThrown(thrown: unknown): string {
  try {
    return String(thrown);
  } catch {
    return Object.prototype.toString.call(thrown);
  }
}
