import { fork } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { error, sortDiagnostics, type Diagnostic } from "../check/diagnostic.js";
import { timeoutDiagnostic } from "../load/evaluate.js";
import { localBundler, type PreparedBundle } from "../load/load.js";
import { configSchema } from "../model/config.js";
import type { CompileOptions, CompileResult } from "../pipeline.js";
import { readablePaths, sandboxFlags } from "./permissions.js";
import type { ChildMessage, ParentMessage, PortableResult } from "./protocol.js";

const built = (file: string) => fileURLToPath(new URL(import.meta.url.endsWith(".ts") ? `../../dist/sandbox/${file}` : `./${file}`, import.meta.url));
const CHILD = built("child.js");
const VIGIL_ROOT = path.resolve(path.dirname(CHILD), "../..");
/** Past the child's own limit, the time it has to report a timeout itself before it is killed. */
const GRACE_MS = 2000;

/**
 * `--sandbox`: compiles in a child process under Node's permission model, so that monitor
 * files run where they cannot write files, start processes or workers, or read outside the
 * repository. The child gets no environment variables (no CI tokens to read). Returns what
 * compile returns, less the plan and model (they hold monitor objects, which stay in the child).
 */
export async function compileInSandbox(options: CompileOptions): Promise<PortableResult> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const repoDirs = [cwd, ...(options.config ? [path.dirname(path.resolve(cwd, options.config))] : [])];
  const child = fork(CHILD, [], {
    execArgv: sandboxFlags(await readablePaths(repoDirs, VIGIL_ROOT)),
    env: {},
    serialization: "advanced",
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const bundles = new Map<string, PreparedBundle>();
  let rootDir = cwd;
  let loading: { files: string[]; timeoutMs: number } | undefined;
  let timer: NodeJS.Timeout | undefined;

  const outcome = await new Promise<{ result: PortableResult } | { diagnostics: Diagnostic[] } | { crash: string }>((resolve) => {
    const send = (message: ParentMessage) => child.send(message);
    child.on("message", (message: ChildMessage) => {
      switch (message.type) {
        case "prepare":
          localBundler.prepare(message.rootDir, message.files, message.setAside).then(
            ({ bundle, diagnostics }) => {
              if (bundle) bundles.set(bundle.file, bundle);
              send({ type: "prepared", id: message.id, ...(bundle && { bundle }), diagnostics });
            },
            (failure: unknown) => resolve({ crash: failure instanceof Error ? failure.stack ?? failure.message : String(failure) }),
          );
          return;
        case "dispose":
          bundles.delete(message.bundle.file);
          void localBundler.dispose(message.bundle);
          return;
        case "phase":
          rootDir = message.rootDir;
          if (message.phase === "done") {
            clearTimeout(timer);
            loading = undefined;
            return;
          }
          // The child stops a synchronous loop itself; this catches what it cannot (a loop after an await).
          if (message.phase === "run") {
            clearTimeout(timer);
            timer = setTimeout(() => {
              child.kill("SIGKILL");
              resolve({ diagnostics: [timeoutDiagnostic(loading?.files ?? [], { timeoutMs: message.timeoutMs, raise: "flag-or-config" })] });
            }, message.timeoutMs + GRACE_MS);
          }
          loading = { files: message.files, timeoutMs: message.timeoutMs };
          return;
        case "result":
          resolve({ result: message.result });
          return;
        case "crash":
          resolve({ crash: message.stack });
          return;
      }
    });
    child.on("error", (failure) => resolve({ crash: failure.stack ?? failure.message }));
    child.on("exit", (code, signal) => {
      const files = loading?.files ?? [];
      resolve({
        diagnostics: [
          error(
            "sandbox-exited",
            `the sandboxed compile ended (${signal ?? `exit code ${code}`}) before it returned${files.length ? `, while loading ${files.slice(0, 3).join(", ")}${files.length > 3 ? ` and ${files.length - 3} more` : ""}` : ""}`,
            files.length === 1 ? { file: files[0]!, line: 1, column: 1 } : undefined,
            "a monitor file may not end the process (process.exit) or crash Node; run without --sandbox to see the error",
          ),
        ],
      });
    });
    send({
      type: "compile",
      options: {
        cwd,
        ...(options.config !== undefined && { config: options.config }),
        ...(options.preciseWarnings !== undefined && { preciseWarnings: options.preciseWarnings }),
        ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
        ...(options.liveCatalog && { liveCatalog: options.liveCatalog }),
      },
    });
  });

  clearTimeout(timer);
  // Monitors may leave timers behind that would keep the child alive; its work is done.
  child.kill("SIGKILL");
  await Promise.all([...bundles.values()].map((bundle) => localBundler.dispose(bundle)));
  if ("crash" in outcome) throw new Error(`the sandboxed compile failed:\n${outcome.crash}`);
  if ("result" in outcome) return outcome.result;
  return {
    diagnostics: sortDiagnostics(outcome.diagnostics),
    files: [],
    rootDir,
    outDir: path.join(rootDir, "generated"),
    config: configSchema.parse({}),
    monitorFiles: [],
    timings: { load: 0, validate: 0, plan: 0, render: 0, format: 0, write: 0 },
  };
}

/** The options `compile`, `check`, `lint` and `test` share for loading monitors. */
export interface LoadingFlags {
  /** `--sandbox`: evaluate the monitors in a child process under Node's permission model. */
  sandbox?: boolean;
  /** `--timeout`, in milliseconds. */
  timeout?: number;
}

/**
 * The compile the commands run: in this process, or in the sandbox with `--sandbox`, whose
 * result has no `plan` or `model` (they hold the monitors' own objects, which stay in the child).
 */
export function compileWith(options: CompileOptions & { sandbox?: boolean }): Promise<CompileResult> {
  const { sandbox, output, ...rest } = options;
  // The child cannot write: under --sandbox the files come back and the parent writes them.
  return sandbox ? compileInSandbox(rest) : import("../pipeline.js").then(({ compile }) => compile({ ...rest, ...(output && { output }) }));
}
