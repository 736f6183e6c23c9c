import { describe, expect, it } from "vitest";
import { crosses, splitComparison } from "../../src/tune/threshold.js";

describe("splitComparison: the measured side and the threshold of an alert expression", () => {
  it("reads `<expr> > number`, keeping the left-hand side as written", () => {
    expect(splitComparison('sum(rate(errors_total{job="api"}[5m])) / sum(rate(requests_total[5m])) > 0.05')).toEqual({
      lhs: 'sum(rate(errors_total{job="api"}[5m])) / sum(rate(requests_total[5m]))',
      op: ">",
      threshold: 0.05,
    });
  });

  it("flips `number < <expr>` and reads signs and parentheses", () => {
    expect(splitComparison("(0.999) > avg_over_time(up[5m])")).toEqual({ lhs: "avg_over_time(up[5m])", op: "<", threshold: 0.999 });
    expect(splitComparison("(temperature <= -(5))")).toEqual({ lhs: "temperature", op: "<=", threshold: -5 });
  });

  it("refuses what is not one comparison with a number", () => {
    expect(splitComparison("a > 1 and b > 2")).toHaveProperty("error");
    expect(splitComparison("a > bool 1")).toHaveProperty("error");
    expect(splitComparison("a > b")).toHaveProperty("error");
    expect(splitComparison("a == 1")).toHaveProperty("error");
    expect(splitComparison("a >")).toHaveProperty("error");
  });

  it("crosses filters as the comparison does", () => {
    expect([crosses(5, ">", 5), crosses(5, ">=", 5), crosses(4, "<", 5), crosses(5, "<=", 5), crosses(6, "<", 5)]).toEqual([false, true, true, true, false]);
  });
});
