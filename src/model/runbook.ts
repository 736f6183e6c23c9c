import { z } from "zod";
import { exprSchema } from "./promql.js";

/** One step of triage or mitigation: plain text, or text with a query to run. */
export const runbookStepSchema = z.union([
  z.string().min(1),
  z.strictObject({
    /** What to do or look at. */
    step: z.string().min(1),
    /** A PromQL query that shows what the step is about. */
    query: exprSchema.optional(),
  }),
]);

/** Expected response time per severity, in words, unless `runbooks.responseTimes` says otherwise. */
export const DEFAULT_RESPONSE_TIMES: Readonly<Record<string, string>> = { page: "5 minutes", ticket: "1 business day", info: "none" };

/** Message templates for when the alert fires, shown as quotes in its runbook section. */
export const communicationSchema = z.strictObject({
  /** Update for the incident channel; page alerts get a default one naming the alert, service, team and runbook. */
  internal: z.string().min(1).optional(),
  /** Update for customers, on the status page. */
  external: z.string().min(1).optional(),
});

/** What an on-call engineer needs when the alert fires. */
export const runbookSchema = z.strictObject({
  /** What the alert means, in one or two sentences. */
  summary: z.string().optional(),
  /** What customers see while it fires. */
  impact: z.string().optional(),
  /** Steps to find the cause, in order. */
  triage: z.array(runbookStepSchema).default([]),
  /** Steps to stop the bleeding, in order. */
  mitigation: z.array(runbookStepSchema).default([]),
  /** Whom to call, in order; defaults to the team's escalation. */
  escalation: z.array(z.string().min(1)).optional(),
  /** Further reading: dashboards, docs, past incidents. */
  links: z.array(z.strictObject({ title: z.string().min(1), url: z.string().min(1) })).default([]),
  /** Templates of the updates to post while it fires: `internal` (incident channel), `external` (status page). */
  communication: communicationSchema.optional(),
});

export type Runbook = z.infer<typeof runbookSchema>;
export type RunbookStep = z.infer<typeof runbookStepSchema>;
export type Communication = z.infer<typeof communicationSchema>;
