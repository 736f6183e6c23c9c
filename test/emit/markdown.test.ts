import fc from "fast-check";
import * as prettier from "prettier";
import { describe, expect, it } from "vitest";
import { bulletList, codeBlock, document, heading, inlineCode, MarkdownText, orderedList, table } from "../../src/emit/markdown.js";

const canonical = (text: string) => prettier.format(text, { parser: "markdown", proseWrap: "preserve" });

// Words as monitors write them: plain, with code spans, channel names, snake_case, punctuation.
// (Risky text, which the writer hands to prettier, is covered by the next test.)
const word = fc.oneof(
  fc.constantFrom("restart", "the", "pod", "#payments", "snake_case", "p99", "5xx", "→", "(see", "dashboard)", "it's", "50%", "a,", "b.", "ok:", "`kubectl get pods -o wide`", "`a < b`", "x > y", "a - b"),
  fc.stringMatching(/^[a-zA-Z0-9]{1,8}$/),
);
const sentence = fc.array(word, { minLength: 1, maxLength: 12 }).map((words) => words.join(" "));

describe("Markdown writer", () => {
  it("writes exactly what prettier writes for everyday text, without asking for prettier", async () => {
    await fc.assert(
      fc.asyncProperty(
        sentence,
        fc.array(fc.tuple(sentence, fc.option(fc.constantFrom("sum(rate(x[5m]))", "up == 0\nor absent(up)"), { nil: undefined })), { minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(sentence, sentence), { minLength: 1, maxLength: 4 }),
        async (title, steps, rows) => {
          const md = new MarkdownText();
          const text = document([
            heading(1, md.user(title)),
            md.user(title),
            table(["Alert", "Summary"], rows.map(([a, b]) => [md.cell(a), md.cell(b)])),
            orderedList(steps.map(([step, query]) => ({ text: md.user(step), ...(query && { block: codeBlock("promql", query) }) }))),
            bulletList(rows.map(([a]) => md.user(a))),
            `> ${md.user(title)}`,
          ]);
          expect(md.needsPrettier).toBe(false);
          expect(text).toBe(await canonical(text));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("asks for prettier on text it cannot write canonically", () => {
    for (const text of ["*bold*", "a_b_ c _d_", "[x](y)", "<div>", "a\\*b", "~~gone~~", "1. starts a list", "- starts a list", "# heading", "> quote", "two  spaces", "line\nbreak"]) {
      const md = new MarkdownText();
      md.user(text);
      expect(md.needsPrettier, text).toBe(true);
    }
    for (const text of ["Restart the pod.", "Tell #payments.", "Run `kubectl logs | grep *err*`.", "snake_case_name", "a < b", "p99 > 2s"]) {
      const md = new MarkdownText();
      md.user(text);
      expect(md.needsPrettier, text).toBe(false);
    }
  });

  it("asks for prettier for a pipe in a table cell, escaped", () => {
    const md = new MarkdownText();
    expect(md.cell("`a | b`")).toBe("`a \\| b`");
    expect(md.needsPrettier).toBe(true);
  });

  it("writes line breaks in inline code as the spaces CommonMark shows, so no line can open a block", async () => {
    expect(inlineCode("a\n\n- b\r\n# c")).toBe("`a  - b # c`");
    const text = document([`Labels: ${inlineCode("note=one\ntwo")}, ${inlineCode("x`\ny")}`]);
    expect(text).toBe("Labels: `note=one two`, ``x` y``\n");
    expect(text).toBe(await canonical(text));
  });

  it("fences a code block past an indented line of backticks, which would close it", async () => {
    const block = codeBlock("text", "Run:\n  ```\n  make\n  ```");
    expect(block).toBe("````text\nRun:\n  ```\n  make\n  ```\n````");
    expect(document([block])).toBe(await canonical(document([block])));
  });

  it("writes code spans with backticks as prettier does", async () => {
    for (const [text, span] of [
      ["a`b", "``a`b``"],
      ["`a`", "`` `a` ``"],
      ["a``b", "`a``b`"],
      ["a`b``c", "```a`b``c```"],
      [" a ", "`  a  `"],
    ] as const) {
      expect(inlineCode(text), text).toBe(span);
      expect(document([`x ${span}`]), text).toBe(await canonical(document([`x ${span}`])));
    }
  });

  it("fences inline code and code blocks that contain backticks", async () => {
    expect(inlineCode("plain")).toBe("`plain`");
    const block = codeBlock("promql", "```\nx");
    expect(block).toBe("````promql\n```\nx\n````");
    expect(document([block])).toBe(await canonical(document([block])));
  });
});
