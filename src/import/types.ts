import type { Code, CommentOnly } from "./code.js";

/** Something an importer could not carry over as it was: said on stderr and in the output. */
export interface ImportProblem {
  severity: "error" | "warning";
  /** The input file it is about. */
  source: string;
  message: string;
}

/** A service to write as `<team>/<service>.ts`. */
export interface ImportedService {
  name: string;
  team: string;
  /** Input files it came from, named in the header. */
  sources: string[];
  /** Comment lines at the top of `defineService({...})`. */
  notes: string[];
  /** `const x = counter(...)` and other statements before the service. */
  declarations: string[];
  /** Names imported from "vigil" besides defineService. */
  uses: string[];
  /** Properties after `name` and `team`, in order. */
  entries: (readonly [string, Code | undefined] | CommentOnly)[];
}

/** A team to declare in `teams.ts`. */
export interface ImportedTeam {
  name: string;
  /** Comment lines before its declaration. */
  notes: string[];
  /** Properties after `name` (receivers first). */
  entries: (readonly [string, Code | undefined] | CommentOnly)[];
}

/** What one importer read: services, teams, and what it could not express. */
export interface Imported {
  services: ImportedService[];
  teams: ImportedTeam[];
  /** Comment lines for `teams.ts` (settings that belong in vigil.config.ts). */
  teamNotes: string[];
  problems: ImportProblem[];
}

export interface ImportOptions {
  /** Team of every imported service, over what the input says. */
  team?: string;
  /** Name of the imported service, over what the input says. */
  service?: string;
  /** prometheus-rules: one service per rule group instead of one per file. */
  perGroup?: boolean;
}

/** An input file: its name as the user gave it, and its text. */
export interface SourceFile {
  name: string;
  text: string;
}
