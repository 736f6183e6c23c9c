import type { Config } from "../model/config.js";
import type { Pending } from "../validate/anchor.js";
import { isLintCode, LINT_RULES, type LintRule } from "./rules.js";

/** The `suppress` maps on the way from the declared object down to the value at `path`. */
function suppressions(value: unknown, path: readonly PropertyKey[]): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  let current = value;
  for (let i = 0; ; i++) {
    if (current === null || typeof current !== "object") break;
    const suppress = (current as { suppress?: unknown }).suppress;
    if (suppress !== null && typeof suppress === "object") found.push(suppress as Record<string, unknown>);
    if (i >= path.length) break;
    current = (current as Record<PropertyKey, unknown>)[path[i]!];
  }
  return found;
}

/**
 * Lint diagnostics as the project wants them: the severity from the config (or the rule's
 * default), none where the config turns the rule off or the object suppresses it with a reason.
 * Other diagnostics pass unchanged.
 */
export function applyLintPolicy(pending: readonly Pending[], config: Config): Pending[] {
  return pending.flatMap((p) => {
    const code = p.diagnostic.code;
    if (!isLintCode(code)) return [p];
    const rule: LintRule = LINT_RULES[code];
    if (rule.fixed) return [{ ...p, diagnostic: { ...p.diagnostic, severity: rule.severity } }];
    const setting = config.lint.rules[code];
    if (setting === "off") return [];
    if (suppressions(p.anchor.origin.value, p.anchor.path).some((s) => typeof s[code] === "string" && s[code].trim() !== "")) return [];
    const severity = setting === "warn" ? "warning" : setting === "error" ? "error" : rule.severity;
    return [{ ...p, diagnostic: { ...p.diagnostic, severity } }];
  });
}
