import { MANIFEST, parseManifest } from "../emit/manifest.js";
import { diffAlertmanager } from "./alertmanager.js";
import { sortChanges, type Change, type Files } from "./change.js";
import { diffDashboards } from "./grafana.js";
import { diffRules } from "./prometheus.js";
import { diffRunbook } from "./runbooks.js";

type FileDiffer = (file: string, before: string | undefined, after: string | undefined) => Change[] | undefined;

/**
 * Which semantic comparison a generated file gets; the others are compared as files. Rules and
 * dashboards are compared over all their files at once.
 */
function differFor(path: string): FileDiffer | "dashboard" | "rules" | undefined {
  if (/^prometheus\/.+\.rules\.ya?ml$/.test(path)) return "rules";
  if (path === "alertmanager/alertmanager.yaml") return diffAlertmanager;
  if (/^grafana\/dashboards\/.+\.json$/.test(path)) return "dashboard";
  if (/^runbooks\/.+\.md$/.test(path)) return diffRunbook;
  return undefined;
}

/**
 * The files of a generated tree that Vigil wrote: those its manifest lists, when it has one.
 * Files a user keeps beside the output are not Vigil's to report.
 */
function owned(files: Files): Files {
  const manifest = parseManifest(files.get(MANIFEST));
  if (!manifest) return files;
  const listed = new Set(manifest.files.map((f) => f.path));
  return new Map([...files].filter(([path]) => listed.has(path)));
}

/**
 * Semantic differences between two generated trees (paths relative to the output directory):
 * rules, routes, receivers, dashboards, panels, runbook sections; any other file as a whole. A
 * file whose text differs always yields at least one change, so "no changes" means equal bytes.
 * `manifest.json` is left out: it only restates the other files.
 */
export function diffOutputs(base: Files, head: Files): Change[] {
  const before = owned(base);
  const paths = [...new Set([...before.keys(), ...head.keys()])].filter((p) => p !== MANIFEST && before.get(p) !== head.get(p)).sort();
  if (paths.length === 0) return [];
  const changes: Change[] = [];
  const asFile = (path: string) => {
    const a = before.get(path);
    const b = head.get(path);
    changes.push({ kind: "file", op: a === undefined ? "added" : b === undefined ? "removed" : "changed", name: path, file: path, fields: [] });
  };

  // Rules and dashboards are found by identity across files: they move when a team or a file
  // layout changes.
  const across = { rules: { before: new Map<string, string>(), after: new Map<string, string>() }, dashboard: { before: new Map<string, string>(), after: new Map<string, string>() } };
  // Only the files that differ: an unchanged file's objects are unchanged, and leaving them out
  // keeps one that moved between two other files from pairing with its twin there (and YAML
  // parsing is the slow part).
  for (const path of paths) {
    const differ = differFor(path);
    if (differ === "dashboard" || differ === "rules") {
      if (before.has(path)) across[differ].before.set(path, before.get(path)!);
      if (head.has(path)) across[differ].after.set(path, head.get(path)!);
    } else if (differ) {
      const found = differ(path, before.get(path), head.get(path));
      if (found) changes.push(...found);
      else asFile(path);
    } else {
      asFile(path);
    }
  }
  for (const found of [diffRules(across.rules.before, across.rules.after), diffDashboards(across.dashboard.before, across.dashboard.after)]) {
    changes.push(...found.changes);
    found.unparsed.forEach(asFile);
  }

  // A difference no semantic comparison explains (a header comment, a field not compared, a
  // layout change) still shows, as a changed file.
  const explained = new Set(changes.flatMap((c) => [c.file, ...c.fields.filter((f) => f.field === "file" && f.before).map((f) => f.before!)]));
  for (const path of paths) if (!explained.has(path)) asFile(path);
  return sortChanges(changes);
}

