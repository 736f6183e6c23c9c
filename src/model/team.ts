import { z } from "zod";
import { durationSchema } from "./duration.js";
import { labelNameSchema, slugSchema } from "./names.js";

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

/** A generic webhook (the URL is not secret in Alertmanager 0.25). */
export const webhookSchema = z.strictObject({
  /** URL that receives the JSON payload. */
  url: z.url(),
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
  /** Also notify when the alert resolves (default true). */
  sendResolved: z.boolean().default(true),
});

/** A team: who owns services and where their alerts go. */
export const teamSchema = z.strictObject({
  /** Team name: lowercase, digits and "-" ("payments"). */
  name: slugSchema,
  /** One receiver per severity: `{ page: {...}, ticket: {...} }`. */
  receivers: z.record(z.string().min(1), receiverSchema),
  /** Who to call, in order: on-call rotation first, then leads. */
  escalation: z.array(z.string().min(1)).default([]),
  /** Chat channel or e-mail where the team can be reached. */
  contact: z.string().optional(),
  /** Labels to group notifications by; defaults to the config's. */
  groupBy: z.array(labelNameSchema).optional(),
  /** How long to wait before repeating a notification for the same alert group. */
  repeatInterval: durationSchema.optional(),
});

export type Team = z.infer<typeof teamSchema>;
export type Receiver = z.infer<typeof receiverSchema>;

/** A team, or its name. */
export const teamRefSchema = z.union([slugSchema, z.looseObject({ name: z.string() }).transform((team) => team.name)]);
