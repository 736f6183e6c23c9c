import type { OutputFile } from "../emit/output.js";

/**
 * Prettier, only for the files an emitter could not write in canonical form itself:
 * it costs about 5 ms per KB of Markdown, most of a compile when run on every page.
 */
export async function formatFiles(files: readonly OutputFile[]): Promise<OutputFile[]> {
  if (!files.some((f) => f.format)) return [...files];
  const prettier = await import("prettier");
  return Promise.all(
    files.map(async ({ format, ...file }) =>
      format === "markdown"
        ? { ...file, content: await prettier.format(file.content, { parser: "markdown", proseWrap: "preserve", endOfLine: "lf" }) }
        : file,
    ),
  );
}
