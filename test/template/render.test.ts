import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { formatValue, humanize, humanizeDuration, humanizePercentage } from "../../src/template/gofmt.js";
import { renderTemplate } from "../../src/template/render.js";
import { testRules } from "../../src/tools/promtool.js";

// Expected strings were printed by Prometheus 2.42's promtool for the same values.
const SEEN: [number, { plain: string; h: string; hd: string; hp: string; p2: string }][] = [
  [1200, { plain: "1200", h: "1.2k", hd: "20m 0s", hp: "1.2e+05%", p2: "1200.00" }],
  [1000000, { plain: "1e+06", h: "1M", hd: "11d 13h 46m 40s", hp: "1e+08%", p2: "1000000.00" }],
  [0.5, { plain: "0.5", h: "500m", hd: "500ms", hp: "50%", p2: "0.50" }],
  [0.0001234, { plain: "0.0001234", h: "123.4u", hd: "123.4us", hp: "0.01234%", p2: "0.00" }],
  [123456789, { plain: "1.23456789e+08", h: "123.5M", hd: "1428d 21h 33m 9s", hp: "1.235e+10%", p2: "123456789.00" }],
  [1.5, { plain: "1.5", h: "1.5", hd: "1.5s", hp: "150%", p2: "1.50" }],
  [86400, { plain: "86400", h: "86.4k", hd: "1d 0h 0m 0s", hp: "8.64e+06%", p2: "86400.00" }],
  [3, { plain: "3", h: "3", hd: "3s", hp: "300%", p2: "3.00" }],
  [1e-7, { plain: "1e-07", h: "100n", hd: "100ns", hp: "1e-05%", p2: "0.00" }],
  [2500000, { plain: "2.5e+06", h: "2.5M", hd: "28d 22h 26m 40s", hp: "2.5e+08%", p2: "2500000.00" }],
];

describe("Prometheus template functions", () => {
  it.each(SEEN)("print %d as Prometheus does", (value, expected) => {
    expect(formatValue(value)).toBe(expected.plain);
    expect(humanize(value)).toBe(expected.h);
    expect(humanizeDuration(value)).toBe(expected.hd);
    expect(humanizePercentage(value)).toBe(expected.hp);
  });

  it("renders the subset of templates alerts use", () => {
    const data = { labels: { instance: "i1", job: "j" }, value: 1200 };
    expect(renderTemplate("{{ $labels.instance }} {{ $labels.job }}: {{ $value }}", data)).toBe("i1 j: 1200");
    expect(renderTemplate("{{ $value | humanize }} / {{ humanizeDuration $value }} / {{ printf \"%.2f\" $value }}", data)).toBe("1.2k / 20m 0s / 1200.00");
    expect(renderTemplate("{{- $labels.missing -}}!", data)).toBe("!");
  });

  it("rounds exact ties half to even and prints big values in full, as Go does", () => {
    const render = (template: string, value: number) => renderTemplate(template, { labels: {}, value });
    expect(render('{{ printf "%.2f" $value }}', 0.125)).toBe("0.12");
    expect(render('{{ printf "%.0f" $value }}', 2.5)).toBe("2");
    expect(render('{{ printf "%.0f" $value }}', 0.5)).toBe("0");
    expect(render('{{ printf "%.2f" $value }}', 1e21)).toBe("1000000000000000000000.00");
    expect(render("{{ $value | humanize }}", 1.0625)).toBe("1.062");
    expect(render("{{ $value | humanize }}", 1062.5)).toBe("1.062k");
    expect(render("{{ $value | humanizePercentage }}", 1.0625)).toBe("106.2%");
  });

  it("says when it cannot", () => {
    expect(renderTemplate("{{ $value | humanize1024 }}", { labels: {}, value: 1 })).toBeUndefined();
    expect(renderTemplate('{{ with query "up" }}{{ . }}{{ end }}', { labels: {}, value: 1 })).toBeUndefined();
    expect(renderTemplate("{{ $value }}", { labels: {}, value: undefined })).toBeUndefined();
  });
});

/**
 * Every value becomes an alert `vector(<value>)` whose annotations print it with each function
 * Vigil expands; the expected annotations are Vigil's, and the real promtool 2.42 checks them.
 */
describe("agreement with promtool test rules", () => {
  const TEMPLATES: Record<string, string> = {
    plain: "{{ $value }}",
    h: "{{ $value | humanize }}",
    hd: "{{ $value | humanizeDuration }}",
    hp: "{{ $value | humanizePercentage }}",
    p0: '{{ printf "%.0f" $value }}',
    p1: '{{ printf "%.1f" $value }}',
    p2: '{{ printf "%.2f" $value }}',
    p3: '{{ printf "%.3f" $value }}',
    p25: '{{ printf "%.25f" $value }}',
  };
  const VALUES: readonly number[] = [
    // Exact binary ties at the digit Go rounds to.
    0.125, 0.375, -0.125, 2.5, 0.5, 1.5, 3.5, -2.5, -0.5, 0.0625, 1.0625, 1062.5, 0.0010625, 1062500, 1.0625e-9, 0.010625, 10.0625, 12345, 99.5,
    999.5, 9999.5, 0.9995, 2.675, 1.005, 0.45, 8.345,
    // Big and small magnitudes.
    1e21, 1e22, 123456789012345680000, 2 ** 53 + 2, 9.2e18, 2 ** 63, 1e300, 1.7976931348623157e308, -1e21,
    1e-5, 0.000123456, 1e-300, 2.2250738585072014e-308, 5e-324, -5e-324,
    0, -0, 0.1, 0.3, 1 / 3, 2 / 3, 1e10 / 3, 0.1 + 0.2, 59.99, 3599.5, 86399.99,
  ];
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "vigil-template-render-"));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("prints every value as promtool does", async () => {
    // -0 needs its sign written: String(-0) is "0".
    const literal = (v: number) => (Object.is(v, -0) ? "-0" : String(v));
    const rules = VALUES.map((v, i) => ({ alert: `V${i}`, expr: `vector(${literal(v)})`, annotations: TEMPLATES }));
    await writeFile(path.join(dir, "values.rules.yaml"), stringify({ groups: [{ name: "values", rules }] }));
    const expected = VALUES.map((value) =>
      Object.fromEntries(Object.entries(TEMPLATES).map(([key, template]) => [key, renderTemplate(template, { labels: {}, value })!])),
    );
    const tests = VALUES.map((_, i) => ({ eval_time: "1m", alertname: `V${i}`, exp_alerts: [{ exp_labels: {}, exp_annotations: expected[i] }] }));
    const testFile = path.join(dir, "values.test.yaml");
    await writeFile(testFile, stringify({ rule_files: ["values.rules.yaml"], evaluation_interval: "1m", tests: [{ interval: "1m", input_series: [], alert_rule_test: tests }] }));
    const result = await testRules([testFile]);
    expect(result.stdout + result.stderr).toMatch(/SUCCESS/);
    expect(result.code).toBe(0);
  });
});
