import { z } from "zod";
import { durationSchema } from "./duration.js";
import { slugSchema } from "./names.js";
import { escalationLevelSchema, routeGroupBySchema, routeOverrideSchema, routeTestSchema, timingSchema } from "./routing.js";

const filePath = (what: string) =>
  z.string().refine((path) => path.startsWith("/"), {
    params: { code: "secret-not-file" },
    error: `${what} must be an absolute path to a file that holds the secret, e.g. "/etc/alertmanager/secrets/${what.replace(/\W+/g, "-")}"`,
  });

/** PagerDuty (Events API v2). */
export const pagerdutySchema = z.strictObject({
  /** File holding the integration's routing key (never the key itself). */
  routingKeyFile: filePath("routing key"),
  /** PagerDuty severity: critical, error, warning or info. */
  severity: z.enum(["critical", "error", "warning", "info"]).optional(),
});

/** Slack, through an incoming webhook. */
export const slackSchema = z.strictObject({
  /** Channel, e.g. "#payments-alerts". */
  channel: z.string().regex(/^[#@]/, { error: 'a Slack channel starts with "#" (or "@" for a user)' }),
  /** File holding the webhook URL (never the URL itself). */
  apiUrlFile: filePath("webhook URL"),
});

/** E-mail. SMTP settings default to the config's `alertmanager.smtp`. */
export const emailSchema = z.strictObject({
  /** Recipient address(es), comma separated. */
  to: z.string().includes("@", { error: "expected an e-mail address" }),
});

/** A generic webhook: a URL, or (Alertmanager 0.26 or later) a file holding it. */
export const webhookSchema = z.union([
  z.strictObject({
    /** URL that receives the JSON payload; no credentials in it. */
    url: z.url(),
  }),
  z.strictObject({
    /** File holding the URL, when the URL carries a token (Alertmanager 0.26 or later). */
    urlFile: filePath("webhook URL"),
  }),
]);

/** VictorOps (Splunk On-Call). */
export const victoropsSchema = z.strictObject({
  /** File holding the API key (never the key itself). */
  apiKeyFile: filePath("API key"),
  /** Routing key of the VictorOps team. */
  routingKey: z.string().min(1),
});

/** Microsoft Teams incoming webhook (Alertmanager 0.26 or later). */
export const msteamsSchema = z.strictObject({
  /** File holding the webhook URL. */
  webhookUrlFile: filePath("webhook URL"),
});

/** Opsgenie. */
export const opsgenieSchema = z.strictObject({
  /** File holding the API key (never the key itself). */
  apiKeyFile: filePath("API key"),
  /** Opsgenie priority, P1 to P5. */
  priority: z.enum(["P1", "P2", "P3", "P4", "P5"]).optional(),
});

/** Where a team's alerts of one severity go; any combination of integrations. */
export const receiverSchema = z.strictObject({
  pagerduty: pagerdutySchema.optional(),
  slack: slackSchema.optional(),
  email: emailSchema.optional(),
  webhook: webhookSchema.optional(),
  opsgenie: opsgenieSchema.optional(),
  victorops: victoropsSchema.optional(),
  /** Microsoft Teams; Alertmanager 0.26 or later. */
  msteams: msteamsSchema.optional(),
  /** Also notify when the alert resolves (default true). */
  sendResolved: z.boolean().default(true),
});

/** A team: who owns services and where their alerts go. */
export const teamSchema = z.strictObject({
  /** Team name: lowercase, digits and "-" ("payments"). */
  name: slugSchema,
  /** One receiver per severity: `{ page: {...}, ticket: {...} }`. */
  receivers: z.record(z.string().min(1), receiverSchema),
  /** Who to call, in order: on-call rotation first, then leads; a level may say after how long. */
  escalation: z.array(escalationLevelSchema).default([]),
  /** Chat channel or e-mail where the team can be reached. */
  contact: z.string().optional(),
  /** Labels to group notifications by (not empty); defaults to the config's. */
  groupBy: routeGroupBySchema.optional(),
  /** How long to wait before repeating a notification for the same alert group. */
  repeatInterval: durationSchema.optional(),
  /** Timing per severity, over the config's: { ticket: { repeatInterval: "1d" } }. */
  timing: z.record(z.string().min(1), timingSchema).optional(),
  /** Severities notified only during these time intervals: { ticket: ["business-hours"] }. */
  activeDuring: z.record(z.string().min(1), z.array(slugSchema).min(1)).optional(),
  /** Time intervals in which none of the team's alerts notify (maintenance windows). */
  muteDuring: z.array(slugSchema).optional(),
  /** Routes ahead of the team's severity routes, e.g. { match: { env: "staging" }, receiver: "payments-quiet" }. */
  routes: z.array(routeOverrideSchema).default([]),
  /** Routing expectations checked with amtool: { labels, receivers }. */
  routingTests: z.array(routeTestSchema).default([]),
});

export type Team = z.infer<typeof teamSchema>;
export type Receiver = z.infer<typeof receiverSchema>;

/** A team, or its name. */
export const teamRefSchema = z.union([slugSchema, z.looseObject({ name: z.string() }).transform((team) => team.name)]);
