import path from "node:path";
import { stat } from "node:fs/promises";
import { error, hasErrors, sortDiagnostics, warning, type Diagnostic } from "../check/diagnostic.js";
import { sha256 } from "../emit/manifest.js";
import type { OutputFile } from "../emit/output.js";
import { fieldsTooNew } from "../emit/prometheus.js";
import { discoverMonitorFiles } from "../load/discover.js";
import { DEFAULT_LOAD_TIMEOUT_MS, loadFiles, type Loaded } from "../load/load.js";
import { toRelative, type Locator } from "../load/sourcemap.js";
import { configSchema, type Config } from "../model/config.js";
import { parseDuration } from "../model/duration.js";
import type { SourceLocation } from "../model/location.js";
import { formatFiles } from "../output/format.js";
import { planAlertmanager } from "../plan/alertmanager.js";
import { plan as makePlan } from "../plan/plan.js";
import type { Plan, ServicePlan } from "../plan/types.js";
import { resolvePending, type Pending } from "../validate/anchor.js";
import { validate, type Model, type ValidService, type ValidTeam } from "../validate/validate.js";
import { diffOutput, emptyCache, groupKey, retain, type GroupEntry, type HashedFile, type Output, type OutputCache, type ServiceEntry } from "./cache.js";
import { importGraph, mergeGraph, withDependents, type ImportGraph } from "./graph.js";
import { hashText, hashValue } from "./hash.js";
import { emptyIndex, fileKeys, neighbourhood, updateIndex, type FileKeys, type KeyIndex } from "./neighbours.js";
import { indexPage } from "../emit/runbooks.js";
import { mimirGroups, planTeamDashboards, renderMimir, renderRouting, renderService, renderTeam, type GrafanaV2 } from "../emit/pieces.js";

/**
 * Compiles like `vigil compile` (pipeline.ts), keeping what it computed so that the next
 * compile redoes only what a change touched: it re-runs the changed files and the files that
 * import them, validates them with the files they share names with (neighbours.ts), plans and
 * renders the services whose validated object changed, and rebuilds the files that combine
 * services from the cached plans. The result is the same as a cold compile's (the tests
 * compare them byte for byte).
 */

export interface SessionOptions {
  cwd?: string;
  config?: string;
  /** Most milliseconds loading may take (`--timeout`); default the config's `loadTimeout`. */
  timeoutMs?: number;
}

/** The declarations one file made when it last ran, and the load that ran it (for locating). */
interface FileRun {
  declarations: Loaded[];
  load: number;
}

export interface Session {
  options: SessionOptions;
  rootDir: string;
  outDir: string;
  configPath: string | undefined;
  configFile: string | undefined;
  /** Set when the config could not be loaded: the next change starts over. */
  broken: boolean;
  config: Config;
  configValue: unknown;
  configLocation: SourceLocation | undefined;
  configLocate: Locator | undefined;
  configHash: string;
  loadTimeoutMs: number;
  toV2: GrafanaV2;
  /** Monitor files (the config's globs), repository-relative, sorted. */
  monitorFiles: string[];
  graph: ImportGraph;
  runs: Map<string, FileRun>;
  locators: Map<number, Locator>;
  nextLoad: number;
  /** Files whose last run failed: run again next time whatever changes. */
  dirty: Set<string>;
  /** Files whose last validation had errors: validated again next time. */
  invalid: Set<string>;
  index: KeyIndex;
  /** Validation diagnostics by file ("" for those without one). */
  diagnostics: Map<string, Diagnostic[]>;
  validated: Map<string, ValidService[]>;
  cache: OutputCache;
}

export interface CycleStats {
  /** Monitor files run. */
  loaded: number;
  /** Services validated. */
  validated: number;
  /** Services planned and rendered (not found in the cache). */
  rendered: number;
  services: number;
  /** Milliseconds by phase (load, validate, render, ...), for profiling. */
  timings?: Record<string, number>;
}

export interface CycleResult {
  diagnostics: Diagnostic[];
  /** The whole output, manifest included, in groups (cache.ts); undefined when there are errors. */
  output?: Output;
  rootDir: string;
  outDir: string;
  stats: CycleStats;
}

const CONFIG_NAMES = ["vigil.config.ts", "vigil.config.mts", "vigil.config.js", "vigil.config.mjs"];
const exists = (p: string) => stat(p).then(() => true, () => false);
const NO_STATS: CycleStats = { loaded: 0, validated: 0, rendered: 0, services: 0 };

async function findConfig(cwd: string, explicit: string | undefined): Promise<string | undefined> {
  if (explicit) return path.resolve(cwd, explicit);
  for (const name of CONFIG_NAMES) if (await exists(path.join(cwd, name))) return path.join(cwd, name);
  return undefined;
}

function blankSession(options: SessionOptions, rootDir: string): Session {
  const config = configSchema.parse({});
  return {
    options, rootDir, outDir: path.resolve(rootDir, config.outDir), configPath: undefined, configFile: undefined, broken: true,
    config, configValue: {}, configLocation: undefined, configLocate: undefined, configHash: "", loadTimeoutMs: DEFAULT_LOAD_TIMEOUT_MS, toV2: undefined,
    monitorFiles: [], graph: new Map(), runs: new Map(), locators: new Map(), nextLoad: 0, dirty: new Set(), invalid: new Set(),
    index: emptyIndex(), diagnostics: new Map(), validated: new Map(), cache: emptyCache(),
  };
}

const failed = (session: Session, diagnostics: Diagnostic[], stats = NO_STATS) => ({
  session,
  result: { diagnostics: sortDiagnostics(diagnostics), rootDir: session.rootDir, outDir: session.outDir, stats },
});

/** Loads the config and compiles everything: the first compile, and the one after a config change. */
export async function startSession(options: SessionOptions): Promise<{ session: Session; result: CycleResult }> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  if (!(await exists(cwd))) {
    return failed(blankSession(options, cwd), [error("cwd-not-found", `directory ${cwd} does not exist`, undefined, "pass an existing directory to --cwd")]);
  }
  const configPath = await findConfig(cwd, options.config);
  const rootDir = configPath ? path.dirname(configPath) : cwd;
  const blank = { ...blankSession(options, rootDir), configPath };
  if (options.config && configPath && !(await exists(configPath))) {
    return failed(blank, [error("config-not-found", `config file ${options.config} does not exist`, undefined, "pass an existing file to --config, or run in the directory that holds vigil.config.ts")]);
  }
  const configFile = configPath ? toRelative(rootDir, configPath) : undefined;
  const loadedConfig = configPath ? await loadFiles(rootDir, [configPath], { timeoutMs: options.timeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS, raise: "flag" }) : undefined;
  if (loadedConfig && hasErrors(loadedConfig.diagnostics)) return failed({ ...blank, configFile }, loadedConfig.diagnostics);
  const configValue = loadedConfig?.exports.get(configFile!)?.default ?? {};
  const parsed = configSchema.safeParse(configValue);
  const config = parsed.success ? parsed.data : configSchema.parse({});
  const session: Session = {
    ...blank,
    configFile,
    broken: false,
    config,
    outDir: path.resolve(rootDir, config.outDir),
    configValue,
    configLocation: loadedConfig?.declarations.find((d) => d.kind === "config")?.location ?? (configFile ? { file: configFile, line: 1, column: 1 } : undefined),
    configLocate: loadedConfig?.locate,
    configHash: hashValue(config),
    loadTimeoutMs: options.timeoutMs ?? parseDuration(config.loadTimeout) ?? DEFAULT_LOAD_TIMEOUT_MS,
    toV2: config.grafana.schema === "v2" ? (await import("../emit/grafana-v2.js")).dashboardManifestV2 : undefined,
  };
  return cycle(session, new Set(), true);
}

/**
 * Compiles again after `changed` (absolute paths) changed; `rescan` looks for added and
 * deleted monitor files. A change of the config starts over.
 */
export async function recompile(session: Session, changed: ReadonlySet<string>, rescan: boolean): Promise<{ session: Session; result: CycleResult }> {
  const configChanged = session.configPath ? changed.has(session.configPath) : [...changed].some((p) => path.dirname(p) === session.rootDir && CONFIG_NAMES.includes(path.basename(p)));
  if (session.broken || configChanged) return startSession(session.options);
  return cycle(session, new Set([...changed].map((p) => toRelative(session.rootDir, p))), rescan);
}

/** Files in the order a cold load runs them: entries sorted, each after what it imports. */
function executionOrder(graph: ImportGraph, entries: readonly string[]): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of graph.get(file) ?? []) visit(imported);
    order.push(file);
  };
  for (const entry of entries) visit(entry);
  return order;
}

/** Call sites point into the bundle of the load that ran them: ask each live load's locator. */
function combinedLocator(configLocate: Locator | undefined, locators: ReadonlyMap<number, Locator>): Locator {
  return (site) => {
    const found = configLocate?.(site);
    if (found) return found;
    for (const locator of locators.values()) {
      const location = locator(site);
      if (location) return location;
    }
    return undefined;
  };
}

const fileOf = (location: SourceLocation | undefined) => location?.file ?? "";
const byTeamThenName = (a: ServicePlan, b: ServicePlan) => (a.team === b.team ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.team < b.team ? -1 : 1);
/** What planning reads of a declared object: its validated fields and where it was declared, not the raw value. */
const planned = <T extends { origin: { location: SourceLocation | undefined } }>(object: T) => ({ ...object, origin: { location: object.origin.location } });
const serviceHashes = new WeakMap<ValidService, string>();
function serviceHash(service: ValidService): string {
  let hash = serviceHashes.get(service);
  if (!hash) serviceHashes.set(service, (hash = hashValue(planned(service))));
  return hash;
}
/** A service's cache key: its hash, its team's and the config's (`context`), hashed again only when the context changes. */
const serviceKeys = new WeakMap<ValidService, { context: string; key: string }>();
function serviceKey(service: ValidService, context: string): string {
  const known = serviceKeys.get(service);
  if (known?.context === context) return known.key;
  const key = hashText(`${serviceHash(service)}\0${context}`);
  serviceKeys.set(service, { context, key });
  return key;
}
const hashed = (files: readonly OutputFile[]): HashedFile[] => files.map((f) => ({ ...f, sha256: sha256(f.content) }));

/** Records the milliseconds since the last mark under a phase's name. */
function clock(timings: Record<string, number>): (phase: string) => void {
  let last = performance.now();
  return (phase) => {
    const now = performance.now();
    timings[phase] = Math.round((timings[phase] ?? 0) + now - last);
    last = now;
  };
}

async function cycle(previous: Session, changed: Set<string>, rescan: boolean): Promise<{ session: Session; result: CycleResult }> {
  let session = previous;
  const timings: Record<string, number> = {};
  const mark = clock(timings);
  const { rootDir } = session;
  const monitorFiles = rescan ? (await discoverMonitorFiles(rootDir, session.config.monitors)).map((f) => toRelative(rootDir, f)) : session.monitorFiles;
  const known = new Set(session.monitorFiles);
  const current = new Set(monitorFiles);
  const added = monitorFiles.filter((f) => !known.has(f));
  const removed = session.monitorFiles.filter((f) => !current.has(f));
  const touched = new Set([...changed].filter((f) => session.graph.has(f) || current.has(f)));
  for (const f of [...added, ...removed, ...session.dirty]) touched.add(f);
  const affected = withDependents(session.graph, touched);
  const rerun = [...affected].filter((f) => current.has(f)).sort();

  // Run what changed, and map what imports what in the same pass (esbuild runs beside us).
  const loadId = session.nextLoad;
  const [loaded, graphUpdate] = rerun.length
    ? await Promise.all([
        loadFiles(rootDir, rerun.map((f) => path.join(rootDir, f)), { timeoutMs: session.loadTimeoutMs, raise: "flag-or-config" }),
        importGraph(rootDir, rerun.map((f) => path.join(rootDir, f))),
      ])
    : [undefined, { graph: new Map() as ImportGraph, ok: true }];
  mark("load");
  session = { ...session, monitorFiles, nextLoad: loadId + 1 };
  const loadErrors = loaded ? loaded.diagnostics.filter((d) => d.severity === "error") : [];
  if (loaded && (loadErrors.length > 0 || !graphUpdate.ok)) {
    // Nothing ran (a syntax error, a missing import) or it stopped midway: run these files again next time.
    const stopped = loaded.exports.size === 0 || !graphUpdate.ok || loadErrors.some((d) => d.code === "monitor-timeout" || !d.location);
    const dirty = stopped ? rerun : loadErrors.map((d) => fileOf(d.location)).filter((f) => current.has(f));
    return failed({ ...session, dirty: new Set([...session.dirty, ...touched, ...dirty].filter((f) => current.has(f) || session.graph.has(f))) }, loaded.diagnostics, { ...NO_STATS, loaded: rerun.length, timings });
  }

  // Each file's declarations: fresh for the files that changed and those run for the first time.
  const graph = mergeGraph(session.graph, graphUpdate.graph, removed);
  const order = executionOrder(graph, monitorFiles);
  const fresh = new Map<string, Loaded[]>();
  for (const declaration of loaded?.declarations ?? []) {
    const file = fileOf(declaration.location);
    if (affected.has(file) || !session.runs.has(file)) fresh.set(file, [...(fresh.get(file) ?? []), declaration]);
  }
  for (const file of affected) if (current.has(file) || graph.has(file)) if (!fresh.has(file)) fresh.set(file, []);
  const reachable = new Set([...order, ""]);
  const runs = new Map([...session.runs].filter(([file]) => reachable.has(file) && !fresh.has(file)));
  for (const [file, declarations] of fresh) if (reachable.has(file)) runs.set(file, { declarations, load: loadId });
  const locators = new Map(session.locators);
  if (loaded) locators.set(loadId, loaded.locate);
  const liveLoads = new Set([...runs.values()].map((r) => r.load));
  for (const id of locators.keys()) if (!liveLoads.has(id)) locators.delete(id);
  const locate = combinedLocator(session.configLocate, locators);

  // Validate the files touched with the files they share names with (and every team).
  const gone = [...session.runs.keys()].filter((f) => !runs.has(f));
  const updates = new Map<string, FileKeys | undefined>();
  for (const file of [...fresh.keys(), ...gone]) {
    const run = runs.get(file);
    updates.set(file, run ? fileKeys(run.declarations.filter((d) => d.kind === "service").map((d) => d.value)) : undefined);
  }
  const before = new Map([...updates.keys()].flatMap((f) => (session.index.byFile.has(f) ? [[f, session.index.byFile.get(f)!] as const] : [])));
  const index = updateIndex(session.index, updates);
  const teamFiles = [...runs].filter(([, run]) => run.declarations.some((d) => d.kind === "team")).map(([file]) => file);
  const cold = session.runs.size === 0;
  const rank = new Map(order.map((file, i) => [file, i]));
  const rankBefore = new Map(executionOrder(previous.graph, previous.monitorFiles).map((file, i) => [file, i]));
  const scope = cold ? reachable : new Set([...neighbourhood(index, [...fresh.keys(), ...gone], before, session.invalid, rank, rankBefore), ...teamFiles, ""]);
  const declarations = [...order, ""].flatMap((file) => runs.get(file)?.declarations ?? []);
  const origin = (d: Loaded) => ({ value: d.value, location: d.location });
  const services = declarations.filter((d) => d.kind === "service" && scope.has(fileOf(d.location)));
  mark("scope");
  const validated = await validate({
    rootDir,
    config: { value: session.configValue, location: session.configLocation },
    configFile: session.configFile,
    teams: declarations.filter((d) => d.kind === "team").map(origin),
    services: services.map(origin),
    locate,
    preciseWarnings: false,
  });
  const buckets = new Map(session.diagnostics);
  for (const file of [...scope, ...gone, session.configFile ?? ""]) buckets.delete(file);
  for (const diagnostic of validated.diagnostics) {
    const file = fileOf(diagnostic.location);
    buckets.set(file, [...(buckets.get(file) ?? []), diagnostic]);
  }
  const noMonitors = monitorFiles.length === 0
    ? [warning("no-monitors", `no monitor files match ${JSON.stringify(session.config.monitors)}`, session.configLocation, 'set "monitors" in vigil.config.ts to a glob of your monitor files')]
    : [];
  const diagnostics = [...[...buckets.values()].flat(), ...noMonitors];
  mark("validate");
  const stats: CycleStats = { loaded: rerun.length, validated: services.length, rendered: 0, services: 0, timings };
  session = { ...session, graph, runs, locators, dirty: new Set(), index, diagnostics: buckets };
  if (!validated.model || hasErrors(diagnostics)) return failed({ ...session, invalid: new Set([...scope, ...session.invalid]) }, diagnostics, stats);

  const validatedByFile = new Map([...session.validated].filter(([file]) => runs.has(file) && !scope.has(file)));
  for (const service of validated.model.services) {
    const file = fileOf(service.origin.location);
    validatedByFile.set(file, [...(validatedByFile.get(file) ?? []), service]);
  }
  session = { ...session, invalid: new Set(), validated: validatedByFile };
  const model: Model = {
    config: session.config,
    configFile: session.configFile,
    teams: validated.model.teams,
    services: [...order, ""].flatMap((file) => validatedByFile.get(file) ?? []),
  };
  return render(session, model, diagnostics, stats);
}

/** Plans and renders from the cache what it has, the rest anew. */
async function render(session: Session, model: Model, diagnostics: Diagnostic[], stats: CycleStats): Promise<{ session: Session; result: CycleResult }> {
  const { config, rootDir, toV2 } = session;
  const mark = clock((stats.timings ??= {}));
  const cache = session.cache;
  const teams = new Map<string, ValidTeam>(model.teams.map((t) => [t.name, t]));
  const teamHashes = new Map(model.teams.map((t) => [t.name, hashValue(planned(t))]));
  // Alertmanager's plan reads all teams but only the routing facet of each service (routingKey).
  const routingKey = hashText([session.configHash, model.configFile ?? "", ...model.teams.map((t) => `${t.name}\0${teamHashes.get(t.name)}`), ...model.services.map(routingFacet)].join("\0"));
  if (cache.routing?.key !== routingKey) cache.routing = { key: routingKey, alertmanager: planAlertmanager(model) };
  const alertmanager = cache.routing.alertmanager;
  const base: Plan = { config, services: [], teamDashboards: [], alertmanager };
  const locate = combinedLocator(session.configLocate, session.locators);
  mark("routing");

  const entries: ServiceEntry[] = [];
  for (const service of model.services) {
    const key = serviceKey(service, `${teamHashes.get(service.team)}\0${session.configHash}`);
    let entry = cache.services.get(key);
    if (!entry) {
      const team = teams.get(service.team)!;
      const servicePlan = makePlan({ config, configFile: model.configFile, teams: [team], services: [service] }).services[0]!;
      const pending: Pending[] = [...servicePlan.problems, ...fieldsTooNew(config, service.alerts)].map((p) => ({
        diagnostic: { severity: "error" as const, code: p.code, message: p.message, ...(p.hint && { hint: p.hint }) },
        anchor: { origin: service.origin, path: p.path },
      }));
      const problems = pending.length ? await resolvePending(pending, locate, rootDir) : [];
      entry = { key, plan: servicePlan, files: hashed(await formatFiles(renderService(base, servicePlan, toV2))), problems };
      cache.services.set(key, entry);
      stats.rendered++;
    }
    entries.push(entry);
  }
  stats.services = entries.length;
  mark("services");
  const problems = entries.flatMap((e) => e.problems);
  if (problems.length > 0) return failed(session, [...diagnostics, ...problems], stats);

  const ordered = [...entries].sort((a, b) => byTeamThenName(a.plan, b.plan));
  const plan: Plan = { ...base, services: ordered.map((e) => e.plan) };
  const keyOf = new Map(ordered.map((e) => [e.plan, e.key]));
  const group = async (map: Map<string, GroupEntry>, name: string, key: string, make: () => OutputFile[]): Promise<GroupEntry> => {
    const hit = map.get(name);
    if (hit?.key === key) return hit;
    const entry = { key, files: hashed(await formatFiles(make())) };
    map.set(name, entry);
    return entry;
  };
  const byTeam = new Map<string, ServicePlan[]>();
  for (const service of plan.services) {
    const members = byTeam.get(service.team);
    if (members) members.push(service);
    else byTeam.set(service.team, [service]);
  }
  const teamGroups: HashedFile[][] = [];
  for (const [team, members] of byTeam) {
    const key = groupKey(team, members.map((m) => keyOf.get(m)!));
    teamGroups.push((await group(cache.teams, team, key, () => renderTeam(plan, planTeamDashboards(members), toV2))).files);
  }
  const namespaces = mimirGroups(plan);
  const mimirGroupFiles: HashedFile[][] = [];
  for (const [namespace, members] of namespaces) {
    const key = groupKey(namespace, members.map((m) => keyOf.get(m)!));
    mimirGroupFiles.push((await group(cache.mimir, namespace, key, () => renderMimir(plan, members))).files);
  }
  mark("groups");
  // Alertmanager's config and what goes with it: from its plan and the config; the runbook index: from each service's index facet.
  const shared = [
    (await group(cache.shared, "routing", `${routingKey}\0${session.configHash}`, () => renderRouting(plan, toV2))).files,
    (await group(cache.shared, "index", hashText([session.configHash, ...plan.services.map(indexFacet)].join("\0")), () => [indexPage(plan)])).files,
  ];
  mark("shared");

  const groups: Output = [...ordered.map((e) => e.files), ...teamGroups, ...mimirGroupFiles, ...shared];
  const output = [...groups, [cache.manifest.build(groups)]];
  mark("manifest");
  const next = { ...session, cache: retain(cache, { services: entries.map((e) => e.key), teams: byTeam.keys(), mimir: namespaces.keys() }) };
  return { session: next, result: { diagnostics: sortDiagnostics(diagnostics), output, rootDir, outDir: session.outDir, stats } };
}

/** What of a validated service Alertmanager's plan reads (its name, dependencies, service-down alerts, file), hashed. */
const routingFacets = new WeakMap<ValidService, string>();
function routingFacet(service: ValidService): string {
  let facet = routingFacets.get(service);
  if (facet === undefined) {
    const down = service.alerts.filter((a) => a.serviceDown).map((a) => a.name);
    routingFacets.set(service, (facet = hashText(JSON.stringify([service.name, service.dependsOn, down, service.origin.location?.file ?? null]))));
  }
  return facet;
}

/** What of a service's plan the runbook index reads (team, name, description, alerts' severities, headings and anchors, sources), hashed. */
const indexFacets = new WeakMap<ServicePlan, string>();
function indexFacet(service: ServicePlan): string {
  let facet = indexFacets.get(service);
  if (facet === undefined) {
    const alerts = service.alerts.map((a) => [a.severity, a.heading, a.anchor]);
    indexFacets.set(service, (facet = hashText(JSON.stringify([service.team, service.name, service.description ?? null, alerts, service.sources]))));
  }
  return facet;
}

/** What differs from what was written last (path to sha256). */
export { diffOutput };
