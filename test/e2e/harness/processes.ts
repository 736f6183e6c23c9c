import { spawn, type ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { requireBinary } from "./binaries.js";

/**
 * The tail of a process's output, capped in size.
 *
 * Why: Prometheus and Alertmanager log continuously; keeping everything would grow without
 * bound in long tests, yet the last lines are exactly what explains a failed start or wait.
 */
export class BoundedLog {
  private chunks: string[] = [];
  private size = 0;

  constructor(private readonly limit = 64 * 1024) {}

  append(text: string): void {
    this.chunks.push(text);
    this.size += text.length;
    while (this.size > this.limit && this.chunks.length > 1) this.size -= this.chunks.shift()!.length;
    if (this.size > this.limit) {
      const only = this.chunks[0]!.slice(-this.limit);
      this.chunks = [only];
      this.size = only.length;
    }
  }

  toString(): string {
    return this.chunks.join("");
  }
}

/** A long-running child process the harness owns, known by its PID and nothing else. */
export interface ManagedProcess {
  /** A short label for messages, e.g. "prometheus". */
  readonly name: string;
  readonly pid: number;
  /** The command line, for messages. */
  readonly command: string;
  /** The last stdout and stderr output, interleaved in arrival order. */
  logs(): string;
  /** True once the process has exited and been reaped. */
  exited(): boolean;
  /** How it ended: exit code or signal; undefined while it runs. */
  exitStatus(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartProcessOptions {
  /** Label for messages; defaults to the binary name. */
  name?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Bytes of output kept for messages. */
  logLimit?: number;
}

/** Every process started through this module, in start order, running or not. */
const started: ManagedProcess[] = [];
/** The ones not yet seen exiting: what the 'exit' handler must kill. */
const running = new Map<number, ChildProcess>();

/**
 * Kill, by PID, every child still running when Node exits.
 *
 * Why: afterAll hooks do not run if the worker is torn down abruptly (a crash, a timeout, a
 * `process.exit`), and a leaked Prometheus keeps its port and lock file. 'exit' handlers must
 * be synchronous, so this sends SIGKILL directly rather than the graceful stop().
 */
function killRunningChildren(): void {
  for (const pid of running.keys()) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}
process.once("exit", killRunningChildren);

/** The PIDs of every process the harness started (including finished tool runs), for leak checks. */
export function startedPids(): number[] {
  return started.map((p) => p.pid);
}

/**
 * Whether a PID currently exists. Why: `process.kill(pid, 0)` delivers no signal but throws
 * ESRCH for a process that is gone, which is the check the tests use to prove nothing leaked.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Spawn `binary` directly (no shell) with its output captured, and track its PID.
 *
 * Why no shell: a shell would be the PID we hold, and killing it can orphan the real server;
 * spawning the binary itself means stop() and the exit handler signal exactly that process.
 */
export function startProcess(binary: string, args: readonly string[], options: StartProcessOptions = {}): ManagedProcess {
  const file = requireBinary(binary);
  const name = options.name ?? binary;
  const log = new BoundedLog(options.logLimit);
  const child = spawn(file, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
  if (child.pid === undefined) throw new Error(`${name}: spawn of ${file} returned no PID`);
  const pid = child.pid;
  running.set(pid, child);
  child.stdout!.setEncoding("utf8").on("data", (text: string) => log.append(text));
  child.stderr!.setEncoding("utf8").on("data", (text: string) => log.append(text));
  child.on("error", (error) => log.append(`\n[harness] ${name}: ${error.message}\n`));
  const exitedPromise = new Promise<void>((resolve) => {
    child.once("exit", () => {
      running.delete(pid);
      resolve();
    });
  });

  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const managed: ManagedProcess = {
    name,
    pid,
    command: [file, ...args].join(" "),
    logs: () => log.toString(),
    exited,
    exitStatus: () => (exited() ? { code: child.exitCode, signal: child.signalCode } : undefined),
    async stop(graceMs = 5_000) {
      if (exited()) return exitedPromise;
      child.kill("SIGTERM");
      const timer = sleep(graceMs, "timeout" as const);
      if ((await Promise.race([exitedPromise.then(() => "exited" as const), timer])) === "timeout" && !exited()) {
        child.kill("SIGKILL");
      }
      await exitedPromise;
    },
  };
  started.push(managed);
  return managed;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run a short-lived tool (e.g. promtool) to completion and collect its output.
 * Tracked like long-running processes so the leak check covers it too.
 */
export async function runProcess(binary: string, args: readonly string[], options: StartProcessOptions = {}): Promise<RunResult> {
  const file = requireBinary(binary);
  const child = spawn(file, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
  if (child.pid === undefined) throw new Error(`${binary}: spawn of ${file} returned no PID`);
  const pid = child.pid;
  running.set(pid, child);
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (t: string) => (stdout += t));
  child.stderr!.setEncoding("utf8").on("data", (t: string) => (stderr += t));
  started.push({
    name: options.name ?? binary,
    pid,
    command: [file, ...args].join(" "),
    logs: () => stdout + stderr,
    exited: () => child.exitCode !== null || child.signalCode !== null,
    exitStatus: () => ({ code: child.exitCode, signal: child.signalCode }),
    stop: async () => undefined,
  });
  return new Promise<RunResult>((resolve, reject) => {
    child.once("error", reject);
    // 'close' (not 'exit') so that all output has been read.
    child.once("close", (code) => {
      running.delete(pid);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface WaitForOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** What is awaited, in words: the timeout error starts with it. */
  what: string;
  /** Processes whose logs explain a timeout; if one exits meanwhile, waiting stops at once. */
  processes?: readonly ManagedProcess[];
}

/**
 * Poll `probe` until it returns a truthy value, and return that value.
 *
 * Why: the programs under test are asynchronous (evaluation intervals, group_wait, discovery
 * refreshes), so assertions must poll, and a bare "timed out" is useless. A probe that throws
 * (connection refused while a server starts) counts as "not yet"; its last error, the last
 * value and the processes' logs go into the timeout message.
 */
export async function waitFor<T>(probe: () => T | Promise<T>, options: WaitForOptions): Promise<NonNullable<T>> {
  const { timeoutMs, intervalMs = 200, what, processes = [] } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  let lastValue: unknown;
  for (;;) {
    try {
      const value = await probe();
      lastValue = value;
      lastError = undefined;
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    const dead = processes.find((p) => p.exited());
    if (dead) throw new Error(`${what}: gave up because ${dead.name} (PID ${dead.pid}) exited ${JSON.stringify(dead.exitStatus())}${describeState(lastError, lastValue, processes)}`);
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${describeState(lastError, lastValue, processes)}`);
    await sleep(intervalMs);
  }
}

/** The context a failed wait reports: last probe outcome and the tail of each process's log. */
function describeState(lastError: unknown, lastValue: unknown, processes: readonly ManagedProcess[]): string {
  const outcome = lastError !== undefined ? `\nlast probe error: ${lastError instanceof Error ? lastError.message : String(lastError)}` : `\nlast probe value: ${truncate(JSON.stringify(lastValue) ?? String(lastValue), 2_000)}`;
  const logs = processes.map((p) => `\n--- ${p.name} (PID ${p.pid}) log tail ---\n${truncate(p.logs(), 8_000, true)}`).join("");
  return outcome + logs;
}

function truncate(text: string, max: number, keepEnd = false): string {
  if (text.length <= max) return text;
  return keepEnd ? `…${text.slice(-max)}` : `${text.slice(0, max)}…`;
}
