import path from "node:path";
import { describe, expect, it } from "vitest";
import { applySchema } from "../../src/apply/schema.js";
import { resolveTargets } from "../../src/apply/settings.js";

/** Where targets come from: flag over environment over config for URLs; tokens only from the environment. */
describe("resolveTargets", () => {
  const root = "/repo";
  const config = applySchema.parse({
    prometheus: { url: "http://config:9090", rulesDir: "rules" },
    alertmanager: { configFile: "/etc/am.yml" },
    grafana: { url: "http://config:3000", folderPrefix: "Vigil / " },
  });

  it("takes URLs from flags, then the environment, then the config; resolves paths against the config's directory", () => {
    const env = { VIGIL_PROMETHEUS_URL: "http://env:9090", VIGIL_ALERTMANAGER_URL: "http://env:9093", GRAFANA_TOKEN: "glsa_secret" };
    const resolved = resolveTargets(config, root, { prometheusUrl: "http://flag:9090" }, env);
    expect(resolved.problems).toEqual([]);
    expect(resolved.prometheus).toEqual({ url: "http://flag:9090", rulesDir: path.resolve(root, "rules") });
    expect(resolved.alertmanager).toEqual({ url: "http://env:9093", configFile: "/etc/am.yml" });
    expect(resolved.grafana).toEqual({ url: "http://config:3000", token: "glsa_secret", tokenEnv: "GRAFANA_TOKEN", folderPrefix: "Vigil / " });
    expect(resolved.mimir).toBeUndefined();
  });

  it("needs the Grafana token in the environment, and names the variable (never a value)", () => {
    const resolved = resolveTargets(applySchema.parse({ grafana: { url: "http://g:3000", tokenEnv: "MY_TOKEN" } }), root, {}, {});
    expect(resolved.grafana).toBeUndefined();
    expect(resolved.problems).toEqual(["grafana: set $MY_TOKEN to a Grafana service-account token (tokens are read only from the environment)"]);
  });

  it("selects only the targets --target names, and says what a named one lacks", () => {
    const resolved = resolveTargets(config, root, { target: "prometheus,mimir" }, {});
    expect(resolved.prometheus?.url).toBe("http://config:9090");
    expect(resolved.alertmanager).toBeUndefined();
    expect(resolved.grafana).toBeUndefined();
    expect(resolved.problems).toEqual(["mimir: no URL; set apply.mimir.url in vigil.config.ts, $VIGIL_MIMIR_URL, or --mimir-url"]);
  });

  it("selects a target from an environment URL alone, and says what the config must add", () => {
    const resolved = resolveTargets(applySchema.parse({}), root, {}, { VIGIL_MIMIR_URL: "http://mimir:9009", VIGIL_PROMETHEUS_URL: "http://p:9090" });
    expect(resolved.mimir).toEqual({ url: "http://mimir:9009", tenant: undefined, token: undefined, tokenEnv: undefined, namespacePrefix: "vigil-", namespaceBy: "team" });
    expect(resolved.problems).toEqual(["prometheus: set apply.prometheus.rulesDir in vigil.config.ts (the directory Prometheus loads rule files from)"]);
  });

  it("without --target, skips a configured target that has no URL and says so (CI passes unset secrets as empty)", () => {
    const resolved = resolveTargets(applySchema.parse({ alertmanager: { configFile: "am.yml" }, mimir: { tenant: "acme" } }), root, {}, { VIGIL_ALERTMANAGER_URL: "", VIGIL_MIMIR_URL: "http://m:9009" });
    expect(resolved.alertmanager).toBeUndefined();
    expect(resolved.mimir?.tenant).toBe("acme");
    expect(resolved.skipped).toEqual(["alertmanager: skipped, no URL (apply.alertmanager.url, $VIGIL_ALERTMANAGER_URL or --alertmanager-url)"]);
    expect(resolved.problems).toEqual([]);
  });

  it("is a usage error to name an unknown target, and a problem to configure none", () => {
    expect(resolveTargets(config, root, { target: "prometheus,thanos" }, {}).usage).toBe("unknown target thanos: choose among grafana, alertmanager, prometheus, mimir");
    expect(resolveTargets(applySchema.parse({}), root, {}, {}).problems[0]).toMatch(/^nothing to apply to/);
  });
});
