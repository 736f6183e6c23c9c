// The public API of Vigil: what monitor files import from "vigil".
export { defineConfig, defineTeam, defineService, defineAlert, defineRecordingRule, defineDashboard, defineSlo } from "./model/define.js";
export type { TeamInput, AlertInput, RecordingRuleInput } from "./model/define.js";
export { counter, gauge, histogram, summary } from "./model/metric.js";
export type { MetricHandle, Selector, LabelMatch, MetricOptions, HistogramOptions, Metric } from "./model/metric.js";
export { promql } from "./model/promql.js";
export type { PromQL, ExprInput } from "./model/promql.js";
export type { ConfigInput, Config } from "./model/config.js";
export type { ServiceInput, Service } from "./model/service.js";
export type { Team, Receiver } from "./model/team.js";
export type { Alert, RecordingRule } from "./model/rules.js";
export type { Runbook, RunbookStep } from "./model/runbook.js";
export type { Slo, SloInput, Sli, Tier, SloAlerting } from "./model/slo.js";
export type { DashboardInput, DeclarativeDashboard, Panel } from "./model/dashboard.js";
export type { Diagnostic, Severity } from "./check/diagnostic.js";
export { compile } from "./pipeline.js";
export type { CompileOptions, CompileResult } from "./pipeline.js";
