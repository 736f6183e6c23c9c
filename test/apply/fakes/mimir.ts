import { parse, stringify } from "yaml";
import { startFakeServer, type FakeServer, type Reply, type Seen } from "./server.js";

/**
 * A fake Mimir ruler implementing the documented configuration API
 * (grafana.com/docs/mimir/latest/references/http-api/#ruler): tenant from X-Scope-OrgID (401
 * "no org id" without), GET /prometheus/config/v1/rules (404 when the tenant has no groups),
 * POST .../rules/{namespace} with one group as YAML (400 when it is not one; 202), DELETE
 * .../rules/{namespace}/{group} (404, 202).
 */
export interface FakeMimir extends FakeServer {
  /** tenant -> namespace -> group name -> group. */
  rules: Map<string, Map<string, Map<string, Record<string, unknown>>>>;
}

const PREFIX = "/prometheus/config/v1/rules";

export async function startFakeMimir(): Promise<FakeMimir> {
  const rules: FakeMimir["rules"] = new Map();
  const text = (status: number, body: string): Reply => ({ status, text: body });

  const handle = (req: Seen): Reply => {
    const tenant = req.headers["x-scope-orgid"];
    if (typeof tenant !== "string" || tenant === "") return text(401, "no org id\n");
    const namespaces = rules.get(tenant) ?? new Map<string, Map<string, Record<string, unknown>>>();
    rules.set(tenant, namespaces);
    const path = new URL(req.url, "http://x").pathname;
    if (!path.startsWith(PREFIX)) return text(404, "404 page not found\n");
    const [namespace, group] = path.slice(PREFIX.length).split("/").filter(Boolean).map(decodeURIComponent);

    if (req.method === "GET" && !namespace) {
      const all = Object.fromEntries([...namespaces].filter(([, groups]) => groups.size > 0).sort().map(([ns, groups]) => [ns, [...groups.values()]]));
      // The ruler answers 404 rather than an empty document when the tenant has no rules.
      return Object.keys(all).length === 0 ? text(404, "no rule groups found\n") : text(200, stringify(all, { sortMapEntries: true }));
    }
    if (req.method === "POST" && namespace && !group) {
      let parsed: Record<string, unknown>;
      try {
        parsed = parse(req.body) as Record<string, unknown>;
      } catch (failure) {
        return text(400, `unable to decode rule group: ${String(failure)}\n`);
      }
      if (!parsed || typeof parsed.name !== "string" || !Array.isArray(parsed.rules)) return text(400, "invalid rule group: a group needs a name and rules\n");
      // Stored as the ruler returns it: expressions without a trailing newline.
      const rulesOut = (parsed.rules as Record<string, unknown>[]).map((r) => ({ ...r, expr: String(r.expr).trim() }));
      const groups = namespaces.get(namespace) ?? new Map();
      groups.set(parsed.name, { ...parsed, rules: rulesOut });
      namespaces.set(namespace, groups);
      return text(202, "");
    }
    if (req.method === "DELETE" && namespace && group) {
      if (!namespaces.get(namespace)?.delete(group)) return text(404, "group does not exist\n");
      return text(202, "");
    }
    return text(405, "method not allowed\n");
  };
  const server = await startFakeServer(handle);
  return Object.assign(server, { rules });
}
