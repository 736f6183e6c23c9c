import { isPromQL } from "../model/promql.js";
import { isSelector, type Selector } from "../model/metric.js";
import type { Slo } from "../model/slo.js";
import { hasWindow } from "../slo/sli.js";
import { resolveTiers } from "../slo/tiers.js";
import { untestable } from "../slo/tests.js";
import { planSloOnce, sloContext, sloTestGroupsOnce } from "../slo/once.js";
import type { Anchor, Origin, Pending } from "./anchor.js";
import type { Declared } from "./declared.js";
import type { Model, ValidService } from "./validate.js";

type Push = (code: string, message: string, anchor: Anchor, hint?: string, severity?: "error" | "warning") => void;

function checkQuery(push: Push, origin: Origin, path: PropertyKey[], value: unknown, needsWindow: boolean): void {
  if (isSelector(value)) return;
  const text = isPromQL(value) ? value.text : String(value);
  if (needsWindow && !hasWindow(text)) {
    push("slo-missing-window", "this SLI query has no {{window}} where the range goes", { origin, path }, 'write the range as [{{window}}], e.g. sum(rate(http_requests_total{code=~"5.."}[{{window}}])): Vigil fills in every alert window');
    return;
  }
  // Syntax, types and names are the lint stage's, as for every other expression.
}

function checkSelectorKind(push: Push, origin: Origin, path: PropertyKey[], value: unknown, kinds: readonly string[], what: string): void {
  if (isSelector(value) && !kinds.includes(value.kind)) {
    push("slo-sli-metric-kind", `${what} takes a ${kinds.join(" or ")}, but ${value.metric} is a ${value.kind}`, { origin, path }, `use a ${kinds.join(" or ")} here, or write the query in PromQL`);
  }
}

function checkSli(push: Push, service: ValidService, slo: Slo, path: PropertyKey[]): void {
  const { origin } = service;
  const sli = slo.sli;
  const at = (...rest: PropertyKey[]) => [...path, "sli", ...rest];
  if ("errors" in sli || "good" in sli) {
    const first = "errors" in sli ? "errors" : "good";
    for (const key of [first, "total"] as const) {
      const value = (sli as Record<string, unknown>)[key];
      checkQuery(push, origin, at(key), value, true);
      checkSelectorKind(push, origin, at(key), value, ["counter"], "a ratio SLI");
    }
  } else if ("latency" in sli) {
    const histogram = sli.latency as Selector;
    checkSelectorKind(push, origin, at("latency"), histogram, ["histogram"], "a latency SLI");
    const declared = service.metrics.find((m) => m.name === histogram.metric && m.kind === "histogram");
    if (!declared) {
      push("slo-metric-not-declared", `histogram ${histogram.metric} is not in this service's metrics`, { origin, path: at("latency") }, "add the histogram to the service's `metrics`, with its buckets");
    } else if (!(declared.buckets ?? []).includes(sli.threshold)) {
      const buckets = (declared.buckets ?? []).join(", ") || "none declared";
      push("slo-threshold-not-bucket", `threshold ${sli.threshold} is not a bucket of ${histogram.metric} (buckets: ${buckets})`, { origin, path: at("threshold") }, "a latency SLI counts the requests in a bucket: use one of the declared buckets, or declare this one");
    }
  } else if ("errorRatio" in sli) {
    checkQuery(push, origin, at("errorRatio"), sli.errorRatio, true);
  } else {
    checkQuery(push, origin, at("probe"), sli.probe, false);
    checkSelectorKind(push, origin, at("probe"), sli.probe, ["gauge"], "a probe SLI");
  }
  if (slo.minEvents !== undefined && ("errorRatio" in sli || "probe" in sli)) {
    push("slo-min-events-unsupported", "minEvents needs an SLI that counts events (errors/good and total, or latency)", { origin, path: [...path, "minEvents"] }, "remove minEvents, or express the SLI as a ratio of counters");
  }
}

/** SLO checks: SLIs, tiers (burn rate, windows, severities) and names. */
export function checkSlos(model: Model, declared: Declared, configOrigin: Origin, push: Push): void {
  // The severities written in the config, even one that failed its schema (see declared.ts).
  const severities = new Set(declared.severities);
  for (const service of model.services) {
    const seen = new Map<string, Anchor>();
    service.slos.forEach((slo, i) => {
      const path = ["slos", i];
      const anchor = { origin: service.origin, path: [...path, "name"] };
      if (seen.has(slo.name)) push("duplicate-slo", `SLO ${JSON.stringify(slo.name)} is declared twice in ${service.name}`, anchor, "give each SLO of a service its own name");
      seen.set(slo.name, anchor);
      checkSli(push, service, slo, path);
      for (const problem of resolveTiers(slo, model.config.slo).problems) {
        const tierAnchor: Anchor = problem.atObjective
          ? { origin: service.origin, path: [...path, "objective"] }
          : problem.origin === "slo"
            ? { origin: service.origin, path: [...path, "alerting", "tiers", problem.index] }
            : problem.origin === "config"
              ? { origin: configOrigin, path: ["slo", "tiers", problem.index] }
              : { origin: service.origin, path: [...path, "period"] };
        push(problem.code, problem.message, tierAnchor, problem.hint);
      }
      const planned = planSloOnce(slo, sloContext(model, service));
      const why = untestable(slo, planned) ?? (planned.problems.length === 0 && sloTestGroupsOnce(slo, planned) === undefined ? "no label values could be found that match its selectors' regular expressions" : undefined);
      if (why) push("slo-tests-not-generated", `no unit tests are generated for SLO ${JSON.stringify(slo.name)}: ${why}`, anchor, "give the SLI metric selectors (counter().where()) and static annotations to get generated tests", "warning");
      const tiers = slo.alerting.tiers ?? model.config.slo.tiers ?? [];
      tiers.forEach((tier, t) => {
        if (!severities.has(tier.severity)) {
          const tierPath = slo.alerting.tiers ? { origin: service.origin, path: [...path, "alerting", "tiers", t, "severity"] } : { origin: configOrigin, path: ["slo", "tiers", t, "severity"] };
          push("unknown-severity", `tier severity ${JSON.stringify(tier.severity)} is not one of the configured severities`, tierPath, "use a configured severity such as page or ticket");
        }
      });
    });
  }
}

export type { Pending };
