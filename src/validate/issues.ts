import type { z } from "zod";
import { SUPPRESS_HINTS } from "../model/suppress.js";

/** A schema problem in the words of a monitor author: a stable code, a message and a hint. */
export interface SchemaProblem {
  code: string;
  message: string;
  hint?: string;
  path: PropertyKey[];
  /** Show it at the property's name rather than its value (unknown fields). */
  at: "value" | "key";
  /** A character inside the string at `path` (PromQL syntax errors). */
  offset?: number;
}

/** Turns zod issues into problems, one per unknown key, choosing the closest union branch. */
export function schemaProblems(issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[] = []): SchemaProblem[] {
  return issues.flatMap((issue) => problemsOf(issue, [...prefix, ...issue.path]));
}

function problemsOf(issue: z.core.$ZodIssue, path: PropertyKey[]): SchemaProblem[] {
  const field = fieldName(path);
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => ({
        code: "unknown-field",
        message: `unknown field ${JSON.stringify(key)}${field ? ` in ${field}` : ""}`,
        hint: "remove it or fix its spelling; your editor lists the fields this object takes",
        path: [...path, key],
        at: "key" as const,
      }));
    case "invalid_union": {
      if ("input" in issue && issue.input === undefined) return problemsOf({ ...issue, code: "invalid_type", expected: "union" } as z.core.$ZodIssue, path);
      const branch = closestBranch(issue.errors);
      if (branch) return schemaProblems(branch, path);
      return [{ code: "invalid-type", message: `${field || "value"} has the wrong type: ${issue.message}`, path, at: "value" }];
    }
    case "invalid_key":
    case "invalid_element":
      return schemaProblems(issue.issues, path).map((p) =>
        issue.code === "invalid_key" ? { ...p, at: "key" as const, message: `key ${JSON.stringify(path.at(-1))}: ${p.message}` } : p,
      );
    case "invalid_type":
      if ("input" in issue && issue.input === undefined && path.length === 1 && path[0] === "team") {
        return [{ code: "team-required", message: "a service needs its owning team", hint: 'add team: <the defineTeam object> (or its name); alerts route to it', path, at: "value" }];
      }
      if ("input" in issue && issue.input === undefined) {
        return [{ code: "missing-field", message: `${field || "a value"} is required`, hint: `add ${field ? `"${String(path.at(-1))}"` : "it"} to this object`, path, at: "value" }];
      }
      return [{ code: "invalid-type", message: `${field || "value"}: expected ${issue.expected}, got ${describe(issue.input)}`, path, at: "value" }];
    case "invalid_value":
      return [{
        code: "invalid-value",
        message: `${field || "value"} is ${JSON.stringify(issue.input)}; expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`,
        path,
        at: "value",
      }];
    case "custom": {
      const params = issue.params as { code?: string; offset?: number; at?: "key"; hint?: string } | undefined;
      const hint = params?.hint ?? (params?.code === "promql-syntax" ? "fix the expression; Prometheus would refuse to load it" : SUPPRESS_HINTS[params?.code ?? ""]);
      return [{ code: params?.code ?? "invalid-value", message: issue.message, path, at: params?.at ?? "value", ...(hint && { hint }), ...(params?.offset !== undefined && { offset: params.offset }) }];
    }
    default:
      return [{ code: "invalid-value", message: `${field || "value"}: ${issue.message}`, path, at: "value" }];
  }
}

/** The union branch that got furthest: its issues have the deepest paths. */
function closestBranch(branches: readonly (readonly z.core.$ZodIssue[])[]): readonly z.core.$ZodIssue[] | undefined {
  let best: readonly z.core.$ZodIssue[] | undefined;
  let bestDepth = 0;
  for (const issues of branches) {
    const depth = Math.max(0, ...issues.map((i) => i.path.length + (i.code === "unrecognized_keys" ? 1 : 0) + (i.code === "custom" ? 1 : 0)));
    if (depth > bestDepth) {
      best = issues;
      bestDepth = depth;
    }
  }
  return best;
}

function fieldName(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "string" ? `the string ${JSON.stringify(value)}` : typeof value;
}
