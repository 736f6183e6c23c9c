import { runTool } from "./run.js";

export interface RouteCase {
  labels: Record<string, string>;
  receivers: string[];
}

export interface RouteCaseResult extends RouteCase {
  ok: boolean;
  output: string;
}

/** `amtool config routes test`: does this label set reach exactly these receivers? */
export async function testRoute(configFile: string, routeCase: RouteCase): Promise<RouteCaseResult> {
  const labels = Object.entries(routeCase.labels).map(([k, v]) => `${k}=${v}`);
  const result = await runTool("amtool", [
    "config", "routes", "test",
    `--config.file=${configFile}`,
    `--verify.receivers=${routeCase.receivers.join(",")}`,
    ...labels,
  ]);
  return { ...routeCase, ok: result.code === 0, output: (result.stdout + result.stderr).trim() };
}

export async function checkConfig(configFile: string) {
  return runTool("amtool", ["check-config", configFile]);
}
