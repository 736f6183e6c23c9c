import { runTool } from "./run.js";

/** `promtool check rules --lint-fatal`: syntax, types, and duplicate rules as errors. */
export function checkRules(files: readonly string[]) {
  return runTool("promtool", ["check", "rules", "--lint-fatal", ...files]);
}

/** `promtool test rules`: the rule unit tests. */
export function testRules(files: readonly string[]) {
  return runTool("promtool", ["test", "rules", ...files]);
}
