// The tag on every dashboard Vigil generates: --prune deletes only dashboards that carry it.
import { MANAGED_TAG } from "../emit/grafana.js";
import { httpClient, parseJson, statusError, type HttpClient } from "./http.js";
import { planKeyed, sameData } from "./plan.js";
import type { DesiredDashboard } from "./desired.js";
import { ApplyError, type ApplyOutcome, type Change, type PreparedTarget, type Progress } from "./types.js";


export interface GrafanaSettings {
  url: string;
  token: string;
  /** Environment variable the token came from, for messages. */
  tokenEnv: string;
  folderPrefix: string;
  /** The save message: the commit. */
  message: string;
  prune: boolean;
}

/** Each team's folder: a stable uid Vigil owns, and a title. */
export const folderUid = (team: string) => `vigil-${team}`;

interface GrafanaFolder {
  uid: string;
  title: string;
  version?: number;
}

interface DashboardWithMeta {
  dashboard: Record<string, unknown>;
  meta: { folderUid?: string };
}

interface SearchHit {
  uid: string;
  title: string;
  tags?: string[];
  folderUid?: string;
}

/** Grafana sets id and version on save; they say nothing about content. */
function comparable(dashboard: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, version: _version, ...rest } = dashboard;
  return rest;
}

async function getOptional<T>(client: HttpClient, tokenEnv: string, path: string): Promise<T | undefined> {
  const response = await client.request("GET", path);
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw statusError(client, "GET", path, response, tokenEnv);
  return parseJson<T>(client, "GET", path, response);
}

/**
 * Grafana over its HTTP API: a folder per team (by uid), dashboards saved with overwrite and the
 * commit as message, unchanged ones skipped, and with --prune the dashboards tagged "vigil" that
 * are no longer generated deleted. Nothing else in Grafana is read for change or touched.
 */
export async function prepareGrafana(settings: GrafanaSettings, dashboards: readonly DesiredDashboard[], progress: Progress): Promise<PreparedTarget> {
  const v2 = dashboards.filter((d) => "apiVersion" in d.json);
  if (v2.length > 0) {
    throw new ApplyError(`grafana.schema is "v2": ${v2.length} dashboards are dashboard.grafana.app/v2 resources, which POST /api/dashboards/db does not take. Apply schema v1 dashboards, or sync the v2 resources with Grafana's Git Sync`);
  }
  const client = httpClient({ baseUrl: settings.url, headers: { Authorization: `Bearer ${settings.token}`, Accept: "application/json" }, secrets: [settings.token] });
  const teams = [...new Set(dashboards.map((d) => d.team))].sort();

  const desiredFolders = new Map(teams.map((team) => [folderUid(team), `${settings.folderPrefix}${team}`]));
  const currentFolders = new Map<string, GrafanaFolder>();
  for (const uid of desiredFolders.keys()) {
    progress(`grafana: folder ${uid}`);
    const folder = await getOptional<GrafanaFolder>(client, settings.tokenEnv, `/api/folders/${encodeURIComponent(uid)}`);
    if (folder) currentFolders.set(uid, folder);
  }
  const folderChanges = planKeyed({
    object: "folder",
    desired: desiredFolders,
    current: currentFolders,
    same: (title, folder) => folder.title === title,
    describe: (title, folder) => `renamed "${folder.title}" -> "${title}"`,
    owned: () => false,
    prune: false,
  });

  const desired = new Map(dashboards.map((d) => [d.uid, d]));
  // With overwrite, Grafana replaces a dashboard of the same title in the folder (taking its uid):
  // refuse when one that Vigil does not generate sits in a team folder under a generated title.
  const existingFolders = [...currentFolders.keys()];
  if (existingFolders.length > 0) {
    progress("grafana: checking titles in the team folders");
    const inFolders = (await getOptional<SearchHit[]>(client, settings.tokenEnv, `/api/search?type=dash-db&limit=5000&${existingFolders.map((uid) => `folderUIDs=${encodeURIComponent(uid)}`).join("&")}`)) ?? [];
    const clashes = inFolders.filter((hit) => !desired.has(hit.uid) && dashboards.some((d) => folderUid(d.team) === hit.folderUid && d.json.title === hit.title));
    if (clashes.length > 0) {
      throw new ApplyError(`${clashes.map((c) => `dashboard "${c.title}" (uid ${c.uid}) in folder ${c.folderUid}`).join(", ")} has the title of a generated dashboard and saving would replace it: rename or move it`);
    }
  }
  const current = new Map<string, DashboardWithMeta | SearchHit>();
  let n = 0;
  for (const d of dashboards) {
    progress(`grafana: dashboard ${++n}/${dashboards.length} ${d.uid}`);
    const found = await getOptional<DashboardWithMeta>(client, settings.tokenEnv, `/api/dashboards/uid/${encodeURIComponent(d.uid)}`);
    if (found) current.set(d.uid, found);
  }
  progress(`grafana: searching dashboards tagged ${MANAGED_TAG}`);
  const searchPath = `/api/search?tag=${MANAGED_TAG}&type=dash-db&limit=5000`;
  const hits = (await getOptional<SearchHit[]>(client, settings.tokenEnv, searchPath)) ?? [];
  for (const hit of hits) if (!current.has(hit.uid)) current.set(hit.uid, hit);

  const dashboardChanges = planKeyed<DesiredDashboard, DashboardWithMeta | SearchHit>({
    object: "dashboard",
    desired,
    current,
    same: (d, c) => "dashboard" in c && c.meta.folderUid === folderUid(d.team) && sameData(comparable(d.json), comparable(c.dashboard)),
    describe: (d, c) => ("dashboard" in c && c.meta.folderUid !== folderUid(d.team) ? `moves to folder ${folderUid(d.team)}` : undefined),
    // Search hits carry tags; checked again here so that a search that ignored the tag filter cannot delete others' dashboards.
    owned: (_uid, c) => !("dashboard" in c) && (c.tags ?? []).includes(MANAGED_TAG),
    prune: settings.prune,
  });

  const changes: Change[] = [...folderChanges, ...dashboardChanges];
  return {
    target: "grafana",
    where: client.baseUrl,
    changes,
    async apply(step): Promise<ApplyOutcome> {
      const done: string[] = [];
      try {
        for (const change of folderChanges) {
          const title = desiredFolders.get(change.name)!;
          if (change.kind === "create") {
            step(`grafana: creating folder ${change.name}`);
            await send(client, settings.tokenEnv, "POST", "/api/folders", { uid: change.name, title });
          } else if (change.kind === "update") {
            step(`grafana: renaming folder ${change.name}`);
            await send(client, settings.tokenEnv, "PUT", `/api/folders/${encodeURIComponent(change.name)}`, { title, overwrite: true });
          }
        }
        const work = dashboardChanges.filter((c) => c.kind === "create" || c.kind === "update" || c.kind === "delete");
        let i = 0;
        for (const change of work) {
          step(`grafana: ${change.kind === "delete" ? "deleting" : "saving"} dashboard ${++i}/${work.length} ${change.name}`);
          if (change.kind === "delete") {
            await send(client, settings.tokenEnv, "DELETE", `/api/dashboards/uid/${encodeURIComponent(change.name)}`);
          } else {
            const d = desired.get(change.name)!;
            await send(client, settings.tokenEnv, "POST", "/api/dashboards/db", {
              dashboard: { ...d.json, id: null },
              folderUid: folderUid(d.team),
              overwrite: true,
              message: settings.message,
            });
          }
          done.push(`${change.kind} ${change.name}`);
        }
      } catch (failure) {
        if (!(failure instanceof ApplyError)) throw failure;
        // No rollback: Grafana keeps every saved version; the next apply finishes the job.
        return { ok: false, notes: [], error: `${failure.message}. ${done.length} dashboard change(s) were made before it (Grafana keeps their previous versions); run apply again once fixed.` };
      }
      const counts = dashboardChanges.filter((c) => c.kind !== "unchanged" && c.kind !== "stale").length;
      return { ok: true, notes: [counts === 0 && !folderChanges.some((c) => c.kind !== "unchanged") ? "up to date" : `${counts} dashboard change(s) made`] };
    },
  };
}

/** A write; anything but 2xx is an ApplyError with Grafana's own message (e.g. 412 name-exists). */
async function send(client: HttpClient, tokenEnv: string, method: string, path: string, body?: unknown): Promise<void> {
  const response = await client.request(method, path, body === undefined ? {} : { body: JSON.stringify(body), contentType: "application/json" });
  if (response.status < 200 || response.status >= 300) throw statusError(client, method, path, response, tokenEnv);
}
