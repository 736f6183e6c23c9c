import { readFile } from "node:fs/promises";
import path from "node:path";
import { glob } from "tinyglobby";
import { compile } from "../pipeline.js";
import { checkConfig, testRoute, type RouteCase } from "../tools/amtool.js";
import { checkRules, testRules } from "../tools/promtool.js";
import { info, type GlobalOptions } from "./report.js";

/**
 * `vigil test`: the real tools on the output directory. promtool checks every rule file and
 * runs every rule test file; amtool checks the Alertmanager config and every routing case.
 */
export async function testCommand(options: GlobalOptions): Promise<number> {
  const { outDir } = await compile({ cwd: options.cwd, config: options.config });
  const failures: string[] = [];
  const ruleFiles = await glob("prometheus/**/*.rules.yaml", { cwd: outDir, absolute: true });
  const testFiles = await glob("prometheus/**/*.test.yaml", { cwd: outDir, absolute: true });
  if (ruleFiles.length === 0) failures.push(`no rule files in ${outDir}: run \`vigil compile\` first`);

  if (ruleFiles.length > 0) {
    const checked = await checkRules(ruleFiles.sort());
    if (checked.code !== 0) failures.push(`promtool check rules failed:\n${checked.stdout}${checked.stderr}`);
    else info(options, `promtool check rules: ${ruleFiles.length} files ok`);
  }
  if (testFiles.length > 0) {
    const tested = await testRules(testFiles.sort());
    if (tested.code !== 0) failures.push(`promtool test rules failed:\n${tested.stdout}${tested.stderr}`);
    else info(options, `promtool test rules: ${testFiles.length} files ok`);
  }

  const amConfig = path.join(outDir, "alertmanager", "alertmanager.yaml");
  const checked = await checkConfig(amConfig);
  if (checked.code !== 0) failures.push(`amtool check-config failed:\n${checked.stdout}${checked.stderr}`);
  const cases = JSON.parse(await readFile(path.join(outDir, "alertmanager", "routes.test.json"), "utf8").catch(() => "[]")) as RouteCase[];
  let passed = 0;
  for (const result of await Promise.all(cases.map((c) => testRoute(amConfig, c)))) {
    if (result.ok) passed++;
    else failures.push(`routing: ${JSON.stringify(result.labels)} should reach ${result.receivers.join(", ")}: ${result.output}`);
  }
  info(options, `amtool routes: ${passed}/${cases.length} cases ok`);

  for (const failure of failures) process.stdout.write(`${failure}\n`);
  return failures.length > 0 ? 1 : 0;
}
