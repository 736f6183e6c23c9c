import { z } from "zod";
import { durationSchema } from "./duration.js";
import { labelNameSchema } from "./names.js";
import { receiverSchema } from "./team.js";
import { inhibitRuleSchema, routeOverrideSchema, routeTestSchema, timeIntervalsSchema, timingSchema } from "./routing.js";
import { sloAlertingSchema } from "./slo.js";

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
  kubernetes: z
    .strictObject({
      /** Write dashboard ConfigMaps labelled for the Grafana sidecar (`grafana_dashboard: "1"`). */
      dashboards: z.boolean().default(false),
      /** Namespace of the ConfigMaps. */
      namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).default("monitoring"),
    })
    .prefault({}),
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
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
