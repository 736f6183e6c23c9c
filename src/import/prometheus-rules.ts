import path from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { arr, comment, commented, identifier, obj, raw, slug, type Code, type CommentOnly } from "./code.js";
import { declareMetrics, exprCode, guessNotes, planMetrics } from "./promql.js";
import { mapSeverity } from "./severity.js";
import type { Imported, ImportedService, ImportOptions, ImportProblem, SourceFile } from "./types.js";

/**
 * `vigil import prometheus-rules`: rule files (plain, or Kubernetes PrometheusRule objects)
 * into services. A file is one service (or, with `--per-group`, each group is), named by the
 * `service` label its rules share, else by the file; its team is the `team` label they share,
 * unless `--team` says. Labels every rule of a service carries become the service's `labels`,
 * `team` and `service` are left to Vigil, which adds them back, and `severity` becomes the
 * alert's field: compiling the imported service gives the same rules.
 */

type Labels = Record<string, string>;

interface Group {
  file: string;
  name: string;
  interval?: string;
  extra: Record<string, unknown>;
  rules: Rule[];
}

interface Rule {
  file: string;
  group: string;
  source: Record<string, unknown>;
  labels: Labels;
}

/**
 * Rule groups Vigil or Sloth wrote from SLOs: recorded `slo:*` series labelled with their SLO,
 * and the burn-rate alerts on them (which read `slo:*` series and carry the SLO's label).
 */
function isSloGroup(group: Group): boolean {
  const sloLabelled = (r: Rule) => "slo" in r.labels || "sloth_id" in r.labels || "sloth_slo" in r.labels;
  return group.rules.some((r) => sloLabelled(r) && (typeof r.source.record === "string" ? r.source.record.startsWith("slo:") : /\bslo:sli_error:/.test(String(r.source.expr))));
}

function stringRecord(value: unknown): Labels {
  if (typeof value !== "object" || value === null) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}

const isMapping = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** A YAML scalar as the text Prometheus reads (`for: 5m`, `priority: 1`); undefined for null, a list or a mapping. */
const scalar = (value: unknown): string | undefined => (typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : undefined);

/** What a list, a mapping or a scalar is, for messages. */
const shape = (value: unknown): string => (Array.isArray(value) ? "a list" : isMapping(value) ? "a mapping" : `${JSON.stringify(value)}`);

/**
 * The groups of a file, as Prometheus reads them. An empty item (`-` alone) of `groups` or of
 * `rules` is skipped, as Prometheus does; a group or a rule that Prometheus rejects (promtool
 * check rules fails on it) is reported as an error, naming it, and left out: a group with no
 * name, `rules` that is not a list, a rule that is not a mapping, a rule without `expr`,
 * `labels` or `annotations` that are not mappings.
 */
function readGroups(file: SourceFile, problems: ImportProblem[]): Group[] {
  const groups: Group[] = [];
  const reject = (message: string) => problems.push({ severity: "error", source: file.name, message: `${message}; promtool check rules rejects it: not imported` });
  for (const doc of parseAllDocuments(file.text)) {
    if (doc.errors.length > 0) {
      problems.push({ severity: "error", source: file.name, message: `not valid YAML: ${doc.errors[0]!.message}` });
      continue;
    }
    const data = doc.toJS() as { groups?: unknown; spec?: { groups?: unknown } } | null;
    const list = data?.groups ?? data?.spec?.groups;
    if (!Array.isArray(list)) {
      if (data !== null && typeof data === "object" && ("tests" in data || "rule_files" in data)) {
        problems.push({ severity: "warning", source: file.name, message: "a promtool test file, not imported: declare alert tests on the alerts (README, alert unit tests)" });
      } else if (data !== null) problems.push({ severity: "error", source: file.name, message: "not a Prometheus rule file: no `groups` (or `spec.groups` of a PrometheusRule)" });
      continue;
    }
    (list as unknown[]).forEach((raw, g) => {
      if (raw === null || raw === undefined) return;
      if (!isMapping(raw)) return reject(`group ${g + 1} is ${shape(raw)}, not a mapping of name and rules`);
      const { name: rawName, interval, rules, labels, ...extra } = raw;
      const name = scalar(rawName);
      if (!name) {
        const names = Array.isArray(rules) ? rules.map((r: unknown) => (isMapping(r) ? scalar(r.alert ?? r.record) : undefined)).filter((n) => n !== undefined) : [];
        const empty = rawName === undefined || rawName === null || rawName === "";
        return reject(`group ${g + 1}${names.length ? ` (rules ${names.join(", ")})` : ""} has no name (${empty ? "Groupname must not be empty" : `name is ${shape(rawName)}`})`);
      }
      if (rules !== undefined && rules !== null && !Array.isArray(rules)) return reject(`group "${name}": rules is ${shape(rules)}, not a list of rules`);
      if (labels !== undefined && labels !== null && !isMapping(labels)) return reject(`group "${name}": labels is ${shape(labels)}, not a mapping of label names to values`);
      const groupLabels = stringRecord(labels);
      const read: Rule[] = [];
      ((rules ?? []) as unknown[]).forEach((source, r) => {
        if (source === null || source === undefined) return;
        const which = `group "${name}", rule ${r + 1}`;
        if (!isMapping(source)) return reject(`${which} is ${shape(source)}, not a mapping of record or alert, expr, ...`);
        const named = `${which}${scalar(source.alert) ? ` (alert ${scalar(source.alert)})` : scalar(source.record) ? ` (record ${scalar(source.record)})` : ""}`;
        if (source.expr === undefined || source.expr === null || source.expr === "") return reject(`${named} has no expr (field 'expr' must be set)`);
        if (scalar(source.expr) === undefined) return reject(`${named}: expr is ${shape(source.expr)}, not a PromQL expression`);
        for (const key of ["labels", "annotations"]) {
          if (source[key] !== undefined && source[key] !== null && !isMapping(source[key])) return reject(`${named}: ${key} is ${shape(source[key])}, not a mapping`);
        }
        read.push({
          file: file.name,
          group: name,
          source,
          // Group labels (Prometheus 3) apply to every rule of the group; Vigil writes them on each.
          labels: { ...groupLabels, ...stringRecord(source.labels) },
        });
      });
      groups.push({ file: file.name, name, ...(interval !== undefined && interval !== null && { interval: String(interval) }), extra, rules: read });
    });
  }
  return groups;
}

/** The value of a label that every rule carries alike, if any. */
function shared(rules: readonly Rule[], label: string): string | undefined {
  const values = new Set(rules.map((r) => r.labels[label]));
  const [only] = values;
  return values.size === 1 && only !== undefined ? only : undefined;
}

function fileStem(file: string): string {
  return path.basename(file).replace(/\.(ya?ml|json)$/i, "").replace(/\.rules$/i, "");
}

interface Unit {
  service: string;
  team?: string;
  groups: Group[];
}

/** How the groups of one file split into services. */
function units(file: string, groups: Group[], options: ImportOptions): Unit[] {
  const all = groups.flatMap((g) => g.rules);
  const name = (rules: Rule[], fallback: string) => options.service ?? shared(rules, "service") ?? slug(fallback);
  const team = (rules: Rule[]) => options.team ?? shared(rules, "team");
  const byGroup = options.perGroup || (!options.service && groups.length > 1 && groups.every((g) => shared(g.rules, "service")) && !shared(all, "service"));
  if (!byGroup) return [{ service: name(all, fileStem(file)), team: team(all), groups }];
  return groups.map((g) => ({ service: name(g.rules, g.name), team: team(g.rules), groups: [g] }));
}

const RULE_KEYS = new Set(["record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations"]);

function labelsCode(labels: Labels): Code | undefined {
  return Object.keys(labels).length ? obj(labels) : undefined;
}

interface Context {
  service: string;
  team: string;
  common: Labels;
  handles: Map<string, string>;
  warn: (source: string, message: string) => void;
}

/** The labels a rule declares itself: not the service's, not team or service (Vigil adds them). */
function ownLabels(rule: Rule, ctx: Context, notes: string[], drop: string[] = []): Labels {
  const own: Labels = {};
  for (const [label, value] of Object.entries(rule.labels)) {
    if (drop.includes(label) || ctx.common[label] === value) continue;
    if ((label === "team" && value === ctx.team) || (label === "service" && value === ctx.service)) continue;
    if (label === "team" || label === "service") {
      const note = `label ${label}="${value}" dropped: Vigil sets ${label}="${label === "team" ? ctx.team : ctx.service}" on every rule of this service`;
      notes.push(note);
      ctx.warn(rule.file, `${ruleName(rule)}: ${note}`);
      continue;
    }
    own[label] = value;
  }
  return own;
}

function ruleName(rule: Rule): string {
  return String(rule.source.alert ?? rule.source.record);
}

function unknownKeys(rule: Rule, ctx: Context, notes: string[]): void {
  for (const key of Object.keys(rule.source).filter((k) => !RULE_KEYS.has(k))) {
    const note = `field ${key}: ${JSON.stringify(rule.source[key])} not imported: Vigil has no such rule field`;
    notes.push(note);
    ctx.warn(rule.file, `${ruleName(rule)}: ${note}`);
  }
}

function recordingRule(rule: Rule, ctx: Context): Code {
  const notes: string[] = [];
  unknownKeys(rule, ctx, notes);
  const value = obj([
    ["record", String(rule.source.record)],
    ["expr", exprCode(String(rule.source.expr), ctx.handles)],
    ["labels", labelsCode(ownLabels(rule, ctx, notes))],
  ]);
  return commented(value, ...notes);
}

function alertRule(rule: Rule, ctx: Context): Code {
  const notes: string[] = [];
  unknownKeys(rule, ctx, notes);
  const name = String(rule.source.alert);
  const { summary, description, ...annotations } = stringRecord(rule.source.annotations);
  const source = rule.labels.severity;
  const mapped = source === undefined ? { severity: "ticket", renamed: false } : mapSeverity(source);
  const severity = (): Code => {
    if (source === undefined) {
      ctx.warn(rule.file, `${name}: no severity label; imported as "ticket"`);
      return commented("ticket", "TODO: the source gives no severity label; choose one of the config's severities");
    }
    if (mapped.renamed) {
      ctx.warn(rule.file, `${name}: severity "${source}" imported as "${mapped.severity}" (Vigil's severities are page, ticket and info)`);
      return commented(mapped.severity, `severity "${source}" in the source`);
    }
    return mapped.severity;
  };
  const summaryCode = (): Code => {
    if (summary) return summary;
    ctx.warn(rule.file, `${name}: no summary annotation; Vigil needs one, a placeholder is written`);
    // Capitalised: the placeholder itself must not fail lint's summary style (`disk_full` -> "Disk_full is firing.").
    return commented(`${name.charAt(0).toUpperCase()}${name.slice(1)} is firing.`, "TODO: one static sentence saying what is wrong (the source has no summary)");
  };
  const descriptionCode = (): Code => {
    if (description) return description;
    ctx.warn(rule.file, `${name}: no description annotation; Vigil needs one, a placeholder is written`);
    return commented(summary ?? `${name} is firing.`, "TODO: details, templated (the source has no description)");
  };
  const value = obj([
    ["name", name],
    ["expr", exprCode(String(rule.source.expr), ctx.handles)],
    ["for", rule.source.for === undefined ? undefined : String(rule.source.for)],
    ["keepFiringFor", rule.source.keep_firing_for === undefined ? undefined : String(rule.source.keep_firing_for)],
    ["severity", severity()],
    ["labels", labelsCode(ownLabels(rule, ctx, notes, ["severity"]))],
    ["summary", summaryCode()],
    ["description", descriptionCode()],
    ["annotations", labelsCode(annotations)],
  ]);
  // Rule files hold no runbooks; Vigil's lint asks paging alerts for triage and mitigation steps.
  if (mapped.severity === "page") notes.push("TODO: runbook: { triage, mitigation } (README, A monitor): the on-call engineer paged by it needs them");
  return commented(value, ...notes);
}

interface Accumulated {
  name: string;
  team?: string;
  sources: string[];
  groups: Group[];
}

/** The series the rules of these groups record. */
function recordedSeries(groups: readonly Group[]): Set<string> {
  return new Set(groups.flatMap((g) => g.rules.map((r) => r.source.record)).filter((r): r is string => typeof r === "string"));
}

/** The names Vigil gives a service's groups: "<service>.rules" and "<service>.alerts" (split past 20 rules). */
function vigilGroupName(service: string, name: string): boolean {
  return new RegExp(`^${service.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.(rules|alerts)(-\\d+)?$`).test(name);
}

export function importPrometheusRules(files: readonly SourceFile[], options: ImportOptions): Imported {
  const problems: ImportProblem[] = [];
  const warn = (source: string, message: string) => problems.push({ severity: "warning", source, message });
  const services = new Map<string, Accumulated>();
  for (const file of files) {
    const groups = readGroups(file, problems);
    if (groups.length === 0) continue;
    for (const unit of units(file.name, groups, options)) {
      const acc = services.get(unit.service) ?? { name: unit.service, sources: [], groups: [] };
      if (unit.team && acc.team && unit.team !== acc.team) {
        problems.push({ severity: "error", source: file.name, message: `service ${unit.service} belongs to team ${acc.team} in one file and ${unit.team} in another: pass --team` });
      }
      acc.team ??= unit.team;
      if (!acc.sources.includes(file.name)) acc.sources.push(file.name);
      acc.groups.push(...unit.groups);
      services.set(unit.service, acc);
    }
  }

  // Series any imported service records need no handle anywhere in the import: lint knows the
  // repository's recorded series. A colon name outside this set is recorded elsewhere and gets one.
  const recordedByImport = recordedSeries([...services.values()].flatMap((acc) => acc.groups.filter((g) => !isSloGroup(g))));
  // Vigil records a series name once in a repository: the first recording wins, the others are noted.
  const recorded = new Set<string>();
  const split = new Map<Accumulated, { kept: Rule[]; again: Rule[] }>();
  for (const acc of services.values()) {
    if (!acc.team) continue;
    const kept: Rule[] = [];
    const again: Rule[] = [];
    for (const rule of acc.groups.filter((g) => !isSloGroup(g)).flatMap((g) => g.rules)) {
      const record = rule.source.record;
      if (typeof record === "string" && recorded.has(record)) again.push(rule);
      else kept.push(rule);
      if (typeof record === "string") recorded.add(record);
    }
    split.set(acc, { kept, again });
  }
  // One kind, one set of labels and buckets per metric across the import: a metric that one
  // file reads by its _count and another by its _bucket is one histogram in both services.
  const plan = planMetrics([...split.values()].flatMap(({ kept }) => kept.map((r) => String(r.source.expr))), recordedByImport);
  const result: ImportedService[] = [];
  for (const acc of services.values()) {
    if (!acc.team) {
      problems.push({ severity: "error", source: acc.sources.join(", "), message: `service ${acc.name}: its rules share no team label: pass --team NAME` });
      continue;
    }
    const sloGroups = acc.groups.filter(isSloGroup);
    const groups = acc.groups.filter((g) => !isSloGroup(g));
    const rules = groups.flatMap((g) => g.rules);
    const common: Labels = {};
    if (rules.length >= 2) {
      for (const [label, value] of Object.entries(rules[0]!.labels)) {
        if (["team", "service", "severity"].includes(label)) continue;
        if (rules.every((r) => r.labels[label] === value)) common[label] = value;
      }
    }
    const notes: string[] = [];
    const groupNotes = (message: string, source: string) => {
      notes.push(message);
      warn(source, `service ${acc.name}: ${message}`);
    };

    const intervals = [...new Set(groups.map((g) => g.interval).filter((i): i is string => i !== undefined))];
    if (intervals.length > 1) groupNotes(`groups are evaluated every ${intervals.join(", ")}; Vigil evaluates a service's groups at one interval: ${intervals[0]}`, acc.sources[0]!);
    const renamed = groups.filter((g) => !vigilGroupName(acc.name, g.name)).map((g) => `"${g.name}"`);
    if (renamed.length) notes.push(`source groups ${renamed.join(", ")}: Vigil writes "${acc.name}.rules" (recording rules) and "${acc.name}.alerts"`);
    for (const g of groups) {
      for (const [key, value] of Object.entries(g.extra)) groupNotes(`group "${g.name}": ${key}: ${JSON.stringify(value)} not imported: Vigil has no such group field`, g.file);
    }
    for (const g of sloGroups) {
      const alerts = [...new Set(g.rules.filter((r) => r.source.alert).map(ruleName))];
      groupNotes(
        `group "${g.name}" (${g.file}) holds rules generated from an SLO (${g.rules.length} rules${alerts.length ? `, alerts ${alerts.join(", ")}` : ""}), not imported: ` +
          "declare the SLO in `slos` (README, SLOs) or import its spec with `vigil import sloth` or `vigil import openslo`",
        g.file,
      );
    }

    const { kept, again } = split.get(acc)!;
    const skipped: CommentOnly[] = [];
    for (const rule of again) {
      const message = `recording rule ${String(rule.source.record)} (group "${rule.group}") is recorded earlier in this import; Vigil records a series name once`;
      warn(rule.file, `${message}: written as a comment`);
      skipped.push(comment(`${message}, so this one is left out:`, ...stringify([rule.source]).trimEnd().split("\n")));
    }

    const exprs = kept.map((r) => String(r.source.expr));
    const { declarations, handles, variables, kinds, guessed } = declareMetrics(exprs, recordedByImport, new Set(["promql", "counter", "gauge", "histogram", "summary", "defineService", identifier(acc.team)]), plan);
    notes.push(...guessNotes(guessed, (message) => warn(acc.sources[0]!, `service ${acc.name}: ${message}`)));
    const uses = new Set<string>([...kinds, ...(kept.length ? ["promql"] : [])]);

    const ctx: Context = { service: acc.name, team: acc.team, common, handles, warn };
    const recordingRules = kept.filter((r) => typeof r.source.record === "string");
    const alerts = kept.filter((r) => typeof r.source.alert === "string");
    const orphans = kept.filter((r) => typeof r.source.record !== "string" && typeof r.source.alert !== "string");
    for (const o of orphans) {
      warn(o.file, `a rule of group "${o.group}" has neither record nor alert: written as a comment`);
      skipped.push(comment("a rule with neither record nor alert, left out:", ...stringify([o.source]).trimEnd().split("\n")));
    }
    result.push({
      name: acc.name,
      team: acc.team,
      sources: acc.sources,
      notes,
      declarations: declarations.length ? [declarations.join("\n")] : [],
      uses: [...uses].sort(),
      entries: [
        ["labels", labelsCode(common)],
        ["interval", intervals[0]],
        ["metrics", variables.length ? arr(variables.map(raw)) : undefined],
        ["recordingRules", recordingRules.length ? arr(recordingRules.map((r) => recordingRule(r, ctx))) : undefined],
        ["alerts", alerts.length ? arr(alerts.map((r) => alertRule(r, ctx))) : undefined],
        ...skipped,
      ],
    });
  }
  return { services: result, teams: [], teamNotes: [], problems };
}
