import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listenOnFreePort } from "./ports.js";
import { waitFor } from "./processes.js";

/** One alert inside an Alertmanager webhook notification (webhook payload version 4). */
export interface WebhookAlert {
  status: "firing" | "resolved";
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL?: string;
  fingerprint?: string;
}

/** The JSON body Alertmanager POSTs to a webhook_configs URL. */
export interface WebhookPayload {
  version?: string;
  groupKey?: string;
  receiver: string;
  status: "firing" | "resolved";
  alerts: WebhookAlert[];
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL?: string;
  truncatedAlerts?: number;
}

/** A notification as the sink received it. */
export interface Notification {
  /** URL path it was posted to: one path per receiver lets a test tell receivers apart. */
  path: string;
  receivedAt: number;
  body: WebhookPayload;
}

export interface WaitForNotificationOptions {
  /** Only notifications posted to this path. */
  path?: string;
  timeoutMs?: number;
  /** Words for the timeout message. */
  what?: string;
}

export interface AlertMatch {
  alertname: string;
  status: "firing" | "resolved";
  /** Only notifications posted to this path. */
  path?: string;
  /** Further labels the alert must carry. */
  labels?: Record<string, string>;
  /** Only notifications received at or after this time (ms), e.g. to ignore an earlier round. */
  since?: number;
  timeoutMs?: number;
}

export interface WebhookSink {
  /** Base URL `http://127.0.0.1:PORT`. */
  url: string;
  /** The URL to put in an Alertmanager webhook_configs entry for `path`. */
  urlFor(path: string): string;
  /** Everything received so far, optionally only at one path. */
  notifications(path?: string): Notification[];
  /** Wait for a notification matching `predicate` (already received ones count). */
  waitForNotification(predicate: (n: Notification) => boolean, options?: WaitForNotificationOptions): Promise<Notification>;
  /** Wait for a notification carrying the named alert with the given status. */
  waitForAlert(match: AlertMatch): Promise<{ notification: Notification; alert: WebhookAlert }>;
  stop(): Promise<void>;
}

/**
 * An HTTP server on 127.0.0.1 that records every Alertmanager webhook notification.
 *
 * Why: the only proof that routing, grouping and receivers work end to end is a notification
 * actually arriving; a local sink observes it without any external service. Malformed bodies
 * answer 400 and are recorded nowhere, so a test fails on a timeout that lists what did arrive.
 */
export async function startWebhookSink(): Promise<WebhookSink> {
  const received: Notification[] = [];
  const server = createServer((req, res) => void record(req, res, received));
  const url = `http://127.0.0.1:${await listenOnFreePort(server)}`;
  const notifications = (path?: string) => received.filter((n) => path === undefined || n.path === path);
  const waitForNotification = async (predicate: (n: Notification) => boolean, options: WaitForNotificationOptions = {}) =>
    waitFor(() => notifications(options.path).find(predicate), {
      timeoutMs: options.timeoutMs ?? 30_000,
      intervalMs: 100,
      what: `${options.what ?? "a matching webhook notification"}${options.path ? ` at ${options.path}` : ""}`,
    }).catch((error: Error) => {
      throw new Error(`${error.message}\nreceived by then: ${describe(received)}`);
    });

  return {
    url,
    urlFor: (path) => `${url}${path.startsWith("/") ? path : `/${path}`}`,
    notifications,
    waitForNotification,
    async waitForAlert(match) {
      const find = (n: Notification) => (match.since === undefined || n.receivedAt >= match.since) && findAlert(n, match) !== undefined;
      const notification = await waitForNotification(find, { path: match.path, timeoutMs: match.timeoutMs, what: `alert ${match.alertname} ${match.status}` });
      return { notification, alert: findAlert(notification, match)! };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function findAlert(n: Notification, match: AlertMatch): WebhookAlert | undefined {
  return n.body.alerts.find(
    (a) => a.labels.alertname === match.alertname && a.status === match.status && Object.entries(match.labels ?? {}).every(([k, v]) => a.labels[k] === v),
  );
}

async function record(req: IncomingMessage, res: ServerResponse, into: Notification[]): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as WebhookPayload;
    if (req.method !== "POST" || !Array.isArray(body.alerts)) throw new Error("not an Alertmanager notification");
    into.push({ path: new URL(req.url ?? "/", "http://sink").pathname, receivedAt: Date.now(), body });
    res.writeHead(200).end("ok");
  } catch (error) {
    res.writeHead(400).end(String(error));
  }
}

/** A one-line summary per notification for failure messages. */
function describe(received: readonly Notification[]): string {
  if (received.length === 0) return "nothing";
  return received
    .map((n) => `${n.path} ${n.body.receiver} ${n.body.status} [${n.body.alerts.map((a) => `${a.labels.alertname ?? "?"}:${a.status}`).join(", ")}]`)
    .join("; ");
}
