import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import path from "node:path";
import { glob } from "tinyglobby";
import { error, hasErrors, sortDiagnostics, type Diagnostic } from "../check/diagnostic.js";
import { outOfDate } from "./check.js";
import type { CompileResult } from "../pipeline.js";
import { compileWith, type LoadingFlags } from "../sandbox/run.js";
import { checkConfig, testRoute, type RouteCase } from "../tools/amtool.js";
import { checkRules, testRules } from "../tools/promtool.js";
import { resolvePending, type Pending } from "../validate/anchor.js";
import { info, report, type GlobalOptions } from "./report.js";
import { parseAlertTestName } from "../plan/alert-tests.js";

/** Runs `work` over items, at most `limit` at once, keeping their order. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  }));
  return results;
}

/** promtool's failure report, cut into one block per failing test group ("name: ..."). */
function failedGroups(output: string): { name: string; text: string }[] {
  const blocks = output.split(/\n(?=\s+name: )/);
  return blocks.flatMap((block) => {
    const name = /^\s+name: (.*?),?\s*$/m.exec(block)?.[1];
    return name ? [{ name, text: block.trim() }] : [];
  });
}

/**
 * Where a failing test group is declared: alert tests are named "<service>/<alert>#<n>: ...",
 * generated SLO tests "<service>/<slo>: ...".
 */
function testAnchors(result: CompileResult, failures: { name: string; text: string }[]): Pending[] {
  return failures.map((failure): Pending => {
    const declared = parseAlertTestName(failure.name);
    if (declared) {
      const owner = result.model?.services.find((s) => s.name === declared.service);
      const index = owner?.alerts.findIndex((a) => a.name === declared.alert && a.tests.length > declared.index) ?? -1;
      return {
        diagnostic: { severity: "error", code: "alert-test-failed", message: `promtool test failed: ${failure.name}\n${failure.text}`, hint: "the alert does not behave as its test says: see what promtool expected and got" },
        anchor: owner ? { origin: owner.origin, path: index >= 0 ? ["alerts", index, "tests", declared.index] : ["name"] } : { origin: { value: {}, location: undefined }, path: [] },
      };
    }
    const [, service, slo] = /^([^/]+)\/([^:]+):/.exec(failure.name) ?? [];
    const owner = result.model?.services.find((s) => s.name === service);
    const index = owner?.slos.findIndex((s) => s.name === slo) ?? -1;
    return {
      diagnostic: { severity: "error", code: "rule-test-failed", message: `promtool test failed: ${failure.name}\n${failure.text}`, hint: "the rules do not behave as the SLO math says: see what promtool expected and got" },
      anchor: owner ? { origin: owner.origin, path: index >= 0 ? ["slos", index, "name"] : ["name"] } : { origin: { value: {}, location: undefined }, path: [] },
    };
  });
}

/**
 * `vigil test`: the real tools on the output directory. promtool checks every rule file and
 * runs every rule test file; amtool checks the Alertmanager config and every routing case.
 */
export async function testCommand(options: GlobalOptions & LoadingFlags): Promise<number> {
  // Under --sandbox there is no model: failing tests are reported without their line.
  const result = await compileWith({ cwd: options.cwd, config: options.config, sandbox: options.sandbox, timeoutMs: options.timeout });
  const { outDir } = result;
  // The tools run on the files on disk: they must be what the monitors compile to, or a
  // passing run would vouch for rules the monitors no longer say.
  const unready = hasErrors(result.diagnostics)
    ? result.diagnostics
    : await outOfDate(result, "run `vigil compile` first: `vigil test` runs the tools on the files it writes");
  if (hasErrors(unready)) {
    report(sortDiagnostics(unready), options, result.rootDir);
    info(options, "not tested: fix the errors above first");
    return 1;
  }
  const diagnostics: Diagnostic[] = [];
  const fail = (code: string, message: string) => diagnostics.push(error(code, message));
  const ruleFiles = (await glob("prometheus/**/*.rules.yaml", { cwd: outDir, absolute: true })).sort();
  const testFiles = (await glob("prometheus/**/*.test.yaml", { cwd: outDir, absolute: true })).sort();
  // generated/ is what the monitors compile to (checked above): no rule files means no rules declared.
  if (ruleFiles.length === 0) info(options, "promtool: no rule files (the monitors declare no rules or SLOs)");
  else {
    const checked = await checkRules(ruleFiles);
    if (checked.code !== 0) fail("rule-check-failed", `promtool check rules failed:\n${checked.stdout}${checked.stderr}`);
    else info(options, `promtool check rules: ${ruleFiles.length} files ok`);
  }
  const started = performance.now();
  const tested = await pool(testFiles, Math.max(1, availableParallelism()), (file) => testRules([file]));
  let passed = 0;
  for (const [i, run] of tested.entries()) {
    if (run.code === 0) {
      passed++;
      continue;
    }
    const groups = failedGroups(run.stdout + run.stderr);
    if (groups.length === 0) fail("rule-test-failed", `promtool test rules ${path.relative(process.cwd(), testFiles[i]!)} failed:\n${run.stdout}${run.stderr}`);
    diagnostics.push(...(await resolvePending(testAnchors(result, groups), () => undefined, result.rootDir)));
  }
  if (testFiles.length > 0) info(options, `promtool test rules: ${passed}/${testFiles.length} files ok (${Math.round(performance.now() - started)} ms)`);

  const amConfig = path.join(outDir, "alertmanager", "alertmanager.yaml");
  const amChecked = await checkConfig(amConfig);
  if (amChecked.code !== 0) fail("alertmanager-check-failed", `amtool check-config failed:\n${amChecked.stdout}${amChecked.stderr}`);
  const cases = JSON.parse(await readFile(path.join(outDir, "alertmanager", "routes.test.json"), "utf8").catch(() => "[]")) as RouteCase[];
  const routed = await pool(cases, 8, (c) => testRoute(amConfig, c));
  const planned = result.plan?.alertmanager.routeTests ?? [];
  const routeFailures: Pending[] = routed.flatMap((r, i) => {
    if (r.ok) return [];
    const message = `routing: ${JSON.stringify(r.labels)} should reach ${r.receivers.join(", ")}; amtool says: ${r.output}`;
    const declared = planned[i]?.declaredIn;
    const team = declared?.kind === "team" ? result.model?.teams.find((t) => t.name === declared.team) : undefined;
    const origin = declared?.kind === "team" ? team?.origin : declared?.kind === "config" ? { value: result.config, location: result.configLocation } : undefined;
    const path = declared?.kind === "team" ? ["routingTests", declared.index] : declared ? ["alertmanager", "routingTests", declared.index] : [];
    return [{ diagnostic: { severity: "error" as const, code: "route-test-failed", message, hint: "the route tree sends these labels elsewhere: fix the expectation or the routing" }, anchor: { origin: origin ?? { value: {}, location: undefined }, path } }];
  });
  diagnostics.push(...(await resolvePending(routeFailures, () => undefined, result.rootDir)));
  info(options, `amtool routes: ${routed.filter((r) => r.ok).length}/${cases.length} cases ok`);

  const sorted = sortDiagnostics(diagnostics);
  report(sorted, options, result.rootDir);
  return sorted.length > 0 ? 1 : 0;
}
