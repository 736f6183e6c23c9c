import type { SourceLocation } from "../model/location.js";

export type Severity = "error" | "warning";

/** One problem found in the monitors, with where it is and how to fix it. */
export interface Diagnostic {
  severity: Severity;
  /** Stable kebab-case code, e.g. "invalid-duration". */
  code: string;
  message: string;
  /** Where the problem is; absent only for problems of the whole repository. */
  location?: SourceLocation;
  /** How to fix it. */
  hint?: string;
  /** Other places involved, e.g. the first declaration of a duplicate. */
  related?: { message: string; location: SourceLocation }[];
}

export function error(code: string, message: string, location?: SourceLocation, hint?: string): Diagnostic {
  return { severity: "error", code, message, ...(location && { location }), ...(hint && { hint }) };
}

export function warning(code: string, message: string, location?: SourceLocation, hint?: string): Diagnostic {
  return { severity: "warning", code, message, ...(location && { location }), ...(hint && { hint }) };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Sorted by file, line, column, code; identical diagnostics only once. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const key = (d: Diagnostic) => `${d.location?.file ?? ""}\0${String(d.location?.line ?? 0).padStart(8, "0")}\0${String(d.location?.column ?? 0).padStart(8, "0")}\0${d.code}\0${d.message}`;
  return [...diagnostics]
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    .filter((d) => {
      const k = key(d);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
}
