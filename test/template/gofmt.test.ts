import { describe, expect, it } from "vitest";
import { formatFixed, formatG, humanizePercentage } from "../../src/template/gofmt.js";

/** Expected strings are what Go's strconv.FormatFloat(v, 'g', 4, 64) and fmt print. */
describe("Go number formatting", () => {
  it("formats %.4g as Go does", () => {
    const cases: [number, string][] = [
      [1484, "1484"], [-1484, "-1484"], [1.584, "1.584"], [12.5, "12.5"], [100, "100"], [0.01584, "0.01584"],
      [1e-5, "1e-05"], [123456, "1.235e+05"], [0.00012345, "0.0001234"], [99.99999, "100"], [0, "0"], [10000, "1e+04"],
    ];
    for (const [value, text] of cases) expect(formatG(value, 4), String(value)).toBe(text);
  });

  it("humanizes percentages like Prometheus", () => {
    expect(humanizePercentage(0.01584)).toBe("1.584%");
    expect(humanizePercentage(-14.84)).toBe("-1484%");
    expect(humanizePercentage(0.5)).toBe("50%");
  });

  it("prints %.1f", () => {
    expect(formatFixed(15.84, 1)).toBe("15.8");
    expect(formatFixed(6.6, 1)).toBe("6.6");
  });
});
