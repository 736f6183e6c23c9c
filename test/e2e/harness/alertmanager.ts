import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { request, statusOf } from "./http.js";
import { freePort } from "./ports.js";
import { startProcess, waitFor, type ManagedProcess } from "./processes.js";

export interface AlertmanagerOptions {
  /** An alertmanager.yml (e.g. one Vigil generated, or one a test wrote). Read in place. */
  configFile: string;
  /** Extra command-line flags. */
  extraArgs?: readonly string[];
  readyTimeoutMs?: number;
}

export interface Alertmanager {
  /** Base URL, `http://127.0.0.1:PORT`; give it to startPrometheus as alertmanagerUrl. */
  url: string;
  pid: number;
  process: ManagedProcess;
  /** Stop the process (SIGTERM, then SIGKILL) and remove its storage directory. Idempotent. */
  stop(): Promise<void>;
  /** POST /-/reload: re-read configFile. 200 if applied, 500 if rejected (the old one stays). */
  reload(): Promise<{ status: number; body: string }>;
}

/**
 * Start a real Alertmanager on a free 127.0.0.1 port and wait until /-/ready answers 200.
 *
 * Why `--cluster.listen-address=` (empty): otherwise Alertmanager joins gossip on
 * 0.0.0.0:9094, a fixed port shared by every instance, and the tests must stay on 127.0.0.1.
 * Storage (silences, notification log) goes to a fresh directory so runs never share state.
 */
export async function startAlertmanager(options: AlertmanagerOptions): Promise<Alertmanager> {
  const storage = await mkdtemp(path.join(tmpdir(), "vigil-e2e-alertmanager-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = startProcess(
    "prometheus-alertmanager",
    [
      `--config.file=${path.resolve(options.configFile)}`,
      `--storage.path=${storage}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=${url}`,
      "--cluster.listen-address=",
      ...(options.extraArgs ?? []),
    ],
    { name: "alertmanager" },
  );
  const stop = async () => {
    await proc.stop();
    await rm(storage, { recursive: true, force: true });
  };
  try {
    await waitFor(async () => (await statusOf(`${url}/-/ready`)) === 200, { timeoutMs: options.readyTimeoutMs ?? 30_000, what: `Alertmanager ready at ${url}/-/ready`, processes: [proc] });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    pid: proc.pid,
    process: proc,
    stop,
    async reload() {
      const response = await request(`${url}/-/reload`, { method: "POST" });
      return { status: response.status, body: response.text };
    },
  };
}
