import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/model/config.js";
import { LINT_CODES, LINT_RULES, type LintRule } from "../../src/lint/rules.js";
import { REPO_ROOT } from "../helpers/project.js";

/** docs/lint-rules.md and the registry in src/lint/rules.ts, kept in step. */
const page = readFileSync(path.join(REPO_ROOT, "docs/lint-rules.md"), "utf8");

/** `## <heading>` sections, each with its body up to the next one (fenced code never holds "## "). */
const sections = page
  .split(/^## /m)
  .slice(1)
  .map((chunk) => {
    const newline = chunk.indexOf("\n");
    return { heading: chunk.slice(0, newline).trim(), body: chunk.slice(newline + 1) };
  });

/** The ```ts block right after a bold label such as **Bad**. */
function example(body: string, label: "Bad" | "Good"): string | undefined {
  return new RegExp(`^\\*\\*${label}\\*\\*\\n\\n\`\`\`ts\\n([\\s\\S]*?)\\n\`\`\`$`, "m").exec(body)?.[1];
}

describe("docs/lint-rules.md", () => {
  it("has exactly one section per lint code, in the registry's order, and no other section", () => {
    expect(sections.map((s) => s.heading)).toEqual(LINT_CODES);
  });

  it.each(LINT_CODES)("%s: the default severity and configurability of the registry", (code) => {
    const body = sections.find((s) => s.heading === code)?.body ?? "";
    const rule: LintRule = LINT_RULES[code];
    const stated = /^\*\*Default severity:\*\* (error|warning)\. \*\*Configurable:\*\* (yes|no)\b/m.exec(body);
    expect(stated, `the "**Default severity:** ... **Configurable:** ..." line of ${code}`).not.toBeNull();
    expect(stated![1]).toBe(rule.severity);
    expect(stated![2]).toBe(rule.fixed ? "no" : "yes");
  });

  it.each(LINT_CODES)("%s: a bad and a good TypeScript example, which differ, and how to fix it", (code) => {
    const body = sections.find((s) => s.heading === code)?.body ?? "";
    const bad = example(body, "Bad");
    const good = example(body, "Good");
    expect(bad, `**Bad** and a ts block in ${code}`).toBeTruthy();
    expect(good, `**Good** and a ts block in ${code}`).toBeTruthy();
    expect(bad).not.toBe(good);
    expect(body).toMatch(/^\*\*Fix:\*\* \S/m);
  });

  it("documents each lint setting with the default the config schema gives it, and the CLI flags", () => {
    const defaults = configSchema.parse({}) as unknown as Record<string, Record<string, unknown>>;
    const keys = ["lint.rules", "lint.externalMetrics", "lint.targetLabels", "lint.minRangeScrapes", "prometheus.scrapeInterval"];
    for (const key of keys) {
      const row = new RegExp(`^\\| \`${key.replace(".", "\\.")}\` \\| \`([^\`]+)\` \\|`, "m").exec(page);
      expect(row, `a table row for ${key}`).not.toBeNull();
      const [section, field] = key.split(".") as [string, string];
      expect(JSON.parse(row![1]!), key).toEqual(defaults[section]![field]);
    }
    for (const flag of ["--format text|json|github", "--max-warnings N", "--prometheus URL"]) expect(page).toContain(flag);
  });
});
