import { z } from "zod";
import { durationSchema } from "./duration.js";
import { labelNameSchema } from "./names.js";
import { receiverSchema } from "./team.js";
import { sloAlertingSchema } from "./slo.js";

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
    })
    .prefault({}),
  /** Defaults for the burn-rate alerts of every SLO (tiers, page/ticket, per, for, labels, annotations). */
  slo: sloAlertingSchema.omit({ name: true, names: true }).default({}),
  grafana: z
    .strictObject({
      /** Base URL of Grafana, for links. */
      url: z.url().optional(),
      /** Where Grafana reads `generated/grafana/dashboards` from (the provisioning file's path). */
      dashboardsPath: z.string().startsWith("/").default("/var/lib/grafana/dashboards/vigil"),
    })
    .prefault({}),
  runbooks: z
    .strictObject({
      /** Base URL where `generated/runbooks` is published; `runbook_url` annotations start with it. */
      baseUrl: z.url().optional(),
    })
    .prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
