import { watch as fsWatch, type FSWatcher } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { error, type Diagnostic } from "../check/diagnostic.js";
import type { Session, SessionOptions, CycleStats } from "./incremental.js";
import { recompile, startSession } from "./incremental.js";
import { swapDirs } from "../output/write.js";
import { OutputWriter } from "./write.js";

/** What one compile of the watch loop did, for the command to print. */
export interface CycleReport {
  diagnostics: Diagnostic[];
  rootDir: string;
  outDir: string;
  /** From the first change seen (or the start) to the output written. */
  ms: number;
  /** False when there were errors (or the write failed): the output is as it was. */
  written: boolean;
  /** Output files changed, added or removed, manifest included. */
  changed: number;
  stats: CycleStats;
}

export interface WatchOptions extends SessionOptions {
  /** Quiet time after a change before compiling, so that one save (or a branch switch) is one compile. */
  debounceMs?: number;
  onCycle: (report: CycleReport) => void;
}

export interface Watcher {
  /** Stops watching; resolves once the compile under way (if any) has finished. */
  close(): Promise<void>;
  /** Resolves when the compile of the changes seen so far is done (tests wait on it). */
  idle(): Promise<void>;
}

const IGNORED = /(^|[\\/])(node_modules|\.git)([\\/]|$)/;
const GLOB_CHARS = /[*?[\]{}()!]/;

/** The directory a glob starts from: its segments before the first with a glob character. */
function globBase(rootDir: string, pattern: string): string | undefined {
  if (pattern.startsWith("!")) return undefined;
  const segments = pattern.split("/");
  const fixed: string[] = [];
  for (const segment of segments) {
    if (GLOB_CHARS.test(segment)) break;
    fixed.push(segment);
  }
  // A pattern without glob characters names a file: watch its directory.
  const base = fixed.length === segments.length ? fixed.slice(0, -1) : fixed;
  return path.resolve(rootDir, ...base);
}

/**
 * What to watch: every directory under those the globs start from, the root (for the config
 * file and new top-level directories) and the directory of every imported file outside them.
 * Each is watched on its own: Node 20's recursive watcher on Linux misses a file replaced by a
 * rename, which is how many editors (and sed -i) save.
 */
async function targets(session: Session, skip: (dir: string) => boolean): Promise<Set<string>> {
  const wanted = new Set<string>([session.rootDir]);
  const patterns = Array.isArray(session.config.monitors) ? session.config.monitors : [session.config.monitors];
  const bases = patterns.map((p) => globBase(session.rootDir, p)).filter((b): b is string => b !== undefined);
  for (const base of bases) {
    if (base === session.rootDir) continue;
    const entries = await readdir(base, { withFileTypes: true, recursive: true }).catch(() => undefined);
    if (!entries) continue;
    wanted.add(base);
    for (const entry of entries) {
      const dir = path.join(entry.parentPath, entry.name);
      if (entry.isDirectory() && !IGNORED.test(path.relative(session.rootDir, dir)) && !skip(dir)) wanted.add(dir);
    }
  }
  for (const file of session.graph.keys()) if (!IGNORED.test(file)) wanted.add(path.dirname(path.resolve(session.rootDir, file)));
  if (session.configPath) wanted.add(path.dirname(session.configPath));
  return wanted;
}

/**
 * `vigil compile --watch`: compiles, then compiles again after every change to a monitor file,
 * a file they import or the config, until closed. Only watching and writing are I/O here;
 * what to recompute is incremental.ts's business, what to rewrite write.ts's.
 */
export async function startWatching(options: WatchOptions): Promise<Watcher> {
  const debounceMs = options.debounceMs ?? 50;
  const watchers = new Map<string, FSWatcher>();
  let pending = new Set<string>();
  let rescan = false;
  let firstChangeAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  let closed = false;
  let session: Session | undefined;
  const writer = new OutputWriter();

  const isOutput = (file: string) => {
    if (!session) return false;
    const { staging, backup } = swapDirs(session.outDir);
    return [session.outDir, staging, backup].some((dir) => file === dir || file.startsWith(dir + path.sep));
  };

  const onEvent = (dir: string) => (event: string, filename: string | Buffer | null) => {
    if (closed) return;
    if (filename === null) rescan = true;
    else {
      const file = path.join(dir, filename.toString());
      if (IGNORED.test(path.relative(session?.rootDir ?? dir, file)) || isOutput(file)) return;
      pending.add(file);
      // A rename is a file created, deleted or moved (and how many editors save): look for new files.
      if (event === "rename") rescan = true;
    }
    if (pending.size === 0 && !rescan) return;
    if (!firstChangeAt) firstChangeAt = performance.now();
    clearTimeout(timer);
    timer = setTimeout(kick, debounceMs);
  };

  const sync = async () => {
    if (!session || closed) return;
    const wanted = await targets(session, isOutput);
    for (const [dir, watcher] of watchers) {
      if (!wanted.has(dir)) {
        watcher.close();
        watchers.delete(dir);
      }
    }
    for (const dir of wanted) {
      if (watchers.has(dir)) continue;
      try {
        const watcher = fsWatch(dir, onEvent(dir));
        watcher.on("error", () => {
          // The directory went away: its parent's watcher sees it, and the next sync drops it.
          watcher.close();
          watchers.delete(dir);
        });
        watchers.set(dir, watcher);
      } catch {
        // Gone, or not a directory: nothing to watch there.
      }
    }
  };

  const compileOnce = async (first: boolean) => {
    const started = firstChangeAt || performance.now();
    const changed = pending;
    const scan = rescan;
    pending = new Set();
    rescan = false;
    firstChangeAt = 0;
    const next = first || !session ? await startSession(options) : await recompile(session, changed, scan);
    session = next.session;
    const { result } = next;
    let diagnostics = result.diagnostics;
    let count = 0;
    let ok = false;
    if (result.output) {
      try {
        const writeStarted = performance.now();
        const write = await writer.write(result.outDir, result.output);
        count = write.changed.length + write.removed.length;
        result.stats.timings = { ...result.stats.timings, [`write (${write.how})`]: Math.round(performance.now() - writeStarted) };
        ok = true;
      } catch (failure) {
        const code = (failure as NodeJS.ErrnoException).code;
        if (typeof code !== "string") throw failure;
        const where = path.relative(process.cwd(), result.outDir) || ".";
        diagnostics = [...diagnostics, error("output-write-failed", `cannot write ${where}: ${(failure as Error).message}`, undefined, `check that ${where} and its parent directory are writable and the disk has space; ${where} was left as it was`)];
      }
    }
    const ms = Math.round(performance.now() - started);
    // Watching the directories the compile found before telling anyone: an edit made on seeing the report is seen.
    await sync();
    options.onCycle({ diagnostics, rootDir: result.rootDir, outDir: result.outDir, ms, written: ok, changed: count, stats: result.stats });
  };

  const kick = () => {
    timer = undefined;
    if (busy || closed) return;
    busy = true;
    running = compileOnce(false).finally(() => {
      busy = false;
      // Changes seen while compiling: compile them now.
      if ((pending.size > 0 || rescan) && !closed) timer = setTimeout(kick, 0);
    });
  };

  busy = true;
  running = compileOnce(true).finally(() => {
    busy = false;
    if ((pending.size > 0 || rescan) && !closed) timer = setTimeout(kick, 0);
  });
  await running;

  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
      await running.catch(() => undefined);
      // The spare tree (write.ts) goes with the watcher.
      await writer.close().catch(() => undefined);
    },
    async idle() {
      for (;;) {
        await running.catch(() => undefined);
        if (!busy && timer === undefined) return;
        await new Promise((resolve) => setTimeout(resolve, debounceMs));
      }
    },
  };
}
