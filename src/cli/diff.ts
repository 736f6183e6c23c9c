import { Command, Option } from "commander";
import { formatDiagnostics, summary } from "../check/format.js";
import { hasErrors } from "../check/diagnostic.js";
import { readBase } from "../diff/base.js";
import { countChanges } from "../diff/change.js";
import { diffOutputs } from "../diff/diff.js";
import { renderJson } from "../diff/json.js";
import { MARKER, renderMarkdown } from "../diff/markdown.js";
import { renderText } from "../diff/text.js";
import { compile } from "../pipeline.js";
import { stableJson } from "../emit/output.js";
import { useColor } from "./report.js";

export type DiffFormat = "text" | "markdown" | "json";

export interface DiffOptions {
  base: string;
  format: DiffFormat;
  config?: string;
  cwd?: string;
  quiet?: boolean;
  color: boolean;
}

/**
 * `vigil diff`: what compile would produce now, against a base (a git revision, default HEAD,
 * or a directory), compared object by object. Exit 0 equal, 1 different or not compiling, 2 a
 * base that cannot be read.
 */
export async function diffCommand(options: DiffOptions): Promise<number> {
  const result = await compile({ cwd: options.cwd, config: options.config, preciseWarnings: false });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  const out = (text: string) => process.stdout.write(text);
  if (hasErrors(errors)) {
    // Nothing to compare: say why in the format asked for, so that a PR comment says it too.
    const text = formatDiagnostics(errors, "text", { color: options.format === "text" && useColor({ ...options, format: "text" }), rootDir: result.rootDir });
    if (options.format === "json") out(stableJson({ equal: false, compiled: false, diagnostics: errors }));
    else if (options.format === "markdown") out(`${MARKER}\n### Vigil: the monitors do not compile\n\n\`\`\`\`text\n${text.replace(/````/g, "'''")}\`\`\`\`\n`);
    else out(text);
    if (options.format === "text") process.stderr.write(`${summary(errors)}\n`);
    return 1;
  }

  const base = await readBase(options.base, { cwd: options.cwd ?? process.cwd(), rootDir: result.rootDir, outDir: result.outDir });
  if ("error" in base) {
    process.stderr.write(`vigil diff: ${base.error}\n    hint: ${base.hint}\n`);
    return 2;
  }
  const head = new Map(result.files.map((f) => [f.path, f.content]));
  const changes = diffOutputs(base.files, head);
  if (options.format === "json") out(renderJson(changes));
  else if (options.format === "markdown") out(renderMarkdown(changes, { base: options.base }));
  else {
    out(renderText(changes, { color: useColor({ ...options, format: "text" }) }));
    if (!options.quiet) {
      const counts = Object.values(countChanges(changes));
      const total = (op: "added" | "removed" | "changed") => counts.reduce((n, c) => n + c[op], 0);
      process.stderr.write(changes.length === 0 ? `no changes against ${base.label}\n` : `${changes.length} changes against ${base.label}: ${total("added")} added, ${total("removed")} removed, ${total("changed")} changed\n`);
    }
  }
  return changes.length === 0 ? 0 : 1;
}

/** The `diff` command; its --format chooses the report (text, markdown, json), not diagnostics. */
export function diffCli(root: Command, run: (work: () => Promise<number>) => void): void {
  root
    .command("diff")
    .description("compare what the monitors compile to now with a git revision or a directory, object by object")
    .option("--base <ref|dir>", "git revision (branch, tag, commit) or directory holding the output", "HEAD")
    .addOption(new Option("--format <format>", "report as terse text, a Markdown PR comment, or JSON").choices(["text", "markdown", "json"]).default("text"))
    .option("--config <file>", "config file (default: vigil.config.ts)")
    .option("--cwd <dir>", "run as if started in this directory")
    .option("--quiet", "no summary line")
    .option("--no-color", "no colours, even on a terminal")
    .exitOverride()
    .action((options: DiffOptions) => run(() => diffCommand(options)));
}
