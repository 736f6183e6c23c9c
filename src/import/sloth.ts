import { parseAllDocuments } from "yaml";
import { commented, obj, slug, type Code } from "./code.js";
import { planMetrics, queryMetrics } from "./promql.js";
import type { Imported, ImportedService, ImportOptions, ImportProblem, SourceFile } from "./types.js";

/**
 * `vigil import sloth`: Sloth `prometheus/v1` specs (or `PrometheusServiceLevel` objects) into
 * services with `slos`. Event SLIs become `{ errors, total }` and raw ones `{ errorRatio }`, with
 * Sloth's `{{.window}}` written as Vigil's `{{window}}`; page and ticket alerts keep their name.
 */

interface SlothAlert {
  disable?: boolean;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

interface SlothSlo {
  name: string;
  objective: number;
  description?: string;
  labels?: Record<string, string>;
  sli?: { events?: { errorQuery?: string; totalQuery?: string }; raw?: { errorRatioQuery?: string }; plugin?: unknown };
  alerting?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string>; pageAlert?: SlothAlert; ticketAlert?: SlothAlert };
}

interface SlothSpec {
  version?: string;
  service: string;
  labels?: Record<string, string>;
  slos: SlothSlo[];
}

/** Sloth's window placeholder, `{{.window}}`, as Vigil writes it. */
export function vigilWindow(query: string): string {
  return query.replace(/\{\{\s*\.window\s*\}\}/g, "{{window}}").trim();
}

/** An objective in percent as Vigil takes it (at most 5 decimals), or a note why not. */
export function objectiveCode(value: number, warn: (message: string) => void): Code {
  const rounded = Number(value.toFixed(5));
  if (rounded !== value || !(value > 0 && value < 100)) {
    warn(`objective ${value} is not a percentage above 0 and below 100 with at most 5 decimals`);
    return commented(value, "TODO: Vigil takes objectives above 0 and below 100 with at most 5 decimals");
  }
  return value;
}

function sloCode(slo: SlothSlo, warn: (message: string) => void): Code | undefined {
  const notes: string[] = [];
  const note = (message: string) => {
    notes.push(message);
    warn(`SLO ${slo.name}: ${message}`);
  };
  let sli: Code;
  if (slo.sli?.events?.errorQuery && slo.sli.events.totalQuery) {
    sli = obj({ errors: vigilWindow(slo.sli.events.errorQuery), total: vigilWindow(slo.sli.events.totalQuery) });
  } else if (slo.sli?.raw?.errorRatioQuery) {
    sli = obj({ errorRatio: vigilWindow(slo.sli.raw.errorRatioQuery) });
  } else {
    warn(`SLO ${slo.name}: its SLI is a Sloth plugin (or empty), which Vigil cannot run: not imported`);
    return undefined;
  }
  const alerting = slo.alerting ?? {};
  for (const [severity, alert] of [["page", alerting.pageAlert], ["ticket", alerting.ticketAlert]] as const) {
    const labels = Object.keys(alert?.labels ?? {}).filter((l) => l !== "severity");
    if (labels.length) note(`${severity} alert labels ${labels.join(", ")} not imported: Vigil's SLO labels apply to both alerts (alerting.labels)`);
    if (Object.keys(alert?.annotations ?? {}).length) note(`${severity} alert annotations ${Object.keys(alert!.annotations!).join(", ")} not imported: Vigil's SLO annotations apply to both alerts (alerting.annotations)`);
    if (alert?.labels?.severity) notes.push(`${severity} alerts had severity "${alert.labels.severity}": Vigil names them "${severity}"`);
  }
  const alertingCode = obj([
    ["name", alerting.name],
    ["page", alerting.pageAlert?.disable ? false : undefined],
    ["ticket", alerting.ticketAlert?.disable ? false : undefined],
    ["labels", alerting.labels && Object.keys(alerting.labels).length ? obj(alerting.labels) : undefined],
    ["annotations", alerting.annotations && Object.keys(alerting.annotations).length ? obj(alerting.annotations) : undefined],
  ]);
  const value = obj([
    ["name", slug(slo.name)],
    ["objective", objectiveCode(slo.objective, (m) => warn(`SLO ${slo.name}: ${m}`))],
    ["description", slo.description],
    ["labels", slo.labels && Object.keys(slo.labels).length ? obj(slo.labels) : undefined],
    ["sli", sli],
    ["alerting", alertingCode.entries.some((e) => Array.isArray(e) && e[1] !== undefined) ? alertingCode : undefined],
  ]);
  return commented(value, ...notes);
}

export function importSloth(files: readonly SourceFile[], options: ImportOptions): Imported {
  const problems: ImportProblem[] = [];
  const services: (Omit<ImportedService, "declarations" | "uses"> & { queries: string[]; warn: (message: string) => void })[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(file.text)) {
      const data = doc.toJS() as (SlothSpec & { spec?: SlothSpec }) | null;
      const spec = data?.spec ?? data;
      if (!spec || !Array.isArray(spec.slos) || typeof spec.service !== "string") {
        if (data) problems.push({ severity: "error", source: file.name, message: "not a Sloth spec: no `service` and `slos`" });
        continue;
      }
      const warn = (message: string) => problems.push({ severity: "warning", source: file.name, message });
      const { team: teamLabel, ...labels } = spec.labels ?? {};
      const team = options.team ?? teamLabel;
      const name = options.service ?? slug(spec.service);
      if (!team) {
        problems.push({ severity: "error", source: file.name, message: `service ${name}: no team label in the spec: pass --team NAME` });
        continue;
      }
      const slos = spec.slos.map((slo) => sloCode(slo, warn));
      const skipped = spec.slos.filter((_, i) => !slos[i]).map((s) => s.name);
      const queries = spec.slos.flatMap((s) => [s.sli?.events?.errorQuery, s.sli?.events?.totalQuery, s.sli?.raw?.errorRatioQuery].filter((q): q is string => !!q).map(vigilWindow));
      services.push({
        name,
        team,
        sources: [file.name],
        queries,
        warn,
        notes: skipped.length ? [`SLOs ${skipped.join(", ")} have plugin SLIs, which Vigil cannot run: not imported`] : [],
        entries: [
          ["labels", Object.keys(labels).length ? obj(labels) : undefined],
          ["slos", { kind: "array", items: slos.filter((s): s is Code => s !== undefined) }],
        ],
      });
    }
  }
  // Metrics declared alike in every service: one kind, labels and buckets over all the specs.
  const plan = planMetrics(services.flatMap((s) => s.queries), new Set());
  return {
    services: services.map(({ queries, warn, notes, entries, ...s }) => {
      const { metrics, ...declared } = queryMetrics(queries, s.team, warn, plan);
      const [labels, ...rest] = entries;
      return { ...s, ...declared, notes: [...declared.notes, ...notes], entries: [labels!, ["metrics", metrics], ...rest] };
    }),
    teams: [],
    teamNotes: [],
    problems,
  };
}
