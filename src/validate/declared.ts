import type { Origin } from "./anchor.js";
import type { Model } from "./validate.js";

export interface Named {
  name: string;
  origin: Origin;
}

/**
 * What the monitors declare, read from the objects as written as well as from the validated
 * model. An object that failed its schema is left out of the model, but its names still
 * exist: a reference to one is not reported as undeclared, since the object's own schema
 * errors already say what is wrong with it.
 */
export interface Declared {
  /** Every team and service that has a name, valid or not, in load order (duplicate checks). */
  teams: Named[];
  services: Named[];
  /** Names a reference may resolve to. */
  teamNames: Set<string>;
  serviceNames: Set<string>;
  receivers: Set<string>;
  timeIntervals: Set<string>;
  severities: string[];
  /** Whether SMTP settings were written, even in a config that failed its schema. */
  smtp: boolean;
}

/** The origins the loader found: the config and every defineTeam and defineService. */
export interface Origins {
  config: Origin;
  teams: Origin[];
  services: Origin[];
}

type Dict = Record<string, unknown>;

const isDict = (value: unknown): value is Dict => value !== null && typeof value === "object" && !Array.isArray(value);
/** A field of an object as written, whatever its type; undefined when it is not an object. */
export const field = (value: unknown, key: string): unknown => (isDict(value) ? value[key] : undefined);
/** The keys of an object as written; none when it is not one. */
export const keysOf = (value: unknown): string[] => (isDict(value) ? Object.keys(value) : []);

/** Objects whose `name` is a string, whether or not the rest of them is valid. */
function named(origins: readonly Origin[]): Named[] {
  return origins.flatMap((origin) => {
    const name = field(origin.value, "name");
    return typeof name === "string" ? [{ name, origin }] : [];
  });
}

/** The receivers a team declares, as routes name them: "<team>-<key>". */
function teamReceivers(team: Named): string[] {
  return keysOf(field(team.origin.value, "receivers")).map((key) => `${team.name}-${key}`);
}

/**
 * The configured severities. The model falls back to the defaults when the config fails its
 * schema; the ones written, when they are a list of names, are what the monitors were written for.
 */
function severitiesOf(model: Model, config: Origin): string[] {
  const written = field(config.value, "severities");
  return Array.isArray(written) && written.length > 0 && written.every((s) => typeof s === "string") ? written : model.config.severities;
}

/** Every name the config, teams and services declare, whether or not they passed their schemas. */
export function declared(model: Model, origins: Origins): Declared {
  const teams = named(origins.teams);
  const services = named(origins.services);
  const am = field(origins.config.value, "alertmanager");
  // Read from the objects as written: a valid object's names are the same in the model.
  return {
    teams,
    services,
    teamNames: new Set(teams.map((t) => t.name)),
    serviceNames: new Set(services.map((s) => s.name)),
    receivers: new Set([...keysOf(field(am, "receivers")), ...teams.flatMap(teamReceivers)]),
    timeIntervals: new Set(keysOf(field(am, "timeIntervals"))),
    severities: severitiesOf(model, origins.config),
    smtp: field(am, "smtp") !== undefined,
  };
}
