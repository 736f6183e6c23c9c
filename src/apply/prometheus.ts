import path from "node:path";
import { readOwnedFiles, restore, snapshot, writeOwnedFiles } from "./files.js";
import { httpClient, metricValue, parseJson, statusError, type HttpClient } from "./http.js";
import { planKeyed } from "./plan.js";
import { servedGroups, verifyRuleGroups, writtenGroups, type WrittenGroup } from "./rules-verify.js";
import { ApplyError, sentence, type ApplyOutcome, type PreparedTarget, type Progress } from "./types.js";

export interface PrometheusSettings {
  url: string;
  /** Absolute path of the rules directory. */
  rulesDir: string;
}

/**
 * Prometheus' formatting of an expression (POST /api/v1/format_query, Prometheus 2.38 and
 * later), or undefined when it cannot say.
 */
async function formatQuery(client: HttpClient, query: string): Promise<string | undefined> {
  const response = await client.request("POST", "/api/v1/format_query", { body: new URLSearchParams({ query }).toString(), contentType: "application/x-www-form-urlencoded" });
  if (response.status !== 200) return undefined;
  try {
    const answer = JSON.parse(response.text) as { status?: string; data?: unknown };
    return answer.status === "success" && typeof answer.data === "string" ? answer.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * POST /-/reload, then checks the reload took: the metric, and (when given) that /api/v1/rules
 * serves every written group from the file it was written to, with its rules (rules-verify.ts).
 */
async function reloadAndVerify(client: HttpClient, written?: readonly WrittenGroup[]): Promise<string | undefined> {
  const reload = await client.request("POST", "/-/reload");
  if (reload.status !== 200) {
    return reload.status === 403 || reload.status === 404
      ? `POST /-/reload answered ${reload.status}: start Prometheus with --web.enable-lifecycle`
      : `Prometheus refused the rules (POST /-/reload: HTTP ${reload.status}): ${reload.text.trim()}`;
  }
  const metrics = await client.request("GET", "/metrics");
  const successful = metricValue(metrics.text, "prometheus_config_last_reload_successful");
  if (successful !== 1) return `prometheus_config_last_reload_successful is ${successful ?? "missing"} after the reload`;
  if (!written) return undefined;
  const rules = await client.request("GET", "/api/v1/rules");
  if (rules.status !== 200) throw statusError(client, "GET", "/api/v1/rules", rules);
  const served = servedGroups(parseJson<unknown>(client, "GET", "/api/v1/rules", rules));
  if (typeof served === "string") {
    throw new ApplyError(client.mask(`Prometheus answered GET ${client.baseUrl}/api/v1/rules ${served}: is ${client.baseUrl} a Prometheus server? Answer: ${rules.text.trim().slice(0, 200)}`));
  }
  return verifyRuleGroups(written, served, { formatQuery: (query) => formatQuery(client, query).catch(() => undefined) });
}

/**
 * Prometheus: Vigil's rule files into rulesDir (only files it owns, per its manifest), POST
 * /-/reload, verify; on any failure the previous files are put back and reloaded.
 */
export async function preparePrometheus(settings: PrometheusSettings, desired: ReadonlyMap<string, string>, progress: Progress): Promise<PreparedTarget> {
  const client = httpClient({ baseUrl: settings.url });
  progress(`prometheus: reading ${settings.rulesDir}`);
  const { owned, foreign } = await readOwnedFiles(settings.rulesDir, desired.keys());
  if (foreign.length > 0) {
    throw new ApplyError(`${foreign.map((f) => path.join(settings.rulesDir, f)).join(", ")} exist${foreign.length === 1 ? "s" : ""} but Vigil did not write ${foreign.length === 1 ? "it" : "them"}: move ${foreign.length === 1 ? "it" : "them"} away, apply never overwrites files it does not own`);
  }
  progress(`prometheus: checking ${client.baseUrl}`);
  const ready = await client.request("GET", "/-/ready");
  if (ready.status !== 200) throw statusError(client, "GET", "/-/ready", ready);
  const changes = planKeyed({ object: "file", desired, current: owned, same: (a, b) => a === b, owned: () => true, prune: true });
  return {
    target: "prometheus",
    where: `${client.baseUrl}, rules in ${settings.rulesDir}`,
    changes,
    async apply(step): Promise<ApplyOutcome> {
      if (!changes.some((c) => c.kind !== "unchanged")) return { ok: true, notes: ["up to date, not reloaded"] };
      const removed = changes.filter((c) => c.kind === "delete").map((c) => c.name);
      const saved = await snapshot(settings.rulesDir, [...desired.keys(), ...owned.keys()]);
      step(`prometheus: writing ${desired.size} rule files`);
      await writeOwnedFiles(settings.rulesDir, desired, removed);
      step("prometheus: reloading");
      const written = writtenGroups(settings.rulesDir, desired, new Set(changes.filter((c) => c.kind === "create" || c.kind === "update").map((c) => c.name)));
      const failure = await reloadAndVerify(client, written).catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
      if (!failure) return { ok: true, notes: [`reloaded; ${written.length} rule groups loaded`] };
      step("prometheus: rolling back");
      await restore(settings.rulesDir, saved);
      const again = await reloadAndVerify(client).catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
      return {
        ok: false,
        notes: [],
        error: again
          ? `${sentence(failure)} Rolled back the rule files, but reloading them failed too: ${again}`
          : `${sentence(failure)} Rolled back: the previous rule files are restored and Prometheus reloaded them.`,
      };
    },
  };
}
