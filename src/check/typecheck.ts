import path from "node:path";
import { error, type Diagnostic } from "./diagnostic.js";
import { toRelative } from "../load/sourcemap.js";

/**
 * TypeScript's own errors in the monitor files (a label typo in `where()`, a missing
 * field), as diagnostics. Slow next to the rest (a whole program), so `--no-typecheck` skips it.
 */
export async function typecheck(rootDir: string, files: readonly string[]): Promise<Diagnostic[]> {
  if (files.length === 0) return [];
  const { Project, ts } = await import("ts-morph");
  const project = new Project({
    skipAddingFilesFromTsConfig: true,
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      // Monitors are bundled by esbuild, so imports resolve as a bundler does: no ".js" needed.
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      skipLibCheck: true,
      esModuleInterop: true,
      types: [],
    },
  });
  for (const file of files) project.addSourceFileAtPath(path.resolve(rootDir, file));
  const wanted = new Set(files.map((f) => path.resolve(rootDir, f)));
  return project.getPreEmitDiagnostics().flatMap((d) => {
    const source = d.getSourceFile();
    if (!source || !wanted.has(path.resolve(source.getFilePath()))) return [];
    const start = d.getStart() ?? 0;
    const { line, column } = source.getLineAndColumnAtPos(start);
    const text = typeof d.getMessageText() === "string" ? (d.getMessageText() as string) : ts.flattenDiagnosticMessageText(d.compilerObject.messageText, "\n");
    return [error("type-error", `TS${d.getCode()}: ${text}`, { file: toRelative(rootDir, source.getFilePath()), line, column }, "fix the type error; your editor shows it too")];
  });
}
