import { startFakeServer, type FakeServer, type Reply, type Seen } from "./server.js";

/**
 * A fake Grafana implementing the HTTP API endpoints `vigil apply` uses, as documented
 * (grafana.com/docs/grafana/latest/developers/http_api/dashboard/, /folder/, /folder_dashboard_search/):
 * bearer auth (401), folders by uid (404, 409), dashboards by uid (404), save with version
 * check unless overwrite (412 version-mismatch, and name-exists for another dashboard's title
 * in the folder), delete, and search by tag and folder.
 */
export interface StoredDashboard {
  dashboard: Record<string, unknown>;
  folderUid: string;
  version: number;
  id: number;
  message?: string;
}

export interface FakeGrafana extends FakeServer {
  folders: Map<string, { uid: string; title: string; version: number }>;
  dashboards: Map<string, StoredDashboard>;
}

export async function startFakeGrafana(token: string): Promise<FakeGrafana> {
  const folders: FakeGrafana["folders"] = new Map();
  const dashboards: FakeGrafana["dashboards"] = new Map();
  let nextId = 1;
  const json = (status: number, body: unknown): Reply => ({ status, body });

  const handle = (req: Seen): Reply => {
    // Echo the credential the way some proxies do: the client must mask it in its messages.
    if (req.headers.authorization !== `Bearer ${token}`) return json(401, { message: `invalid API key: ${req.headers.authorization ?? "none"}` });
    const url = new URL(req.url, "http://x");
    const body = req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {};
    const folderUid = /^\/api\/folders\/([^/]+)$/.exec(url.pathname)?.[1];
    const dashboardUid = /^\/api\/dashboards\/uid\/([^/]+)$/.exec(url.pathname)?.[1];

    if (req.method === "GET" && folderUid) {
      const folder = folders.get(decodeURIComponent(folderUid));
      return folder ? json(200, { id: 1, ...folder }) : json(404, { message: "folder not found" });
    }
    if (req.method === "POST" && url.pathname === "/api/folders") {
      const uid = String(body.uid);
      if (folders.has(uid)) return json(409, { message: "a folder with the same uid already exists" });
      folders.set(uid, { uid, title: String(body.title), version: 1 });
      return json(200, folders.get(uid));
    }
    if (req.method === "PUT" && folderUid) {
      const folder = folders.get(decodeURIComponent(folderUid));
      if (!folder) return json(404, { message: "folder not found" });
      if (!body.overwrite && body.version !== folder.version) return json(412, { message: "the folder has been changed by someone else", status: "version-mismatch" });
      folders.set(folder.uid, { ...folder, title: String(body.title), version: folder.version + 1 });
      return json(200, folders.get(folder.uid));
    }
    if (req.method === "GET" && dashboardUid) {
      const stored = dashboards.get(decodeURIComponent(dashboardUid));
      if (!stored) return json(404, { message: "Dashboard not found" });
      return json(200, { dashboard: { ...stored.dashboard, id: stored.id, version: stored.version }, meta: { folderUid: stored.folderUid, version: stored.version, slug: "x" } });
    }
    if (req.method === "DELETE" && dashboardUid) {
      const uid = decodeURIComponent(dashboardUid);
      if (!dashboards.delete(uid)) return json(404, { message: "Dashboard not found" });
      return json(200, { title: uid, message: "Dashboard deleted" });
    }
    if (req.method === "POST" && url.pathname === "/api/dashboards/db") {
      const dashboard = body.dashboard as Record<string, unknown>;
      const folder = String(body.folderUid ?? "");
      if (folder && !folders.has(folder)) return json(400, { message: "folder not found" });
      const uid = String(dashboard.uid);
      const existing = dashboards.get(uid);
      if (existing && !body.overwrite && dashboard.version !== existing.version) {
        return json(412, { status: "version-mismatch", message: "The dashboard has been changed by someone else" });
      }
      const sameTitle = [...dashboards].find(([other, d]) => other !== uid && d.folderUid === folder && d.dashboard.title === dashboard.title);
      if (sameTitle && !body.overwrite) return json(412, { status: "name-exists", message: "A dashboard with the same name in the folder already exists" });
      const { id: _id, version: _version, ...content } = dashboard;
      const stored: StoredDashboard = { dashboard: content, folderUid: folder, version: (existing?.version ?? 0) + 1, id: existing?.id ?? nextId++, message: body.message as string | undefined };
      dashboards.set(uid, stored);
      return json(200, { id: stored.id, uid, url: `/d/${uid}`, status: "success", version: stored.version });
    }
    if (req.method === "GET" && url.pathname === "/api/search") {
      const tag = url.searchParams.get("tag");
      const inFolders = url.searchParams.getAll("folderUIDs");
      const hits = [...dashboards]
        .filter(([, d]) => !tag || ((d.dashboard.tags as string[] | undefined) ?? []).includes(tag))
        .filter(([, d]) => inFolders.length === 0 || inFolders.includes(d.folderUid))
        .map(([uid, d]) => ({ uid, title: d.dashboard.title, tags: d.dashboard.tags ?? [], folderUid: d.folderUid, type: "dash-db" }));
      return json(200, hits);
    }
    return json(404, { message: "Not found" });
  };
  const server = await startFakeServer(handle);
  return Object.assign(server, { folders, dashboards });
}
