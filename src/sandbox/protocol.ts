import type { Diagnostic } from "../check/diagnostic.js";
import type { LiveCatalog } from "../lint/live-catalog.js";
import type { PreparedBundle } from "../load/load.js";
import type { CompileResult } from "../pipeline.js";

/**
 * Messages between `vigil --sandbox` and its child process (IPC, structured clone). The child
 * evaluates and compiles; the parent bundles (esbuild starts a process, which the child may
 * not) and writes.
 */

/** What the child compiles: the plain-data part of CompileOptions. */
export interface SandboxRequest {
  type: "compile";
  options: { cwd: string; config?: string; preciseWarnings?: boolean; timeoutMs?: number; liveCatalog?: LiveCatalog };
}

/** A compile result without the plan and model, which hold monitor objects (functions, classes). */
export type PortableResult = Omit<CompileResult, "plan" | "model">;

export type ChildMessage =
  | { type: "prepare"; id: number; rootDir: string; files: string[]; setAside?: string[] }
  | { type: "dispose"; bundle: PreparedBundle }
  | { type: "phase"; phase: "run" | "settle" | "done"; files: string[]; timeoutMs: number; rootDir: string }
  | { type: "result"; result: PortableResult }
  | { type: "crash"; stack: string };

export type ParentMessage =
  | SandboxRequest
  | { type: "prepared"; id: number; bundle?: PreparedBundle; diagnostics: Diagnostic[] };
