// The CLI entry of the built compiler, run in this process (a fresh `node` per case would cost
// ~1 s of start-up each): what it prints is captured, its exit code returned.
import { main } from "../../dist/cli/main.js";

export interface MainResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runMain(argv: readonly string[]): Promise<MainResult> {
  const out = process.stdout.write;
  const err = process.stderr.write;
  let stdout = "";
  let stderr = "";
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  try {
    const code = await main(["node", "vigil", ...argv]);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}
