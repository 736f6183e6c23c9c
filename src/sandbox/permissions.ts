import { realpath, stat } from "node:fs/promises";
import path from "node:path";

/** The flag that turns Node's permission model on: `--experimental-permission` on Node 20, `--permission` from 22.13. */
export function permissionFlag(flags: ReadonlySet<string> = process.allowedNodeEnvironmentFlags): string {
  return flags.has("--permission") ? "--permission" : "--experimental-permission";
}

/**
 * Node flags for the sandboxed child: reads only under `readable`; no `--allow-fs-write`,
 * `--allow-child-process`, `--allow-worker` or `--allow-addons`, so each is refused.
 */
export function sandboxFlags(readable: readonly string[], flag = permissionFlag()): string[] {
  return [flag, ...readable.map((dir) => `--allow-fs-read=${dir}`), "--disable-warning=ExperimentalWarning"];
}

const exists = (p: string) => stat(p).then(() => true, () => false);

/**
 * What the child must read: the repository (its monitors, config and node_modules, where the
 * parent writes the bundle), its node_modules and those of its parents (Node resolves packages
 * there too; any of them may be a link to elsewhere) and Vigil's own installation. Each as given and as its real path, since Node
 * checks the one and imports by the other.
 */
export async function readablePaths(repoDirs: readonly string[], vigilRoot: string): Promise<string[]> {
  const wanted = new Set<string>();
  const add = async (dir: string) => {
    if (!(await exists(dir))) return;
    wanted.add(path.resolve(dir));
    wanted.add(await realpath(dir));
  };
  for (const dir of repoDirs) {
    await add(dir);
    for (let parent = path.resolve(dir); ; parent = path.dirname(parent)) {
      await add(path.join(parent, "node_modules"));
      if (path.dirname(parent) === parent) break;
    }
  }
  await add(vigilRoot);
  // Only the outermost: on Node 20, granting both /repo and /repo/node_modules denies /repo itself.
  const all = [...wanted].sort();
  return all.filter((dir) => !all.some((outer) => dir.startsWith(`${outer}/`)));
}
