import fc from "fast-check";
import { exprSource, exprText, selectorSource, type ExprSpec, type Match, type MetricSpec, type SelectorPart } from "./promql.js";
import { code, type Src, type SrcObject } from "./source.js";

/**
 * Arbitrary valid, lint-clean monitor repositories: teams with file-based secrets and routes,
 * services with metrics, alerts and recording rules built from those metrics, SLOs of every SLI
 * kind, declarative dashboards. Each set is data (see source.ts) rendered to files by files.ts.
 */

export interface TeamSpec {
  name: string;
  variable: string;
  value: SrcObject;
}

export interface ServiceSpec {
  name: string;
  team: string;
  metrics: MetricSpec[];
  /** The object passed to defineService. */
  value: SrcObject;
}

export interface MonitorSet {
  config: SrcObject;
  teams: TeamSpec[];
  services: ServiceSpec[];
}

const SEVERITIES = ["page", "ticket", "info"] as const;
const SECRETS = "/etc/alertmanager/secrets";
const WINDOWS = ["1m", "2m", "5m", "10m", "30m", "1h"];
const TEAM_NAMES = ["payments", "platform", "web", "data", "search-core", "identity"];
const SERVICE_NAMES = ["checkout", "orders", "ledger", "gateway", "inventory", "auth", "search-api", "billing-worker", "mailer", "catalog"];
const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const UNITS = ["short", "reqps", "s", "ms", "percentunit", "ops", "bytes", "suffix:req", "none"];

/** Label values that exercise quoting and escaping in PromQL, YAML and JSON. */
const labelValue = fc.constantFrom("/api/cart", "GET", "POST", "eu-west-1", "orders", 'say "hi"', "back\\slash", "naïve", "with space", "{braces}", "a:b", "50%");
const regexValue = fc.constantFrom("5..", "4..|5..", "/api/.*", "GET|POST", "(?i)get", "[a-z]+-[0-9]+", "eu-.*", "\\d+", "a\\.b");

const camel = (slug: string) => slug.split(/[^a-zA-Z0-9]+/).filter(Boolean).map((p) => p[0]!.toUpperCase() + p.slice(1)).join("");
const snake = (slug: string) => slug.replace(/-/g, "_");
const metricBase = (m: MetricSpec) => m.name.replace(/_total$/, "");

const subset = <T>(items: readonly T[]) => fc.subarray([...items]);

function metricsArb(service: string): fc.Arbitrary<MetricSpec[]> {
  const p = snake(service);
  return fc
    .record({
      requests: fc.option(subset(["route", "method"]).map((extra): MetricSpec => ({ variable: "requests", kind: "counter", name: `${p}_requests_total`, labels: ["code", ...extra], help: "Requests served." }))),
      latency: fc.option(
        fc.record({ labels: subset(["route", "method"]), buckets: fc.subarray(BUCKETS, { minLength: 2 }) }).map(
          ({ labels, buckets }): MetricSpec => ({ variable: "latency", kind: "histogram", name: `${p}_request_duration_seconds`, labels, buckets }),
        ),
      ),
      queue: fc.option(subset(["queue", "pool"]).map((labels): MetricSpec => ({ variable: "queueDepth", kind: "gauge", name: `${p}_queue_depth`, labels, help: "Messages waiting." }))),
      probe: fc.option(fc.constant<MetricSpec>({ variable: "probe", kind: "gauge", name: `${p}_probe_success`, labels: [], probe: true })),
      batch: fc.option(subset(["queue"]).map((labels): MetricSpec => ({ variable: "batch", kind: "summary", name: `${p}_batch_duration_seconds`, labels }))),
    })
    .map((r) => [r.requests, r.latency, r.queue, r.probe, r.batch].filter((m): m is MetricSpec => m !== null))
    .filter((ms) => ms.length > 0);
}

function matchArb(label: string): fc.Arbitrary<[string, Match]> {
  if (label === "code") return fc.constantFrom<Match>({ op: "=~", value: "5.." }, { op: "!~", value: "2.." }, { op: "=", value: "500" }).map((m) => [label, m]);
  return fc.oneof(
    fc.record({ op: fc.constantFrom<"=" | "!=">("=", "!="), value: labelValue }),
    fc.record({ op: fc.constantFrom<"=~" | "!~">("=~", "!~"), value: regexValue }),
  ).map((m) => [label, m]);
}

/** Matchers on a subset of the metric's labels and `job`, in declaration order. */
function matchersArb(metric: MetricSpec): fc.Arbitrary<[string, Match][]> {
  const labels = [...metric.labels, "job"];
  return fc.subarray(labels, { maxLength: Math.min(2, labels.length) }).chain((labels) => (labels.length ? fc.tuple(...labels.map(matchArb)) : fc.constant([])));
}

const selectorArb = (metric: MetricSpec, suffix?: SelectorPart["suffix"]) => matchersArb(metric).map((matchers): SelectorPart => ({ metric, suffix, matchers }));
const byLabel = (metric: MetricSpec) => fc.constantFrom(...metric.labels, "job", "instance");
const style = fc.constantFrom<ExprSpec["style"]>("string", "template");
const threshold = fc.constantFrom(0, 0.05, 0.5, 1, 2.5, 10, 100, 1500);

/** Alert conditions that fit the metric's kind (rate over counters, quantiles over buckets...). */
function conditionArb(metric: MetricSpec): fc.Arbitrary<ExprSpec> {
  const w = fc.constantFrom(...WINDOWS);
  const make = (parts: fc.Arbitrary<ExprSpec["parts"]>) => fc.record({ parts, style });
  switch (metric.kind) {
    case "counter":
      return fc.oneof(
        make(fc.tuple(selectorArb(metric), w, threshold).map(([s, win, t]) => ["sum(rate(", s, `[${win}])) > ${t}`])),
        make(fc.tuple(byLabel(metric), selectorArb(metric), w, threshold).map(([l, s, win, t]) => [`sum by (${l}) (increase(`, s, `[${win}])) > ${t}`])),
        make(
          fc.tuple(w, threshold).map(([win, t]) => [
            "sum(rate(", { metric, matchers: [["code", { op: "=~", value: "5.." }]] }, `[${win}])) / sum(rate(`, { metric, matchers: [] }, `[${win}])) > ${t}`,
          ]),
        ),
      );
    case "gauge":
      return fc.oneof(
        make(fc.tuple(byLabel(metric), selectorArb(metric), threshold).map(([l, s, t]) => [`max by (${l}) (`, s, `) > ${t}`])),
        make(fc.tuple(selectorArb(metric), w, threshold).map(([s, win, t]) => ["avg_over_time(", s, `[${win}]) < ${t}`])),
        make(selectorArb(metric).map((s) => ["absent(", { ...s, matchers: s.matchers.filter(([, m]) => m.op === "=") }, ")"])),
      );
    case "histogram":
      return fc.oneof(
        make(fc.tuple(fc.constantFrom(0.5, 0.9, 0.99), selectorArb(metric, "_bucket"), w, threshold).map(([q, s, win, t]) => [`histogram_quantile(${q}, sum by (le) (rate(`, s, `[${win}]))) > ${t}`])),
        make(
          fc.tuple(byLabel(metric), selectorArb(metric, "_bucket"), w, threshold).map(([l, s, win, t]) => [`histogram_quantile(0.95, sum by (${l}, le) (rate(`, s, `[${win}]))) > ${t}`]),
        ),
        make(fc.tuple(w, threshold).map(([win, t]) => ["sum(rate(", { metric, suffix: "_sum", matchers: [] }, `[${win}])) / sum(rate(`, { metric, suffix: "_count", matchers: [] }, `[${win}])) > ${t}`])),
      );
    case "summary":
      return make(
        fc.tuple(selectorArb(metric, "_sum"), w, threshold).map(([s, win, t]) => ["sum(rate(", s, `[${win}])) / sum(rate(`, { ...s, suffix: "_count" as const }, `[${win}])) > ${t}`]),
      );
  }
}

/** A query that plots the metric (dashboards, runbook steps). */
function plotArb(metric: MetricSpec, range: string): fc.Arbitrary<ExprSpec> {
  const make = (parts: fc.Arbitrary<ExprSpec["parts"]>) => fc.record({ parts, style });
  switch (metric.kind) {
    case "counter":
      return make(fc.tuple(byLabel(metric), selectorArb(metric)).map(([l, s]) => [`sum by (${l}) (rate(`, s, `[${range}]))`]));
    case "gauge":
      return make(fc.tuple(fc.constantFrom("max", "min", "avg", "sum"), selectorArb(metric)).map(([agg, s]) => [`${agg}(`, s, ")"]));
    case "histogram":
      return make(selectorArb(metric, "_bucket").map((s) => [`histogram_quantile(0.99, sum by (le) (rate(`, s, `[${range}])))`]));
    case "summary":
      return make(selectorArb(metric, "_sum").map((s) => ["sum(rate(", s, `[${range}])) / sum(rate(`, { ...s, suffix: "_count" as const }, `[${range}]))`]));
  }
}

interface AlertDraft {
  metric: MetricSpec;
  expr: ExprSpec;
  severity: (typeof SEVERITIES)[number];
  value: SrcObject;
}

function alertArb(service: string, metrics: MetricSpec[]): fc.Arbitrary<AlertDraft> {
  return fc
    .constantFrom(...metrics)
    .chain((metric) =>
      fc.record({
        metric: fc.constant(metric),
        expr: conditionArb(metric),
        severity: fc.constantFrom(...SEVERITIES),
        for: fc.constantFrom("1m", "5m", "15m"),
        keepFiringFor: fc.option(fc.constantFrom("5m", "10m"), { nil: undefined }),
        labels: fc.option(fc.constantFrom<Record<string, string>>({ tier: "1" }, { component: "db", tier: "2" }), { nil: undefined }),
        summary: fc.constantFrom("The service misbehaves.", `${camel(service)} crosses its threshold.`, "Something is wrong: see the runbook."),
        description: fc.constantFrom("{{ $value | humanize }} is the current value.", "Now at {{ $value | humanizePercentage }}.", "{{ $value }} measured; {{ if gt $value 1.0 }}high{{ else }}low{{ end }}."),
        annotations: fc.option(fc.constant({ owner_note: "Generated by the property tests." }), { nil: undefined }),
        triage: plotArb(metric, "5m"),
        withRunbook: fc.boolean(),
      }),
    )
    .map((a) => {
      const page = a.severity === "page";
      const runbook: Src | undefined =
        page || a.withRunbook
          ? {
              summary: "What this alert means.",
              triage: ["Look at the service dashboard.", { step: "See the current values.", query: exprSource(a.triage) }],
              mitigation: ["Roll back the last deploy."],
            }
          : undefined;
      return {
        metric: a.metric,
        expr: a.expr,
        severity: a.severity,
        value: {
          expr: exprSource(a.expr),
          for: page || a.withRunbook ? a.for : undefined,
          keepFiringFor: a.keepFiringFor,
          severity: a.severity,
          labels: a.labels,
          summary: a.summary,
          description: a.description,
          annotations: a.annotations,
          runbook,
        },
      };
    });
}

interface RecordingDraft {
  record: string;
  expr: ExprSpec;
  labels: Record<string, string> | undefined;
}

/** Recording rules named level:metric:operations after what they compute. */
function recordingArb(metrics: MetricSpec[]): fc.Arbitrary<RecordingDraft> {
  const usable = metrics.filter((m) => m.kind === "counter" || m.kind === "histogram");
  return fc.constantFrom(...usable).chain((metric) =>
    fc.record({ l: byLabel(metric), s: selectorArb(metric, metric.kind === "histogram" ? "_bucket" : undefined), w: fc.constantFrom("1m", "5m", "1h"), style, labels: fc.option(fc.constant<Record<string, string>>({ recorded_by: "vigil" }), { nil: undefined }) }).map(({ l, s, w, style: st, labels }): RecordingDraft =>
      metric.kind === "histogram"
        ? { record: `${l}_le:${metric.name}_bucket:rate${w}`, expr: { style: st, parts: [`sum by (${l}, le) (rate(`, s, `[${w}]))`] }, labels }
        : { record: `${l}:${metricBase(metric)}:rate${w}`, expr: { style: st, parts: [`sum by (${l}) (rate(`, s, `[${w}]))`] }, labels },
    ),
  );
}

type SliKind = "errors" | "good" | "latency" | "raw" | "probe";

function sliArb(kind: SliKind, metrics: MetricSpec[]): fc.Arbitrary<Src> {
  const requests = metrics.find((m) => m.variable === "requests");
  const latency = metrics.find((m) => m.variable === "latency");
  const probe = metrics.find((m) => m.variable === "probe");
  const sel = (m: MetricSpec, matchers: [string, Match][]) => selectorSource({ metric: m, matchers });
  const events = (m: MetricSpec, matchers: [string, Match][]) =>
    fc.constantFrom<Src>(sel(m, matchers), `sum(rate(${m.name}${matchers.length ? `{${matchers.map(([l, x]) => `${l}${x.op}${JSON.stringify(x.value)}`).join(", ")}}` : ""}[{{window}}]))`);
  switch (kind) {
    case "errors":
      return fc.record({ errors: events(requests!, [["code", { op: "=~", value: "5.." }]]), total: events(requests!, []) });
    case "good":
      return fc.record({ good: events(requests!, [["code", { op: "=~", value: "2.." }]]), total: events(requests!, []) });
    case "latency":
      return fc.constantFrom(...latency!.buckets!).map((threshold) => ({ latency: sel(latency!, []), threshold }));
    case "raw":
      return fc.constant({ errorRatio: `1 - avg_over_time(${probe!.name}[{{window}}])` });
    case "probe":
      return fc.constant({ probe: sel(probe!, []) });
  }
}

function slosArb(service: string, metrics: MetricSpec[]): fc.Arbitrary<Src[]> {
  const has = (v: string) => metrics.some((m) => m.variable === v);
  const kinds: SliKind[] = [...(has("requests") ? (["errors", "good"] as const) : []), ...(has("latency") ? (["latency"] as const) : []), ...(has("probe") ? (["raw", "probe"] as const) : [])];
  if (kinds.length === 0) return fc.constant([]);
  const NAMES: Record<SliKind, string> = { errors: "availability", good: "success", latency: "latency", raw: "uptime", probe: "reachability" };
  return fc.subarray(kinds, { maxLength: Math.min(2, kinds.length) }).chain((chosen) =>
    chosen.length === 0
      ? fc.constant([])
      : fc.tuple(
          ...chosen.map((kind) =>
            fc.record({
              name: fc.constant(NAMES[kind]),
              objective: fc.constantFrom(95, 99, 99.5, 99.9, 99.95),
              period: fc.option(fc.constantFrom("7d", "28d", "30d", "4w"), { nil: undefined }),
              description: fc.option(fc.constant("What the users get."), { nil: undefined }),
              sli: sliArb(kind, metrics),
              // Only SLIs that count events take a low-traffic guard.
              minEvents: kind === "raw" || kind === "probe" ? fc.constant(undefined) : fc.option(fc.constantFrom(10, 100), { nil: undefined }),
              alerting: fc.option(
                fc.constantFrom<Src>(
                  { page: false },
                  { per: "tier" },
                  { names: { page: `${camel(service)}${camel(NAMES[kind])}BurnFast`, ticket: `${camel(service)}${camel(NAMES[kind])}BurnSlow` } },
                ),
                { nil: undefined },
              ),
            }) as fc.Arbitrary<Src>,
          ),
        ),
  );
}

function panelArb(metric: MetricSpec): fc.Arbitrary<Src> {
  return fc
    .record({
      query: plotArb(metric, "$__rate_interval"),
      type: fc.option(fc.constantFrom("timeseries", "stat", "gauge", "bargauge", "table"), { nil: undefined }),
      legend: fc.option(fc.constantFrom("{{job}}", "{{instance}}"), { nil: undefined }),
      unit: fc.option(fc.constantFrom(...UNITS), { nil: undefined }),
      thresholds: fc.option(fc.constant<Src>([{ color: "green" }, { value: 0.8, color: "orange" }, { value: 0.95, color: "#ff0000" }]), { nil: undefined }),
      range: fc.option(fc.constant([0, 100] as const), { nil: undefined }),
      decimals: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
      width: fc.option(fc.integer({ min: 1, max: 24 }), { nil: undefined }),
      height: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
      description: fc.option(fc.constant("A panel with a description."), { nil: undefined }),
    })
    .map((p) => ({
      title: `${metric.name} (${p.type ?? "timeseries"})`,
      type: p.type,
      queries: [p.legend ? { expr: exprSource(p.query), legend: p.legend } : exprSource(p.query)],
      unit: p.unit,
      thresholds: p.thresholds,
      min: p.range?.[0],
      max: p.range?.[1],
      decimals: p.decimals,
      width: p.width,
      height: p.height,
      description: p.description,
    }));
}

function dashboardsArb(service: string, metrics: MetricSpec[]): fc.Arbitrary<Src[]> {
  const labelled = metrics.find((m) => m.labels.length > 0);
  const heatmap: Src[] = metrics
    .filter((m) => m.kind === "histogram")
    .map((m) => ({ title: `${m.name} buckets`, type: "heatmap", unit: "s", queries: [`sum by (le) (rate(${m.name}_bucket[$__rate_interval]))`] }));
  // The first dashboard plots every metric: a declared metric nobody uses is a lint warning.
  return fc
    .record({
      panels: fc.tuple(...metrics.map(panelArb)),
      uid: fc.option(fc.constant(`${service}-main`), { nil: undefined }),
      tags: fc.option(fc.constant(["generated", service]), { nil: undefined }),
      variable: fc.option(fc.constant(labelled), { nil: undefined }),
      links: fc.option(fc.constant<Src>([{ title: "Wiki", url: "https://wiki.example.com/x" }, { title: "Related", tags: ["generated"] }]), { nil: undefined }),
      second: fc.boolean(),
    })
    .map(({ panels, uid, tags, variable, links, second }) => {
      const main: Src = {
        uid,
        title: `${camel(service)} main`,
        description: "Every metric of the service.",
        tags,
        variables: variable ? [{ name: variable.labels[0]!, query: `label_values(${variable.name}, ${variable.labels[0]!})`, multi: true, includeAll: true }, { name: "env", values: ["prod", "staging"] }] : undefined,
        links,
        rows: [{ title: "Metrics", panels }, ...(heatmap.length ? [{ title: "Buckets", panels: heatmap }] : [])],
      };
      const extra: Src = { title: `${camel(service)} extra`, rows: [{ title: "Up", panels: [{ title: "Targets up", type: "stat", queries: [`sum(up{job="${service}"})`] }] }] };
      return second ? [main, extra] : [main];
    });
}

function serviceArb(name: string, teams: string[]): fc.Arbitrary<ServiceSpec> {
  return fc.record({ team: fc.constantFrom(...teams), metrics: metricsArb(name) }).chain(({ team, metrics }) =>
    fc
      .record({
        teamRef: fc.constantFrom("object", "name"),
        alerts: fc.uniqueArray(alertArb(name, metrics), { maxLength: 4, selector: (a) => exprText(a.expr) }),
        upAlert: fc.boolean(),
        recordingRules: metrics.some((m) => m.kind === "counter" || m.kind === "histogram")
          ? fc.uniqueArray(recordingArb(metrics), { maxLength: 3, selector: (r) => r.record })
          : fc.constant<RecordingDraft[]>([]),
        slos: slosArb(name, metrics),
        dashboards: dashboardsArb(name, metrics),
        description: fc.option(fc.constant(`The ${name} service.`), { nil: undefined }),
        labels: fc.option(fc.constant({ tier: "2" }), { nil: undefined }),
        interval: fc.option(fc.constantFrom("30s", "1m"), { nil: undefined }),
        selector: fc.option(fc.constant({ job: name }), { nil: undefined }),
      })
      .map((s): ServiceSpec => {
        const alerts: Src[] = s.alerts.map((a, i) => ({ name: `${camel(name)}${camel(a.metric.variable)}${i}`, ...a.value }));
        // A service that pages must page for a full outage within 5 minutes (lint: detection-time):
        // its "down" alert does, in 1m of evaluation and 2m of `for`.
        const pages = s.alerts.some((a) => a.severity === "page") || s.slos.some((slo) => (slo as { alerting?: { page?: boolean } }).alerting?.page !== false);
        if (s.upAlert || pages) {
          alerts.push({
            name: `${camel(name)}Down`,
            serviceDown: true,
            expr: `up{job="${name}"} == 0`,
            for: "2m",
            severity: "page",
            summary: `${camel(name)} has a target down.`,
            description: "{{ $labels.instance }} is down.",
            runbook: { triage: ["Check the pods."], mitigation: ["Restart them."] },
          });
        }
        return {
          name,
          team,
          metrics,
          value: {
            name,
            team: s.teamRef === "object" ? code(snake(team)) : team,
            description: s.description,
            metrics: code(`[${metrics.map((m) => m.variable).join(", ")}]`),
            recordingRules: s.recordingRules.length ? s.recordingRules.map((r) => ({ record: r.record, expr: exprSource(r.expr), labels: r.labels })) : undefined,
            alerts: alerts.length ? alerts : undefined,
            slos: s.slos.length ? s.slos : undefined,
            dashboards: s.dashboards,
            labels: s.labels,
            interval: s.interval,
            selector: s.selector,
          },
        };
      }),
  );
}

type Integration = "pagerduty" | "slack" | "email" | "webhook" | "opsgenie" | "victorops";

function receiverArb(team: string, severity: string): fc.Arbitrary<Src> {
  const make: Record<Integration, Src> = {
    pagerduty: { routingKeyFile: `${SECRETS}/pagerduty-${team}`, severity: "critical" },
    slack: { channel: `#${team}-${severity}`, apiUrlFile: `${SECRETS}/slack-${team}` },
    email: { to: `${team}-${severity}@example.com` },
    webhook: { url: `https://hooks.example.com/alertmanager/${team}/${severity}` },
    opsgenie: { apiKeyFile: `${SECRETS}/opsgenie-${team}`, priority: "P2" },
    victorops: { apiKeyFile: `${SECRETS}/victorops`, routingKey: `${team}-primary` },
  };
  return fc
    .record({ kinds: fc.subarray(Object.keys(make) as Integration[], { minLength: 1, maxLength: 3 }), sendResolved: fc.option(fc.boolean(), { nil: undefined }) })
    .map(({ kinds, sendResolved }) => ({ ...Object.fromEntries(kinds.map((k) => [k, make[k]])), sendResolved }));
}

function teamArb(name: string): fc.Arbitrary<TeamSpec> {
  return fc
    .record({
      receivers: fc.tuple(...SEVERITIES.map((s) => receiverArb(name, s))),
      escalation: fc.option(fc.constant<Src>([`${name} on-call`, { who: `${name} lead`, after: "15m" }]), { nil: undefined }),
      contact: fc.option(fc.constant(`#${name}`), { nil: undefined }),
      groupBy: fc.option(fc.constant(["alertname", "service", "instance"]), { nil: undefined }),
      repeatInterval: fc.option(fc.constantFrom("2h", "3h"), { nil: undefined }),
      timing: fc.option(fc.constant<Src>({ page: { repeatInterval: "30m" }, ticket: { groupWait: "2m" } }), { nil: undefined }),
      route: fc.boolean(),
      activeDuring: fc.boolean(),
    })
    .map((t) => ({
      name,
      variable: snake(name),
      value: {
        name,
        contact: t.contact,
        receivers: Object.fromEntries(SEVERITIES.map((s, i) => [s, t.receivers[i]!])),
        escalation: t.escalation,
        groupBy: t.groupBy,
        repeatInterval: t.repeatInterval,
        timing: t.timing,
        activeDuring: t.activeDuring ? { ticket: ["business-hours"] } : undefined,
        routes: t.route ? [{ match: { env: "staging" }, receiver: `${name}-info` }] : undefined,
        routingTests: t.route ? [{ labels: { team: name, severity: "page", env: "staging" }, receivers: [`${name}-info`] }] : undefined,
      },
    }));
}

function configArb(): fc.Arbitrary<SrcObject> {
  return fc
    .record({
      overrides: fc.boolean(),
      urls: fc.boolean(),
      evaluationInterval: fc.option(fc.constantFrom("30s", "1m"), { nil: undefined }),
      maxRulesPerGroup: fc.option(fc.integer({ min: 3, max: 20 }), { nil: undefined }),
    })
    .map((c) => ({
      monitors: "monitors/**/*.ts",
      prometheus: c.evaluationInterval || c.maxRulesPerGroup ? { evaluationInterval: c.evaluationInterval, maxRulesPerGroup: c.maxRulesPerGroup } : undefined,
      alertmanager: {
        smtp: { smarthost: "smtp.example.com:587", from: "alertmanager@example.com", authPasswordFile: `${SECRETS}/smtp` },
        timeIntervals: { "business-hours": [{ weekdays: ["monday:friday"], times: [{ start: "09:00", end: "17:00" }], location: "Europe/Berlin" }] },
        defaultReceiver: { slack: { channel: "#alerts-unrouted", apiUrlFile: `${SECRETS}/slack-unrouted` } },
        receivers: c.overrides ? { "quiet": { webhook: { url: "https://hooks.example.com/quiet" }, sendResolved: false } } : undefined,
        routes: c.overrides ? [{ match: { env: "dev" }, receiver: "quiet" }] : undefined,
        routingTests: c.overrides ? [{ labels: { env: "dev", severity: "page" }, receivers: ["quiet"] }] : undefined,
      },
      grafana: c.urls ? { url: "https://grafana.example.com" } : undefined,
      runbooks: c.urls ? { baseUrl: "https://github.com/example/monitoring/blob/main/generated/runbooks" } : undefined,
    }));
}

/** A whole repository: 1 to 3 teams, 1 to 4 services, a config. */
export const monitorSetArb: fc.Arbitrary<MonitorSet> = fc
  .record({
    teams: fc.shuffledSubarray(TEAM_NAMES, { minLength: 1, maxLength: 3 }),
    services: fc.shuffledSubarray(SERVICE_NAMES, { minLength: 1, maxLength: 4 }),
  })
  .chain(({ teams, services }) =>
    fc.record({
      config: configArb(),
      teams: fc.tuple(...teams.map(teamArb)),
      services: fc.tuple(...services.map((s) => serviceArb(s, teams))),
    }),
  );
