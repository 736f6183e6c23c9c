import { runTool } from "./run.js";

export interface RouteCase {
  labels: Record<string, string>;
  receivers: string[];
}

export interface RouteCaseResult extends RouteCase {
  ok: boolean;
  output: string;
}

/**
 * A label value as Alertmanager 0.25's matcher parser reads it: quoted, with `\\`, `\"` and
 * `\n` its only escapes (a value may hold quotes, commas, backslashes, or start with `~`).
 */
export function quoted(value: string): string {
  return `"${value.replace(/[\\"\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`))}"`;
}

/** `amtool config routes test`: does this label set reach exactly these receivers? */
export async function testRoute(configFile: string, routeCase: RouteCase): Promise<RouteCaseResult> {
  const labels = Object.entries(routeCase.labels).map(([k, v]) => `${k}=${quoted(v)}`);
  const result = await runTool("amtool", [
    "config", "routes", "test",
    `--config.file=${configFile}`,
    `--verify.receivers=${routeCase.receivers.join(",")}`,
    ...labels,
  ]);
  return { ...routeCase, ok: result.code === 0, output: withoutNoise(`${result.stdout}\n${result.stderr}`) };
}

/**
 * amtool's answer without the lines it prints on every run: the resolved receivers, or why it
 * could not resolve them. "WARNING: Expected receivers did not match" only repeats the exit
 * code, and "--config.file flag overrides --alertmanager.url" is said of every offline test.
 */
function withoutNoise(output: string): string {
  return output
    .replace(/Warning: --config\.file flag overrides the --alertmanager\.url\./g, "\n")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("WARNING: Expected receivers did not match"))
    .join("\n");
}

export async function checkConfig(configFile: string) {
  return runTool("amtool", ["check-config", configFile]);
}
