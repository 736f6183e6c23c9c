import type { OutputFile } from "../emit/output.js";

/** Prettier for Markdown only: elsewhere the serialisers already write canonical text, faster. */
export async function formatFiles(files: readonly OutputFile[]): Promise<OutputFile[]> {
  if (!files.some((f) => f.path.endsWith(".md"))) return [...files];
  const prettier = await import("prettier");
  return Promise.all(
    files.map(async (file) =>
      file.path.endsWith(".md")
        ? { ...file, content: await prettier.format(file.content, { parser: "markdown", proseWrap: "preserve", endOfLine: "lf" }) }
        : file,
    ),
  );
}
