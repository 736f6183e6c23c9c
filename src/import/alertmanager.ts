import { parse } from "yaml";
import { secretKind } from "../check/secrets.js";
import { arr, commented, obj, print, slug, type Code } from "./code.js";
import { mapSeverity } from "./severity.js";
import type { Imported, ImportedTeam, ImportOptions, ImportProblem, SourceFile } from "./types.js";

/**
 * `vigil import alertmanager`: an Alertmanager config into teams. A route matching `team`
 * is a team; its child routes matching `severity` give the team's receiver per severity (its
 * own receiver becomes `default`), with their timing and time intervals. A secret written in
 * the config is never copied: the receiver reads it from a file, named with a TODO. What
 * belongs in vigil.config.ts (the root route, the catch-all, time intervals) is written as a
 * comment for it; other routes and inhibit rules are named in comments and on stderr.
 */

type Dict = Record<string, unknown>;

interface Route extends Dict {
  receiver?: string;
  match?: Record<string, string>;
  match_re?: Record<string, string>;
  matchers?: string[];
  routes?: Route[];
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  mute_time_intervals?: string[];
  active_time_intervals?: string[];
}

/** The value a route requires of a label (`team="payments"`, `team=payments`, `match: {team}`). */
function equals(route: Route, label: string): string | undefined {
  if (route.match?.[label] !== undefined) return String(route.match[label]);
  for (const m of route.matchers ?? []) {
    const found = new RegExp(`^\\s*${label}\\s*=\\s*"?([^"~!]*?)"?\\s*$`).exec(m);
    if (found) return found[1];
  }
  return undefined;
}

/** What a route matches, in every form the config may write it (for the notes about routes not imported). */
function matchText(route: Route): string {
  const all = [
    ...(route.matchers ?? []),
    ...Object.entries(route.match ?? {}).map(([label, value]) => `${label}=${JSON.stringify(String(value))}`),
    ...Object.entries(route.match_re ?? {}).map(([label, value]) => `${label}=~${JSON.stringify(String(value))}`),
  ];
  return JSON.stringify(all);
}

const SECRETS_DIR = "/etc/alertmanager/secrets";

interface Ctx {
  global: Dict;
  warn: (message: string) => void;
}

/** A secret as a file: the config's file field, or a path to write the inline secret to. */
function secretFile(receiver: string, kind: string, file: unknown, inline: unknown, ctx: Ctx, notes: string[]): string | undefined {
  if (typeof file === "string") return file;
  if (inline === undefined) return undefined;
  const target = `${SECRETS_DIR}/${receiver}-${kind}`;
  notes.push(`TODO: write the ${kind} of receiver ${receiver} (inline in the source, not copied here) to ${target}`);
  ctx.warn(`receiver ${receiver}: the ${kind} is written in the config: not copied; Alertmanager will read it from ${target}, write it there`);
  return target;
}

function receiverCode(name: string, receiver: Dict | undefined, ctx: Ctx): Code {
  if (!receiver) {
    ctx.warn(`receiver ${name} is not defined`);
    return commented(obj({}), `TODO: receiver ${name} is not defined in the source`);
  }
  const notes: string[] = [];
  const first = (key: string) => {
    const list = receiver[key] as Dict[] | undefined;
    if (list && list.length > 1) {
      notes.push(`${list.length - 1} more ${key} not imported: Vigil takes one of each kind per receiver`);
      ctx.warn(`receiver ${name}: ${list.length - 1} more ${key} not imported`);
    }
    return list?.[0];
  };
  const entries: [string, Code | undefined][] = [];
  let sendResolved: boolean | undefined;
  const resolved = (c: Dict | undefined) => {
    if (c && c.send_resolved === false) sendResolved = false;
  };
  const pd = first("pagerduty_configs");
  if (pd) {
    resolved(pd);
    const file = secretFile(name, "pagerduty-routing-key", pd.routing_key_file ?? pd.service_key_file, pd.routing_key ?? pd.service_key, ctx, notes);
    if (pd.service_key !== undefined || pd.service_key_file !== undefined) notes.push("service_key (Events API v1) imported as routingKeyFile (Events API v2): check the integration");
    const severity = typeof pd.severity === "string" && ["critical", "error", "warning", "info"].includes(pd.severity) ? pd.severity : undefined;
    entries.push(["pagerduty", obj([["routingKeyFile", file ?? `${SECRETS_DIR}/${name}-pagerduty-routing-key`], ["severity", severity]])]);
  }
  const slack = first("slack_configs");
  if (slack) {
    resolved(slack);
    const file = secretFile(name, "slack-webhook-url", slack.api_url_file ?? ctx.global.slack_api_url_file, slack.api_url ?? ctx.global.slack_api_url, ctx, notes);
    entries.push(["slack", obj([["channel", String(slack.channel ?? "#alerts")], ["apiUrlFile", file ?? `${SECRETS_DIR}/${name}-slack-webhook-url`]])]);
  }
  const email = first("email_configs");
  if (email) {
    resolved(email);
    entries.push(["email", obj({ to: String(email.to) })]);
    if (email.auth_password !== undefined) {
      notes.push("TODO: the SMTP password (inline in the source, not copied) belongs in a file: alertmanager.smtp.authPasswordFile in vigil.config.ts");
      ctx.warn(`receiver ${name}: the SMTP password is written in the config: not copied`);
    }
  }
  const hook = first("webhook_configs");
  if (hook) {
    resolved(hook);
    const url = String(hook.url ?? "");
    if (hook.url_file !== undefined || secretKind("url", url)) {
      entries.push(["webhook", obj({ urlFile: secretFile(name, "webhook-url", hook.url_file, hook.url_file === undefined ? url : undefined, ctx, notes)! })]);
      notes.push("webhook urlFile needs Alertmanager 0.26 or later (alertmanager.version in vigil.config.ts)");
    } else {
      entries.push(["webhook", obj({ url })]);
    }
  }
  const og = first("opsgenie_configs");
  if (og) {
    resolved(og);
    const file = secretFile(name, "opsgenie-api-key", og.api_key_file ?? ctx.global.opsgenie_api_key_file, og.api_key ?? ctx.global.opsgenie_api_key, ctx, notes);
    const priority = typeof og.priority === "string" && /^P[1-5]$/.test(og.priority) ? og.priority : undefined;
    entries.push(["opsgenie", obj([["apiKeyFile", file ?? `${SECRETS_DIR}/${name}-opsgenie-api-key`], ["priority", priority]])]);
  }
  const vo = first("victorops_configs");
  if (vo) {
    resolved(vo);
    const file = secretFile(name, "victorops-api-key", vo.api_key_file ?? ctx.global.victorops_api_key_file, vo.api_key ?? ctx.global.victorops_api_key, ctx, notes);
    entries.push(["victorops", obj({ apiKeyFile: file ?? `${SECRETS_DIR}/${name}-victorops-api-key`, routingKey: String(vo.routing_key ?? name) })]);
  }
  const teams = first("msteams_configs");
  if (teams) {
    resolved(teams);
    entries.push(["msteams", obj({ webhookUrlFile: secretFile(name, "msteams-webhook-url", teams.webhook_url_file, teams.webhook_url, ctx, notes) ?? `${SECRETS_DIR}/${name}-msteams-webhook-url` })]);
  }
  const other = Object.keys(receiver).filter((k) => k !== "name" && !["pagerduty_configs", "slack_configs", "email_configs", "webhook_configs", "opsgenie_configs", "victorops_configs", "msteams_configs"].includes(k));
  if (other.length) {
    notes.push(`${other.join(", ")} not imported: Vigil has no such receiver`);
    ctx.warn(`receiver ${name}: ${other.join(", ")} not imported`);
  }
  if (entries.length === 0) notes.push(`receiver ${name} notifies nobody in the source`);
  return commented(obj([...entries, ["sendResolved", sendResolved]]), ...notes);
}

function timing(route: Route): Code | undefined {
  const t = obj([
    // An empty group_by is unset to Alertmanager (inherited), and Vigil refuses it: left out.
    ["groupBy", route.group_by?.length ? arr(route.group_by) : undefined],
    ["groupWait", route.group_wait],
    ["groupInterval", route.group_interval],
    ["repeatInterval", route.repeat_interval],
  ]);
  return t.entries.some((e) => Array.isArray(e) && e[1] !== undefined) ? t : undefined;
}

export function importAlertmanager(files: readonly SourceFile[], _options: ImportOptions): Imported {
  const problems: ImportProblem[] = [];
  const teams: ImportedTeam[] = [];
  const teamNotes: string[] = [];
  for (const file of files) {
    const warn = (message: string) => problems.push({ severity: "warning", source: file.name, message });
    const config = parse(file.text) as { route?: Route; receivers?: Dict[]; global?: Dict; inhibit_rules?: unknown[]; time_intervals?: Dict[]; mute_time_intervals?: Dict[]; templates?: string[] } | null;
    if (!config?.route) {
      problems.push({ severity: "error", source: file.name, message: "not an Alertmanager config: no `route`" });
      continue;
    }
    const ctx: Ctx = { global: config.global ?? {}, warn };
    const receivers = new Map((config.receivers ?? []).map((r) => [String(r.name), r]));
    const rest: string[] = [];
    const walk = (route: Route) => {
      const team = equals(route, "team");
      if (team !== undefined) {
        const name = slug(team);
        const entries: [string, Code | undefined][] = [];
        const receiverEntries: [string, Code][] = [];
        const timings: [string, Code][] = [];
        const active: [string, Code][] = [];
        const notes: string[] = [];
        for (const child of route.routes ?? []) {
          const severity = equals(child, "severity");
          if (severity === undefined || !child.receiver) {
            rest.push(`a route under team ${name} (${matchText(child)}) not imported: declare it in the team's routes`);
            continue;
          }
          const mapped = mapSeverity(severity);
          if (mapped.renamed) notes.push(`severity "${severity}" imported as "${mapped.severity}"`);
          receiverEntries.push([mapped.severity, receiverCode(child.receiver, receivers.get(child.receiver), ctx)]);
          const t = timing(child);
          if (t) timings.push([mapped.severity, t]);
          if (child.active_time_intervals?.length) active.push([mapped.severity, arr(child.active_time_intervals)]);
        }
        if (route.receiver && (receiverEntries.length === 0 || route.receiver !== config.route!.receiver)) receiverEntries.push(["default", receiverCode(route.receiver, receivers.get(route.receiver), ctx)]);
        entries.push(["receivers", obj(receiverEntries)]);
        if (route.group_by?.length) entries.push(["groupBy", arr(route.group_by)]);
        if (route.repeat_interval) entries.push(["repeatInterval", route.repeat_interval]);
        if (route.group_wait || route.group_interval) notes.push(`the team route waits group_wait ${route.group_wait ?? "-"}, group_interval ${route.group_interval ?? "-"}: set per severity in timing`);
        if (timings.length) entries.push(["timing", obj(timings)]);
        if (active.length) entries.push(["activeDuring", obj(active)]);
        if (route.mute_time_intervals?.length) entries.push(["muteDuring", arr(route.mute_time_intervals)]);
        for (const n of notes) warn(`team ${name}: ${n}`);
        teams.push({ name, notes: [`Imported from ${file.name}.`, ...notes], entries });
        return;
      }
      for (const child of route.routes ?? []) walk(child);
      if (route !== config.route && route.receiver) rest.push(`route ${matchText(route)} -> ${route.receiver} matches no team: not imported (alertmanager.routes in vigil.config.ts)`);
    };
    walk(config.route);
    for (const r of rest) warn(r);
    if (config.inhibit_rules?.length) warn(`${config.inhibit_rules.length} inhibit rules not imported: Vigil writes its own (a severity inhibits the lower ones); add others to alertmanager.inhibitRules`);
    if (config.templates?.length) warn(`templates ${config.templates.join(", ")} not imported: Vigil writes its own notification texts`);
    const defaultName = config.route.receiver;
    const settings = obj([
      ["groupBy", config.route.group_by ? arr(config.route.group_by) : undefined],
      ["groupWait", config.route.group_wait],
      ["groupInterval", config.route.group_interval],
      ["repeatInterval", config.route.repeat_interval],
      ["resolveTimeout", typeof ctx.global.resolve_timeout === "string" ? ctx.global.resolve_timeout : undefined],
      ["defaultReceiver", defaultName ? receiverCode(defaultName, receivers.get(defaultName), ctx) : undefined],
    ]);
    const intervals = [...(config.time_intervals ?? []), ...(config.mute_time_intervals ?? [])].map((i) => String(i.name));
    teamNotes.push(
      `From ${file.name}: in vigil.config.ts, defineConfig({ alertmanager: ... }):`,
      ...print(settings).split("\n"),
      ...(intervals.length ? [`Time intervals ${intervals.join(", ")}: declare them in alertmanager.timeIntervals.`] : []),
      ...rest,
      ...(config.inhibit_rules?.length ? [`${config.inhibit_rules.length} inhibit rules: Vigil writes its own; add others to alertmanager.inhibitRules.`] : []),
    );
    if (teams.length === 0) problems.push({ severity: "error", source: file.name, message: "no route matches a team label (team=NAME): nothing to import" });
  }
  return { services: [], teams, teamNotes, problems };
}
