/** Vigil's default severities, most severe first. */
export const VIGIL_SEVERITIES = ["page", "ticket", "info"] as const;

/** Severity names used elsewhere (kube-prometheus, Sloth, PagerDuty) and the Vigil one each means. */
const ALIASES: Record<string, string> = {
  critical: "page",
  high: "page",
  error: "page",
  p1: "page",
  p2: "page",
  warning: "ticket",
  warn: "ticket",
  medium: "ticket",
  p3: "ticket",
  low: "info",
  none: "info",
  p4: "info",
  p5: "info",
};

/** The Vigil severity for a source severity, and whether it was renamed. */
export function mapSeverity(value: string): { severity: string; renamed: boolean } {
  if ((VIGIL_SEVERITIES as readonly string[]).includes(value)) return { severity: value, renamed: false };
  const alias = ALIASES[value.toLowerCase()];
  return alias ? { severity: alias, renamed: true } : { severity: value, renamed: false };
}
