import { CHANGE_KINDS, countChanges, type Change, type ChangeKind, type FieldChange } from "./change.js";

/** The first line of every report, so that a workflow finds and updates its own comment. */
export const MARKER = "<!-- vigil-diff -->";

const TITLES: Record<ChangeKind, string> = {
  group: "Rule groups",
  alert: "Alerts",
  record: "Recording rules",
  route: "Routes",
  receiver: "Receivers",
  inhibit: "Inhibit rules",
  "time-interval": "Time intervals",
  alertmanager: "Alertmanager settings",
  dashboard: "Dashboards",
  panel: "Panels",
  runbook: "Runbook pages",
  section: "Runbook sections",
  file: "Other files",
};

/** GitHub refuses comments over 65,536 characters; the report stops well before. */
const BUDGET = 60_000;
const MAX_VALUE = 300;

/**
 * A value as an inline code span that nothing in it can break: newlines shown as `\n`, long
 * values cut, a fence longer than any run of backticks inside, padded when the value starts or
 * ends with a backtick or a space (CommonMark strips one space from each side).
 */
export function code(value: string): string {
  if (value === "") return "*(empty)*";
  let text = value.replace(/\r?\n/g, "\\n");
  if (text.length > MAX_VALUE) text = `${text.slice(0, MAX_VALUE)}…`;
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(text) ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

function fieldLine(field: FieldChange): string {
  const name = code(field.field);
  if (field.before !== undefined && field.after !== undefined) return `  - ${name}: ${code(field.before)} → ${code(field.after)}`;
  if (field.after !== undefined) return `  - ${name}: set to ${code(field.after)}`;
  if (field.before !== undefined) return `  - ${name}: removed (was ${code(field.before)})`;
  return `  - ${name}`;
}

function changeLines(change: Change): string[] {
  const where = change.kind === "file" || change.kind === "runbook" || change.kind === "section" ? "" : ` in ${code(change.file)}`;
  return [`- **${change.op}** ${code(change.name)}${where}`, ...change.fields.map(fieldLine)];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * A pull-request comment: the marker, a heading, counts in a table, then one collapsed section
 * per kind of object. Deterministic for the same changes and base.
 */
export function renderMarkdown(changes: readonly Change[], options: { base?: string } = {}): string {
  const compared = options.base ? `Compared with ${code(options.base)}.` : undefined;
  if (changes.length === 0) {
    return [MARKER, "### Vigil: no changes to the generated output", "", ...(compared ? [compared, ""] : [])].join("\n");
  }
  const counts = countChanges(changes);
  const kinds = CHANGE_KINDS.filter((kind) => counts[kind]);
  const total = { added: 0, removed: 0, changed: 0 };
  const rows = kinds.map((kind) => {
    const c = counts[kind]!;
    total.added += c.added;
    total.removed += c.removed;
    total.changed += c.changed;
    return `| ${TITLES[kind]} | ${c.added} | ${c.removed} | ${c.changed} |`;
  });
  const lines = [
    MARKER,
    `### Vigil: ${plural(changes.length, "change")} to the generated output`,
    "",
    ...(compared ? [compared, ""] : []),
    "| | added | removed | changed |",
    "|---|---:|---:|---:|",
    ...rows,
    `| **total** | ${total.added} | ${total.removed} | ${total.changed} |`,
    "",
  ];
  let size = lines.join("\n").length;
  let left = changes.length;
  for (const kind of kinds) {
    const c = counts[kind]!;
    const summary = (["added", "removed", "changed"] as const).filter((op) => c[op] > 0).map((op) => `${c[op]} ${op}`).join(", ");
    const section = ["<details>", `<summary>${TITLES[kind]}: ${summary}</summary>`, ""];
    const body: string[] = [];
    for (const change of changes.filter((x) => x.kind === kind)) {
      const entry = changeLines(change);
      const cost = entry.join("\n").length + 1;
      if (size + cost > BUDGET) break;
      size += cost;
      body.push(...entry);
      left -= 1;
    }
    if (body.length === 0) break;
    lines.push(...section, ...body, "", "</details>", "");
    size += section.join("\n").length + 20;
  }
  if (left > 0) lines.push(`${plural(left, "more change")} not shown: run ${code("vigil diff")} for all of them.`, "");
  return lines.join("\n");
}
