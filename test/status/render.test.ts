import { describe, expect, it } from "vitest";
import { burnDownSvg } from "../../src/status/chart.js";
import { agoText, budgetShareText, sliText, verdict } from "../../src/status/format.js";
import { renderStatus } from "../../src/status/render.js";
import type { StatusReport } from "../../src/status/report.js";
import { AT, REPORT } from "./fixture.js";

/**
 * The four renderers on one fixed report. The golden files under golden/ are the whole output,
 * reviewed by eye; the assertions below pin what must hold whatever the layout.
 */
describe("status renderers on a fixed report", () => {
  it("text", async () => {
    const text = renderStatus(REPORT, "text");
    await expect(text).toMatchFileSnapshot("golden/status.txt");
    expect(text).toMatch(/^ {4}all +OK +SLI 99\.70% +budget left 40\.0% +burn 5m 0\.60x {2}1h 0\.60x {2}6h 0\.60x$/m);
    expect(text).toMatch(/^ {4}\{route="\/pay"\} +EXHAUSTED +SLI 99\.50% +budget left -400\.0%/m);
    expect(text).toMatch(/^ {4}\{route="\/list"\} +NO DATA +SLI no data/m);
    expect(text).toContain("5 alerts: 1 firing, 1 pending, 2 inactive, 1 not loaded");
    expect(text).toMatch(/^ {2}ApiRoutesErrorBudgetBurn +api +page +firing +3h 10m$/m);
    expect(text).toContain("Watchdog (not from Vigil)");
    expect(text).toContain("ApiBrokenRule (api): rule error: many-to-many matching not allowed");
    expect(text).toContain("answered HTTP 422: query timed out");
  });

  it("markdown", async () => {
    const markdown = renderStatus(REPORT, "markdown");
    await expect(markdown).toMatchFileSnapshot("golden/status.md");
    expect(markdown).toContain("| api/availability | shop | 99.5% / 7d | 99.70% | 40.0% | 5m 0.60x, 1h 0.60x, 6h 0.60x | ok |");
    // Alerts needing attention in plain sight, all of them folded.
    const [open, folded] = markdown.split("<details>");
    expect(open).toContain("| ApiSlowQueries | api | ticket | not-loaded | - |");
    expect(open).not.toContain("ApiAvailabilityErrorBudgetBurn | api | page | inactive");
    expect(folded).toContain("| ApiAvailabilityErrorBudgetBurn | api | page | inactive | - |");
    // Every table row has as many cells as its header.
    for (const table of markdown.split(/\n\n/).filter((b) => b.startsWith("| "))) {
      const widths = table.split("\n").map((row) => row.replace(/\\\|/g, "").split("|").length);
      expect(new Set(widths).size).toBe(1);
    }
  });

  it("json: the report itself, keys sorted", async () => {
    const json = renderStatus(REPORT, "json");
    await expect(json).toMatchFileSnapshot("golden/status.json");
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(REPORT)));
    expect(json.indexOf('"alerts"')).toBeLessThan(json.indexOf('"at"'));
  });

  it("html: one self-contained page with a chart per SLO", async () => {
    const html = renderStatus(REPORT, "html");
    await expect(html).toMatchFileSnapshot("golden/status.html");
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('<article class="slo" id="slo-api-availability">');
    expect(html).toContain('<span class="badge v-exhausted">exhausted</span>');
    expect(html).toContain('<span class="badge s-not-loaded">not-loaded</span>');
  });

  it("escapes what comes from Prometheus or the monitors in HTML", () => {
    const hostile: StatusReport = { ...REPORT, firing: [{ name: "<script>alert(1)</script>", labels: { a: '"><img src=x>' }, vigil: false }], problems: ["<b>bad</b>"] };
    const html = renderStatus(hostile, "html");
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img src=x>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&lt;b&gt;bad&lt;/b&gt;");
  });

  it("gives the same bytes for the same report", () => {
    for (const format of ["text", "markdown", "json", "html"] as const) expect(renderStatus(structuredClone(REPORT), format)).toBe(renderStatus(REPORT, format));
  });
});

describe("burn-down chart", () => {
  const [availability, routes] = REPORT.slos as [StatusReport["slos"][0], StatusReport["slos"][0]];

  it("plots 100% to 0% for a budget within bounds, with the even-burn diagonal from corner to corner", () => {
    const svg = burnDownSvg(availability, AT);
    // Plot area x 52..704, y 14..210: the diagonal joins (start, 100%) and (end, 0%).
    expect(svg).toContain('<line class="even-burn" x1="52.0" y1="14.0" x2="704.0" y2="210.0"');
    expect([...svg.matchAll(/>(-?\d+)%</g)].map((m) => m[1])).toEqual(["0", "25", "50", "75", "100"]);
    // The last point: the end of the period at 40% left.
    expect(svg).toMatch(/L704\.0 131\.6" fill="none"/);
  });

  it("widens the scale below zero for an overspent budget and draws one line per group with data", () => {
    const svg = burnDownSvg(routes, AT);
    expect([...svg.matchAll(/>(-?\d+)%</g)].map((m) => m[1])).toEqual(["-400", "-300", "-200", "-100", "0", "100"]);
    expect(svg.match(/<path class="series"/g)).toHaveLength(1);
    expect(svg).toContain('stroke="#cf222e" stroke-width="1.5"');
  });

  it("says so when there is no data", () => {
    const svg = burnDownSvg({ ...availability, groups: [{ ...availability.groups[0]!, burnDown: [] }] }, AT);
    expect(svg).toContain("no data over this period");
    expect(svg).not.toContain('class="series"');
  });
});

describe("status wording", () => {
  it("shows SLIs to one decimal more than the objective, budgets exactly, durations coarsely", () => {
    expect(sliText(0.99953, 99.9)).toBe("99.95%");
    expect(sliText(0.9999512, 99.995)).toBe("99.9951%");
    expect(sliText(undefined, 99.9)).toBe("no data");
    expect(budgetShareText(0.0005)).toBe("0.05%");
    expect(budgetShareText(0.001)).toBe("0.1%");
    expect(agoText(AT - 90_061, AT)).toBe("1d 1h");
    expect(agoText(AT - 59, AT)).toBe("59s");
  });

  it("judges an SLO group: exhausted over burning over ok; no data without series", () => {
    const [availability, routes] = REPORT.slos as [StatusReport["slos"][0], StatusReport["slos"][0]];
    const [list, pay] = routes.groups as [StatusReport["slos"][0]["groups"][0], StatusReport["slos"][0]["groups"][0]];
    expect(verdict(availability, availability.groups[0]!, REPORT)).toBe("ok");
    expect(verdict(routes, pay, REPORT)).toBe("exhausted");
    expect(verdict(routes, list, REPORT)).toBe("no data");
    expect(verdict(routes, { ...pay, budgetRemaining: 0.2 }, REPORT)).toBe("burning");
    expect(verdict(routes, { ...pay, labels: { route: "/other" }, budgetRemaining: 0.2 }, REPORT)).toBe("ok");
  });
});
