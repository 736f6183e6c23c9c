import { z } from "zod";

export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Names used in file paths and Alertmanager receiver names: lowercase, digits, dashes. */
export const SLUG = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

export const metricNameSchema = z.string().refine((name) => METRIC_NAME.test(name), {
  params: { code: "invalid-metric-name" },
  error: (issue) => `${JSON.stringify(issue.input)} is not a valid metric name: use letters, digits, "_" and ":", not starting with a digit`,
});

export const labelNameSchema = z.string().refine((name) => LABEL_NAME.test(name) && !name.startsWith("__"), {
  params: { code: "invalid-label-name" },
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not a valid label name: use letters, digits and "_", not starting with a digit or "__"`,
});

export const slugSchema = z.string().refine((name) => SLUG.test(name), {
  params: { code: "invalid-name" },
  error: (issue) => `${JSON.stringify(issue.input)} is not a valid name here: use lowercase letters, digits and "-", e.g. "checkout-api"`,
});

/** Label names mapped to values; values are static strings or Go templates. */
export const labelsSchema = z.record(labelNameSchema, z.string());
