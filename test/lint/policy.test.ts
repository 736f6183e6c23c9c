import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/model/config.js";
import { applyLintPolicy } from "../../src/lint/policy.js";
import { summaryProblem } from "../../src/lint/conventions.js";
import { LINT_RULES } from "../../src/lint/rules.js";
import type { Pending } from "../../src/validate/anchor.js";

const service = {
  name: "checkout",
  suppress: { "unused-metric": "exported for billing" },
  alerts: [
    { name: "a_b", suppress: { "alert-name-camelcase": "pagers match on it" } },
    { name: "c_d", suppress: { "alert-name-camelcase": "   " } },
  ],
};
const pending = (code: string, path: PropertyKey[], severity: "error" | "warning" = "error"): Pending => ({
  diagnostic: { severity, code, message: code },
  anchor: { origin: { value: service, location: { file: "m.ts", line: 1, column: 1 } }, path },
});
const config = (rules: Record<string, string> = {}) => configSchema.parse({ lint: { rules } });
const codes = (list: Pending[]) => list.map((p) => `${p.diagnostic.code}@${p.anchor.path.join(".")}:${p.diagnostic.severity}`);

describe("applyLintPolicy", () => {
  it("gives lint diagnostics the registry's severity and leaves others alone", () => {
    const out = applyLintPolicy([pending("runbook-missing-steps", ["alerts", 1], "warning"), pending("unknown-team", ["team"], "error")], config());
    expect(codes(out)).toEqual([`runbook-missing-steps@alerts.1:${LINT_RULES["runbook-missing-steps"].severity}`, "unknown-team@team:error"]);
  });

  it("applies the config: off drops, warn and error set the severity", () => {
    const out = applyLintPolicy(
      [pending("counter-without-rate", ["alerts", 1, "expr"]), pending("range-too-short", ["alerts", 1, "expr"]), pending("recording-rule-name", ["recordingRules", 0])],
      config({ "counter-without-rate": "error", "range-too-short": "off", "recording-rule-name": "warn" }),
    );
    expect(codes(out)).toEqual(["counter-without-rate@alerts.1.expr:error", "recording-rule-name@recordingRules.0:warning"]);
  });

  it("drops what an object on the path suppresses with a reason, and only that", () => {
    const out = applyLintPolicy(
      [
        pending("alert-name-camelcase", ["alerts", 0, "name"]),
        pending("alert-name-camelcase", ["alerts", 1, "name"]),
        pending("unused-metric", ["metrics", 0]),
        pending("paging-alert-for", ["alerts", 0, "name"]),
      ],
      config(),
    );
    expect(codes(out)).toEqual(["alert-name-camelcase@alerts.1.name:error", "paging-alert-for@alerts.0.name:error"]);
  });

  it("never waives fixed rules, whatever the config or suppressions say", () => {
    const suppressed = { ...service, suppress: { "literal-secret": "test key" } };
    const p: Pending = { diagnostic: { severity: "warning", code: "literal-secret", message: "" }, anchor: { origin: { value: suppressed, location: undefined }, path: ["receivers"] } };
    expect(codes(applyLintPolicy([p], config()))).toEqual(["literal-secret@receivers:error"]);
    expect(() => config({ "literal-secret": "off" })).toThrow();
  });
});

describe("summaryProblem", () => {
  it.each([
    ["Checkout fails more than 1% of requests.", undefined],
    ["5xx responses above 1%.", undefined],
    ["checkout fails.", "capital"],
    ["Checkout fails", "period"],
    ["{{ $labels.job }} is down.", "templated"],
    ["Überlast des Dienstes.", undefined],
    ["Ошибка сервиса.", undefined],
    ["ошибка сервиса.", "capital"],
    ["écriture impossible.", "capital"],
    ["サービスが応答しません。", undefined],
  ])("%s", (summary, problem) => {
    const found = summaryProblem(summary);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});
