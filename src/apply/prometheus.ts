import path from "node:path";
import { parse } from "yaml";
import { readOwnedFiles, restore, snapshot, writeOwnedFiles } from "./files.js";
import { httpClient, metricValue, parseJson, statusError, type HttpClient } from "./http.js";
import { planKeyed } from "./plan.js";
import { ApplyError, type ApplyOutcome, type PreparedTarget, type Progress } from "./types.js";

export interface PrometheusSettings {
  url: string;
  /** Absolute path of the rules directory. */
  rulesDir: string;
}

interface RulesApiGroup {
  name: string;
  file: string;
  rules: unknown[];
}

/** Group name -> number of rules, for every group in the rule files (names are unique: the validator sees to it). */
function expectedGroups(files: ReadonlyMap<string, string>): Map<string, number> {
  const groups = new Map<string, number>();
  for (const content of files.values()) {
    const parsed = parse(content) as { groups?: { name: string; rules?: unknown[] }[] } | null;
    for (const group of parsed?.groups ?? []) groups.set(group.name, group.rules?.length ?? 0);
  }
  return groups;
}

/** POST /-/reload, then checks the reload took: the metric, and (when given) the groups listed by /api/v1/rules. */
async function reloadAndVerify(client: HttpClient, expected?: Map<string, number>): Promise<string | undefined> {
  const reload = await client.request("POST", "/-/reload");
  if (reload.status !== 200) {
    return reload.status === 403 || reload.status === 404
      ? `POST /-/reload answered ${reload.status}: start Prometheus with --web.enable-lifecycle`
      : `Prometheus refused the rules (POST /-/reload: HTTP ${reload.status}): ${reload.text.trim()}`;
  }
  const metrics = await client.request("GET", "/metrics");
  const successful = metricValue(metrics.text, "prometheus_config_last_reload_successful");
  if (successful !== 1) return `prometheus_config_last_reload_successful is ${successful ?? "missing"} after the reload`;
  if (!expected) return undefined;
  const rules = await client.request("GET", "/api/v1/rules");
  if (rules.status !== 200) throw statusError(client, "GET", "/api/v1/rules", rules);
  // Name -> rule counts of the groups so named (other files may reuse a name).
  const loaded = new Map<string, number[]>();
  for (const group of parseJson<{ data: { groups: RulesApiGroup[] } }>(client, "GET", "/api/v1/rules", rules).data.groups) {
    loaded.set(group.name, [...(loaded.get(group.name) ?? []), group.rules.length]);
  }
  const missing = [...expected].filter(([name, count]) => !loaded.get(name)?.includes(count)).map(([name]) => name).sort();
  if (missing.length > 0) {
    return `Prometheus reloaded but does not list ${missing.length} expected rule group(s) (${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", ..." : ""}) as written: do its rule_files cover the rules directory?`;
  }
  return undefined;
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
      const expected = expectedGroups(desired);
      const failure = await reloadAndVerify(client, expected).catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
      if (!failure) return { ok: true, notes: [`reloaded; ${expected.size} rule groups loaded`] };
      step("prometheus: rolling back");
      await restore(settings.rulesDir, saved);
      const again = await reloadAndVerify(client).catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
      return {
        ok: false,
        notes: [],
        error: again
          ? `${failure}. Rolled back the rule files, but reloading them failed too: ${again}`
          : `${failure}. Rolled back: the previous rule files are restored and Prometheus reloaded them.`,
      };
    },
  };
}
