import path from "node:path";
import * as prettier from "prettier";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blockquote, document, link, MarkdownText, urlComponent } from "../../src/emit/markdown.js";
import { emitRunbooks, grafanaExploreUrl, prometheusQueryUrl, responseTime } from "../../src/emit/runbooks.js";
import type { OutputFile } from "../../src/emit/output.js";
import { githubAnchor } from "../../src/plan/anchor.js";
import type { Plan } from "../../src/plan/types.js";
import { compile, type CompileResult } from "../helpers/vigil.js";
import { BASE_FILES, makeProject, REPO_ROOT, removeProject } from "../helpers/project.js";

const FIXTURE = path.join(REPO_ROOT, "test/fixtures/basic");
const PROMETHEUS = "https://prometheus.example.com";
const canonical = (text: string) => prettier.format(text, { parser: "markdown", proseWrap: "preserve" });

/** The fixture's plan with `prometheus.url` set (the fixture's config only sets grafana.url). */
const withPrometheus = (plan: Plan): Plan => ({ ...plan, config: { ...plan.config, prometheus: { ...plan.config.prometheus, url: `${PROMETHEUS}/` } } });

const QUERY = 'sum by (route) (rate(http_requests_total{service="checkout", code=~"5.."}[5m]))';

/** Every `[text](url)` of a page, code spans and blocks left out. */
function links(markdown: string): string[] {
  const prose = markdown.replace(/^(\s*)(`{3,})[^\n]*\n[\s\S]*?^\1\2\s*$/gm, "").replace(/(`+)[\s\S]*?\1/g, "");
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

/** The GitHub anchors of a page's headings. */
function anchors(markdown: string): Set<string> {
  const withoutCode = markdown.replace(/^(\s*)(`{3,})[^\n]*\n[\s\S]*?^\1\2\s*$/gm, "");
  return new Set([...withoutCode.matchAll(/^#{1,6} (.+)$/gm)].map((m) => githubAnchor(m[1]!)));
}

/** Checks that every relative and `#anchor` link of every runbook page leads somewhere. */
function expectLinksResolve(files: readonly OutputFile[]): number {
  const byPath = new Map(files.map((f) => [f.path, f.content]));
  let checked = 0;
  for (const page of files.filter((f) => f.path.startsWith("runbooks/") && f.path.endsWith(".md"))) {
    for (const url of links(page.content)) {
      if (/^[a-z]+:/i.test(url)) continue;
      const [file, anchor] = url.split("#") as [string, string | undefined];
      const target = file === "" ? page.path : path.posix.normalize(path.posix.join(path.posix.dirname(page.path), file));
      expect(byPath.has(target), `${page.path}: ${url} -> ${target}`).toBe(true);
      if (anchor !== undefined) expect(anchors(byPath.get(target)!).has(anchor), `${page.path}: ${url}`).toBe(true);
      checked++;
    }
  }
  return checked;
}

/** The sections of a page by heading. */
function section(page: string, heading: string): string {
  const start = page.indexOf(`\n## ${heading}\n`);
  expect(start, heading).toBeGreaterThan(-1);
  const end = page.indexOf("\n## ", start + 1);
  return page.slice(start, end === -1 ? undefined : end);
}

describe("runbooks of test/fixtures/basic", () => {
  let result: CompileResult;
  let pages: OutputFile[];
  beforeAll(async () => {
    result = await compile({ cwd: FIXTURE });
    expect(result.diagnostics).toEqual([]);
    pages = emitRunbooks(withPrometheus(result.plan!));
  });
  const checkout = () => pages.find((p) => p.path === "runbooks/payments/checkout.md")!.content;

  it("states the severity and expected response time of every alert", () => {
    const page = checkout();
    expect(section(page, "CheckoutHighErrorRate (page)")).toContain("**Severity:** page · **Expected response:** 5 minutes ·");
    expect(section(page, "CheckoutHighErrorRate (ticket)")).toContain("**Severity:** ticket · **Expected response:** 1 business day ·");
    expect(section(page, "CheckoutSaturated")).toContain("**Severity:** info · **Expected response:** none ·");
    for (const alert of result.plan!.services.flatMap((s) => s.alerts)) {
      expect(section(page, alert.heading)).toMatch(new RegExp(`\\*\\*Severity:\\*\\* ${alert.severity} · \\*\\*Expected response:\\*\\* [^·]+ ·`));
    }
  });

  it("links every query to Prometheus and Grafana Explore, with the expression encoded", () => {
    const triage = section(checkout(), "CheckoutHighErrorRate (page)");
    const prom = triage.match(/\[Open in Prometheus\]\(([^)]+)\)/)![1]!;
    const explore = triage.match(/\[Open in Grafana Explore\]\(([^)]+)\)/)![1]!;
    expect(triage).toContain(`   \`\`\`\n\n   [Open in Prometheus](${prom}) · [Open in Grafana Explore](${explore})`);

    const p = new URL(prom);
    expect(`${p.origin}${p.pathname}`).toBe(`${PROMETHEUS}/graph`);
    expect(p.searchParams.get("g0.expr")).toBe(QUERY);
    expect(p.searchParams.get("g0.tab")).toBe("0");
    expect(p.searchParams.get("g0.range_input")).toBe("1h");
    expect(prom).not.toMatch(/[ ()"{}[\]]/);

    const g = new URL(explore);
    expect(`${g.origin}${g.pathname}`).toBe("https://grafana.example.com/explore");
    expect(g.searchParams.get("schemaVersion")).toBe("1");
    expect(g.searchParams.get("orgId")).toBe("1");
    expect(JSON.parse(g.searchParams.get("panes")!)).toEqual({
      a: { datasource: "prometheus", queries: [{ refId: "A", expr: QUERY }], range: { from: "now-1h", to: "now" } },
    });
    expect(explore).not.toMatch(/[ ()"{}[\]]/);
  });

  it("puts links under every step with a query and under no other", () => {
    for (const service of result.plan!.services) {
      const page = pages.find((p) => p.path === `runbooks/${service.team}/${service.name}.md`)!.content;
      const queries = service.alerts.flatMap((a) => [...a.triage, ...a.mitigation]).filter((s) => s.query);
      expect(queries.length).toBeGreaterThan(0);
      const proms = [...page.matchAll(/\[Open in Prometheus\]\(([^)]+)\)/g)].map((m) => new URL(m[1]!).searchParams.get("g0.expr"));
      const explores = [...page.matchAll(/\[Open in Grafana Explore\]\(([^)]+)\)/g)].map((m) => JSON.parse(new URL(m[1]!).searchParams.get("panes")!).a.queries[0].expr);
      expect(proms).toEqual(queries.map((s) => s.query));
      expect(explores).toEqual(queries.map((s) => s.query));
    }
  });

  it("leaves out the Prometheus link without prometheus.url, and both without either URL", () => {
    const plain = emitRunbooks(result.plan!).find((p) => p.path === "runbooks/payments/checkout.md")!.content;
    expect(plain).not.toContain("Open in Prometheus");
    expect(plain).toContain("Open in Grafana Explore");
    const none = emitRunbooks({ ...result.plan!, config: { ...result.plan!.config, grafana: { ...result.plan!.config.grafana, url: undefined } } });
    expect(none.find((p) => p.path === "runbooks/payments/checkout.md")!.content).not.toContain("Open in");
  });

  it("writes a default internal update for page alerts only", () => {
    const page = checkout();
    const paged = section(page, "CheckoutHighErrorRate (page)");
    expect(paged).toContain(
      "> **Internal update**\n>\n> CheckoutHighErrorRate is firing for service checkout (team payments). We are investigating; runbook: " +
        "[CheckoutHighErrorRate (page)](https://github.com/acme/monitoring/blob/main/generated/runbooks/payments/checkout.md#checkouthigherrorrate-page).",
    );
    expect(paged).not.toContain("Customer update");
    expect(section(page, "CheckoutHighErrorRate (ticket)")).not.toContain("Internal update");
    expect(section(page, "CheckoutSaturated")).not.toContain("**Communication**");
  });

  it("links the service page to its Prometheus rule files", () => {
    const page = checkout();
    expect(page).toContain(
      "Prometheus rules: [checkout.rules.yaml](../../prometheus/payments/checkout.rules.yaml), [checkout.slo.rules.yaml](../../prometheus/payments/checkout.slo.rules.yaml)",
    );
    expect(page.indexOf("Prometheus rules:")).toBeLessThan(page.indexOf("\n## "));
  });

  it("has only links that resolve to a generated file and heading", () => {
    const files = [...result.files.filter((f) => !f.path.startsWith("runbooks/")), ...pages];
    expect(expectLinksResolve(files)).toBeGreaterThan(20);
    expect(expectLinksResolve(result.files)).toBeGreaterThan(20);
  });

  it("writes pages that prettier leaves unchanged, compiled or straight from the emitter", async () => {
    for (const page of [...pages, ...result.files.filter((f) => f.path.endsWith(".md"))]) {
      expect(page.content, page.path).toBe(await canonical(page.content));
    }
    // The fixture's text is plain: the emitter writes it canonically without prettier.
    for (const page of pages) expect(page.format, page.path).toBeUndefined();
  });
});

describe("runbooks of a project with communication templates and response times", () => {
  let dir: string;
  let result: CompileResult;
  const page = () => result.files.find((f) => f.path === "runbooks/payments/checkout.md")!.content;

  beforeAll(async () => {
    dir = await makeProject({
      ...BASE_FILES,
      "vigil.config.ts": `import { defineConfig } from "vigil";
export default defineConfig({
  monitors: "monitors/**/*.ts",
  prometheus: { url: "${PROMETHEUS}" },
  runbooks: { responseTimes: { page: "15 minutes", critical: "now" } },
  severities: ["critical", "page", "ticket", "info"],
  // The project is about runbook text, not lint: its bare alerts would otherwise be errors.
  lint: { rules: { "paging-alert-for": "off", "runbook-missing-steps": "off" }, externalMetrics: ["http_requests_total"] },
});
`,
      "monitors/teams.ts": `import { defineTeam } from "vigil";
export const payments = defineTeam({
  name: "payments",
  receivers: { default: { webhook: { url: "http://127.0.0.1:9/hook" } } },
});
`,
      "monitors/checkout.ts": `import { defineService } from "vigil";
import { payments } from "./teams";
export default defineService({
  name: "checkout",
  team: payments,
  alerts: [
    {
      name: "CheckoutDown",
      expr: 'up{job="checkout"} == 0',
      for: "5m",
      severity: "page",
      summary: "Checkout is down.",
      description: "{{ $labels.instance }} is down.",
      runbook: {
        triage: [{ step: "Which instances are down?", query: 'up{job="checkout"} == 0' }],
        communication: {
          internal: "Checkout is down; @payments-oncall is on it.\\nNext update in 30 minutes.",
          external: "Some customers cannot check out. We are working on a fix.",
        },
      },
    },
    {
      name: "CheckoutErrors",
      expr: 'rate(http_requests_total{job="checkout", code=~"5.."}[5m]) > 1',
      severity: "page",
      summary: "Checkout fails requests.",
      description: "{{ $value }} errors per second.",
      runbook: { communication: { external: "Payments may fail; retry in a few minutes." } },
    },
    {
      name: "CheckoutSlow",
      expr: 'up{job="checkout"} == 2',
      severity: "ticket",
      summary: "Checkout is slow.",
      description: "It is slow.",
    },
    {
      name: "CheckoutStuck",
      expr: 'up{job="checkout"} == 3',
      severity: "ticket",
      summary: "Checkout is stuck.",
      description: "{{ $value }} orders wait.\\n\\n- retry them\\n# by hand\\n",
      labels: { note: "one\\ntwo" },
    },
    {
      name: "CheckoutGone",
      expr: 'absent(up{job="checkout"})',
      severity: "critical",
      summary: "Checkout is gone.",
      description: "No checkout target.",
    },
  ],
});
`,
    });
    result = await compile({ cwd: dir });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });
  afterAll(() => removeProject(dir));

  it("takes response times from the config, over the defaults", () => {
    expect(section(page(), "CheckoutDown")).toContain("**Severity:** page · **Expected response:** 15 minutes ·");
    expect(section(page(), "CheckoutSlow")).toContain("**Severity:** ticket · **Expected response:** 1 business day ·");
    expect(section(page(), "CheckoutGone")).toContain("**Severity:** critical · **Expected response:** now ·");
  });

  it("quotes the declared internal and customer updates", () => {
    const down = section(page(), "CheckoutDown");
    expect(down).toContain("**Communication**\n\n> **Internal update**\n>\n> Checkout is down; @payments-oncall is on it.\n> Next update in 30 minutes.\n\n");
    expect(down).toContain("> **Customer update**\n>\n> Some customers cannot check out. We are working on a fix.\n");
    expect(down).not.toContain("Default template");
  });

  it("adds the default internal update to a page alert that declares only a customer update", () => {
    const errors = section(page(), "CheckoutErrors");
    // No runbooks.baseUrl: the runbook link is the section's anchor.
    expect(errors).toContain(
      "> **Internal update**\n>\n> CheckoutErrors is firing for service checkout (team payments). We are investigating; runbook: [CheckoutErrors](#checkouterrors).",
    );
    expect(errors).toContain("_Default template: add `runbook.communication.internal` to this alert to write your own._");
    expect(errors).toContain("> **Customer update**\n>\n> Payments may fail; retry in a few minutes.");
    expect(section(page(), "CheckoutSlow")).not.toContain("**Communication**");
    expect(section(page(), "CheckoutGone")).not.toContain("**Communication**");
  });

  it("writes a multi-line description as a code block, and a one-line one and labels in code spans", () => {
    const stuck = section(page(), "CheckoutStuck");
    expect(stuck).toContain("**Description** (filled in by Prometheus when it fires):\n\n```text\n{{ $value }} orders wait.\n\n- retry them\n# by hand\n```\n\n**Triage**");
    expect(stuck).toContain("Labels: `note=one two`, `service=checkout`");
    expect(section(page(), "CheckoutSlow")).toContain("**Description** (filled in by Prometheus when it fires): `It is slow.`\n");
  });

  it("links the query to Prometheus only, without grafana.url", () => {
    const down = section(page(), "CheckoutDown");
    const url = new URL(down.match(/\[Open in Prometheus\]\(([^)]+)\)/)![1]!);
    expect(url.searchParams.get("g0.expr")).toBe('up{job="checkout"} == 0');
    expect(down).not.toContain("Open in Grafana Explore");
  });

  it("has only links that resolve, and pages prettier leaves unchanged", async () => {
    expect(expectLinksResolve(result.files)).toBeGreaterThan(3);
    for (const file of result.files.filter((f) => f.path.endsWith(".md"))) expect(file.content, file.path).toBe(await canonical(file.content));
    // The emitter's own output, before compile's prettier pass, is canonical too (it asks for prettier only for multi-line text).
    for (const file of emitRunbooks(result.plan!)) {
      if (!file.format) expect(file.content, file.path).toBe(await canonical(file.content));
    }
  });
});

describe("query URLs", () => {
  it("encode every character prettier or a URL parser could take apart", () => {
    const expr = "sum(rate(x{a=~\"b|c\", d!='e'}[5m])) * 2 > 1 and on() vector(1) # ~";
    for (const url of [prometheusQueryUrl("https://p.example/", expr), grafanaExploreUrl("https://g.example", expr)]) {
      expect(url).toMatch(/^[A-Za-z0-9:/._~%?=&-]+$/);
    }
    expect(new URL(prometheusQueryUrl("https://p.example/", expr)).searchParams.get("g0.expr")).toBe(expr);
    expect(prometheusQueryUrl("https://p.example/prom/", expr)).toMatch(/^https:\/\/p\.example\/prom\/graph\?g0\.expr=/);
    expect(JSON.parse(new URL(grafanaExploreUrl("https://g.example/", expr)).searchParams.get("panes")!).a.queries[0].expr).toBe(expr);
  });
});

describe("runbook Markdown builders", () => {
  it("write quotes and links as prettier does", async () => {
    const md = new MarkdownText();
    const text = document([
      blockquote(`**Internal update**\n\n${md.user("Checkout is down (team payments).")}`),
      link(md.user("rules"), md.url("../../prometheus/payments/checkout.rules.yaml")),
      link("q", `https://p.example/graph?g0.expr=${urlComponent("sum(rate(x[5m])) > 0")}`),
    ]);
    expect(md.needsPrettier).toBe(false);
    expect(text).toBe(await canonical(text));
  });

  it("asks for prettier for URLs prettier rewrites", () => {
    for (const url of ["https://a.example/x (y)", "https://a.example/(x)", "https://a.example/?a=&amp;", "a\\b", "<x>"]) {
      const md = new MarkdownText();
      md.url(url);
      expect(md.needsPrettier, url).toBe(true);
    }
    const md = new MarkdownText();
    md.url("https://grafana.example.com/explore?schemaVersion=1&orgId=1");
    expect(md.needsPrettier).toBe(false);
  });

  it("falls back to the default response times per severity", () => {
    const plan = { config: { runbooks: { responseTimes: { page: "2 minutes" } } } } as unknown as Plan;
    expect([responseTime(plan, "page"), responseTime(plan, "ticket"), responseTime(plan, "info"), responseTime(plan, "other")]).toEqual([
      "2 minutes",
      "1 business day",
      "none",
      undefined,
    ]);
  });
});
