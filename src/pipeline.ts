import path from "node:path";
import { stat } from "node:fs/promises";
import { error, hasErrors, sortDiagnostics, warning, type Diagnostic } from "./check/diagnostic.js";
import { checkEncoding } from "./check/encoding.js";
import { emitManifest, manifestFrom, sha256 } from "./emit/manifest.js";
import { renderAll, renderPieces, type GrafanaV2 } from "./emit/pieces.js";
import type { OutputFile } from "./emit/output.js";
import { fieldsTooNew } from "./emit/prometheus.js";
import { discoverMonitorFiles } from "./load/discover.js";
import { DEFAULT_LOAD_TIMEOUT_MS, loadFiles, type Bundler, type LoadOptions } from "./load/load.js";
import { parseDuration } from "./model/duration.js";
import { toRelative } from "./load/sourcemap.js";
import { configSchema, type Config } from "./model/config.js";
import { formatFiles } from "./output/format.js";
import { plan as makePlan } from "./plan/plan.js";
import type { Plan } from "./plan/types.js";
import { validate, type Model } from "./validate/validate.js";
import { resolvePending } from "./validate/anchor.js";
import type { LiveCatalog } from "./lint/live-catalog.js";
import type { SourceLocation } from "./model/location.js";

export interface CompileOptions {
  /** Directory to look for `vigil.config.ts` in; default: the process's. */
  cwd?: string;
  /** Config file, relative to `cwd`; default `vigil.config.ts` when it exists. */
  config?: string;
  /**
   * Locate warnings at their exact property (default). False: at their declaration, unless an
   * error needs the TypeScript parser anyway; `vigil compile` uses it to skip ~0.6 s of parser
   * loading when there are only warnings. `lint` and `check` stay exact.
   */
  preciseWarnings?: boolean;
  /** What a running Prometheus has (`--prometheus`): names and labels are checked against it too. */
  liveCatalog?: LiveCatalog;
  /** Most milliseconds loading the config, then the monitors, may take (`--timeout`); default the config's `loadTimeout`, 30 s. */
  timeoutMs?: number;
  /** Makes the bundles of monitor files (default: esbuild in this process; `--sandbox`: its parent process). */
  bundler?: Bundler;
  /** Told which files are loading (`--sandbox`: the parent names them if it has to stop the child). */
  onLoadPhase?: LoadOptions["onPhase"];
  /**
   * Where to hand the files as they are rendered (`vigil compile`: a staged write of the output
   * directory, src/output/write.ts), a service at a time, instead of returning them all: the
   * writes go on while the next service renders, and the output is never all in memory.
   * Only called when there are no errors.
   */
  output?: (outDir: string) => OutputSink;
}

/** Takes the files of a compile one by one; `write` resolves when it can take the next. */
export interface OutputSink {
  write(file: OutputFile): Promise<void>;
}

export type Stage = "load" | "validate" | "plan" | "render" | "format" | "write";

export interface CompileResult {
  diagnostics: Diagnostic[];
  /** Everything compile would write, manifest included; empty when there are errors or the files went to `output`. */
  files: OutputFile[];
  /** How many files went to `options.output`, manifest included. */
  streamed?: number;
  rootDir: string;
  outDir: string;
  config: Config;
  /** The config file, relative to the root, when there is one. */
  configFile?: string;
  /** Where the config object is declared in it (diagnostics about the config are placed from here). */
  configLocation?: SourceLocation;
  monitorFiles: string[];
  plan?: Plan;
  model?: Model;
  timings: Record<Stage, number>;
}

/** Findings that a name is declared nowhere (or a metric used nowhere): about the whole repository. */
const NAME_REFERENCE_CODES = new Set(["unknown-team", "unknown-service", "unknown-receiver", "unknown-time-interval", "unknown-severity", "unknown-metric", "unknown-label", "unused-metric", "alert-unrouted"]);

const CONFIG_NAMES = ["vigil.config.ts", "vigil.config.mts", "vigil.config.js", "vigil.config.mjs"];
const exists = (p: string) => stat(p).then(() => true, () => false);

async function findConfig(cwd: string, explicit: string | undefined): Promise<string | undefined> {
  if (explicit) return path.resolve(cwd, explicit);
  for (const name of CONFIG_NAMES) if (await exists(path.join(cwd, name))) return path.join(cwd, name);
  return undefined;
}

/** The whole pipeline but the write: load, validate, plan, render, format. */
export async function compile(options: CompileOptions = {}): Promise<CompileResult> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const timings: Record<Stage, number> = { load: 0, validate: 0, plan: 0, render: 0, format: 0, write: 0 };
  const time = async <T>(stage: Stage, work: () => Promise<T> | T): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      timings[stage] += performance.now() - started;
    }
  };

  if (!(await exists(cwd))) {
    return {
      diagnostics: [error("cwd-not-found", `directory ${cwd} does not exist`, undefined, "pass an existing directory to --cwd")],
      files: [], rootDir: cwd, outDir: path.join(cwd, "generated"), config: configSchema.parse({}), monitorFiles: [], timings,
    };
  }
  const configPath = await findConfig(cwd, options.config);
  const rootDir = configPath ? path.dirname(configPath) : cwd;
  const result = (diagnostics: Diagnostic[], extra: Partial<CompileResult> = {}): CompileResult => ({
    diagnostics: sortDiagnostics(diagnostics),
    files: [],
    rootDir,
    outDir: path.resolve(rootDir, extra.config?.outDir ?? "generated"),
    config: extra.config ?? configSchema.parse({}),
    monitorFiles: [],
    timings,
    ...extra,
  });

  if (options.config && configPath && !(await exists(configPath))) {
    return result([error("config-not-found", `config file ${options.config} does not exist`, undefined, "pass an existing file to --config, or run in the directory that holds vigil.config.ts")]);
  }

  // The config first: it says where the monitors are.
  const configFile = configPath ? toRelative(rootDir, configPath) : undefined;
  const loading = (timeoutMs: number, raise: LoadOptions["raise"]): LoadOptions => ({
    timeoutMs,
    raise,
    ...(options.bundler && { bundler: options.bundler }),
    ...(options.onLoadPhase && { onPhase: options.onLoadPhase }),
  });
  const loadedConfig = configPath ? await time("load", () => loadFiles(rootDir, [configPath], loading(options.timeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS, "flag"))) : undefined;
  if (loadedConfig && hasErrors(loadedConfig.diagnostics)) return result(loadedConfig.diagnostics, { ...(configFile && { configFile }) });
  const configValue = loadedConfig?.exports.get(configFile!)?.default ?? {};
  const configLocation = loadedConfig?.declarations.find((d) => d.kind === "config")?.location ?? (configFile ? { file: configFile, line: 1, column: 1 } : undefined);
  const parsedConfig = configSchema.safeParse(configValue);
  const config = parsedConfig.success ? parsedConfig.data : configSchema.parse({});

  const monitorFiles = await discoverMonitorFiles(rootDir, config.monitors);
  const relativeFiles = monitorFiles.map((f) => toRelative(rootDir, f));
  const monitorTimeout = options.timeoutMs ?? parseDuration(config.loadTimeout) ?? DEFAULT_LOAD_TIMEOUT_MS;
  const loaded = await time("load", () => loadFiles(rootDir, monitorFiles, loading(monitorTimeout, "flag-or-config")));
  // esbuild reads invalid UTF-8 as U+FFFD without a word: such text would reach alerts silently.
  const diagnostics = [...(await checkEncoding(rootDir, monitorFiles)), ...loaded.diagnostics];
  // Stopped midway, the declarations are partial: judging them would only add noise.
  if (diagnostics.some((d) => d.code === "monitor-timeout")) return result(diagnostics, { config, monitorFiles: relativeFiles, ...(configFile && { configFile }) });
  if (monitorFiles.length === 0) {
    diagnostics.push(warning("no-monitors", `no monitor files match ${JSON.stringify(config.monitors)}`, configLocation, 'set "monitors" in vigil.config.ts to a glob of your monitor files'));
  }

  const origin = (kind: "team" | "service") => loaded.declarations.filter((d) => d.kind === kind).map((d) => ({ value: d.value, location: d.location }));
  const validated = await time("validate", () =>
    validate({
      rootDir,
      config: { value: configValue, location: configLocation },
      configFile,
      teams: origin("team"),
      services: origin("service"),
      locate: (site) => loadedConfig?.locate(site) ?? loaded.locate(site),
      preciseWarnings: options.preciseWarnings ?? true,
      liveCatalog: options.liveCatalog,
    }),
  );
  // Files set aside for syntax errors may declare what the rest refers to: "not declared" would
  // only repeat their error, so such findings wait until the files load.
  const setAside = loaded.diagnostics.some((d) => d.code === "syntax-error" || d.code === "import-not-found");
  diagnostics.push(...(setAside ? validated.diagnostics.filter((d) => !NAME_REFERENCE_CODES.has(d.code)) : validated.diagnostics));
  const base = { config, monitorFiles: relativeFiles, ...(configFile && { configFile }), ...(configLocation && { configLocation }) };
  if (!validated.model || hasErrors(diagnostics)) return result(diagnostics, base);

  const model = validated.model;
  const plan = await time("plan", () => makePlan(model));
  const planProblems = plan.services.flatMap((service) => {
    const { origin, alerts } = model.services.find((s) => s.name === service.name)!;
    return [...service.problems, ...fieldsTooNew(plan.config, alerts)].map((p) => ({ diagnostic: { severity: "error" as const, code: p.code, message: p.message, hint: p.hint }, anchor: { origin, path: p.path } }));
  });
  if (planProblems.length > 0) {
    const located = await resolvePending(planProblems, loaded.locate, rootDir);
    return result([...diagnostics, ...located], base);
  }
  const toV2 = plan.config.grafana.schema === "v2" ? (await import("./emit/grafana-v2.js")).dashboardManifestV2 : undefined;
  if (options.output) {
    const streamed = await renderInto(options.output(path.resolve(rootDir, config.outDir)), plan, toV2, time);
    return result(diagnostics, { ...base, streamed, plan, model });
  }
  const rendered = await time("render", () => renderAll(plan, toV2));
  const formatted = await time("format", () => formatFiles(rendered));
  const files = [...formatted, emitManifest(formatted)].sort((a, b) => (a.path < b.path ? -1 : 1));
  return result(diagnostics, { ...base, files, plan, model });
}

/**
 * The render, a piece at a time, into a sink: each file is hashed for the manifest and handed
 * on, and only the hashes are kept. The same files and bytes as the render above.
 */
async function renderInto(sink: OutputSink, plan: Plan, toV2: GrafanaV2, time: <T>(stage: Stage, work: () => Promise<T> | T) => Promise<T>): Promise<number> {
  const hashed: { path: string; sha256: string; sources: string[] }[] = [];
  const pieces = renderPieces(plan, toV2);
  for (let next = await time("render", () => pieces.next()); !next.done; next = await time("render", () => pieces.next())) {
    const piece = next.value;
    for (const file of await time("format", () => formatFiles(piece))) {
      hashed.push({ path: file.path, sha256: sha256(file.content), sources: file.sources });
      await time("write", () => sink.write(file));
    }
  }
  await time("write", () => sink.write(manifestFrom(hashed)));
  return hashed.length + 1;
}
