import { describe, expect, it } from "vitest";
import { displayUrl, PrometheusError, prometheusClient } from "../../src/status/client.js";

type Handler = (url: URL, init: RequestInit) => Response | Promise<Response>;

/** A fetch that answers from `handler` and keeps every request. */
function fakeFetch(handler: Handler): { fetch: typeof fetch; requests: { url: URL; headers: Record<string, string> }[] } {
  const requests: { url: URL; headers: Record<string, string> }[] = [];
  const fetchImpl = (async (input: string | URL, init: RequestInit = {}) => {
    const url = new URL(String(input));
    requests.push({ url, headers: init.headers as Record<string, string> });
    return handler(url, init);
  }) as typeof fetch;
  return { fetch: fetchImpl, requests };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PrometheusError);
    return (error as Error).message;
  }
  throw new Error("expected a PrometheusError");
};

describe("status client", () => {
  it("sends instant and range queries with their times, under a path prefix, with the token in a header", async () => {
    const fake = fakeFetch((url) =>
      url.pathname.endsWith("/query_range")
        ? json({ status: "success", data: { resultType: "matrix", result: [{ metric: { route: "/a" }, values: [[100, "1"], [160, "+Inf"]] }] } })
        : json({ status: "success", data: { resultType: "vector", result: [{ metric: { __name__: "x" }, value: [100, "0.25"] }, { metric: {}, value: [100, "NaN"] }] } }),
    );
    const client = prometheusClient("https://user:pw@prom.example/prometheus/", { token: "s3cret-token", fetch: fake.fetch });
    expect(client.url).toBe("https://prom.example/prometheus");
    expect(await client.query("up", 100)).toEqual([{ labels: { __name__: "x" }, value: 0.25 }, { labels: {}, value: NaN }]);
    expect(await client.queryRange("rate(x[1m])", 40, 160, 60)).toEqual([{ labels: { route: "/a" }, points: [[100, 1], [160, Infinity]] }]);
    expect(fake.requests.map((r) => `${r.url.pathname}?${r.url.searchParams}`)).toEqual([
      "/prometheus/api/v1/query?query=up&time=100",
      "/prometheus/api/v1/query_range?query=rate%28x%5B1m%5D%29&start=40&end=160&step=60",
    ]);
    expect(fake.requests[0]!.headers.Authorization).toBe("Bearer s3cret-token");
  });

  it("reads alerting rules (recording rules left out) and active alerts", async () => {
    const fake = fakeFetch((url) =>
      url.pathname.endsWith("/rules")
        ? json({ status: "success", data: { groups: [{ name: "g", rules: [
            { type: "recording", name: "r", health: "ok" },
            { type: "alerting", name: "A", state: "firing", health: "ok", labels: { severity: "page" }, alerts: [{ labels: { alertname: "A" }, state: "firing", activeAt: "2024-05-06T08:00:00Z", value: "1e+00" }] },
          ] }] } })
        : json({ status: "success", data: { alerts: [{ labels: { alertname: "A" }, state: "firing" }] } }),
    );
    const client = prometheusClient("http://prom:9090", { fetch: fake.fetch });
    expect(await client.alertingRules()).toEqual([{ name: "A", state: "firing", health: "ok", labels: { severity: "page" }, alerts: [{ labels: { alertname: "A" }, state: "firing", activeAt: "2024-05-06T08:00:00Z", value: "1e+00" }] }]);
    expect(await client.alerts()).toEqual([{ labels: { alertname: "A" }, state: "firing" }]);
    expect(fake.requests[0]!.url.search).toBe("?type=alert");
    expect(fake.requests[0]!.headers.Authorization).toBeUndefined();
  });

  it("says what failed, in words, without the token or the password", async () => {
    const client = (handler: Handler) => prometheusClient("http://admin:hunter22@prom:9090", { token: "tok-12345", fetch: fakeFetch(handler).fetch });
    const bad = await failure(client(() => json({ status: "error", errorType: "bad_data", error: 'parse error: unexpected "}"' }, 400)).query("up{", 1));
    expect(bad).toBe('Prometheus at http://prom:9090: GET /api/v1/query (up{) answered HTTP 400: parse error: unexpected "}"');
    const auth = await failure(client(() => json({ status: "error", error: "unauthorized" }, 401)).alerts());
    expect(auth).toContain("answered HTTP 401 (the server wants credentials: set VIGIL_PROMETHEUS_TOKEN)");
    const html = await failure(client(() => new Response("<html>login</html>", { status: 200 })).alerts());
    expect(html).toContain('answered HTTP 200, not JSON ("<html>login</html>"): is this the Prometheus URL?');
    const shape = await failure(client(() => json({ status: "success", data: { resultType: "matrix", result: [] } })).query("up", 1));
    expect(shape).toContain("answered JSON that is not the expected Prometheus API answer");
    const down = await failure(client(() => Promise.reject(Object.assign(new TypeError("fetch failed"), { cause: new Error("connect ECONNREFUSED 127.0.0.1:9090") }))).alerts());
    expect(down).toBe("Prometheus at http://prom:9090: GET /api/v1/alerts failed: the server cannot be reached: connect ECONNREFUSED 127.0.0.1:9090");
    for (const message of [bad, auth, html, shape, down]) {
      expect(message).not.toContain("hunter22");
      expect(message).not.toContain("tok-12345");
    }
  });

  it("sends user and password of the URL as basic auth, never in the URL", async () => {
    const fake = fakeFetch(() => json({ status: "success", data: { alerts: [] } }));
    await prometheusClient("http://admin:p%40ss@prom:9090", { fetch: fake.fetch }).alerts();
    expect(fake.requests[0]!.url.toString()).toBe("http://prom:9090/api/v1/alerts");
    expect(fake.requests[0]!.headers.Authorization).toBe(`Basic ${Buffer.from("admin:p@ss").toString("base64")}`);
  });

  it("gives up on a server that does not answer", async () => {
    const hang: Handler = (_url, init) => new Promise((_resolve, reject) => init.signal!.addEventListener("abort", () => reject(Object.assign(new Error("timeout"), { name: "TimeoutError" }))));
    const client = prometheusClient("http://prom:9090", { fetch: fakeFetch(hang).fetch, timeoutMs: 50 });
    expect(await failure(client.alerts())).toBe("Prometheus at http://prom:9090: GET /api/v1/alerts got no answer within 50 ms");
  });

  it("prints URLs without credentials", () => {
    expect(displayUrl("http://a:b@host:1/x/")).toBe("http://host:1/x");
    expect(displayUrl("not a url")).toBe("not a url");
  });
});
