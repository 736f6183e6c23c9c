import type { z } from "zod";
import type { Diagnostic } from "../check/diagnostic.js";
import type { Locator } from "../load/sourcemap.js";
import { configSchema, type Config } from "../model/config.js";
import type { SourceLocation } from "../model/location.js";
import { withoutSyntaxCheck } from "../model/promql.js";
import { serviceSchema, type Service } from "../model/service.js";
import { teamSchema, type Team } from "../model/team.js";
import { resolvePending, type Origin, type Pending } from "./anchor.js";
import { crossCheck } from "./cross.js";
import { declared } from "./declared.js";
import { schemaProblems } from "./issues.js";
import { buildDashboards, type ValidDashboard } from "./dashboards.js";
import { lint } from "../lint/lint.js";
import { retainTrees } from "../promql/tree.js";
import { applyLintPolicy } from "../lint/policy.js";
import type { LiveCatalog } from "../lint/live-catalog.js";

export interface ValidTeam extends Team {
  origin: Origin;
}

export interface ValidService extends Omit<Service, "team" | "dashboards"> {
  team: string;
  dashboards: ValidDashboard[];
  origin: Origin;
}

/** The validated model: everything the plan needs, nothing the monitors did not say. */
export interface Model {
  config: Config;
  configFile: string | undefined;
  teams: ValidTeam[];
  services: ValidService[];
}

export interface ValidateInput {
  rootDir: string;
  config: Origin;
  configFile: string | undefined;
  teams: Origin[];
  services: Origin[];
  locate: Locator;
  preciseWarnings?: boolean;
  liveCatalog?: LiveCatalog;
}

/** Schemas first, then cross-references; every problem found, none thrown. */
export async function validate(input: ValidateInput): Promise<{ model?: Model; diagnostics: Diagnostic[] }> {
  const release = retainTrees();
  try {
    return await validateRetaining(input);
  } finally {
    release();
  }
}

async function validateRetaining(input: ValidateInput): Promise<{ model?: Model; diagnostics: Diagnostic[] }> {
  const pending: Pending[] = [];
  const parse = <S extends z.ZodType>(schema: S, origin: Origin): z.infer<S> | undefined => {
    // reportInput: a wrong type and a missing field read differently ("expected string, got 5" vs "required").
    const result = schema.safeParse(origin.value, { reportInput: true });
    if (result.success) return result.data;
    const problems = schemaProblems(result.error.issues);
    for (const problem of problems) {
      const { path, at, offset, ...diagnostic } = problem;
      pending.push({ diagnostic: { severity: "error", ...diagnostic }, anchor: { origin, path, at, ...(offset !== undefined && { offset }) } });
    }
    if (!problems.every((problem) => problem.code === "promql-syntax")) return undefined;
    // Sound but for its PromQL: checked on, its syntax errors already reported (lint's analysis
    // finds the same ones; they are reported once), and no model comes of it.
    const lenient = withoutSyntaxCheck(() => schema.safeParse(origin.value));
    return lenient.success ? lenient.data : undefined;
  };

  const config = parse(configSchema, input.config) ?? configSchema.parse({});
  const teams = input.teams.flatMap((origin) => {
    const team = parse(teamSchema, origin);
    return team ? [{ ...team, origin }] : [];
  });
  const unvalidated: unknown[] = [];
  const services = input.services.flatMap((origin) => {
    const service = parse(serviceSchema, origin);
    if (!service) {
      unvalidated.push(origin.value);
      return [];
    }
    const dashboards = buildDashboards(service.name, service.dashboards, origin, pending);
    return [{ ...service, team: service.team as string, dashboards, origin }];
  });
  const model: Model = { config, configFile: input.configFile, teams, services };
  // Names of objects that failed their schema still count: a copied file is reported at once,
  // and a reference to a broken object is not reported again as undeclared.
  pending.push(...crossCheck(model, declared(model, { config: input.config, teams: input.teams, services: input.services }), input.config));
  pending.push(...lint(model, input.config, input.liveCatalog, unvalidated));

  const diagnostics = onceEachSyntaxError(await resolvePending(applyLintPolicy(pending, config), input.locate, input.rootDir, { preciseWarnings: input.preciseWarnings ?? true }));
  return { model: diagnostics.some((d) => d.severity === "error") ? undefined : model, diagnostics };
}

/** The schema and lint's analysis both find a PromQL syntax error; the first report of a place stands. */
function onceEachSyntaxError(diagnostics: Diagnostic[]): Diagnostic[] {
  const places = new Set<string>();
  return diagnostics.filter((d) => {
    if (d.code !== "promql-syntax" || !d.location) return true;
    const place = `${d.location.file}:${d.location.line}:${d.location.column}`;
    if (places.has(place)) return false;
    places.add(place);
    return true;
  });
}

export type { SourceLocation };
