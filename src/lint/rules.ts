import type { Severity } from "../check/diagnostic.js";

/** A lint rule: what it checks, how severe it is unless the config says otherwise. */
export interface LintRule {
  severity: Severity;
  /** One line for `docs/lint-rules.md` and `vigil lint --list`. */
  summary: string;
  /** Secrets and syntax are not a matter of taste: they cannot be turned off or suppressed. */
  fixed?: true;
}

/**
 * Every lint rule, by its stable code. Each has a page section in docs/lint-rules.md with a bad
 * and a good example; a test keeps the two in step.
 */
export const LINT_RULES = {
  // PromQL, wherever it is written: alerts, recording rules, SLIs, dashboards, runbook queries.
  "promql-syntax": { severity: "error", summary: "the expression does not parse as PromQL", fixed: true },
  "promql-type": { severity: "error", summary: "operand or argument of the wrong type (range vector, instant vector, scalar, string)", fixed: true },
  "invalid-regex": { severity: "error", summary: "a regular expression that RE2, Prometheus' engine, rejects", fixed: true },
  "invalid-label-name": { severity: "error", summary: "label_replace or label_join names a label Prometheus refuses when it evaluates the rule", fixed: true },
  "unknown-metric": { severity: "error", summary: "a selector names a metric nobody declares, records or allows" },
  "unknown-label": { severity: "error", summary: "a label matcher names a label the metric does not have" },
  "rate-over-non-counter": { severity: "error", summary: "rate, increase or irate over a gauge" },
  "counter-without-rate": { severity: "warning", summary: "a counter compared raw instead of through rate() or increase()" },
  "histogram-quantile-without-le": { severity: "error", summary: "histogram_quantile over an aggregation that drops `le`" },
  "range-too-short": { severity: "warning", summary: "a range window shorter than 4 scrape intervals" },
  "duplicate-expression": { severity: "warning", summary: "the same expression declared twice" },
  "metric-kind-conflict": { severity: "warning", summary: "one metric name declared with two kinds (lint reads the first)" },
  "unused-metric": { severity: "warning", summary: "a declared metric that no rule, SLO, dashboard or runbook uses" },
  // With --prometheus URL: what a running server has.
  "metric-not-in-prometheus": { severity: "warning", summary: "a metric the running Prometheus does not have" },
  "label-not-in-prometheus": { severity: "warning", summary: "a label no series of the running Prometheus has" },
  "metric-kind-mismatch": { severity: "error", summary: "a metric declared with another kind than the running Prometheus reports" },
  // Alerts and rules, after monitoring-mixins and mixtool.
  "alert-name-camelcase": { severity: "error", summary: "alert names are CamelCase" },
  "alert-summary-style": { severity: "error", summary: "summary is one static, capitalised sentence ending with a period" },
  "alert-description-templated": { severity: "warning", summary: "description says more than the summary, with the alert's labels or value" },
  "unknown-severity": { severity: "error", summary: "severity not in the configured set", fixed: true },
  "runbook-missing-steps": { severity: "error", summary: "a paging alert needs a runbook with triage and mitigation steps" },
  "paging-alert-for": { severity: "error", summary: "a paging alert waits at least 1m (`for`) before it wakes someone" },
  "detection-time": { severity: "warning", summary: "a full outage of a paging service pages within lint.detection.maxPageDelay (5m)" },
  "team-required": { severity: "error", summary: "every service names its owning team", fixed: true },
  "rule-group-size": { severity: "error", summary: "rule groups hold at most 20 rules" },
  "recording-rule-name": { severity: "error", summary: "recording rules are named level:metric:operations" },
  "template-syntax": { severity: "error", summary: "Go template errors in labels and annotations" },
  "literal-secret": { severity: "error", summary: "a secret written into a monitor", fixed: true },
} as const satisfies Record<string, LintRule>;

export type LintCode = keyof typeof LINT_RULES;

export const LINT_CODES = Object.keys(LINT_RULES) as LintCode[];

/** Codes the config may switch off or suppress. */
export const CONFIGURABLE_CODES = LINT_CODES.filter((code) => !(LINT_RULES[code] as LintRule).fixed);

export function isLintCode(code: string): code is LintCode {
  return Object.prototype.hasOwnProperty.call(LINT_RULES, code);
}
