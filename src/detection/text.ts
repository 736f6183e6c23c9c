import { formatDuration } from "../model/duration.js";
import type { Detection } from "./detect.js";
import type { Outcome } from "./slo.js";

const time = (ms: number) => (ms === 0 ? "0s" : formatDuration(ms));

function outcome(failure: string, result: Outcome, first: boolean): string {
  const verb = first ? "pages" : "";
  if (!result.fires) return `${failure} ${first ? "never pages" : "never"} (${result.why})`;
  return `${failure} ${verb ? `${verb} ` : ""}within ${time(result.ms)}`;
}

/**
 * One sentence for a runbook: how soon the failures an alert is measured against page, and on
 * what assumptions. Plain text that prettier leaves as it is.
 */
export function detectionText(detection: Detection): string {
  if (detection.kind === "unknown") return `unknown: ${detection.reason}.`;
  const every = time(detection.clock.evaluationMs);
  const assumption = `Counted from a rule evaluation (every ${every}): up to ${every} more for a failure that starts between two.`;
  const waits = detection.forMs > 0 ? `, then for ${time(detection.forMs)}` : "";
  if (detection.kind === "slo") {
    const tier = (o: Outcome) => (o.fires ? ` (${o.via} windows)` : "");
    return [
      `${outcome("a full outage", detection.outage, true)}${tier(detection.outage)};`,
      `${outcome(`an error ratio of ${detection.tenfoldText} (10x the budget)`, detection.tenfold, false)}${tier(detection.tenfold)}.`,
      `Both windows ramp up as the failure fills them${waits}.`,
      assumption,
    ].join(" ");
  }
  const step = detection.step;
  const seen = step.fires && step.pendingMs === 0 ? "seen by the evaluation at the step" : `seen by the evaluation ${step.fires ? time(step.pendingMs) : ""} after it`;
  const how = step.fires ? `: ${step.via}, ${seen}${waits}` : "";
  const also = detection.also ? `; ${outcome(detection.also.failure, detection.also.outcome, false)}${detection.also.outcome.fires ? `, ${detection.also.outcome.via}` : ""}` : "";
  const assuming = detection.assuming ? ` Assumes: ${detection.assuming.join("; ")}.` : "";
  return `${outcome(detection.failure, step, true)}${how}${also}.${assuming} ${assumption}`;
}
