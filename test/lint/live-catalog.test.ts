import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { fetchLiveCatalog, LiveCatalogError, liveCatalogProblems, type LiveCatalog, type UsedMetric } from "../../src/lint/live-catalog.js";

/** A fake fetch answering from a table of path -> [status, body]; records the URLs and headers it saw. */
function fakeFetch(routes: Record<string, [number, string] | Error>) {
  const seen: { url: string; headers: Record<string, string> }[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    seen.push({ url: url.toString(), headers: { ...(init?.headers as Record<string, string>) } });
    const key = Object.keys(routes).find((path) => url.pathname.endsWith(path)) ?? Object.keys(routes).find((path) => url.pathname.startsWith(path));
    const route = key ? routes[key]! : ([404, "404 page not found\n"] as [number, string]);
    if (route instanceof Error) throw route;
    return new Response(route[1], { status: route[0] });
  }) as typeof globalThis.fetch;
  return { fetch, seen };
}

const ok = (data: unknown): [number, string] => [200, JSON.stringify({ status: "success", data })];

const SERVER = {
  "/api/v1/metadata": ok({
    http_requests_total: [{ type: "counter", help: "Requests served.", unit: "" }],
    http_request_duration_seconds: [{ type: "histogram", help: "Latency.", unit: "" }],
    process_open_fds: [{ type: "gauge", help: "Open fds.", unit: "" }],
    rpc_latency: [{ type: "summary", help: "", unit: "" }],
    // OpenMetrics families are named without _total.
    om_events: [{ type: "counter", help: "Events.", unit: "" }],
    disputed: [{ type: "gauge", help: "a", unit: "" }, { type: "counter", help: "b", unit: "" }],
  }),
  "/api/v1/label/__name__/values": ok([
    "http_requests_total",
    "http_request_duration_seconds_bucket",
    "http_request_duration_seconds_count",
    "http_request_duration_seconds_sum",
    "om_events_total",
    "process_open_fds",
    "rpc_latency",
    "rpc_latency_count",
    "rpc_latency_sum",
    "service:http_requests:rate5m",
    "no_metadata_bucket",
    "no_metadata_count",
    "disputed",
  ]),
  "/api/v1/labels": ok(["__name__", "code", "instance", "job", "le", "quantile", "route", "service"]),
};

describe("fetchLiveCatalog", () => {
  it("merges metadata and series names, and reads the labels", async () => {
    const { fetch, seen } = fakeFetch(SERVER);
    const live = await fetchLiveCatalog("http://127.0.0.1:9090/", { fetch, headers: { Authorization: "Bearer s3cret" } });
    expect(live.metrics.get("http_requests_total")).toEqual({ type: "counter", help: "Requests served." });
    expect(live.metrics.get("http_request_duration_seconds")).toEqual({ type: "histogram", help: "Latency." });
    expect(live.metrics.get("service:http_requests:rate5m")).toEqual({});
    // Targets disagree: the type is unknown, the help is the first given.
    expect(live.metrics.get("disputed")).toEqual({ help: "a" });
    expect(live.metrics.size).toBe(15);
    expect([...live.labels].sort()).toEqual(["__name__", "code", "instance", "job", "le", "quantile", "route", "service"]);
    expect(seen.map((s) => s.url).sort()).toEqual(["http://127.0.0.1:9090/api/v1/label/__name__/values", "http://127.0.0.1:9090/api/v1/labels", "http://127.0.0.1:9090/api/v1/metadata"]);
    expect(seen.every((s) => s.headers.Authorization === "Bearer s3cret")).toBe(true);
  });

  it("keeps a path prefix", async () => {
    const { fetch, seen } = fakeFetch(SERVER);
    await fetchLiveCatalog("https://example.test/prometheus", { fetch });
    expect(seen.map((s) => s.url)).toContain("https://example.test/prometheus/api/v1/labels");
  });

  it("names the URL and what failed: HTTP errors", async () => {
    const { fetch } = fakeFetch({ ...SERVER, "/api/v1/metadata": [503, JSON.stringify({ status: "error", errorType: "unavailable", error: "TSDB not ready" })] });
    const failure = fetchLiveCatalog("http://prom.test:9090", { fetch });
    await expect(failure).rejects.toBeInstanceOf(LiveCatalogError);
    await expect(failure).rejects.toThrow("Prometheus at http://prom.test:9090: GET /api/v1/metadata answered HTTP 503: TSDB not ready");
    await expect(failure).rejects.toMatchObject({ url: "http://prom.test:9090", endpoint: "/api/v1/metadata" });
  });

  it("says when the server wants credentials, without printing them", async () => {
    const { fetch } = fakeFetch({ "/api/v1/": [401, "Unauthorized"] });
    const failure = fetchLiveCatalog("http://admin:hunter2@prom.test:9090", { fetch, headers: { Authorization: "Bearer s3cret" } });
    await expect(failure).rejects.toThrow(/^Prometheus at http:\/\/prom\.test:9090: GET \/api\/v1\/\S+ answered HTTP 401 \(the server wants credentials\): Unauthorized$/);
    const message = await failure.catch((e: Error) => e.message);
    expect(message).not.toMatch(/hunter2|admin|s3cret/);
  });

  // With the real fetch, which refuses URLs holding credentials (a fake one would not notice).
  it("sends user:password@ of the URL as basic auth to a real server, and never prints the password", async () => {
    const authorizations: (string | undefined)[] = [];
    const server = createServer((request, response) => {
      authorizations.push(request.headers.authorization);
      const route = Object.entries(SERVER).find(([path]) => request.url === path)?.[1] as [number, string] | undefined;
      response.writeHead(route?.[0] ?? 404, { "content-type": "application/json" }).end(route?.[1] ?? "");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const live = await fetchLiveCatalog(`http://alice:s3cr%40t@127.0.0.1:${port}`);
      expect(live.metrics.has("http_requests_total")).toBe(true);
      expect(authorizations).toEqual(Array(3).fill(`Basic ${Buffer.from("alice:s3cr@t").toString("base64")}`));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    // The same server gone: the error names the URL without the credentials.
    const failure = await fetchLiveCatalog(`http://alice:s3cret@127.0.0.1:${port}`).catch((e: unknown) => e as LiveCatalogError);
    expect(failure).toBeInstanceOf(LiveCatalogError);
    expect((failure as Error).message).toMatch(new RegExp(`^Prometheus at http://127\\.0\\.0\\.1:${port}: GET /api/v1/\\S+ failed: the server cannot be reached`));
    expect((failure as Error).message).not.toMatch(/alice|s3cret/);
  });

  it("names the URL and what failed: a page that is not JSON, or JSON that is not the API", async () => {
    const html = fakeFetch({ ...SERVER, "/api/v1/labels": [200, "<html>Grafana</html>"] });
    await expect(fetchLiveCatalog("http://grafana.test", { fetch: html.fetch })).rejects.toThrow('Prometheus at http://grafana.test: GET /api/v1/labels answered something that is not JSON ("<html>Grafana</html>"...): is this the Prometheus URL?');
    const other = fakeFetch({ ...SERVER, "/api/v1/labels": [200, JSON.stringify({ labels: [] })] });
    await expect(fetchLiveCatalog("http://other.test", { fetch: other.fetch })).rejects.toThrow("GET /api/v1/labels answered JSON that is not a Prometheus API answer");
  });

  it("names the URL and what failed: unreachable, too slow, not a URL", async () => {
    const refused = fakeFetch({ "/api/v1/": Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }) }) });
    await expect(fetchLiveCatalog("http://127.0.0.1:1", { fetch: refused.fetch })).rejects.toThrow(/^Prometheus at http:\/\/127\.0\.0\.1:1: GET \/api\/v1\/\S+ failed: the server cannot be reached: connect ECONNREFUSED 127\.0\.0\.1:1$/);
    const slow = (async (_: unknown, init?: RequestInit) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal!.reason)))) as typeof fetch;
    await expect(fetchLiveCatalog("http://slow.test", { fetch: slow, timeoutMs: 20 })).rejects.toThrow(/GET \/api\/v1\/\S+ got no answer within 20 ms/);
    await expect(fetchLiveCatalog("prometheus:9090", { fetch: slow })).rejects.toThrow(/is not a URL/);
  });
});

describe("liveCatalogProblems", () => {
  let live: LiveCatalog;
  const problems = async (used: Omit<UsedMetric, "ref">[]) => {
    live ??= await fetchLiveCatalog("http://prom.test", { fetch: fakeFetch(SERVER).fetch });
    return liveCatalogProblems(
      used.map((u, ref) => ({ ...u, ref: 100 + ref })),
      live,
    );
  };

  it("finds names the server has: own names, histogram and summary families, OpenMetrics counters, recording rules", async () => {
    expect(
      await problems([
        { metric: "http_requests_total", labels: ["code", "route", "service"], type: "counter" },
        { metric: "http_request_duration_seconds", labels: ["le", "route"], type: "histogram" },
        { metric: "http_request_duration_seconds_bucket", labels: ["le"] },
        { metric: "rpc_latency", labels: ["quantile"], type: "summary" },
        { metric: "rpc_latency_sum", labels: [], type: "summary" },
        { metric: "om_events_total", labels: [], type: "counter" },
        { metric: "om_events", labels: [], type: "counter" },
        { metric: "no_metadata", labels: [], type: "histogram" },
        { metric: "service:http_requests:rate5m", labels: ["service"] },
        { metric: "disputed", labels: [], type: "counter" },
      ]),
    ).toEqual([]);
  });

  it("reports a missing metric with close names, and not its labels", async () => {
    expect(await problems([{ metric: "http_request_totals", labels: ["nope"], type: "counter" }])).toEqual([
      {
        ref: 100,
        code: "metric-not-in-prometheus",
        message: 'Prometheus has no series named "http_request_totals"',
        hint: 'did you mean "http_requests_total"? Check the name, or whether the target that exposes it is scraped by this Prometheus.',
      },
    ]);
    // A _bucket of something that is not a histogram is not found through its family.
    expect((await problems([{ metric: "process_open_fds_bucket", labels: [] }]))[0]?.code).toBe("metric-not-in-prometheus");
  });

  it("reports missing labels, each once, in order", async () => {
    expect(await problems([{ metric: "http_requests_total", labels: ["status", "route", "instanse", "status"] }])).toEqual([
      { ref: 100, code: "label-not-in-prometheus", message: 'no series in Prometheus has a label "instanse" (used with "http_requests_total")', hint: 'did you mean "instance"? Check the label name, or whether a relabelling rule drops or renames it.' },
      { ref: 100, code: "label-not-in-prometheus", message: 'no series in Prometheus has a label "status" (used with "http_requests_total")', hint: "Check the label name, or whether a relabelling rule drops or renames it." },
    ]);
  });

  it("reports a declared kind the metadata contradicts, only when the server knows the kind", async () => {
    const found = await problems([
      { metric: "process_open_fds", labels: [], type: "counter" },
      { metric: "http_request_duration_seconds", labels: [], type: "summary" },
      { metric: "http_request_duration_seconds_count", labels: [], type: "gauge" },
      { metric: "service:http_requests:rate5m", labels: [], type: "counter" },
      { metric: "no_metadata", labels: [], type: "summary" },
    ]);
    expect(found.map((p) => [p.ref, p.code, p.message])).toEqual([
      [100, "metric-kind-mismatch", '"process_open_fds" is declared as a counter, but Prometheus\' metadata says gauge'],
      [101, "metric-kind-mismatch", '"http_request_duration_seconds" is declared as a summary, but Prometheus\' metadata says histogram'],
      [102, "metric-kind-mismatch", '"http_request_duration_seconds_count" is declared as a gauge, but Prometheus\' metadata says histogram'],
    ]);
    expect(found[0]!.hint).toBe("declare it with gauge(...), or check that the name is the metric you mean");
  });
});
