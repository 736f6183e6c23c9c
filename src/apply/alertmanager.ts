import { readFile, writeFile } from "node:fs/promises";
import { alertmanagerConfigDifference } from "./alertmanager-verify.js";
import { httpClient, metricValue, parseJson, statusError, type HttpClient } from "./http.js";
import { planKeyed } from "./plan.js";
import { ApplyError, sentence, type ApplyOutcome, type PreparedTarget, type Progress } from "./types.js";

export interface AlertmanagerSettings {
  url: string;
  /** Absolute path of Alertmanager's --config.file. */
  configFile: string;
}

/**
 * POST /-/reload, then checks it took: alertmanager_config_last_reload_successful, and the
 * config /api/v2/status reports, compared with the one written by meaning (route tree, inhibit
 * rules, receivers: alertmanager-verify.ts), since Alertmanager re-serialises it with secrets hidden.
 */
async function reloadAndVerify(client: HttpClient, expected: string): Promise<string | undefined> {
  const reload = await client.request("POST", "/-/reload");
  if (reload.status !== 200) return `Alertmanager refused the config (POST /-/reload: HTTP ${reload.status}): ${reload.text.trim()}`;
  const metrics = await client.request("GET", "/metrics");
  const successful = metricValue(metrics.text, "alertmanager_config_last_reload_successful");
  if (successful !== 1) return `alertmanager_config_last_reload_successful is ${successful ?? "missing"} after the reload`;
  const status = await client.request("GET", "/api/v2/status");
  if (status.status !== 200) throw statusError(client, "GET", "/api/v2/status", status);
  const answer = parseJson<unknown>(client, "GET", "/api/v2/status", status);
  const config = typeof answer === "object" && answer !== null ? (answer as { config?: unknown }).config : undefined;
  const original = typeof config === "object" && config !== null ? (config as { original?: unknown }).original : undefined;
  if (typeof original !== "string") {
    throw new ApplyError(client.mask(`Alertmanager answered GET ${client.baseUrl}/api/v2/status without config.original: is ${client.baseUrl} an Alertmanager? Answer: ${status.text.trim().slice(0, 200)}`));
  }
  const difference = alertmanagerConfigDifference(expected, original);
  if (difference) return `Alertmanager reloaded but /api/v2/status shows another config (${difference}): is --config.file the file apply writes?`;
  return undefined;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (failure) {
    if ((failure as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw failure;
  }
}

/**
 * Alertmanager: the generated config into configFile, POST /-/reload, verify; on failure the
 * previous file is put back and reloaded.
 */
export async function prepareAlertmanager(settings: AlertmanagerSettings, desired: string, progress: Progress): Promise<PreparedTarget> {
  const client = httpClient({ baseUrl: settings.url });
  progress(`alertmanager: reading ${settings.configFile}`);
  const previous = await readIfExists(settings.configFile);
  progress(`alertmanager: checking ${client.baseUrl}`);
  const ready = await client.request("GET", "/-/ready");
  if (ready.status !== 200) throw statusError(client, "GET", "/-/ready", ready);
  const current = previous === undefined ? new Map<string, string>() : new Map([[settings.configFile, previous]]);
  const changes = planKeyed({ object: "file", desired: new Map([[settings.configFile, desired]]), current, same: (a, b) => a === b, owned: () => false, prune: false });
  return {
    target: "alertmanager",
    where: `${client.baseUrl}, config ${settings.configFile}`,
    changes,
    async apply(step): Promise<ApplyOutcome> {
      if (previous === desired) return { ok: true, notes: ["up to date, not reloaded"] };
      step(`alertmanager: writing ${settings.configFile}`);
      // In place, not via a rename: the file is often a single-file bind mount, which a rename
      // would detach. Alertmanager reads it only when reloaded, right after.
      await writeFile(settings.configFile, desired);
      step("alertmanager: reloading");
      const failure = await reloadAndVerify(client, desired).catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
      if (!failure) return { ok: true, notes: ["reloaded"] };
      step("alertmanager: rolling back");
      if (previous === undefined) {
        return { ok: false, notes: [], error: `${sentence(failure)} There was no previous config to restore; ${settings.configFile} holds the new one.` };
      }
      await writeFile(settings.configFile, previous);
      const again = await reloadAndVerify(client, previous).catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
      return {
        ok: false,
        notes: [],
        error: again
          ? `${sentence(failure)} Restored the previous config, but reloading it failed too: ${again}`
          : `${sentence(failure)} Rolled back: the previous config is restored and Alertmanager reloaded it.`,
      };
    },
  };
}
