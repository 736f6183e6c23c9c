/**
 * End-to-end harness: real Prometheus, Alertmanager and promtool on 127.0.0.1, free ports,
 * owned PIDs. Start what a test needs, stop it in afterAll; anything left running when Node
 * exits is killed by PID (see processes.ts).
 */
export { INSTALL_COMMAND, requireBinary } from "./binaries.js";
export { BoundedLog, isAlive, runProcess, startedPids, startProcess, waitFor } from "./processes.js";
export type { ManagedProcess, RunResult, StartProcessOptions, WaitForOptions } from "./processes.js";
export { freePort, listenOnFreePort } from "./ports.js";
export { apiGet, metricValue, request, statusOf } from "./http.js";
export type { HttpResponse } from "./http.js";
export { prometheusConfig, startPrometheus } from "./prometheus.js";
export type { Prometheus, PrometheusOptions, PromAlert, PromRule, PromRuleGroup, PromSample, ReloadResult } from "./prometheus.js";
export { startAlertmanager } from "./alertmanager.js";
export type { Alertmanager, AlertmanagerOptions } from "./alertmanager.js";
export { startWebhookSink } from "./webhook.js";
export type { AlertMatch, Notification, WaitForNotificationOptions, WebhookAlert, WebhookPayload, WebhookSink } from "./webhook.js";
export { backfill, renderOpenMetrics, secondsAgo } from "./backfill.js";
export type { BackfillResult, BackfillSeries } from "./backfill.js";
