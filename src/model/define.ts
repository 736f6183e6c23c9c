import type { z } from "zod";
import type { ConfigInput } from "./config.js";
import type { DashboardInput } from "./dashboard.js";
import { markCallSite } from "./location.js";
import { declare } from "./registry.js";
import type { alertSchema, recordingRuleSchema } from "./rules.js";
import type { ServiceInput } from "./service.js";
import type { teamSchema } from "./team.js";
import type { SloInput } from "./slo.js";

export type TeamInput = z.input<typeof teamSchema>;
export type AlertInput = z.input<typeof alertSchema>;
export type RecordingRuleInput = z.input<typeof recordingRuleSchema>;

/** The repository's settings; `export default defineConfig({...})` in `vigil.config.ts`. */
export function defineConfig(config: ConfigInput): ConfigInput {
  return declare("config", config);
}

/** A team and where its alerts go, by severity. */
export function defineTeam(team: TeamInput): TeamInput {
  return declare("team", team);
}

/** A service with its metrics, alerts, recording rules, dashboards and runbooks. */
export function defineService(service: ServiceInput): ServiceInput {
  return declare("service", service);
}

/** An alert declared on its own (to share or to keep a file short); put it in a service's `alerts`. */
export function defineAlert(alert: AlertInput): AlertInput {
  return markCallSite(alert);
}

/** A recording rule declared on its own; put it in a service's `recordingRules`. */
export function defineRecordingRule(rule: RecordingRuleInput): RecordingRuleInput {
  return markCallSite(rule);
}

/** A declarative dashboard declared on its own; put it in a service's `dashboards`. */
export function defineDashboard(dashboard: DashboardInput): DashboardInput {
  return markCallSite(dashboard as object) as DashboardInput;
}

/** An SLO declared on its own; put it in a service's `slos`. */
export function defineSlo(slo: SloInput): SloInput {
  return markCallSite(slo);
}
