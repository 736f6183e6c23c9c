import { parse, stringify } from "yaml";
import { parseDuration } from "../model/duration.js";
import type { DesiredRuleGroup } from "./desired.js";
import { httpClient, statusError, type HttpClient } from "./http.js";
import { canonical, planKeyed } from "./plan.js";
import { ApplyError, type ApplyOutcome, type PreparedTarget, type Progress } from "./types.js";

export interface MimirSettings {
  url: string;
  tenant?: string;
  token?: string;
  tokenEnv?: string;
  namespacePrefix: string;
  namespaceBy: "team" | "service";
  prune: boolean;
}

const RULES_PATH = "/prometheus/config/v1/rules";
type Group = Record<string, unknown>;

/**
 * A group as data to compare: the ruler answers with its own YAML (durations normalised, e.g.
 * "60s" -> "1m", empty fields left out), so durations are compared as milliseconds.
 */
export function comparableGroup(group: Group): unknown {
  const duration = (v: unknown) => (typeof v === "string" ? parseDuration(v) ?? v : v);
  const rules = ((group.rules as Record<string, unknown>[] | undefined) ?? []).map((rule) => ({
    ...rule,
    expr: typeof rule.expr === "string" ? rule.expr.trim() : rule.expr,
    for: duration(rule.for),
    keep_firing_for: duration(rule.keep_firing_for),
  }));
  return canonical({ ...group, interval: duration(group.interval), rules });
}

/** Namespace/group keys; a `/` in a name would be ambiguous, so the key splits at the first one (namespaces have none). */
const key = (namespace: string, group: string) => `${namespace}/${group}`;
const splitKey = (k: string) => [k.slice(0, k.indexOf("/")), k.slice(k.indexOf("/") + 1)] as const;

/**
 * The Mimir/Cortex ruler: one namespace per team (`<prefix><team>`, or per service), each group POSTed as YAML,
 * the current rules read with GET to diff, and with --prune the groups no longer generated in
 * namespaces with Vigil's prefix deleted. Groups in other namespaces are never touched.
 */
export async function prepareMimir(settings: MimirSettings, groups: readonly DesiredRuleGroup[], progress: Progress): Promise<PreparedTarget> {
  const headers: Record<string, string> = {};
  if (settings.tenant) headers["X-Scope-OrgID"] = settings.tenant;
  if (settings.token) headers.Authorization = `Bearer ${settings.token}`;
  const client = httpClient({ baseUrl: settings.url, headers, secrets: [settings.token] });

  progress(`mimir: reading ${RULES_PATH}`);
  const response = await client.request("GET", RULES_PATH, { accept: "application/yaml" });
  let current = new Map<string, Group>();
  // 404 is how the ruler says the tenant has no rule groups yet.
  if (response.status === 200) current = parseRuleSet(client, response.text);
  else if (response.status === 401 && !settings.tenant) {
    throw new ApplyError(client.mask(`GET ${client.baseUrl}${RULES_PATH}: HTTP 401 (${response.text.trim()}): multi-tenant Mimir needs a tenant; set apply.mimir.tenant (sent as X-Scope-OrgID)`));
  } else if (response.status !== 404) throw statusError(client, "GET", RULES_PATH, response, settings.tokenEnv);

  const namespace = (g: DesiredRuleGroup) => `${settings.namespacePrefix}${settings.namespaceBy === "team" ? g.team : g.service}`;
  const desired = new Map(groups.map((g) => [key(namespace(g), g.name), g.group]));
  const changes = planKeyed({
    object: "group",
    desired,
    current,
    same: (a, b) => JSON.stringify(comparableGroup(a)) === JSON.stringify(comparableGroup(b)),
    owned: (k) => settings.namespacePrefix !== "" && k.startsWith(settings.namespacePrefix),
    prune: settings.prune,
  });
  return {
    target: "mimir",
    where: `${client.baseUrl}${settings.tenant ? ` (tenant ${settings.tenant})` : ""}`,
    changes,
    async apply(step): Promise<ApplyOutcome> {
      const work = changes.filter((c) => c.kind === "create" || c.kind === "update" || c.kind === "delete");
      let done = 0;
      try {
        for (const change of work) {
          const [namespace, group] = splitKey(change.name);
          step(`mimir: ${change.kind === "delete" ? "deleting" : "writing"} group ${done + 1}/${work.length} ${change.name}`);
          if (change.kind === "delete") {
            await send(client, settings.tokenEnv, "DELETE", `${RULES_PATH}/${encodeURIComponent(namespace)}/${encodeURIComponent(group)}`);
          } else {
            await send(client, settings.tokenEnv, "POST", `${RULES_PATH}/${encodeURIComponent(namespace)}`, stringify(desired.get(change.name), { lineWidth: 0 }));
          }
          done += 1;
        }
      } catch (failure) {
        if (!(failure instanceof ApplyError)) throw failure;
        return { ok: false, notes: [], error: `${failure.message}. ${done} of ${work.length} group change(s) were made before it; run apply again once fixed.` };
      }
      return { ok: true, notes: [work.length === 0 ? "up to date" : `${work.length} group change(s) made`] };
    },
  };
}

/** GET /prometheus/config/v1/rules: YAML, namespace -> list of groups. */
function parseRuleSet(client: HttpClient, text: string): Map<string, Group> {
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch {
    throw new ApplyError(client.mask(`GET ${client.baseUrl}${RULES_PATH}: not YAML: ${text.slice(0, 200)}`));
  }
  const groups = new Map<string, Group>();
  for (const [namespace, list] of Object.entries((parsed ?? {}) as Record<string, Group[]>)) {
    for (const group of list ?? []) groups.set(key(namespace, String(group.name)), group);
  }
  return groups;
}

async function send(client: HttpClient, tokenEnv: string | undefined, method: string, path: string, body?: string): Promise<void> {
  const response = await client.request(method, path, body === undefined ? {} : { body, contentType: "application/yaml" });
  if (response.status < 200 || response.status >= 300) throw statusError(client, method, path, response, tokenEnv);
}
