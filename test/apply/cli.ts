import { spawn } from "node:child_process";
import path from "node:path";
import { REPO_ROOT } from "../helpers/project.js";

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The built `vigil` with extra environment: URLs and tokens, the way CI injects them. */
export function vigil(args: readonly string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "bin/vigil.js"), ...args], { cwd, env: { ...process.env, NO_COLOR: "1", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
