import { spawn } from "node:child_process";
import path from "node:path";
import { REPO_ROOT } from "./project.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `vigil` binary as a user would; `env` is added to this process's environment. */
export function runCli(args: readonly string[], cwd: string = REPO_ROOT, env: Record<string, string> = {}): Promise<CliResult> {
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
