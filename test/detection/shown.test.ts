import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { diffOutputs } from "../../src/diff/diff.js";
import { renderText } from "../../src/diff/text.js";
import { BASE_FILES, makeProject, removeProject, REPO_ROOT } from "../helpers/project.js";
import { compile } from "../helpers/vigil.js";

/** The detection time where people read it: the runbook, `vigil diff`, and the detection-time lint. */
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(removeProject));
});

async function compiled(files: Record<string, string>) {
  const dir = await makeProject({ ...BASE_FILES, ...files });
  dirs.push(dir);
  return compile({ cwd: dir });
}

const checkout = BASE_FILES["monitors/checkout.ts"]!;
const withFor = (value: string) => ({ "monitors/checkout.ts": checkout.replace('for: "5m"', `for: "${value}"`) });
const runbook = (result: Awaited<ReturnType<typeof compiled>>) => result.files.find((f) => f.path === "runbooks/payments/checkout.md")!.content;

describe("the detection time, shown", () => {
  it("in the paging alert's runbook section, once, under its facts", async () => {
    const result = await compiled({});
    const page = runbook(result);
    expect(page).toContain(
      "**Detection:** a step to 0 pages within 5m: the sample at the step crosses it, seen by the evaluation at the step, then for 5m. Counted from a rule evaluation (every 1m): up to 1m more for a failure that starts between two.",
    );
    expect(page.match(/\*\*Detection:\*\*/g)).toHaveLength(1);
    expect(result.diagnostics.filter((d) => d.code === "detection-time")).toEqual([]);
  });

  it("for a counter that stops (`unless` its rate is over 0), with what it takes to hold", async () => {
    const stuck = checkout.replace(`'up{job="checkout"} == 0'`, `'sum(up{job="checkout"}) > 0 unless sum(rate(http_requests_total[10m])) > 0'`);
    const page = runbook(await compiled({ "monitors/checkout.ts": stuck }));
    expect(page).toContain(
      '**Detection:** the counter `http_requests_total` stopping pages within 15m: rate() over 10m is 0 once the last growth, in the scrape (15s) before the stop, has left its window, seen by the evaluation 10m after it, then for 5m. Assumes: the counter `http_requests_total` growing at every scrape until it stops; `sum(up{job="checkout"}) > 0` holding (the side `unless` keeps).',
    );
  });

  it("not for alerts that do not page", async () => {
    const result = await compiled({ "monitors/checkout.ts": checkout.replace('severity: "page"', 'severity: "ticket"') });
    expect(runbook(result)).not.toContain("**Detection:**");
  });

  it("in `vigil diff` when it changes, before and after", async () => {
    const base = await compiled({});
    const head = await compiled(withFor("10m"));
    const files = (r: typeof base) => new Map(r.files.map((f) => [f.path, f.content]));
    const section = diffOutputs(files(base), files(head)).find((c) => c.kind === "section" && c.name.endsWith("# CheckoutDown"))!;
    const detection = section.fields.find((f) => f.field === "Detection")!;
    expect(detection.before).toMatch(/^a step to 0 pages within 5m:/);
    expect(detection.after).toMatch(/^a step to 0 pages within 10m:/);
    expect(renderText([section], { color: false })).toContain("Detection a step to 0 pages within 5m:");
  });

  it("by the detection-time lint, over lint.detection.maxPageDelay, at the fastest alert's `for`", async () => {
    const slow = await compiled(withFor("10m"));
    const found = slow.diagnostics.filter((d) => d.code === "detection-time");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: "warning", location: { file: "monitors/checkout.ts" } });
    expect(found[0]!.message).toContain("a full outage of service checkout pages after 10m at the soonest, over lint.detection.maxPageDelay 5m");
    const line = checkout.replace('for: "5m"', 'for: "10m"').split("\n")[found[0]!.location!.line - 1];
    expect(line).toContain('for: "10m"');

    const relaxed = await compiled({
      ...withFor("10m"),
      "vigil.config.ts": 'import { defineConfig } from "vigil";\nexport default defineConfig({ monitors: "monitors/**/*.ts", lint: { detection: { maxPageDelay: "10m" } } });\n',
    });
    expect(relaxed.diagnostics.filter((d) => d.code === "detection-time")).toEqual([]);
  });
});

describe("the examples (issue 9: done when every paging alert shows its detection time)", () => {
  it("give every paging alert of the committed runbooks a time, none unknown", async () => {
    const root = path.join(REPO_ROOT, "generated/runbooks");
    const pages = (await readdir(root, { recursive: true })).filter((f) => f.endsWith(".md") && f.includes(path.sep));
    const paging = (await Promise.all(pages.map(async (f) => (await readFile(path.join(root, f), "utf8")).split(/^## /m)))).flat().filter((s) => s.includes("**Severity:** page"));
    expect(paging.length).toBeGreaterThan(20);
    for (const section of paging) expect(section, section.split("\n")[0]).toMatch(/\*\*Detection:\*\* .* pages within \d+[dhms]/);
  });
});
