import { describe, expect, it } from "vitest";
import { PrometheusQueryError, prometheusRangeQuery } from "../../src/backtest/query.js";

interface Seen {
  url: string;
  auth?: string;
  params: URLSearchParams;
}

/** A fake /api/v1/query_range: each piece answers two metrics that differ only in their name. */
function fakeFetch(seen: Seen[]): typeof fetch {
  return (async (url: string, init: RequestInit) => {
    const params = new URLSearchParams(String(init.body));
    seen.push({ url, auth: (init.headers as Record<string, string>).Authorization, params });
    const start = Number(params.get("start"));
    const end = Number(params.get("end"));
    const step = Number(params.get("step"));
    const times = Array.from({ length: Math.floor((end - start) / step) + 1 }, (_, i) => start + i * step);
    const result = [
      { metric: { __name__: "b", job: "x" }, values: times.filter((t) => t % 20 === 10).map((t) => [t, "+Inf"]) },
      { metric: { __name__: "a", job: "x" }, values: times.filter((t) => t % 20 === 0).map((t) => [t, "1"]) },
    ];
    return new Response(JSON.stringify({ status: "success", data: { resultType: "matrix", result } }));
  }) as typeof fetch;
}

describe("prometheusRangeQuery", () => {
  it("asks in pieces of at most maxPoints, joins them per label set without __name__, in time order", async () => {
    const seen: Seen[] = [];
    let chunks = 0;
    const query = prometheusRangeQuery({ url: "http://127.0.0.1:9090/prom/", maxPoints: 4, fetch: fakeFetch(seen), onChunk: () => chunks++ });
    const series = await query("a or b", { startMs: 0, endMs: 90_000, stepMs: 10_000 });
    expect(seen.map((s) => [s.url, s.params.get("start"), s.params.get("end"), s.params.get("step"), s.params.get("query")])).toEqual([
      ["http://127.0.0.1:9090/prom/api/v1/query_range", "0", "30", "10", "a or b"],
      ["http://127.0.0.1:9090/prom/api/v1/query_range", "40", "70", "10", "a or b"],
      ["http://127.0.0.1:9090/prom/api/v1/query_range", "80", "90", "10", "a or b"],
    ]);
    expect(chunks).toBe(3);
    expect(series).toEqual([{ labels: { job: "x" }, timestamps: Array.from({ length: 10 }, (_, i) => i * 10_000), values: [1, Infinity, 1, Infinity, 1, Infinity, 1, Infinity, 1, Infinity] }]);
  });

  it("sends user:password@ as basic auth and a token as a bearer, and prints neither", async () => {
    const seen: Seen[] = [];
    await prometheusRangeQuery({ url: "http://bob:s3cret@127.0.0.1:9090", fetch: fakeFetch(seen) })("up", { startMs: 0, endMs: 0, stepMs: 1000 });
    expect(seen[0]!.url).toBe("http://127.0.0.1:9090/api/v1/query_range");
    expect(seen[0]!.auth).toBe(`Basic ${Buffer.from("bob:s3cret").toString("base64")}`);
    await prometheusRangeQuery({ url: "http://127.0.0.1:9090", token: "tok-123", fetch: fakeFetch(seen) })("up", { startMs: 0, endMs: 0, stepMs: 1000 });
    expect(seen[1]!.auth).toBe("Bearer tok-123");

    const refused = prometheusRangeQuery({ url: "http://bob:s3cret@127.0.0.1:9", fetch: (async () => new Response("{}", { status: 401 })) as unknown as typeof fetch });
    const failure = await refused("up", { startMs: 0, endMs: 0, stepMs: 1000 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PrometheusQueryError);
    expect((failure as Error).message).toBe("http://127.0.0.1:9 refused the query (HTTP 401)");
  });

  it("says why Prometheus could not evaluate an expression", async () => {
    const bad = (async () => new Response(JSON.stringify({ status: "error", errorType: "bad_data", error: "parse error" }), { status: 400 })) as unknown as typeof fetch;
    await expect(prometheusRangeQuery({ url: "http://127.0.0.1:9090", fetch: bad })("up{", { startMs: 0, endMs: 0, stepMs: 1000 })).rejects.toThrow("http://127.0.0.1:9090 could not evaluate up{: bad_data: parse error");
  });
});
