import { parse } from "yaml";
import { formatDuration, parseDuration } from "../model/duration.js";

/**
 * Whether the config Alertmanager runs (config.original of /api/v2/status) is the one apply
 * wrote. Alertmanager re-serialises it: keys reordered, defaults filled in (`continue: false`,
 * each integration's templates and http_config, global URLs), durations respelled (24h is "1d"),
 * matchers split one per line and sorted, secrets replaced by "<secret>". So it is compared by
 * meaning, not by text: the route tree (receiver, matchers, group_by, timings with inheritance
 * resolved, continue, mute and active time intervals, child routes), the inhibit rules, the
 * receivers with the kinds and counts of their integrations, and the names of the time
 * intervals. Integration settings are not compared: they hold the secrets Alertmanager hides.
 */

type Node = Record<string, unknown>;

const isRecord = (value: unknown): value is Node => typeof value === "object" && value !== null && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const strings = (value: unknown): string[] => list(value).map(String);

/** Splits `a="b", c=~"x,y"` (optionally in braces) at the commas outside quotes. */
function splitMatchers(text: string): string[] {
  let body = text.trim();
  if (body.startsWith("{") && body.endsWith("}")) body = body.slice(1, -1);
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted && c === "\\") {
      current += c + (body[i + 1] ?? "");
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === "," && !quoted) {
      parts.push(current);
      current = "";
    } else current += c;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** One matcher as `name op "value"` in a single spelling (quotes and escapes normalised); as written when it does not parse. */
function matcher(text: string): string {
  const m = /^([^=!~\s]+)\s*(=~|!~|!=|=)\s*(.*)$/s.exec(text.trim());
  if (!m) return text.trim();
  let value = m[3]!.trim();
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
    // As Alertmanager 0.25 unescapes: \n, \" and \\; any other backslash stays (`.*\.prod`).
    value = value.slice(1, -1).replace(/\\(.)/gs, (escape: string, c: string) => (c === "n" ? "\n" : c === '"' || c === "\\" ? c : escape));
  }
  const name = /^"(.*)"$/s.test(m[1]!) ? m[1]!.slice(1, -1) : m[1]!;
  return `${name}${m[2]}${JSON.stringify(value)}`;
}

/** Every matcher of a route or an inhibit rule side: `matchers` and the older `match` / `match_re`, sorted. */
function matchersOf(matchers: unknown, match: unknown, matchRe: unknown): string[] {
  const out = strings(matchers).flatMap(splitMatchers).map(matcher);
  if (isRecord(match)) for (const [k, v] of Object.entries(match)) out.push(`${k}=${JSON.stringify(String(v))}`);
  if (isRecord(matchRe)) for (const [k, v] of Object.entries(matchRe)) out.push(`${k}=~${JSON.stringify(String(v))}`);
  return out.sort();
}

/** A duration as Alertmanager would print it ("24h" and "1d" alike); as written when it is not one. */
function duration(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = parseDuration(String(value));
  return ms === undefined ? String(value) : formatDuration(ms);
}

interface Route {
  receiver?: string;
  matchers: string[];
  group_by: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  continue: boolean;
  mute_time_intervals: string[];
  active_time_intervals: string[];
  routes: Route[];
}

/** Alertmanager's defaults for the root route (dispatch.DefaultRouteOpts). */
const ROOT: Pick<Route, "receiver" | "group_by" | "group_wait" | "group_interval" | "repeat_interval"> = {
  receiver: undefined,
  group_by: [],
  group_wait: "30s",
  group_interval: "5m",
  repeat_interval: "4h",
};

/** A route with what it inherits filled in, so that leaving a value out and repeating the parent's compare equal. */
function route(node: unknown, parent: typeof ROOT): Route {
  const r = isRecord(node) ? node : {};
  const effective = {
    receiver: r.receiver === undefined ? parent.receiver : String(r.receiver),
    // An empty list is no list to Alertmanager: the route inherits its parent's (and is served without one).
    group_by: strings(r.group_by).length === 0 ? parent.group_by : [...new Set(strings(r.group_by))].sort(),
    group_wait: duration(r.group_wait) ?? parent.group_wait,
    group_interval: duration(r.group_interval) ?? parent.group_interval,
    repeat_interval: duration(r.repeat_interval) ?? parent.repeat_interval,
  };
  return {
    ...effective,
    matchers: matchersOf(r.matchers, r.match, r.match_re),
    continue: r.continue === true,
    mute_time_intervals: strings(r.mute_time_intervals).sort(),
    active_time_intervals: strings(r.active_time_intervals).sort(),
    routes: list(r.routes).map((child) => route(child, effective)),
  };
}

const shown = (value: unknown) => (value === undefined ? "not set" : Array.isArray(value) ? `[${value.join(", ")}]` : String(value));
const FIELDS = ["receiver", "matchers", "group_by", "group_wait", "group_interval", "repeat_interval", "continue", "mute_time_intervals", "active_time_intervals"] as const;

/** The first difference in a route tree; `label` names the route by its matchers ("route team="payments" > severity="page""). */
function routeDifference(ours: Route, theirs: Route, label: string): string | undefined {
  for (const field of FIELDS) {
    if (JSON.stringify(ours[field]) !== JSON.stringify(theirs[field])) return `${label}: ${field} is ${shown(theirs[field])} in Alertmanager, ${shown(ours[field])} in the file`;
  }
  const name = (child: Route, i: number) => (label === "the root route" ? "route " : `${label} > `) + (child.matchers.length > 0 ? child.matchers.join(", ") : `(child ${i + 1})`);
  for (let i = 0; i < Math.min(ours.routes.length, theirs.routes.length); i++) {
    const difference = routeDifference(ours.routes[i]!, theirs.routes[i]!, name(ours.routes[i]!, i));
    if (difference) return difference;
  }
  if (ours.routes.length > theirs.routes.length) return `${name(ours.routes[theirs.routes.length]!, theirs.routes.length)} is missing in Alertmanager`;
  if (theirs.routes.length > ours.routes.length) return `${name(theirs.routes[ours.routes.length]!, ours.routes.length)} is in Alertmanager but not in the file`;
  return undefined;
}

/** An inhibit rule in one spelling. */
function inhibitRule(node: unknown): string {
  const r = isRecord(node) ? node : {};
  return JSON.stringify({
    source: matchersOf(r.source_matchers, r.source_match, r.source_match_re),
    target: matchersOf(r.target_matchers, r.target_match, r.target_match_re),
    equal: [...new Set(strings(r.equal))].sort(),
  });
}

/** A receiver as its name and the number of integrations of each kind: `payments-page (pagerduty_configs: 1, slack_configs: 1)`. */
function receiver(node: unknown): string {
  const r = isRecord(node) ? node : {};
  const integrations = Object.entries(r)
    .filter(([key, value]) => key.endsWith("_configs") && Array.isArray(value) && value.length > 0)
    .map(([key, value]) => `${key}: ${(value as unknown[]).length}`)
    .sort();
  return `${String(r.name)}${integrations.length > 0 ? ` (${integrations.join(", ")})` : ""}`;
}

/** Elements of `a` not in `b` (as a multiset). */
function without(a: readonly string[], b: readonly string[]): string[] {
  const rest = [...b];
  return a.filter((x) => {
    const i = rest.indexOf(x);
    if (i < 0) return true;
    rest.splice(i, 1);
    return false;
  });
}

/** The first difference between two lists compared as multisets, or undefined. */
function listDifference(what: string, ours: readonly string[], theirs: readonly string[]): string | undefined {
  const missing = without(ours, theirs);
  if (missing.length > 0) return `${what} ${missing[0]} is missing in Alertmanager${missing.length > 1 ? ` (and ${missing.length - 1} more)` : ""}`;
  const extra = without(theirs, ours);
  if (extra.length > 0) return `${what} ${extra[0]} is in Alertmanager but not in the file${extra.length > 1 ? ` (and ${extra.length - 1} more)` : ""}`;
  return undefined;
}

const timeIntervalNames = (config: Node) =>
  [...list(config.time_intervals), ...list(config.mute_time_intervals)].map((t) => String(isRecord(t) ? t.name : t)).sort();

/**
 * The first difference between the config apply wrote and the one Alertmanager serves, as a
 * phrase ("route team="payments": repeat_interval is 3h in Alertmanager, 2h in the file"), or
 * undefined when they are the same in every compared part.
 */
export function alertmanagerConfigDifference(written: string, served: string): string | undefined {
  let ours: unknown;
  let theirs: unknown;
  try {
    ours = parse(written, { merge: true });
  } catch (failure) {
    return `the file is not YAML: ${failure instanceof Error ? failure.message : String(failure)}`;
  }
  try {
    theirs = parse(served, { merge: true });
  } catch (failure) {
    return `Alertmanager's config.original is not YAML: ${failure instanceof Error ? failure.message : String(failure)}`;
  }
  const a = isRecord(ours) ? ours : {};
  const b = isRecord(theirs) ? theirs : {};
  return (
    routeDifference(route(a.route, ROOT), route(b.route, ROOT), "the root route") ??
    listDifference("inhibit rule", list(a.inhibit_rules).map(inhibitRule), list(b.inhibit_rules).map(inhibitRule)) ??
    listDifference("receiver", list(a.receivers).map(receiver), list(b.receivers).map(receiver)) ??
    listDifference("time interval", timeIntervalNames(a), timeIntervalNames(b))
  );
}
