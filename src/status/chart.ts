/**
 * The error budget burn-down of one SLO as an inline SVG: budget remaining (100% at the top)
 * across the period, one line per group, with the even-burn diagonal (100% at the start, 0% at
 * the end) a reviewer compares against. Pure string building; coordinates with one decimal, so
 * the same report gives the same bytes.
 */
import { shortTime } from "./format.js";
import type { SloStatus } from "./report.js";
import { parseDuration } from "../model/duration.js";

const WIDTH = 720;
const HEIGHT = 240;
const LEFT = 52;
const RIGHT = 16;
const TOP = 14;
const BOTTOM = 30;
/** Colour-blind-safe line colours (Okabe-Ito), in group order. */
export const PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"];

export const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const n = (v: number) => (Math.round(v * 10) / 10).toFixed(1);

export function burnDownSvg(slo: SloStatus, at: number): string {
  const start = at - parseDuration(slo.period)! / 1000;
  const values = slo.groups.flatMap((g) => g.burnDown.map((p) => p.remaining));
  const tickOf = (span: number) => [0.25, 0.5, 1, 2, 5, 10, 25, 50, 100].find((t) => span / t <= 8) ?? span / 4;
  // The scale always shows 0% to 100%, and widens to whole grid steps for overspent budgets.
  const tick = tickOf(Math.max(1, Math.max(...values, 1) - Math.min(...values, 0)));
  const yMin = Math.min(0, Math.floor(Math.min(...values, 0) / tick) * tick);
  const yMax = Math.max(1, Math.ceil(Math.max(...values, 1) / tick) * tick);
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const x = (t: number) => LEFT + ((t - start) / (at - start)) * plotW;
  const y = (v: number) => TOP + ((yMax - v) / (yMax - yMin)) * plotH;
  const title = `Error budget burn-down of ${slo.service}/${slo.name} over ${slo.period}`;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="burndown" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="${LEFT}" y="${TOP}" width="${plotW}" height="${plotH}" fill="#ffffff" stroke="#d0d7de"/>`,
  ];
  // Horizontal grid: at most 8 lines, 0% emphasised since below it the budget is overspent.
  for (let i = 0; yMin + i * tick <= yMax + 1e-9; i++) {
    const v = yMin + i * tick;
    const zero = Math.abs(v) < 1e-9;
    parts.push(`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${n(y(v))}" y2="${n(y(v))}" stroke="${zero ? "#cf222e" : "#eaeef2"}" stroke-width="${zero ? 1.5 : 1}"/>`);
    parts.push(`<text x="${LEFT - 6}" y="${n(y(v) + 4)}" text-anchor="end" font-size="11" fill="#57606a">${Math.round(v * 100)}%</text>`);
  }
  for (let i = 0; i <= 4; i++) {
    const t = start + ((at - start) * i) / 4;
    const anchor = i === 0 ? "start" : i === 4 ? "end" : "middle";
    parts.push(`<text x="${n(x(t))}" y="${HEIGHT - 10}" text-anchor="${anchor}" font-size="11" fill="#57606a">${escapeXml(shortTime(t))}</text>`);
  }
  parts.push(`<line class="even-burn" x1="${n(x(start))}" y1="${n(y(1))}" x2="${n(x(at))}" y2="${n(y(0))}" stroke="#8c959f" stroke-width="1" stroke-dasharray="5 4"/>`);

  const drawn = slo.groups.filter((g) => g.burnDown.length > 0);
  drawn.forEach((g, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    const line = g.burnDown.map((p, j) => `${j === 0 ? "M" : "L"}${n(x(p.t))} ${n(y(p.remaining))}`).join(" ");
    if (drawn.length === 1) {
      // One group: shade what is left, so the page reads at a glance.
      const first = g.burnDown[0]!;
      const last = g.burnDown[g.burnDown.length - 1]!;
      parts.push(`<path d="${line} L${n(x(last.t))} ${n(y(yMin))} L${n(x(first.t))} ${n(y(yMin))} Z" fill="${color}" fill-opacity="0.15" stroke="none"/>`);
    }
    parts.push(`<path class="series" d="${line}" fill="none" stroke="${color}" stroke-width="2"/>`);
  });
  if (drawn.length === 0) {
    parts.push(`<text x="${n(LEFT + plotW / 2)}" y="${n(TOP + plotH / 2)}" text-anchor="middle" font-size="14" fill="#57606a">no data over this period</text>`);
  }
  parts.push("</svg>");
  return parts.join("\n");
}
