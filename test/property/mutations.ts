import type { MonitorSet, ServiceSpec } from "./monitor-set.js";
import { code, type Src, type SrcObject } from "./source.js";

/**
 * Mutations that each make a valid monitor set invalid in one way, with the diagnostic codes
 * that may report it. Each works on a copy and touches one service, picked by `pick`.
 */
export interface Mutation {
  name: string;
  /** Any of these codes must be among the errors. */
  expect: string[];
  apply(set: MonitorSet, pick: number): MonitorSet | { set: MonitorSet; files: (files: Record<string, string>) => void };
}

type Mutable = { [key: string]: Src | undefined };

const copy = (set: MonitorSet): MonitorSet => structuredClone(set);
const mutable = (value: SrcObject) => value as Mutable;

/** A copy of the set and one of its services, for editing. */
function target(set: MonitorSet, pick: number): { set: MonitorSet; service: ServiceSpec; value: Mutable } {
  const next = copy(set);
  const service = next.services[pick % next.services.length]!;
  return { set: next, service, value: mutable(service.value) };
}

/** A valid alert of the service to break, added when it has none. */
function someAlert(value: Mutable, pick: number): Mutable {
  const alerts = ((value.alerts as Src[] | undefined) ?? []) as Mutable[];
  if (alerts.length === 0) {
    alerts.push({
      name: "MutationTarget",
      expr: 'up{job="mutation"} == 0',
      for: "5m",
      severity: "ticket",
      summary: "A target is down.",
      description: "{{ $labels.instance }} is down.",
    });
    value.alerts = alerts;
  }
  return alerts[pick % alerts.length]!;
}

const withAlert = (edit: (alert: Mutable, value: Mutable) => void) => (set: MonitorSet, pick: number) => {
  const t = target(set, pick);
  edit(someAlert(t.value, pick), t.value);
  return t.set;
};

export const MUTATIONS: Mutation[] = [
  { name: "bad duration", expect: ["invalid-duration"], apply: withAlert((a) => (a.for = "5 minutes")) },
  { name: "unknown metric", expect: ["unknown-metric"], apply: withAlert((a) => (a.expr = "sum(rate(no_such_metric_total[5m])) > 1")) },
  { name: "bad regex", expect: ["invalid-regex"], apply: withAlert((a) => (a.expr = 'up{job=~"check(out"} == 0')) },
  { name: "PromQL syntax error", expect: ["promql-syntax"], apply: withAlert((a) => (a.expr = "sum(rate(up[5m]) > 1")) },
  { name: "PromQL type error", expect: ["promql-type"], apply: withAlert((a) => (a.expr = "rate(up) > 1")) },
  { name: "broken template", expect: ["template-syntax"], apply: withAlert((a) => (a.description = "{{ $value  is high.")) },
  { name: "wrong type", expect: ["invalid-type"], apply: withAlert((a) => (a.severity = 3)) },
  { name: "missing field", expect: ["missing-field"], apply: withAlert((a) => delete a.summary) },
  { name: "unknown field", expect: ["unknown-field"], apply: withAlert((a) => (a.sumary = "Typo.")) },
  {
    name: "duplicate alert name",
    expect: ["duplicate-alert"],
    apply: withAlert((a, service) => {
      const alerts = service.alerts as Src[];
      service.alerts = [...alerts, { ...a, expr: 'up{job="duplicate"} == 0' }];
    }),
  },
  {
    name: "unknown team",
    expect: ["unknown-team"],
    apply: (set, pick) => {
      const t = target(set, pick);
      t.value.team = "no-such-team";
      return t.set;
    },
  },
  {
    name: "invalid service name",
    expect: ["invalid-name"],
    apply: (set, pick) => {
      const t = target(set, pick);
      t.value.name = "Not A Slug";
      return t.set;
    },
  },
  {
    name: "secret written in place of its file",
    expect: ["secret-not-file", "literal-secret"],
    apply: (set, pick) => {
      const next = copy(set);
      const team = next.teams[pick % next.teams.length]!;
      const receivers = team.value.receivers as Record<string, Mutable>;
      receivers.page = { slack: { channel: "#oops", apiUrlFile: "https://hooks.slack.com/services/T0000000/B0000000/abcdefghijklmnopqrstuvwx" } };
      return next;
    },
  },
  {
    name: "unknown metric handle in an SLO",
    expect: ["invalid-value", "missing-field", "unknown-field", "invalid-type"],
    apply: (set, pick) => {
      const t = target(set, pick);
      t.value.slos = [{ name: "broken", objective: 99.9, sli: { latency: "not a selector", threshold: 0.3 } }];
      return t.set;
    },
  },
  {
    name: "TypeScript syntax error",
    expect: ["syntax-error"],
    apply: (set, pick) => {
      const next = copy(set);
      const service = next.services[pick % next.services.length]!;
      return {
        set: next,
        files: (files) => {
          const file = `monitors/${service.team}/${service.name}.ts`;
          files[file] = `${files[file]!}\nexport const broken = { alerts: [ ;\n`;
        },
      };
    },
  },
  {
    name: "reference to an undeclared variable",
    expect: ["monitor-threw"],
    apply: (set, pick) => {
      const t = target(set, pick);
      t.value.metrics = code("[requests, undeclaredMetric]");
      return t.set;
    },
  },
];
