import { parseDuration } from "../model/duration.js";
import { analyzePromQL, type Analysis, type AnalyzeOptions } from "../promql/analyze.js";
import type { Anchor, Pending } from "../validate/anchor.js";
import type { Model } from "../validate/validate.js";
import { buildCatalog } from "./catalog.js";
import type { ExprSite } from "./expressions.js";
import { LINT_RULES, isLintCode } from "./rules.js";

export interface AnalyzedSite {
  site: ExprSite;
  analysis: Analysis;
}

/** Analysis options from the config: the catalog of the project, target labels, scrape interval. */
export function analyzeOptions(model: Model, unvalidated: readonly unknown[] = []): AnalyzeOptions {
  return {
    catalog: buildCatalog(model, unvalidated),
    targetLabels: model.config.lint.targetLabels,
    scrapeIntervalSeconds: (parseDuration(model.config.prometheus.scrapeInterval) ?? 15_000) / 1000,
    minRangeScrapes: model.config.lint.minRangeScrapes,
  };
}

export function analyzeSites(sites: readonly ExprSite[], options: AnalyzeOptions): AnalyzedSite[] {
  return sites.map((site) => ({ site, analysis: analyzePromQL(site.text, { ...options, grafana: site.grafana }) }));
}

/** Findings inside expressions, located at their character where the expression is a literal. */
export function lintPromQL(analyzed: readonly AnalyzedSite[]): Pending[] {
  return analyzed.flatMap(({ site, analysis }) =>
    analysis.findings.map((f) => ({
      diagnostic: {
        severity: isLintCode(f.code) ? LINT_RULES[f.code].severity : ("error" as const),
        code: f.code,
        message: `${f.message} (${site.owner})`,
        ...(f.hint && { hint: f.hint }),
      },
      anchor: site.literal ? { ...site.anchor, offset: f.offset } : site.anchor,
    })),
  );
}

/**
 * The same expression twice: two recording rules computing one series, or two alerts (other
 * than one alert's severity tiers) watching one condition.
 */
export function lintDuplicates(analyzed: readonly AnalyzedSite[]): Pending[] {
  const first = new Map<string, AnalyzedSite>();
  const pending: Pending[] = [];
  for (const entry of analyzed) {
    const { site, analysis } = entry;
    if ((site.kind !== "alert" && site.kind !== "recording-rule") || analysis.canonical === undefined) continue;
    const key = `${site.kind}\0${analysis.canonical}`;
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, entry);
      continue;
    }
    if (earlier.site.owner === site.owner) continue;
    pending.push({
      diagnostic: {
        severity: LINT_RULES["duplicate-expression"].severity,
        code: "duplicate-expression",
        message: `${site.owner} has the same expression as ${earlier.site.owner}`,
        hint: site.kind === "recording-rule" ? "record it once and query the recorded series" : "merge the two alerts, or tell them apart (a threshold, a `for`, a severity)",
      },
      anchor: site.anchor,
      related: [{ message: "first declared here", anchor: earlier.site.anchor }],
    });
  }
  return pending;
}

/** Declared metrics no expression uses (SLIs, rules, dashboards and runbook queries count). */
export function lintUnusedMetrics(model: Model, analyzed: readonly AnalyzedSite[]): Pending[] {
  const used = new Set(analyzed.flatMap((a) => a.analysis.metrics));
  return model.services.flatMap((service) =>
    service.metrics.flatMap((metric, i) => {
      if (used.has(metric.name)) return [];
      const anchor: Anchor = { origin: service.origin, path: ["metrics", i] };
      return [{
        diagnostic: {
          severity: LINT_RULES["unused-metric"].severity,
          code: "unused-metric",
          message: `metric ${metric.name} is declared but no alert, rule, SLO, dashboard or runbook query uses it`,
          hint: "use it (a dashboard panel is enough) or remove it from metrics",
        },
        anchor,
      }];
    }),
  );
}
