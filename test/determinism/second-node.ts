import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "../helpers/project.js";

/** The second Node the output is compared under; the npm registry ships it as node-<os>-<cpu>. */
export const SECOND_NODE_VERSION = "22.22.0";
const PACKAGE = `node-${process.platform}-${process.arch}@${SECOND_NODE_VERSION}`;
const PREFIX = path.join(REPO_ROOT, "node_modules", ".cache", "vigil-node", SECOND_NODE_VERSION);
const BINARY = path.join(PREFIX, "node_modules", `node-${process.platform}-${process.arch}`, "bin", "node");

export const INSTALL_HINT =
  `install it with: npm install --no-save --no-package-lock --prefix ${path.relative(REPO_ROOT, PREFIX)} ${PACKAGE}` +
  ` (or point VIGIL_SECOND_NODE at a Node ${SECOND_NODE_VERSION.split(".")[0]} binary)`;

/**
 * The second Node binary: $VIGIL_SECOND_NODE, else the cached npm package, installed into the
 * cache on first use (about 30 MB from the npm registry). Undefined when it cannot be had.
 */
export async function secondNode(): Promise<{ binary?: string; why?: string }> {
  if (process.env.VIGIL_SECOND_NODE) return { binary: process.env.VIGIL_SECOND_NODE };
  if (existsSync(BINARY)) return { binary: BINARY };
  try {
    await promisify(execFile)("npm", ["install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--prefix", PREFIX, PACKAGE], { timeout: 300_000 });
  } catch (failure) {
    return { why: `npm install ${PACKAGE} failed: ${(failure as Error).message.split("\n")[0]}` };
  }
  return existsSync(BINARY) ? { binary: BINARY } : { why: `npm installed ${PACKAGE} but ${BINARY} is missing` };
}
