import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** The Debian package and the one command that provide a headless browser for the HTML tests. */
export const CHROMIUM_INSTALL = "apt-get install -y chromium";

/**
 * The chromium binary on PATH, or an Error naming the apt-get command. A missing browser fails
 * the test (in CI and everywhere else): a skipped page test would let a broken page through.
 */
export function requireChromium(): string {
  for (const name of ["chromium", "chromium-browser"]) {
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
      if (!dir) continue;
      try {
        accessSync(path.join(dir, name), constants.X_OK);
        return path.join(dir, name);
      } catch {
        // Not here: keep looking.
      }
    }
  }
  throw new Error(`chromium is not installed or not on PATH: ${CHROMIUM_INSTALL}`);
}

function run(binary: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { maxBuffer: 64 * 1024 * 1024, timeout: 90_000 }, (failure, stdout, stderr) => {
      if (failure && (failure as NodeJS.ErrnoException).code === "ENOENT") return reject(new Error(`${binary} not found: ${CHROMIUM_INSTALL}`));
      resolve({ code: failure ? (typeof failure.code === "number" ? failure.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/**
 * Flags for a headless run on a CI box: --no-sandbox because CI containers run as root, a
 * throw-away profile so parallel runs share nothing, no GPU, no first-run or network chatter.
 */
const flags = (profile: string) => ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars", "--no-first-run", "--disable-extensions", `--user-data-dir=${profile}`];

export interface Rendered {
  /** The DOM after loading, serialized (`--dump-dom`). */
  dom: string;
  /** The screenshot, PNG bytes. */
  png: Buffer;
}

/** Loads an HTML file in headless Chromium: its DOM and a screenshot of `width` x `height`. */
export async function renderInChromium(htmlFile: string, screenshot: string, size: { width: number; height: number }): Promise<Rendered> {
  const chromium = requireChromium();
  const profile = await mkdtemp(path.join(tmpdir(), "vigil-chromium-"));
  try {
    const url = pathToFileURL(path.resolve(htmlFile)).toString();
    const dom = await run(chromium, [...flags(profile), "--dump-dom", url]);
    if (dom.code !== 0 || !dom.stdout.includes("<html")) throw new Error(`chromium --dump-dom failed (exit ${dom.code}):\n${dom.stderr.slice(-3000)}`);
    const shot = await run(chromium, [...flags(profile), `--screenshot=${screenshot}`, `--window-size=${size.width},${size.height}`, url]);
    if (shot.code !== 0) throw new Error(`chromium --screenshot failed (exit ${shot.code}):\n${shot.stderr.slice(-3000)}`);
    return { dom: dom.stdout, png: await readFile(screenshot) };
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}
