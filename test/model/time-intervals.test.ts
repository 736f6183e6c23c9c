import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { timeRangeSchema, type TimeRange } from "../../src/model/routing.js";
import { schemaProblems } from "../../src/validate/issues.js";
import { timeRangeYaml } from "../../src/emit/alertmanager.js";

/**
 * Alertmanager refuses a config whose time intervals it cannot read (timeinterval.go): Vigil
 * must refuse the same ones, at the property, instead of writing a config amtool rejects.
 */

interface Case {
  range: TimeRange;
  /** Whether Vigil and Alertmanager 0.25 accept it. */
  ok: boolean;
}

const ACCEPTED: TimeRange[] = [
  { location: "Europe/Berlin" },
  { location: "UTC" },
  { location: "Local" },
  { location: "Etc/UTC" },
  { location: "US/Eastern" },
  { location: "Asia/Calcutta" },
  { weekdays: ["monday:friday", "sunday", "Saturday"] },
  { months: ["december", "1:3", "March:may", "12"] },
  { daysOfMonth: ["1", "31", "-31", "-1", "1:7", "-7:-1", "5:-1", "25:-3"] },
  { years: ["2026", "2026:2030"] },
  { times: [{ start: "00:00", end: "24:00" }, { start: "09:00", end: "17:30" }, { start: "23:59", end: "24:00" }] },
];

const REFUSED: { range: TimeRange; path: PropertyKey[]; code: string; message: RegExp }[] = [
  { range: { location: "Europe/Berln" }, path: ["location"], code: "unknown-time-zone", message: /unknown time zone "Europe\/Berln"/ },
  { range: { location: "europe/berlin" }, path: ["location"], code: "unknown-time-zone", message: /unknown time zone "europe\/berlin"/ },
  { range: { location: "utc" }, path: ["location"], code: "unknown-time-zone", message: /unknown time zone/ },
  { range: { location: "+01:00" }, path: ["location"], code: "unknown-time-zone", message: /unknown time zone/ },
  { range: { times: [{ start: "17:00", end: "09:00" }] }, path: ["times", 0, "end"], code: "invalid-time-interval", message: /end 09:00 is not after start 17:00/ },
  { range: { times: [{ start: "09:00", end: "09:00" }] }, path: ["times", 0, "end"], code: "invalid-time-interval", message: /not after/ },
  { range: { times: [{ start: "24:00", end: "24:00" }] }, path: ["times", 0, "end"], code: "invalid-time-interval", message: /not after/ },
  { range: { times: [{ start: "25:99", end: "23:00" }] }, path: ["times", 0, "start"], code: "invalid-time-interval", message: /"25:99" is not a time of day/ },
  { range: { times: [{ start: "09:60", end: "10:00" }] }, path: ["times", 0, "start"], code: "invalid-time-interval", message: /"09:60" is not a time of day/ },
  { range: { times: [{ start: "00:00", end: "24:01" }] }, path: ["times", 0, "end"], code: "invalid-time-interval", message: /"24:01"/ },
  { range: { weekdays: ["monday", "funday"] }, path: ["weekdays", 1], code: "invalid-time-interval", message: /"funday" is not a weekday/ },
  { range: { weekdays: ["friday:monday"] }, path: ["weekdays", 0], code: "invalid-time-interval", message: /ends before it starts/ },
  { range: { weekdays: ["monday:tuesday:friday"] }, path: ["weekdays", 0], code: "invalid-time-interval", message: /not a weekday or a range/ },
  { range: { weekdays: ["monday:"] }, path: ["weekdays", 0], code: "invalid-time-interval", message: /"" is not a weekday/ },
  { range: { months: ["decembre"] }, path: ["months", 0], code: "invalid-time-interval", message: /"decembre" is not a month/ },
  { range: { months: ["march:1"] }, path: ["months", 0], code: "invalid-time-interval", message: /ends before it starts/ },
  { range: { daysOfMonth: ["0"] }, path: ["daysOfMonth", 0], code: "invalid-time-interval", message: /"0" is not a day of the month/ },
  { range: { daysOfMonth: ["32"] }, path: ["daysOfMonth", 0], code: "invalid-time-interval", message: /"32"/ },
  { range: { daysOfMonth: ["-32"] }, path: ["daysOfMonth", 0], code: "invalid-time-interval", message: /"-32"/ },
  { range: { daysOfMonth: ["x"] }, path: ["daysOfMonth", 0], code: "invalid-time-interval", message: /"x"/ },
  { range: { daysOfMonth: ["-1:5"] }, path: ["daysOfMonth", 0], code: "invalid-time-interval", message: /ends before it starts/ },
  { range: { daysOfMonth: ["30:-1"] }, path: ["daysOfMonth", 0], code: "invalid-time-interval", message: /ends before it starts/ },
  { range: { daysOfMonth: ["-1:-5"] }, path: ["daysOfMonth", 0], code: "invalid-time-interval", message: /ends before it starts/ },
  { range: { daysOfMonth: ["5:1"] }, path: ["daysOfMonth", 0], code: "invalid-time-interval", message: /ends before it starts/ },
  { range: { years: ["2027:2026"] }, path: ["years", 0], code: "invalid-time-interval", message: /ends before it starts/ },
  { range: { years: ["abc"] }, path: ["years", 0], code: "invalid-time-interval", message: /"abc" is not a year/ },
];

/**
 * Refused by Vigil although Alertmanager loads them: months outside 1-12 and negative years never
 * match a date, "+3" is a typo, and an empty location (Go's UTC) is better left out.
 */
const STRICTER: TimeRange[] = [{ months: ["13"] }, { months: ["0"] }, { months: ["+3"] }, { years: ["-5"] }, { location: "" }];

const problemsOf = (range: unknown) => {
  const result = timeRangeSchema.safeParse(range);
  return result.success ? [] : schemaProblems(result.error.issues);
};

describe("time interval schema", () => {
  it.each(ACCEPTED)("accepts %j", (range) => {
    expect(problemsOf(range)).toEqual([]);
  });

  it.each(REFUSED)("refuses $range at $path", ({ range, path, code, message }) => {
    const problems = problemsOf(range);
    expect(problems.map((p) => ({ code: p.code, path: p.path }))).toEqual([{ code, path }]);
    expect(problems[0]!.message).toMatch(message);
    expect(problems[0]!.hint).toBeTruthy();
  });

  it.each(STRICTER)("refuses %j, which Alertmanager would load but is a mistake", (range) => {
    expect(problemsOf(range)).toHaveLength(1);
  });

  it("tells how to split a range over midnight and suggests the right case of a zone", () => {
    expect(problemsOf({ times: [{ start: "22:00", end: "06:00" }] })[0]!.hint).toContain('[{ start: "22:00", end: "24:00" }, { start: "00:00", end: "06:00" }]');
    expect(problemsOf({ location: "europe/berlin" })[0]!.hint).toContain('did you mean "Europe/Berlin"?');
  });
});

const execFileAsync = promisify(execFile);

/** The YAML Alertmanager reads, as the emitter writes it; an empty location kept (the emitter drops it) to show what amtool makes of it. */
const rangeYaml = (range: TimeRange): Record<string, unknown> => ({ ...timeRangeYaml(range), ...(range.location === "" && { location: "" }) });

describe("time intervals against the real amtool check-config", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "vigil-intervals-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const amtoolAccepts = async (range: TimeRange, i: number): Promise<boolean> => {
    const file = path.join(dir, `am-${i}.yaml`);
    const config = { route: { receiver: "d", routes: [{ receiver: "d", mute_time_intervals: ["t"] }] }, receivers: [{ name: "d" }], time_intervals: [{ name: "t", time_intervals: [rangeYaml(range)] }] };
    await writeFile(file, stringify(config));
    try {
      await execFileAsync("amtool", ["check-config", file]);
      return true;
    } catch {
      return false;
    }
  };

  it("refuses exactly what Vigil refuses, and accepts what Vigil accepts", async () => {
    const cases: Case[] = [...ACCEPTED.map((range) => ({ range, ok: true })), ...REFUSED.map(({ range }) => ({ range, ok: false }))];
    const verdicts = await Promise.all(cases.map(async ({ range }, i) => ({ range, vigil: problemsOf(range).length === 0, amtool: await amtoolAccepts(range, i) })));
    expect(verdicts.filter((v) => v.vigil !== v.amtool)).toEqual([]);
    expect(verdicts.map((v) => v.vigil)).toEqual(cases.map((c) => c.ok));
  });

  it("loads the ranges Vigil refuses as mistakes (so Vigil is stricter there, on purpose)", async () => {
    const verdicts = await Promise.all(STRICTER.map((range, i) => amtoolAccepts(range, 1000 + i)));
    expect(verdicts).toEqual(STRICTER.map(() => true));
  });
});
