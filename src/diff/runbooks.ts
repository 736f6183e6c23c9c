import { byKey, matchKeys, type Change, type FieldChange } from "./change.js";

interface Section {
  heading: string;
  body: string[];
}

/** The name of the part a line starts, if it starts one, given the part it would belong to. */
type Heading = (line: string, current: Section, afterBlank: boolean) => string | undefined;

/** A page's sections: one per alert. */
const section: Heading = (line) => (line.startsWith("## ") ? line.slice(3).trim() : undefined);

const LEAD = /^\*\*([^*]+?)[.:]?\*\*/;
/** A bold lead with its text on the same line: one paragraph (`**Detection:** ...`, `**What it means.** ...`). */
const isParagraph = (s: Section) => LEAD.test(s.body[0] ?? "") && s.body[0]!.replace(LEAD, "").trim() !== "";

/**
 * The parts of an alert's section: `### ` headings and bold leads alone on their line
 * (`**Triage**`) hold everything up to the next part; a lead with its text on the same line is
 * one paragraph, and the header line's `**Severity:** page · **For:** 5m · ...` one part per
 * field (splitFields). The alert's summary (`> ...`) after such a paragraph is a part of its own.
 */
const part: Heading = (line, current, afterBlank) => {
  if (line.startsWith("### ")) return line.slice(4).trim();
  const lead = LEAD.exec(line)?.[1];
  if (lead) return lead.trim();
  return afterBlank && line.startsWith("> ") && isParagraph(current) ? SUMMARY : undefined;
};

/**
 * Splits Markdown at headings, ignoring lines inside fenced code blocks; the text before the
 * first heading is the part `(top)` when it is not blank.
 */
function sections(lines: readonly string[], heading: Heading): Section[] {
  const result: Section[] = [{ heading: "(top)", body: [] }];
  let fence: string | undefined;
  let afterBlank = false;
  for (const line of lines) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    const name = fence === undefined ? heading(line, result.at(-1)!, afterBlank) : undefined;
    if (name !== undefined) result.push({ heading: name, body: [line] });
    else result.at(-1)!.body.push(line);
    afterBlank = line.trim() === "";
    if (fence === undefined && marker) fence = marker;
    else if (fence !== undefined && marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
  }
  return result.filter((s, i) => i > 0 || s.body.some((l) => l.trim() !== ""));
}

const parts = (lines: readonly string[]) => sections(lines.flatMap(splitFields), part);

/** `**Severity:** page · **For:** 5m` as one line per field, so that each is compared on its own. */
function splitFields(line: string): string[] {
  return /^\*\*[^*]+:\*\* /.test(line) && line.includes(" · **") ? line.split(" · ") : [line];
}

const SUMMARY = "Summary";

/**
 * Parts shown with their text before and after: the detection time of a paging alert
 * (src/detection: a reviewer weighs the figure), the summary, and the header's short fields.
 */
const FIELD = /^\*\*[^*]+:\*\* \S/;
const shownWithText = (s: Section) =>
  s.heading === SUMMARY || s.heading === "Detection" || (FIELD.test(s.body[0]!) && s.body.filter((l) => l.trim() !== "").length === 1 && s.body[0]!.length <= 200);
const textOf = (s: Section) => s.body.join(" ").replace(LEAD, "").replace(/^\s*>\s*/, "").trim();

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((line, i) => line === b[i]);

/** The parts of a section that differ: what a reader of a changed section looks at. */
function changedSubsections(a: readonly string[], b: readonly string[]): FieldChange[] {
  const fields: FieldChange[] = [];
  const name = (heading: string) => (heading === "(top)" ? "(text)" : heading);
  matchKeys(byKey(parts(a), (s) => s.heading), byKey(parts(b), (s) => s.heading), {
    added: (heading, y) => fields.push(shownWithText(y) ? { field: heading, after: textOf(y) } : { field: `${name(heading)} (added)` }),
    removed: (heading, x) => fields.push(shownWithText(x) ? { field: heading, before: textOf(x) } : { field: `${name(heading)} (removed)` }),
    both: (heading, x, y) => {
      if (same(x.body, y.body)) return;
      fields.push(shownWithText(x) && shownWithText(y) ? { field: heading, before: textOf(x), after: textOf(y) } : { field: name(heading) });
    },
  });
  return fields;
}

/**
 * A runbook page: added or removed as a whole, else its `## ` sections (one per alert) added,
 * removed or changed, with the parts (Triage, Mitigation...) that changed.
 */
export function diffRunbook(file: string, before: string | undefined, after: string | undefined): Change[] {
  if (before === undefined || after === undefined) {
    return before === after ? [] : [{ kind: "runbook", op: before === undefined ? "added" : "removed", name: file, file, fields: [] }];
  }
  const changes: Change[] = [];
  const split = (text: string) => byKey(sections(text.split("\n"), section), (s) => s.heading);
  matchKeys(split(before), split(after), {
    added: (heading) => changes.push({ kind: "section", op: "added", name: `${file} # ${heading}`, file, fields: [] }),
    removed: (heading) => changes.push({ kind: "section", op: "removed", name: `${file} # ${heading}`, file, fields: [] }),
    both: (heading, x, y) => {
      if (!same(x.body, y.body)) changes.push({ kind: "section", op: "changed", name: `${file} # ${heading}`, file, fields: changedSubsections(x.body, y.body) });
    },
  });
  return changes;
}
