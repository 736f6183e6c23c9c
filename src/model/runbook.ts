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
});

export type Runbook = z.infer<typeof runbookSchema>;
export type RunbookStep = z.infer<typeof runbookStepSchema>;
