import { z } from "zod";
import { CONFIGURABLE_CODES, LINT_RULES, isLintCode, type LintRule } from "../lint/rules.js";

/**
 * Lint rules switched off for this object and everything inside it, each with its reason:
 * `{ "alert-name-camelcase": "the name predates Vigil and pagers match on it" }`.
 */
export const suppressSchema = z.record(z.string(), z.string()).superRefine((entries, ctx) => {
  for (const [code, reason] of Object.entries(entries)) {
    if (!isLintCode(code)) {
      ctx.addIssue({
        code: "custom",
        path: [code],
        params: { code: "unknown-lint-rule", at: "key" },
        message: `${JSON.stringify(code)} is not a lint rule`,
      });
    } else if ((LINT_RULES[code] as LintRule).fixed) {
      ctx.addIssue({ code: "custom", path: [code], params: { code: "lint-rule-not-suppressible", at: "key" }, message: `${code} cannot be suppressed` });
    } else if (reason.trim() === "") {
      ctx.addIssue({ code: "custom", path: [code], params: { code: "suppression-without-reason" }, message: `the suppression of ${code} gives no reason` });
    }
  }
});

export const SUPPRESS_HINTS: Record<string, string> = {
  "unknown-lint-rule": `suppress one of: ${CONFIGURABLE_CODES.join(", ")}`,
  "lint-rule-not-suppressible": "fix the problem instead: syntax errors, type errors, unknown severities and secrets are never waived",
  "suppression-without-reason": 'say why, e.g. { "alert-name-camelcase": "pagers match on this name" }',
};
