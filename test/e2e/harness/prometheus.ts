import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { apiGet, metricValue, request, statusOf } from "./http.js";
import { freePort } from "./ports.js";
import { startProcess, waitFor, type ManagedProcess } from "./processes.js";

export interface PrometheusOptions {
  /**
   * Rule files, referenced by absolute path (not copied). Why: a test can rewrite a file and
   * call reload(), exactly like a deploy that updates rules in place.
   */
  ruleFiles: readonly string[];
  /** Where to send alerts, e.g. `http://127.0.0.1:9093` (a path prefix is honoured). */
  alertmanagerUrl?: string;
  /**
   * TSDB directory. Give one to query backfilled blocks (see backfill.ts); it is then left in
   * place by stop(). By default a fresh directory inside `dir` is used and removed.
   */
  dataDir?: string;
  /** Global evaluation interval; 1s keeps alert tests fast. */
  evaluationInterval?: string;
  /** Global scrape interval; only matters if extraConfig adds scrape_configs. */
  scrapeInterval?: string;
  /** Extra top-level prometheus.yml keys (e.g. scrape_configs); `global` keys are merged. */
  extraConfig?: Record<string, unknown>;
  /** Extra command-line flags, e.g. `--storage.tsdb.retention.time=30d`. */
  extraArgs?: readonly string[];
  /** How long to wait for /-/ready. */
  readyTimeoutMs?: number;
}

/** One element of an instant query result (a scalar comes back as one sample without labels). */
export interface PromSample {
  metric: Record<string, string>;
  value: number;
  /** Evaluation time, Unix seconds. */
  timestamp: number;
}

/** An active alert as /api/v1/alerts reports it. */
export interface PromAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: "pending" | "firing" | "inactive";
  activeAt?: string;
  value: string;
}

/** A rule as /api/v1/rules reports it. */
export interface PromRule {
  name: string;
  query: string;
  type: "alerting" | "recording";
  health: "ok" | "err" | "unknown";
  lastError?: string;
  state?: "pending" | "firing" | "inactive";
  labels?: Record<string, string>;
  alerts?: PromAlert[];
  lastEvaluation: string;
}

export interface PromRuleGroup {
  name: string;
  file: string;
  interval: number;
  lastEvaluation: string;
  rules: PromRule[];
}

export interface ReloadResult {
  /** 200 when the new configuration was applied; 500 when it was rejected (the old one stays). */
  status: number;
  body: string;
}

export interface Prometheus {
  /** Base URL, `http://127.0.0.1:PORT`. */
  url: string;
  pid: number;
  /** The harness's working directory for this instance (config, default TSDB). */
  dir: string;
  configFile: string;
  dataDir: string;
  process: ManagedProcess;
  /** Stop the process (SIGTERM, then SIGKILL) and remove `dir`. Idempotent. */
  stop(): Promise<void>;
  /** POST /-/reload: re-read the config and every rule file. */
  reload(): Promise<ReloadResult>;
  /** Point the config at other rule files, then reload. */
  setRuleFiles(ruleFiles: readonly string[]): Promise<ReloadResult>;
  /** Instant query at `time` (Unix seconds or Date; default now). */
  query(expr: string, time?: number | Date): Promise<PromSample[]>;
  alerts(): Promise<PromAlert[]>;
  rules(): Promise<PromRuleGroup[]>;
  /** A metric of Prometheus itself, read from /metrics (e.g. prometheus_config_last_reload_successful). */
  metric(name: string): Promise<number | undefined>;
}

/**
 * Start a real Prometheus on a free 127.0.0.1 port with a generated config, and wait until
 * /-/ready answers 200.
 *
 * Flags and why: --web.enable-lifecycle for POST /-/reload; --rules.alert.resend-delay=1s
 * because with the default (1m) an alert reaches Alertmanager only a minute after it fires;
 * --web.enable-remote-write-receiver so tests can push samples into the head.
 */
export async function startPrometheus(options: PrometheusOptions): Promise<Prometheus> {
  const dir = await mkdtemp(path.join(tmpdir(), "vigil-e2e-prometheus-"));
  const configFile = path.join(dir, "prometheus.yml");
  const dataDir = options.dataDir ? path.resolve(options.dataDir) : path.join(dir, "data");
  await mkdir(dataDir, { recursive: true });
  const writeConfig = (ruleFiles: readonly string[]) => writeFile(configFile, prometheusConfig({ ...options, ruleFiles }));
  await writeConfig(options.ruleFiles);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = startProcess(
    "prometheus",
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=${url}`,
      "--web.enable-lifecycle",
      "--web.enable-remote-write-receiver",
      "--rules.alert.resend-delay=1s",
      ...(options.extraArgs ?? []),
    ],
    { name: "prometheus" },
  );
  const stop = async () => {
    await proc.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(async () => (await statusOf(`${url}/-/ready`)) === 200, { timeoutMs: options.readyTimeoutMs ?? 30_000, what: `Prometheus ready at ${url}/-/ready`, processes: [proc] });
  } catch (error) {
    await stop();
    throw error;
  }

  const reload = async (): Promise<ReloadResult> => {
    const response = await request(`${url}/-/reload`, { method: "POST" });
    return { status: response.status, body: response.text };
  };
  return {
    url,
    pid: proc.pid,
    dir,
    configFile,
    dataDir,
    process: proc,
    stop,
    reload,
    async setRuleFiles(ruleFiles) {
      await writeConfig(ruleFiles);
      return reload();
    },
    query: (expr, time) => instantQuery(url, expr, time),
    alerts: async () => (await apiGet<{ alerts: PromAlert[] }>(`${url}/api/v1/alerts`)).alerts,
    rules: async () => (await apiGet<{ groups: PromRuleGroup[] }>(`${url}/api/v1/rules`)).groups,
    metric: async (name) => metricValue((await request(`${url}/metrics`)).text, name),
  };
}

/** The generated prometheus.yml: global intervals, absolute rule paths, optional Alertmanager. */
export function prometheusConfig(options: PrometheusOptions): string {
  const { global: extraGlobal, ...extraTop } = (options.extraConfig ?? {}) as { global?: Record<string, unknown> };
  const config: Record<string, unknown> = {
    global: {
      scrape_interval: options.scrapeInterval ?? "1s",
      evaluation_interval: options.evaluationInterval ?? "1s",
      ...extraGlobal,
    },
    rule_files: options.ruleFiles.map((f) => path.resolve(f)),
  };
  if (options.alertmanagerUrl) config.alerting = { alertmanagers: [alertmanagerTarget(options.alertmanagerUrl)] };
  return stringify({ ...config, ...extraTop });
}

/** An `alertmanagers` entry for a URL: scheme, host:port and path prefix are separate keys. */
function alertmanagerTarget(alertmanagerUrl: string): Record<string, unknown> {
  const parsed = new URL(alertmanagerUrl);
  const entry: Record<string, unknown> = {
    api_version: "v2",
    scheme: parsed.protocol.replace(/:$/, ""),
    timeout: "5s",
    static_configs: [{ targets: [parsed.host] }],
  };
  if (parsed.pathname !== "/" && parsed.pathname !== "") entry.path_prefix = parsed.pathname;
  return entry;
}

type QueryData = { resultType: "vector"; result: { metric: Record<string, string>; value: [number, string] }[] } | { resultType: "scalar"; result: [number, string] } | { resultType: "matrix" | "string"; result: unknown };

/** GET /api/v1/query, flattened to samples with numeric values. */
async function instantQuery(url: string, expr: string, time?: number | Date): Promise<PromSample[]> {
  const params = new URLSearchParams({ query: expr });
  if (time !== undefined) params.set("time", String(time instanceof Date ? time.getTime() / 1000 : time));
  const data = await apiGet<QueryData>(`${url}/api/v1/query?${params}`);
  switch (data.resultType) {
    case "vector":
      return data.result.map((s) => ({ metric: s.metric, value: parseSampleValue(s.value[1]), timestamp: s.value[0] }));
    case "scalar":
      return [{ metric: {}, value: parseSampleValue(data.result[1]), timestamp: data.result[0] }];
    default:
      throw new Error(`query ${expr}: result type ${data.resultType} is not supported by query(); use an instant-vector expression`);
  }
}

/** Prometheus encodes values as strings, with "+Inf"/"-Inf" that Number() would turn into NaN. */
function parseSampleValue(text: string): number {
  if (text === "+Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  return Number(text);
}
