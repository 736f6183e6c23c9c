import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { runProcess } from "./processes.js";

/**
 * Backfilling history into a TSDB directory with `promtool tsdb create-blocks-from openmetrics`,
 * so that a freshly started Prometheus evaluates rules over hours of data at once.
 *
 * What promtool 2.42 accepts (checked on this machine):
 * - Timestamps are Unix *seconds*, decimals allowed (`1700000000.250`). Millisecond integers
 *   are read as seconds too and silently land ~50,000 years in the future.
 * - Every sample needs a timestamp; the file must end with `# EOF`.
 * - `# TYPE name counter` then samples `name_total{...}`; a counter sample without `_total`
 *   is accepted but stored under the bare name, so this module always writes `_total`.
 * - Within a series, samples must ascend in time: an older sample after a newer one is
 *   dropped silently.
 *
 * What Prometheus 2.42 does with the blocks (checked on this machine):
 * - Blocks must be in the data directory *before* Prometheus starts; they are queryable at
 *   once, and range queries up to "now" see them (there is no head data yet to overlap).
 * - On start the head refuses samples older than the newest block's max time ("out of
 *   bounds"): blocks reaching into the future make every scrape, ALERTS series and recording
 *   rule write fail until that time passes. So backfilled data must end at or before now;
 *   backfill() refuses a future `end`.
 * - Data older than the retention (15d by default) is deleted on start; pass
 *   `--storage.tsdb.retention.time` through startPrometheus's extraArgs for older history.
 * - Alert `for:` state is not derived from history: a rule with `for: 10m` still waits 10m of
 *   evaluations after start, however long the backfilled condition held.
 */

export interface BackfillSeries {
  /** Metric name. For counters, with or without `_total`; samples are written as `<name>_total`. */
  name: string;
  type: "counter" | "gauge";
  help?: string;
  labels?: Record<string, string>;
  /** First sample time, Unix seconds (samples are laid out backwards from `end`, so the first may be later). */
  start: number;
  /**
   * Last sample time, Unix seconds; default: now, truncated to whole seconds (promtool reads
   * timestamps as int64(seconds * 1000), so fractional seconds may lose a millisecond).
   * Must not be in the future (see above).
   */
  end?: number;
  /** Seconds between samples, like a scrape interval. */
  stepSeconds: number;
  /** The value at Unix time `t` (seconds). For a counter with rate r: `(t) => r * (t - start)`. */
  value(t: number): number;
}

export interface BackfillResult {
  /** Samples written. */
  samples: number;
  /** Earliest and latest sample time over all series, Unix seconds. */
  minTime: number;
  maxTime: number;
  /** promtool's report of the blocks it created. */
  output: string;
}

/** Unix seconds `seconds` ago: readable start/end values, e.g. `secondsAgo(2 * 3600)`. */
export function secondsAgo(seconds: number, now = Date.now()): number {
  return Math.floor(now / 1000) - seconds;
}

/**
 * Write `series` as OpenMetrics and turn it into TSDB blocks in `dataDir` with promtool.
 * Call it before startPrometheus({ dataDir }); several calls add more blocks (overlapping
 * blocks are merged at query time by Prometheus 2.39+).
 */
export async function backfill(dataDir: string, series: readonly BackfillSeries[]): Promise<BackfillResult> {
  const rendered = renderOpenMetrics(series);
  const work = await mkdtemp(path.join(tmpdir(), "vigil-e2e-backfill-"));
  try {
    const file = path.join(work, "series.om.txt");
    await writeFile(file, rendered.text);
    await mkdir(dataDir, { recursive: true });
    const run = await runProcess("promtool", ["tsdb", "create-blocks-from", "openmetrics", file, path.resolve(dataDir)]);
    if (run.code !== 0) {
      throw new Error(`promtool tsdb create-blocks-from openmetrics failed (exit ${run.code}):\n${run.stdout}${run.stderr}\nfirst lines of input:\n${rendered.text.split("\n").slice(0, 10).join("\n")}`);
    }
    return { samples: rendered.samples, minTime: rendered.minTime, maxTime: rendered.maxTime, output: run.stdout + run.stderr };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * The OpenMetrics text for `series`: one `# TYPE` (and `# HELP`) per metric family, every
 * family's series together, samples ascending, `# EOF` last. Exported so tests can see it.
 */
export function renderOpenMetrics(series: readonly BackfillSeries[], now = Date.now()): { text: string; samples: number; minTime: number; maxTime: number } {
  const families = new Map<string, { type: BackfillSeries["type"]; help?: string; series: BackfillSeries[] }>();
  for (const s of series) {
    validate(s, now);
    const family = familyName(s);
    const existing = families.get(family);
    if (existing && existing.type !== s.type) throw new Error(`backfill: ${family} is both ${existing.type} and ${s.type}`);
    if (existing) existing.series.push(s);
    else families.set(family, { type: s.type, help: s.help, series: [s] });
  }
  const lines: string[] = [];
  let samples = 0;
  let minTime = Infinity;
  let maxTime = -Infinity;
  for (const [family, { type, help, series: members }] of families) {
    if (help !== undefined) lines.push(`# HELP ${family} ${escapeHelp(help)}`);
    lines.push(`# TYPE ${family} ${type}`);
    for (const s of members) {
      const sampleName = type === "counter" ? `${family}_total` : family;
      const labelText = formatLabels(s.labels ?? {});
      for (const t of sampleTimes(s, now)) {
        lines.push(`${sampleName}${labelText} ${formatValue(s.value(t))} ${t.toFixed(3)}`);
        samples++;
        minTime = Math.min(minTime, t);
        maxTime = Math.max(maxTime, t);
      }
    }
  }
  lines.push("# EOF");
  return { text: `${lines.join("\n")}\n`, samples, minTime, maxTime };
}

/**
 * Sample times from `end` back to `start`, step by step, then ascending.
 * Why backwards: the newest sample lands exactly on `end` (normally "now"), so rate() over
 * the last minutes sees data right up to the evaluation time whatever the step.
 */
function sampleTimes(s: BackfillSeries, now: number): number[] {
  const end = s.end ?? Math.floor(now / 1000);
  const times: number[] = [];
  for (let i = 0; ; i++) {
    const t = Math.round((end - i * s.stepSeconds) * 1000) / 1000;
    if (t < s.start) break;
    times.push(t);
  }
  return times.reverse();
}

function familyName(s: BackfillSeries): string {
  return s.type === "counter" ? s.name.replace(/_total$/, "") : s.name;
}

function validate(s: BackfillSeries, now: number): void {
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(s.name)) throw new Error(`backfill: invalid metric name ${JSON.stringify(s.name)}`);
  for (const label of Object.keys(s.labels ?? {})) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(label) || label.startsWith("__")) throw new Error(`backfill: ${s.name}: invalid label name ${JSON.stringify(label)}`);
  }
  if (!(s.stepSeconds > 0)) throw new Error(`backfill: ${s.name}: stepSeconds must be > 0`);
  const end = s.end ?? Math.floor(now / 1000);
  if (end > now / 1000) {
    throw new Error(`backfill: ${s.name}: end ${end} is in the future; Prometheus would then reject every newer sample as out of bounds until that time`);
  }
  if (s.start > end) throw new Error(`backfill: ${s.name}: start ${s.start} is after end ${end}`);
}

function formatLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return "";
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`).join(",")}}`;
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}
