import { accessSync, constants } from "node:fs";
import path from "node:path";

/** The Debian package that ships each binary the harness runs. */
const PACKAGE_OF: Record<string, string> = {
  prometheus: "prometheus",
  promtool: "prometheus",
  "prometheus-alertmanager": "prometheus-alertmanager",
  amtool: "prometheus-alertmanager",
};

/** The one command that installs every binary the harness needs. */
export const INSTALL_COMMAND = "apt-get install -y prometheus prometheus-alertmanager";

/**
 * The absolute path of `name` on PATH, or an Error naming the apt-get command.
 *
 * Why: `spawn` reports a missing binary only asynchronously (an 'error' event and no PID),
 * which surfaces as a confusing timeout. Looking it up first turns it into an immediate,
 * actionable failure; tests must never skip silently when the tools are absent.
 */
export function requireBinary(name: string): string {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory: keep looking.
    }
  }
  const pkg = PACKAGE_OF[name] ?? "the package that provides it";
  throw new Error(`${name} was not found on PATH (it ships in the Debian package ${pkg}). Install it with: ${INSTALL_COMMAND}`);
}
