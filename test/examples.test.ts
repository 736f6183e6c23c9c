import { describe, expect, it } from "vitest";
import { compile } from "./helpers/vigil.js";
import { REPO_ROOT } from "./helpers/project.js";

/** What the example monitors promise a new team: every alert tested both ways, every kind of SLI. */
describe("the example monitors", () => {
  it("test every alert once firing and once quiet", async () => {
    const { model } = await compile({ cwd: REPO_ROOT });
    const alerts = model!.services.flatMap((s) => s.alerts.map((a) => ({ name: `${s.name}/${a.name}/${a.severity}`, tests: a.tests })));
    expect(alerts.length).toBeGreaterThanOrEqual(25);
    const missing = alerts.filter((a) => !a.tests.some((t) => t.fires !== false) || !a.tests.some((t) => t.fires === false)).map((a) => a.name);
    expect(missing).toEqual([]);
  });

  it("cover every SLI kind, 28d and 7d periods, a grouped and a low-traffic SLO", async () => {
    const { model } = await compile({ cwd: REPO_ROOT });
    const slos = model!.services.flatMap((s) => s.slos);
    expect(slos.length).toBeGreaterThanOrEqual(8);
    const kinds = new Set(slos.map((s) => ("errors" in s.sli || "good" in s.sli ? "ratio" : "latency" in s.sli ? "latency" : "errorRatio" in s.sli ? "raw" : "probe")));
    expect([...kinds].sort()).toEqual(["latency", "probe", "ratio", "raw"]);
    expect(slos.map((s) => s.period)).toEqual(expect.arrayContaining(["28d", "7d"]));
    expect(slos.some((s) => s.groupBy.length > 0)).toBe(true);
    expect(slos.some((s) => s.minEvents !== undefined)).toBe(true);
  });
  /** The worked example of docs/tutorial-multi-region-api.md: what issue 9 asks of it, checked on the compiled model. */
  it("monitor a multi-region API as the tutorial describes it", async () => {
    const { model, files } = await compile({ cwd: REPO_ROOT });
    const service = model!.services.find((s) => s.name === "recommendation-api")!;
    const team = model!.teams.find((t) => t.name === service.team)!;
    const key = (a: { name: string; severity: string }) => `${a.name}/${a.severity}`;
    expect(service.alerts.map(key).sort()).toEqual([
      "RecommendationApiCacheHitRateLow/ticket",
      "RecommendationApiCpuHigh/info",
      "RecommendationApiCpuHigh/ticket",
      "RecommendationApiFewInstances/ticket",
      "RecommendationApiHighErrorRate/page",
      "RecommendationApiHighErrorRate/ticket",
      "RecommendationApiHighLatency/page",
      "RecommendationApiHighLatency/ticket",
      "RecommendationApiMemoryHigh/ticket",
      "RecommendationApiReplicationLagHigh/ticket",
    ]);
    // Sustained-violation window and cooldown on every alert, every paging one with both templates.
    expect(service.alerts.filter((a) => !a.for || !a.keepFiringFor).map(key)).toEqual([]);
    const pages = service.alerts.filter((a) => a.severity === "page");
    expect(pages.filter((a) => !a.runbook?.communication?.internal || !a.runbook.communication.external).map(key)).toEqual([]);
    expect(service.alerts.filter((a) => !a.runbook || a.runbook.triage.length === 0 || a.runbook.mitigation.length === 0).map(key)).toEqual([]);
    // The thresholds the issue names, as written into the rules.
    const thresholds = Object.fromEntries(service.alerts.map((a) => [key(a), / ([<>]) ([0-9.]+)$/.exec(String(a.expr).trim())?.slice(1).join(" ")]));
    expect(thresholds).toMatchObject({
      "RecommendationApiHighLatency/page": "> 0.2",
      "RecommendationApiHighLatency/ticket": "> 0.1",
      "RecommendationApiHighErrorRate/page": "> 0.01",
      "RecommendationApiHighErrorRate/ticket": "> 0.005",
      "RecommendationApiReplicationLagHigh/ticket": "> 0.5",
      "RecommendationApiCacheHitRateLow/ticket": "< 0.7",
      "RecommendationApiCpuHigh/ticket": "> 0.8",
      "RecommendationApiMemoryHigh/ticket": "> 0.8",
    });
    // Availability 99.95% per region, as an SLO with burn-rate alerts.
    expect(service.slos.map((s) => [s.name, s.objective, s.groupBy])).toEqual([["availability", 99.95, ["region"]]]);
    // Five declarative dashboards: overview, performance, reliability, cache, infrastructure.
    expect(service.dashboards.map((d) => ("uid" in d ? d.uid : undefined)).sort()).toEqual(
      ["cache", "infrastructure", "performance", "regions", "reliability"].map((d) => `recommendation-api-${d}`),
    );
    // PagerDuty pages, Slack tickets, an e-mail digest batched once a day; repeats per severity.
    expect(Object.keys(team.receivers.page ?? {})).toContain("pagerduty");
    expect(Object.keys(team.receivers.ticket ?? {}).filter((k) => k !== "sendResolved")).toEqual(["slack"]);
    expect(Object.keys(team.receivers.info ?? {})).toContain("email");
    const alertmanager = files.find((f) => f.path.endsWith("alertmanager/alertmanager.yaml"))!.content;
    expect(alertmanager).toMatch(/receiver: search-page\n\s+matchers:\n\s+- severity="page"\n\s+group_wait: 30s\n\s+group_interval: 5m\n\s+repeat_interval: 30m/);
    expect(alertmanager).toMatch(/receiver: search-info\n\s+matchers:\n\s+- severity="info"\n\s+group_wait: 1h\n\s+group_interval: 24h\n\s+repeat_interval: 1w/);
    // Every paging alert's runbook section shows its detection time.
    const runbook = files.find((f) => f.path.endsWith("runbooks/search/recommendation-api.md"))!.content;
    const sections = runbook.split(/^## /m).filter((s) => / \(page\)\n/.test(s.split("\n")[0]! + "\n"));
    expect(sections.length).toBe(3);
    for (const section of sections) expect(section, section.split("\n")[0]).toMatch(/\*\*Detection:\*\* .* within \d+m/);
  });
});
