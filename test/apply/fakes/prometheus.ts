import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { parseDuration } from "../../../src/model/duration.js";
import { startFakeServer, type FakeServer, type Reply } from "./server.js";

/**
 * A fake Prometheus for apply's reload-and-verify step: /-/ready, POST /-/reload, /metrics
 * (prometheus_config_last_reload_successful 1) and /api/v1/rules built from the *.rules.yaml
 * files of `dirs` as 2.42 shapes its answer (absolute `file`, `duration` in seconds, the
 * expression as written). `rules` replaces that answer when a test needs another.
 * test/e2e/apply*.test.ts run the same code against the real server.
 */
export interface FakePrometheus extends FakeServer {
  /** Directories whose rule files the fake "loads" (its rule_files). */
  dirs: string[];
  /** Replaces /api/v1/rules' answer while set. */
  rules?: () => Reply;
}

/** The /api/v1/rules answer for the rule files in `dirs`, as Prometheus 2.42 gives it. */
export function rulesAnswer(dirs: readonly string[]): unknown {
  const groups: unknown[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((f) => f.endsWith(".rules.yaml")).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const file = path.join(dir, name);
      const parsed = parse(readFileSync(file, "utf8")) as { groups?: { name: string; interval?: string; rules: Record<string, unknown>[] }[] } | null;
      for (const group of parsed?.groups ?? []) {
        groups.push({
          name: group.name,
          file,
          interval: (parseDuration(group.interval ?? "1m") ?? 60_000) / 1000,
          limit: 0,
          rules: group.rules.map((rule) =>
            rule.alert !== undefined
              ? { state: "inactive", name: rule.alert, query: rule.expr, duration: (parseDuration(String(rule.for ?? "0s")) ?? 0) / 1000, keepFiringFor: 0, labels: rule.labels ?? {}, annotations: rule.annotations ?? {}, alerts: [], health: "unknown", type: "alerting" }
              : { name: rule.record, query: rule.expr, labels: rule.labels ?? {}, health: "unknown", type: "recording" },
          ),
        });
      }
    }
  }
  return { status: "success", data: { groups } };
}

export async function startFakePrometheus(dirs: string[]): Promise<FakePrometheus> {
  const fake: Partial<FakePrometheus> = { dirs };
  const server = await startFakeServer((req) => {
    const url = req.url.split("?")[0];
    if (req.method === "GET" && url === "/-/ready") return { status: 200, text: "Prometheus Server is Ready.\n" };
    if (req.method === "POST" && url === "/-/reload") return { status: 200, text: "" };
    if (req.method === "GET" && url === "/metrics") return { status: 200, text: "# TYPE prometheus_config_last_reload_successful gauge\nprometheus_config_last_reload_successful 1\n" };
    if (req.method === "GET" && url === "/api/v1/rules") return fake.rules ? fake.rules() : { status: 200, body: rulesAnswer(fake.dirs!) };
    return { status: 404, text: "404 page not found\n" };
  });
  return Object.assign(fake, server) as FakePrometheus;
}

/**
 * A fake Alertmanager: /-/ready, POST /-/reload, /metrics, and /api/v2/status whose
 * config.original is `original()` (by default the file at `configFile`, as written).
 */
export interface FakeAlertmanager extends FakeServer {
  original: () => string | undefined;
}

export async function startFakeAlertmanager(configFile: string): Promise<FakeAlertmanager> {
  const fake: Partial<FakeAlertmanager> = { original: () => readFileSync(configFile, "utf8") };
  const server = await startFakeServer((req) => {
    const url = req.url.split("?")[0];
    if (req.method === "GET" && url === "/-/ready") return { status: 200, text: "OK" };
    if (req.method === "POST" && url === "/-/reload") return { status: 200, text: "" };
    if (req.method === "GET" && url === "/metrics") return { status: 200, text: "alertmanager_config_last_reload_successful 1\n" };
    if (req.method === "GET" && url === "/api/v2/status") {
      const original = fake.original!();
      return { status: 200, body: { cluster: { status: "disabled" }, config: original === undefined ? {} : { original }, uptime: "2024-01-01T00:00:00Z", versionInfo: { version: "0.25.0" } } };
    }
    return { status: 404, text: "404 page not found\n" };
  });
  return Object.assign(fake, server) as FakeAlertmanager;
}
