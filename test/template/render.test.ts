import { describe, expect, it } from "vitest";
import { formatValue, humanize, humanizeDuration, humanizePercentage } from "../../src/template/gofmt.js";
import { renderTemplate } from "../../src/template/render.js";

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

  it("says when it cannot", () => {
    expect(renderTemplate("{{ $value | humanize1024 }}", { labels: {}, value: 1 })).toBeUndefined();
    expect(renderTemplate('{{ with query "up" }}{{ . }}{{ end }}', { labels: {}, value: 1 })).toBeUndefined();
    expect(renderTemplate("{{ $value }}", { labels: {}, value: undefined })).toBeUndefined();
  });
});
