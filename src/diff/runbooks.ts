import { byKey, matchKeys, type Change, type FieldChange } from "./change.js";

interface Section {
  heading: string;
  body: string[];
}

type Heading = (line: string) => string | undefined;

/** A page's sections: one per alert. */
const section: Heading = (line) => (line.startsWith("## ") ? line.slice(3).trim() : undefined);

/**
 * The parts of a section a reader looks for: `### ` headings, and the bold leads Vigil's
 * runbooks use (`**Triage**`, `**What it means.** ...`, `**Severity:** ...`).
 */
const part: Heading = (line) => {
  if (line.startsWith("### ")) return line.slice(4).trim();
  const lead = /^\*\*([^*]+?)[.:]?\*\*/.exec(line)?.[1];
  return lead?.trim();
};

/**
 * Splits Markdown at headings, ignoring lines inside fenced code blocks; the text before the
 * first heading is the part `(top)` when it is not blank.
 */
function sections(lines: readonly string[], heading: Heading): Section[] {
  const result: Section[] = [{ heading: "(top)", body: [] }];
  let fence: string | undefined;
  for (const line of lines) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    const name = fence === undefined ? heading(line) : undefined;
    if (name !== undefined) result.push({ heading: name, body: [line] });
    else result.at(-1)!.body.push(line);
    if (fence === undefined && marker) fence = marker;
    else if (fence !== undefined && marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
  }
  return result.filter((s, i) => i > 0 || s.body.some((l) => l.trim() !== ""));
}

/** The detection time of a paging alert (src/detection) is shown with its text before and after: a reviewer weighs the figure. */
const DETECTION = "Detection";
const detectionOf = (s: Section) => s.body.join(" ").replace(/^\*\*Detection:\*\*\s*/, "").trim();

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((line, i) => line === b[i]);

/** The parts of a section that differ: what a reader of a changed section looks at. */
function changedSubsections(a: readonly string[], b: readonly string[]): FieldChange[] {
  const fields: FieldChange[] = [];
  const name = (heading: string) => (heading === "(top)" ? "(text)" : heading);
  matchKeys(byKey(sections(a, part), (s) => s.heading), byKey(sections(b, part), (s) => s.heading), {
    added: (heading, y) => fields.push(heading === DETECTION ? { field: heading, after: detectionOf(y) } : { field: `${name(heading)} (added)` }),
    removed: (heading, x) => fields.push(heading === DETECTION ? { field: heading, before: detectionOf(x) } : { field: `${name(heading)} (removed)` }),
    both: (heading, x, y) => {
      if (same(x.body, y.body)) return;
      fields.push(heading === DETECTION ? { field: heading, before: detectionOf(x), after: detectionOf(y) } : { field: name(heading) });
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
