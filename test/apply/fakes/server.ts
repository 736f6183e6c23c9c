import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listenOnFreePort } from "../../e2e/harness/ports.js";

/** A request a fake server received, for assertions (e.g. "a dry run sends only GETs"). */
export interface Seen {
  method: string;
  /** Path and query. */
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  /** Body as is (YAML); otherwise `body` is sent as JSON. */
  text?: string;
}

export interface FakeServer {
  url: string;
  seen: Seen[];
  /** The next request whose method and path start match gets this reply instead (once). */
  failNext(method: string, pathStart: string, reply: Reply): void;
  stop(): Promise<void>;
}

/**
 * A node:http server on 127.0.0.1 (port from the harness) answering with `handle`, recording
 * every request. Fakes stand in for Grafana and Mimir, which cannot be installed here.
 */
export async function startFakeServer(handle: (req: Seen) => Reply): Promise<FakeServer> {
  const seen: Seen[] = [];
  const failures: { method: string; pathStart: string; reply: Reply }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const request: Seen = { method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, body };
      seen.push(request);
      const failure = failures.findIndex((f) => f.method === request.method && request.url.startsWith(f.pathStart));
      const reply = failure >= 0 ? failures.splice(failure, 1)[0]!.reply : handle(request);
      const text = reply.text ?? (reply.body === undefined ? "" : JSON.stringify(reply.body));
      res.writeHead(reply.status, { "Content-Type": reply.text !== undefined ? "application/yaml" : "application/json" });
      res.end(text);
    });
  });
  const port = await listenOnFreePort(server);
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    failNext: (method, pathStart, reply) => failures.push({ method, pathStart, reply }),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
