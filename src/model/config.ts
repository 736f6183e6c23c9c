import { z } from "zod";
import { durationSchema } from "./duration.js";
import { labelNameSchema } from "./names.js";
import { receiverSchema } from "./team.js";
import { inhibitRuleSchema, routeOverrideSchema, routeTestSchema, timeIntervalsSchema, timingSchema } from "./routing.js";
import { sloAlertingSchema } from "./slo.js";
import { accepts, sinceText } from "./prometheus-version.js";
import { kubernetesSchema, mimirSchema, thanosSchema } from "./targets.js";
import { CONFIGURABLE_CODES, type LintCode } from "../lint/rules.js";
import { applySchema } from "../apply/schema.js";

/** Notification timing per severity unless the config or a team says otherwise. */
export const DEFAULT_TIMING = {
  page: { groupWait: "30s", groupInterval: "5m", repeatInterval: "1h" },
  ticket: { groupWait: "5m", groupInterval: "30m", repeatInterval: "1d" },
  info: { groupWait: "10m", groupInterval: "1h", repeatInterval: "1w" },
} as const;

/** Settings of `vigil.config.ts`. */
export const configSchema = z.strictObject({
  /** Glob(s) of monitor files, relative to the config file. */
  monitors: z.union([z.string(), z.array(z.string()).min(1)]).default("monitors/**/*.ts"),
  /** Where generated files go, relative to the config file. */
  outDir: z.string().min(1).default("generated"),
  /**
   * Most time the monitor files may take to load (run their top level, top-level awaits
   * included); past it, compile stops with `monitor-timeout`. `--timeout` overrides it; the
   * config file's own loading is limited by `--timeout` or the default only.
   */
  loadTimeout: durationSchema.default("30s"),
  /** Allowed alert severities; each team routes them to receivers. */
  severities: z.array(z.string().regex(/^[a-z][a-z0-9_-]*$/)).min(1).default(["page", "ticket", "info"]),
  prometheus: z
    .strictObject({
      /** Target Prometheus version; fields are emitted only where it accepts them. */
      version: z.string().default("2.42"),
      /** Default rule evaluation interval. */
      evaluationInterval: durationSchema.default("1m"),
      /** Most rules in one group. */
      maxRulesPerGroup: z.number().int().min(1).default(20),
      /** Base URL of Prometheus, for "Open in Prometheus" links under runbook queries. */
      url: z.url().optional(),
      /** How often targets are scraped; range windows must cover `lint.minRangeScrapes` of them. */
      scrapeInterval: durationSchema.default("15s"),
      /**
       * Evaluate every group this much in the past (`query_offset`), for series that arrive late
       * (remote write, federation). Needs `version` 2.53 or later.
       */
      queryOffset: durationSchema.optional(),
    })
    .superRefine((p, ctx) => {
      if (p.queryOffset && !accepts(p.version, "query_offset")) {
        ctx.addIssue({ code: "custom", path: ["queryOffset"], params: { code: "needs-newer-prometheus" }, message: `queryOffset needs Prometheus ${sinceText("query_offset")} or later (prometheus.version is ${p.version}): raise prometheus.version if yours is newer, or remove it` });
      }
    })
    .prefault({}),
  alertmanager: z
    .strictObject({
      /** Target Alertmanager version. */
      version: z.string().default("0.25"),
      /** Labels that group alerts into one notification. */
      groupBy: z.array(labelNameSchema).default(["alertname", "team", "service"]),
      groupWait: durationSchema.default("30s"),
      groupInterval: durationSchema.default("5m"),
      repeatInterval: durationSchema.default("4h"),
      resolveTimeout: durationSchema.default("5m"),
      /** SMTP settings for e-mail receivers. */
      smtp: z
        .strictObject({
          smarthost: z.string().regex(/^[^:]+:\d+$/, { error: 'expected "host:port"' }),
          from: z.string().includes("@"),
          authUsername: z.string().optional(),
          /** File holding the SMTP password. */
          authPasswordFile: z.string().startsWith("/").optional(),
        })
        .optional(),
      /** Catch-all receiver for alerts no team route matches. */
      defaultReceiver: receiverSchema.optional(),
      /** Timing per severity, over DEFAULT_TIMING (pages fast and often, tickets slow); teams override it. */
      timing: z.record(z.string().min(1), timingSchema).default({}),
      /** Named time intervals (business hours, maintenance windows) for teams' activeDuring and muteDuring. */
      timeIntervals: timeIntervalsSchema.default({}),
      /** Receivers shared by name, e.g. { "quiet": { slack: {...} } }, for routes. */
      receivers: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/), receiverSchema).default({}),
      /** Routes ahead of every team's, e.g. { match: { env: "staging" }, receiver: "quiet" }. */
      routes: z.array(routeOverrideSchema).default([]),
      /** Inhibitions on top of the defaults (a page silences the ticket of the same alert; dependencies). */
      inhibitRules: z.array(inhibitRuleSchema).default([]),
      /** Routing expectations checked with amtool. */
      routingTests: z.array(routeTestSchema).default([]),
      /**
       * Send every notification to this webhook instead, at <url>/<receiver>: for end-to-end
       * tests and staging stacks. Never set it for production.
       */
      redirectReceivers: z.url().optional(),
    })
    .prefault({}),
  /** Kubernetes manifests next to the other output, for Argo CD or Flux. */
  kubernetes: kubernetesSchema.prefault({}),
  /** Rule namespaces for a Mimir or Cortex ruler, under `mimir/`. */
  mimir: mimirSchema.prefault({}),
  /** Rule files for the Thanos Ruler, under `thanos/`. */
  thanos: thanosSchema.prefault({}),
  /** Defaults for the burn-rate alerts of every SLO (tiers, page/ticket, per, for, labels, annotations). */
  slo: sloAlertingSchema.omit({ name: true, names: true }).default({}),
  grafana: z
    .strictObject({
      /** Base URL of Grafana, for links. */
      url: z.url().optional(),
      /** Dashboard JSON schema: "v1" (dashboard JSON, schemaVersion 42) or "v2" (dashboard.grafana.app/v2 resources). */
      schema: z.enum(["v1", "v2"]).default("v1"),
      /** Where Grafana reads `generated/grafana/dashboards` from (the provisioning file's path). */
      dashboardsPath: z.string().startsWith("/").default("/var/lib/grafana/dashboards/vigil"),
    })
    .prefault({}),
  runbooks: z
    .strictObject({
      /** Base URL where `generated/runbooks` is published; `runbook_url` annotations start with it. */
      baseUrl: z.url().optional(),
      /**
       * Expected response time per severity, in words, stated in every alert's section; a
       * severity left out keeps its default (page "5 minutes", ticket "1 business day", info "none").
       */
      responseTimes: z.record(z.string().min(1), z.string().min(1)).default({ page: "5 minutes", ticket: "1 business day", info: "none" }),
    })
    .prefault({}),
  /** Lint rules: severities, and what PromQL may query beyond the declared metrics (docs/lint-rules.md). */
  lint: z
    .strictObject({
      /** Severity per rule, over its default: { "counter-without-rate": "error", "unused-metric": "off" }. */
      rules: z.partialRecord(z.enum(CONFIGURABLE_CODES as [LintCode, ...LintCode[]]), z.enum(["off", "warn", "error"])).default({}),
      /**
       * Metrics monitors may query that no monitor declares: exporters' and other repositories'
       * series. Exact names, or globs with `*`: ["node_*", "kube_pod_status_ready"].
       */
      externalMetrics: z.array(z.string().regex(/^[a-zA-Z_:*][a-zA-Z0-9_:*]*$/)).default([]),
      /** Labels every scraped series carries, whatever its metric declares (relabelling adds more: list them). */
      targetLabels: z.array(labelNameSchema).default(["job", "instance"]),
      /** Range windows over scraped series must cover at least this many scrape intervals. */
      minRangeScrapes: z.number().int().min(1).default(4),
      /** The `detection-time` rule: how soon a paging service's full outage must page. */
      detection: z
        .strictObject({
          /**
           * A full outage of a service with paging alerts pages within this long: its fastest
           * paging alert (an SLO's full outage, a threshold alert's step) fires by then.
           */
          maxPageDelay: durationSchema.default("5m"),
        })
        .prefault({}),
    })
    .prefault({}),
  /** Where `vigil apply` pushes the output: Prometheus rules dir, Alertmanager config file, Grafana, Mimir. */
  apply: applySchema.prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
