import { afterAll, describe, expect, it } from "vitest";
import { at } from "../helpers/position.js";
import { runCli } from "../helpers/cli.js";
import { compile } from "../helpers/vigil.js";
import { BASE_FILES, makeProject, removeProject } from "../helpers/project.js";

/**
 * Mistakes that compiled without a word: an SLO objective whose tiers can never fire, time
 * intervals Alertmanager refuses, a misspelt severity in `timing`. Each is an error at the
 * property, and nothing is written.
 */

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeProject)));

interface Found {
  code: string;
  message: string;
  hint?: string;
  file?: string;
  line?: number;
  column?: number;
}

async function errorsOf(files: Record<string, string>): Promise<Found[]> {
  const dir = await makeProject({ ...BASE_FILES, ...files });
  dirs.push(dir);
  const result = await compile({ cwd: dir });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) expect(result.files ?? []).toEqual([]);
  return errors.map((d) => ({ code: d.code, message: d.message, ...(d.hint && { hint: d.hint }), ...d.location }));
}

const sloService = (slos: string) => `import { counter, defineService } from "vigil";
import { payments } from "./teams";
const requests = counter("http_requests_total", { labels: ["service", "code"] });
const RATIO = { errors: requests.where({ code: /5../ }), total: requests.where({}) };
export default defineService({
  name: "checkout",
  team: payments,
  metrics: [requests],
  slos: [${slos}],
});
`;

describe("an SLO tier whose threshold an error ratio cannot reach", () => {
  it("is reported at the objective for the Workbook's tiers (objective 50)", async () => {
    const file = sloService(`{ name: "half", objective: 50, period: "30d", sli: RATIO }`);
    const errors = await errorsOf({ "monitors/checkout.ts": file });
    expect(errors).toEqual([
      {
        code: "slo-threshold-unreachable",
        message: "the page tier 1h/5m burns 14.4x a 50% budget: an error ratio above 7.2 would be needed, and an error ratio is at most 1, so it can never fire (nor can 2 more tiers)",
        hint: "objective is a percentage (99.9 means 99.9%); lower the burn rate (budgetConsumed, or a longer long window) or raise the objective above 93.05556",
        ...at("monitors/checkout.ts", file, "50, period"),
      },
    ]);
  });

  it("is reported for 0.9 written for 90%", async () => {
    const file = sloService(`{ name: "ninety", objective: 0.9, sli: RATIO }`);
    const errors = await errorsOf({ "monitors/checkout.ts": file });
    expect(errors.map((e) => ({ code: e.code, file: e.file, line: e.line, column: e.column }))).toEqual([{ code: "slo-threshold-unreachable", ...at("monitors/checkout.ts", file, "0.9, sli") }]);
    expect(errors[0]!.message).toContain("burns 14.4x a 99.1% budget: an error ratio above 14.2704 would be needed");
  });

  it("is reported at each declared tier that cannot fire, and not at one that can", async () => {
    const file = sloService(
      `{ name: "availability", objective: 99, sli: RATIO, alerting: { tiers: [{ severity: "page", long: "1h", short: "5m", budgetConsumed: 20 }, { severity: "ticket", long: "1d", short: "2h", budgetConsumed: 10 }] } }`,
    );
    const errors = await errorsOf({ "monitors/checkout.ts": file });
    // 20% of a 30d budget in 1h is a burn rate of 144: 144 * 0.01 = 1.44.
    expect(errors.map((e) => ({ code: e.code, file: e.file, line: e.line, column: e.column }))).toEqual([{ code: "slo-threshold-unreachable", ...at("monitors/checkout.ts", file, '{ severity: "page", long: "1h"') }]);
    expect(errors[0]!.message).toBe("the page tier 1h/5m burns 144x a 1% budget: an error ratio above 1.44 would be needed, and an error ratio is at most 1, so it can never fire");
  });

  it("is reported at the SLO's objective for the config's tiers", async () => {
    const config = `import { defineConfig } from "vigil";
export default defineConfig({ monitors: "monitors/**/*.ts", slo: { tiers: [{ severity: "page", long: "1h", short: "5m", budgetConsumed: 5 }] } });
`;
    const file = sloService(`{ name: "availability", objective: 90, sli: RATIO }`);
    const errors = await errorsOf({ "vigil.config.ts": config, "monitors/checkout.ts": file });
    // 5% in 1h of 30d: 36 * 0.1 = 3.6.
    expect(errors.map((e) => ({ code: e.code, file: e.file, line: e.line, column: e.column }))).toEqual([{ code: "slo-threshold-unreachable", ...at("monitors/checkout.ts", file, "90, sli") }]);
  });

  it("accepts the lowest objective whose page tier can still fire", async () => {
    // 14.4 * (1 - 0.931) = 0.9936 < 1.
    const file = sloService(`{ name: "low", objective: 93.1, sli: RATIO }`);
    expect(await errorsOf({ "monitors/checkout.ts": file })).toEqual([]);
  });

  it("fails vigil lint and vigil check too, and writes nothing", async () => {
    const file = sloService(`{ name: "half", objective: 50, sli: RATIO }`);
    const dir = await makeProject({ ...BASE_FILES, "monitors/checkout.ts": file });
    dirs.push(dir);
    for (const command of [["lint"], ["check", "--no-typecheck"], ["compile"]]) {
      const result = await runCli(command, dir);
      expect(result.code, command.join(" ")).toBe(1);
      expect(result.stdout + result.stderr, command.join(" ")).toContain("slo-threshold-unreachable");
    }
    const { readdir } = await import("node:fs/promises");
    expect(await readdir(dir)).not.toContain("generated");
  });
});

describe("time intervals Alertmanager refuses", () => {
  it("are reported at the property in the config", async () => {
    const config = `import { defineConfig } from "vigil";
export default defineConfig({
  monitors: "monitors/**/*.ts",
  alertmanager: {
    timeIntervals: {
      "business-hours": [{ weekdays: ["monday:friday"], times: [{ start: "09:00", end: "25:99" }], location: "Europe/Berln" }],
      "night": [{ times: [{ start: "17:00", end: "09:00" }], weekdays: ["funday"], months: ["decembre"] }],
    },
  },
});
`;
    const errors = await errorsOf({ "vigil.config.ts": config });
    const where = (e: Found) => ({ code: e.code, file: e.file, line: e.line, column: e.column });
    expect(errors.map(where)).toEqual(
      expect.arrayContaining([
        { code: "invalid-time-interval", ...at("vigil.config.ts", config, '"25:99"') },
        { code: "unknown-time-zone", ...at("vigil.config.ts", config, '"Europe/Berln"') },
        { code: "invalid-time-interval", ...at("vigil.config.ts", config, '"09:00" }], weekdays') },
        { code: "invalid-time-interval", ...at("vigil.config.ts", config, '"funday"') },
        { code: "invalid-time-interval", ...at("vigil.config.ts", config, '"decembre"') },
      ]),
    );
    expect(errors).toHaveLength(5);
    expect(errors.find((e) => e.code === "unknown-time-zone")!.message).toBe('unknown time zone "Europe/Berln": Alertmanager would refuse the config');
  });
});

describe("a misspelt severity in timing", () => {
  it("is unknown-severity at the key, in a team", async () => {
    const team = `import { defineTeam } from "vigil";
export const payments = defineTeam({
  name: "payments",
  receivers: { page: { webhook: { url: "http://127.0.0.1:9/hook" } } },
  timing: { page: { repeatInterval: "30m" }, tiket: { repeatInterval: "1d", groupWait: "1m" } },
});
`;
    const errors = await errorsOf({ "monitors/teams.ts": team });
    expect(errors).toEqual([
      {
        code: "unknown-severity",
        message: 'timing names unknown severity "tiket", so it applies to no alert',
        hint: 'did you mean "ticket"? use a configured severity ("info", "page", "ticket")',
        ...at("monitors/teams.ts", team, "tiket"),
      },
    ]);
  });

  it("is unknown-severity at the key, in the config's alertmanager.timing", async () => {
    const config = `import { defineConfig } from "vigil";
export default defineConfig({ monitors: "monitors/**/*.ts", alertmanager: { timing: { pge: { repeatInterval: "1h" } } } });
`;
    const errors = await errorsOf({ "vigil.config.ts": config });
    expect(errors.map((e) => ({ code: e.code, file: e.file, line: e.line, column: e.column }))).toEqual([{ code: "unknown-severity", ...at("vigil.config.ts", config, "pge") }]);
  });

  it("is checked against the configured severities", async () => {
    const config = `import { defineConfig } from "vigil";
export default defineConfig({ monitors: "monitors/**/*.ts", severities: ["page", "ticket", "info", "notice"], alertmanager: { timing: { notice: { repeatInterval: "1w" } } } });
`;
    expect(await errorsOf({ "vigil.config.ts": config })).toEqual([]);
  });
});

describe("an empty groupBy on a team or a route", () => {
  it("is empty-group-by at the property: Alertmanager would read it as unset and inherit the parent's grouping", async () => {
    const teams = `import { defineTeam } from "vigil";
export const payments = defineTeam({
  name: "payments",
  receivers: { page: { webhook: { url: "http://127.0.0.1:9/hook" } } },
  groupBy: [],
  timing: { page: { groupBy: [] } },
});
`;
    const errors = await errorsOf({ "monitors/teams.ts": teams });
    expect(errors.map((e) => e.code)).toEqual(["empty-group-by", "empty-group-by"]);
    expect(errors[0]).toMatchObject({ ...at("monitors/teams.ts", teams, "[]"), hint: expect.stringContaining("leave groupBy out") });
    // Labels, or no groupBy at all, are fine.
    expect(await errorsOf({ "monitors/teams.ts": teams.replace("  groupBy: [],\n", "").replace("groupBy: []", 'groupBy: ["alertname"]') })).toEqual([]);
  });
});
