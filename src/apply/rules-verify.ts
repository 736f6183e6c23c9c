import { realpath } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { formatDuration, parseDuration } from "../model/duration.js";
import { canonicalText } from "../promql/canonical.js";
import { parsePromQL } from "../promql/parser.js";

/**
 * Whether Prometheus runs the rules apply wrote: each generated group must be listed by
 * /api/v1/rules, served from the file apply wrote it to, with the same rules (name, expression,
 * `for`, `keep_firing_for`, labels, annotations) and interval. Group names and rule counts alone
 * are not enough: a Prometheus whose rule_files point at another directory still serves the
 * groups of an older copy of the same files.
 */

/** A group as apply wrote it. */
export interface WrittenGroup {
  /** Absolute path of the file apply wrote it to. */
  file: string;
  name: string;
  interval?: unknown;
  limit?: unknown;
  labels?: Record<string, unknown>;
  rules: Record<string, unknown>[];
  /**
   * Whether this apply changed its file, so that its rules are compared one by one. Those of an
   * unchanged file are not: once Prometheus serves the group from that very file after a
   * successful reload, it serves what the file says, which apply did not change (comparing
   * every expression of a large repository costs seconds).
   */
  changed: boolean;
}

/** A group as /api/v1/rules lists it (the fields compared). */
export interface ServedGroup {
  name: string;
  file: string;
  interval?: number;
  limit?: number;
  rules: ServedRule[];
}

export interface ServedRule {
  type?: string;
  name: string;
  query: string;
  /** `for`, in seconds (alerting rules). */
  duration?: number;
  /** `keep_firing_for`, in seconds (alerting rules, Prometheus 2.42 and later). */
  keepFiringFor?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Every group of the rule files, with the absolute path each file is written to; `changed`: the files this apply writes anew (default: all). */
export function writtenGroups(rulesDir: string, files: ReadonlyMap<string, string>, changed?: ReadonlySet<string>): WrittenGroup[] {
  const groups: WrittenGroup[] = [];
  for (const [rel, content] of files) {
    const parsed = parse(content) as { groups?: Record<string, unknown>[] } | null;
    for (const group of parsed?.groups ?? []) {
      groups.push({
        file: path.join(rulesDir, rel),
        name: String(group.name),
        interval: group.interval,
        limit: group.limit,
        labels: isRecord(group.labels) ? group.labels : undefined,
        rules: Array.isArray(group.rules) ? (group.rules as Record<string, unknown>[]) : [],
        changed: changed?.has(rel) ?? true,
      });
    }
  }
  return groups;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const isStringMap = (value: unknown) => value === undefined || (isRecord(value) && Object.values(value).every((v) => typeof v === "string"));

/**
 * The groups of a /api/v1/rules answer, or why it is not one (a proxy's page, another server,
 * an API that changed): a sentence to print.
 */
export function servedGroups(body: unknown): ServedGroup[] | string {
  const data = isRecord(body) ? body.data : undefined;
  const groups = isRecord(data) ? data.groups : undefined;
  if (!Array.isArray(groups)) return "without data.groups";
  for (const group of groups) {
    if (!isRecord(group) || typeof group.name !== "string" || typeof group.file !== "string" || !Array.isArray(group.rules)) {
      return `with a rule group lacking its name, file or rules: ${JSON.stringify(group).slice(0, 200)}`;
    }
    for (const rule of group.rules) {
      if (!isRecord(rule) || typeof rule.name !== "string" || typeof rule.query !== "string" || !isStringMap(rule.labels) || !isStringMap(rule.annotations)) {
        return `with a rule of group ${group.name} lacking its name or query: ${JSON.stringify(rule).slice(0, 200)}`;
      }
    }
  }
  return groups as ServedGroup[];
}

/**
 * Whether `reported` (a file as Prometheus names it) is `written` (the file apply wrote):
 * "same" or "other" when the reported path exists here, compared by real path (symbolic links
 * resolved); "unknown" when it does not (Prometheus in a container, the directory mounted at
 * another path) or is relative (to a working directory apply does not know).
 */
export async function fileIdentity(reported: string, written: string): Promise<"same" | "other" | "unknown"> {
  if (!path.isAbsolute(reported)) return "unknown";
  let served: string;
  try {
    served = await realpath(reported);
  } catch {
    return "unknown";
  }
  const ours = await realpath(written).catch(() => path.resolve(written));
  return served === ours ? "same" : "other";
}

/** The canonical text of an expression (formatting, matcher order, the place of `by` aside), or undefined when it does not parse. */
function canonicalQuery(text: string): string | undefined {
  try {
    const parsed = parsePromQL(text);
    if (!parsed.expr || parsed.findings.some((f) => f.code === "promql-syntax")) return undefined;
    return canonicalText(parsed.expr, (span) => text.slice(span.from, span.to));
  } catch {
    return undefined;
  }
}

export interface VerifyOptions {
  /** Which file a served group comes from, relative to the one apply wrote (fileIdentity, or a stub in tests). */
  identity?: (reported: string, written: string) => Promise<"same" | "other" | "unknown">;
  /**
   * Prometheus' own formatting of an expression (POST /api/v1/format_query), or undefined when
   * unavailable: asked only when the canonical texts differ, so that a quirk of Vigil's printer
   * never fails an apply Prometheus would call equal.
   */
  formatQuery?: (query: string) => Promise<string | undefined>;
}

/** Prometheus prints each expression as it parsed it (`sum by (x) (...)`, matchers sorted): compared by meaning. */
async function sameQuery(written: string, served: string, formatQuery?: VerifyOptions["formatQuery"]): Promise<boolean> {
  if (written.trim() === served.trim()) return true;
  const ours = canonicalQuery(written);
  const theirs = canonicalQuery(served);
  if (ours !== undefined && ours === theirs) return true;
  if (formatQuery) {
    const [a, b] = await Promise.all([formatQuery(written), formatQuery(served)]);
    if (a !== undefined && b !== undefined) return a === b;
  }
  if (ours !== undefined && theirs !== undefined) return false;
  return written.replace(/\s+/g, "") === served.replace(/\s+/g, "");
}

const seconds = (value: unknown): number | undefined => {
  if (value === undefined || value === null) return 0;
  const ms = parseDuration(String(value));
  return ms === undefined ? undefined : ms / 1000;
};
const stringMap = (value: unknown): Record<string, string> =>
  isRecord(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)])) : {};
const sameMap = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
const shown = (value: unknown) => {
  const text = JSON.stringify(value) ?? "none";
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
};
const shownMap = (map: Record<string, string>) => shown(Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : 1))));

/** The first difference between a written rule and the one Prometheus serves, or undefined. */
async function ruleDifference(group: WrittenGroup, rule: Record<string, unknown>, served: ServedRule, options: VerifyOptions): Promise<string | undefined> {
  const alerting = rule.alert !== undefined;
  const name = String(alerting ? rule.alert : rule.record);
  const what = `${alerting ? "alert" : "record"} ${name}`;
  const differs = (field: string, theirs: string, ours: string) => `${what}: ${field} is ${theirs} in Prometheus, ${ours} in the file`;
  if (served.type !== undefined && served.type !== (alerting ? "alerting" : "recording")) return `${what}: Prometheus has a ${served.type} rule ${shown(served.name)} in its place`;
  if (served.name !== name) return `${what}: Prometheus has ${shown(served.name)} in its place`;
  if (!(await sameQuery(String(rule.expr ?? ""), served.query, options.formatQuery))) return differs("expr", shown(served.query), shown(String(rule.expr ?? "")));
  if (alerting) {
    const forSeconds = seconds(rule.for);
    if (typeof served.duration === "number" && forSeconds !== undefined && served.duration !== forSeconds) return differs("for", formatDuration(Math.round(served.duration * 1000)), formatDuration(Math.round(forSeconds * 1000)));
    const keep = seconds(rule.keep_firing_for);
    if (typeof served.keepFiringFor === "number" && keep !== undefined && served.keepFiringFor !== keep) return differs("keep_firing_for", formatDuration(Math.round(served.keepFiringFor * 1000)), formatDuration(Math.round(keep * 1000)));
  }
  // Group labels (Prometheus 3) are merged into each rule's; accept either spelling of the answer.
  const own = stringMap(rule.labels);
  const merged = { ...stringMap(group.labels), ...own };
  const labels = served.labels ?? {};
  if (!sameMap(labels, merged) && !sameMap(labels, own)) return differs("labels", shownMap(labels), shownMap(merged));
  if (alerting) {
    const annotations = stringMap(rule.annotations);
    if (!sameMap(served.annotations ?? {}, annotations)) return differs("annotations", shownMap(served.annotations ?? {}), shownMap(annotations));
  }
  return undefined;
}

/** The first difference between a written group and the one Prometheus serves from the same file, or undefined. */
async function groupDifference(group: WrittenGroup, served: ServedGroup, options: VerifyOptions): Promise<string | undefined> {
  const interval = group.interval === undefined ? undefined : seconds(group.interval);
  if (interval !== undefined && typeof served.interval === "number" && served.interval !== interval) {
    return `interval is ${formatDuration(Math.round(served.interval * 1000))} in Prometheus, ${formatDuration(Math.round(interval * 1000))} in the file`;
  }
  if (typeof group.limit === "number" && typeof served.limit === "number" && served.limit !== group.limit) {
    return `limit is ${served.limit} in Prometheus, ${group.limit} in the file`;
  }
  if (served.rules.length !== group.rules.length) return `${served.rules.length} rules in Prometheus, ${group.rules.length} in the file`;
  if (!group.changed) return undefined;
  for (let i = 0; i < group.rules.length; i++) {
    const difference = await ruleDifference(group, group.rules[i]!, served.rules[i]!, options);
    if (difference) return difference;
  }
  return undefined;
}

/**
 * Why the served groups are not the written ones, one sentence, or undefined when every
 * written group is served from its file with its rules. Missing groups are reported first,
 * then groups served from another file, then groups whose content differs.
 */
export async function verifyRuleGroups(written: readonly WrittenGroup[], served: readonly ServedGroup[], options: VerifyOptions = {}): Promise<string | undefined> {
  // Groups of one file share the answer: one pair of realpath calls per file, not per group.
  const identities = new Map<string, Promise<"same" | "other" | "unknown">>();
  const identity = (reported: string, file: string) => {
    const key = `${reported}\0${file}`;
    if (!identities.has(key)) identities.set(key, (options.identity ?? fileIdentity)(reported, file));
    return identities.get(key)!;
  };
  const byName = new Map<string, ServedGroup[]>();
  for (const group of served) byName.set(group.name, [...(byName.get(group.name) ?? []), group]);
  const missing: string[] = [];
  const elsewhere: string[] = [];
  const different: string[] = [];
  for (const group of written) {
    const candidates = byName.get(group.name) ?? [];
    if (candidates.length === 0) {
      missing.push(group.name);
      continue;
    }
    let match: ServedGroup | undefined;
    let byFileName: ServedGroup | undefined;
    for (const candidate of candidates) {
      const same = await identity(candidate.file, group.file);
      if (same === "same") {
        match = candidate;
        break;
      }
      if (same === "unknown" && path.basename(candidate.file) === path.basename(group.file)) byFileName ??= candidate;
    }
    match ??= byFileName;
    if (!match) {
      elsewhere.push(`serves rule group ${group.name} from ${candidates.map((c) => c.file).join(" and ")}, not from ${group.file} where apply wrote it`);
      continue;
    }
    const difference = await groupDifference(group, match, options);
    if (difference) different.push(`rule group ${group.name} in ${match.file} is not what apply wrote: ${difference}`);
  }
  const more = (count: number) => (count > 0 ? ` (and ${count} more problem${count === 1 ? "" : "s"})` : "");
  if (missing.length > 0) {
    const names = missing.sort();
    return `Prometheus reloaded but does not list ${names.length} expected rule group(s) (${names.slice(0, 5).join(", ")}${names.length > 5 ? ", ..." : ""}) as written: do its rule_files cover the rules directory?${more(elsewhere.length + different.length)}`;
  }
  if (elsewhere.length > 0) {
    return `Prometheus reloaded but ${elsewhere[0]}${more(elsewhere.length - 1 + different.length)}: do its rule_files cover the rules directory?`;
  }
  if (different.length > 0) return `Prometheus reloaded but ${different[0]}${more(different.length - 1)}`;
  return undefined;
}
