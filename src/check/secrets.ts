/**
 * Secrets written into monitors: a monitor repository is read by everyone and its output is
 * committed, so a key belongs in a file Alertmanager reads, never in a string.
 */
const PATTERNS: [string, RegExp][] = [
  ["Slack webhook URL", /https:\/\/hooks\.slack\.com\/(services|workflows)\/[A-Za-z0-9/_-]{10,}/],
  ["Slack token", /\bxox[abposr]-[A-Za-z0-9-]{10,}/],
  ["Microsoft Teams webhook URL", /https:\/\/[a-z0-9.-]*(webhook\.office|logic\.azure)\.com\/[^\s"']{20,}/i],
  // From "://" on, not from the scheme: "[a-z][a-z0-9+.-]*://" took quadratic time on a long
  // string without "://" (a 100 KB description: 17 s of validation).
  ["URL with credentials", /:\/\/[^/\s:@]+:[^/\s@]+@/],
  ["token in a URL", /[?&](token|access_token|api_key|apikey|key|secret|password|sig|signature)=[^&\s]{6,}/i],
  ["GitHub token", /\bgh[pousr]_[A-Za-z0-9]{30,}/],
  ["AWS access key", /\bAKIA[0-9A-Z]{16}\b/],
  ["private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ["JSON web token", /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\./],
  ["bearer token", /\bBearer\s+[A-Za-z0-9._~+/-]{16,}/],
];

/** Field names that hold secrets; their value must be a file path. */
const SECRET_FIELD = /(password|passwd|secret|token|api_?key|routing_?key|service_?key|credentials?)$/i;

/** What kind of secret a string at `key` looks like, or undefined. */
export function secretKind(key: string, value: string): string | undefined {
  for (const [kind, pattern] of PATTERNS) if (pattern.test(value)) return kind;
  // "routingKey" of VictorOps names a team, not a secret.
  if (SECRET_FIELD.test(key) && key !== "routingKey" && !value.startsWith("/") && /^[A-Za-z0-9+/=_.-]{16,}$/.test(value)) return `${key} value`;
  return undefined;
}

/** Every string in a declared object that looks like a secret, with its path. */
export function findSecrets(value: unknown, path: PropertyKey[] = [], seen = new Set<unknown>()): { path: PropertyKey[]; kind: string }[] {
  if (typeof value === "string") {
    const kind = secretKind(String(path.at(-1) ?? ""), value);
    return kind ? [{ path, kind }] : [];
  }
  if (value === null || typeof value !== "object" || seen.has(value) || value instanceof RegExp) return [];
  seen.add(value);
  if (Array.isArray(value)) return value.flatMap((item, i) => findSecrets(item, [...path, i], seen));
  return Object.entries(value).flatMap(([key, item]) => findSecrets(item, [...path, key], seen));
}
