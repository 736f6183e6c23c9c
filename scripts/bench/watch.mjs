// The incremental figure: `vigil compile --watch` on a generated repository, one service file
// edited, the time from the write to the watcher's "compiled in" line. Three edits (or `edits`), median.
import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { REPO_ROOT } from "./generate.mjs";

const EDITS = 3;
const TIMEOUT_MS = 300_000;

/**
 * Resolves with { wallMs, reportedMs } (the median edit's) and `samples` (every edit's); the
 * watcher is stopped (its PID only) before it returns.
 */
export async function measureWatch(repo, file, { edits = EDITS } = {}) {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, "bin/vigil.js"), "compile", "--watch"], {
    cwd: repo,
    env: { ...process.env, NO_COLOR: "1" },
  });
  let buffer = "";
  let waiter;
  const onData = (chunk) => {
    buffer += chunk;
    waiter?.();
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const exited = new Promise((resolve) => child.on("close", resolve));

  /** Waits for a line matching `pattern` after `from` in the output; returns it and where it ended. */
  const waitFor = (pattern, from) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${pattern} from vigil compile --watch within ${TIMEOUT_MS} ms:\n${buffer.slice(-2000)}`)), TIMEOUT_MS);
      const check = () => {
        const match = pattern.exec(buffer.slice(from));
        if (match) {
          clearTimeout(timer);
          waiter = undefined;
          resolve({ match, end: from + match.index + match[0].length, at: performance.now() });
        }
      };
      waiter = check;
      check();
    });

  try {
    let seen = (await waitFor(/watching for changes/, 0)).end;
    const original = await readFile(file, "utf8");
    const samples = [];
    for (let i = 1; i <= edits; i++) {
      // A real change: the summary of the first alert (its rule, runbook and manifest change).
      const edited = original.replace(/fails too many requests\./, `fails too many requests (edit ${i}).`);
      if (edited === original) throw new Error(`nothing to edit in ${file}`);
      const started = performance.now();
      await writeFile(file, edited);
      const { match, end, at } = await waitFor(/compiled in (\d+) ms[^\n]*\n|(\d+) errors?/, seen);
      if (!match[1]) throw new Error(`the edit did not compile:\n${buffer.slice(seen)}`);
      seen = end;
      samples.push({ wallMs: Math.round(at - started), reportedMs: Number(match[1]) });
    }
    await writeFile(file, original);
    const sorted = [...samples].sort((a, b) => a.wallMs - b.wallMs);
    return { ...sorted[Math.floor(sorted.length / 2)], samples };
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}
