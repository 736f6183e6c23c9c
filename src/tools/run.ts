import { execFile } from "node:child_process";

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Debian package that provides each external tool. */
export const INSTALL_HINT: Record<string, string> = {
  promtool: "apt-get install -y prometheus (provides promtool)",
  amtool: "apt-get install -y prometheus-alertmanager (provides amtool)",
  prometheus: "apt-get install -y prometheus",
  "prometheus-alertmanager": "apt-get install -y prometheus-alertmanager",
};

export class MissingToolError extends Error {
  constructor(readonly tool: string) {
    super(`${tool} is not installed or not on PATH: ${INSTALL_HINT[tool] ?? `install ${tool}`}`);
  }
}

/** Runs a tool to completion; a missing binary is a MissingToolError that says how to install it. */
export function runTool(tool: string, args: readonly string[], options: { cwd?: string } = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    execFile(tool, args, { cwd: options.cwd, maxBuffer: 64 * 1024 * 1024 }, (failure, stdout, stderr) => {
      if (failure && (failure as NodeJS.ErrnoException).code === "ENOENT") return reject(new MissingToolError(tool));
      const code = failure ? (typeof failure.code === "number" ? failure.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}
