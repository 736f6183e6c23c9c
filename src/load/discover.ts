import { glob } from "tinyglobby";

/** Monitor files matching the config's globs, as sorted absolute paths. */
export async function discoverMonitorFiles(rootDir: string, patterns: string | string[]): Promise<string[]> {
  const files = await glob(patterns, {
    cwd: rootDir,
    absolute: true,
    ignore: ["**/node_modules/**", "**/*.d.ts", "**/*.test.ts"],
    followSymbolicLinks: false,
  });
  return files.sort();
}
