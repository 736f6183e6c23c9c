import { formatDuration } from "../model/duration.js";
import type { Expr } from "../promql/ast.js";
import { compare, integer } from "../slo/decimal.js";
import { splitCondition } from "./condition.js";
import { counterRateOf } from "./counter.js";
import { fewestSamples, stepRate } from "./rate.js";
import type { StepModel } from "./threshold.js";
import { firstEvaluation, type Clock } from "./timing.js";

/**
 * `<condition> unless <counter's rate> > 0` (or `!= 0`): "messages wait and none is processed".
 * The failure: the counter stops growing at a rule evaluation, having grown at every scrape until
 * then, while the left side holds. rate() is exactly 0 once the window holds only samples from
 * the stop on (all equal: no growth, nothing to extrapolate), so `> 0` returns nothing for the
 * series and `unless` keeps the left side. Before that the last growth, between the scrape before
 * the stop and the one at it, is in the window: with both ends of the range in it, that is until
 * the evaluation more than a window minus a scrape after the stop.
 */
export function stoppedModel(right: Expr, clock: Clock): StepModel | { reason: string } {
  const bare = counterRateOf(right);
  if (bare) return { reason: "`unless` a bare rate() removes the left side whenever the counter has two samples in the window: it fires for the counter going missing, not for it stopping" };
  const condition = splitCondition(right);
  if ("reason" in condition) return { reason: "`unless` something other than a counter's rate compared with a number is not modelled" };
  const rate = counterRateOf(condition.signal);
  if (!rate) return { reason: "`unless` something other than a counter's rate is not modelled" };
  if (rate.offsetMs !== 0) return { reason: "`unless` a counter's rate in the past is not modelled" };
  if (condition.threshold !== 0 || (condition.op !== ">" && condition.op !== "!=")) {
    return { reason: `\`unless ${rate.fn}() ${condition.op} ${condition.threshold}\` is not modelled: only "> 0" and "!= 0" pass at a moment that does not depend on the rate before` };
  }
  const w = rate.windowMs;
  const window = formatDuration(w);
  const fn = `${rate.fn}()`;
  // With fewer than two samples rate() returns nothing, `unless` keeps the left side: the alert would hold without a failure.
  if (fewestSamples(w, clock) < 2) return { reason: `${fn} over ${window} holds fewer than two samples (one every ${formatDuration(clock.scrapeMs)}) at some evaluations, when \`unless\` keeps the left side with no failure at all` };
  // The right side returns the series while `rate op 0` holds: then `unless` drops the alert.
  const moving = (at: number) => {
    const value = stepRate(integer(1), integer(0), at, w, clock.scrapeMs);
    if (value === undefined) return false;
    const sign = compare(value, integer(0));
    return condition.op === ">" ? sign > 0 : sign !== 0;
  };
  const counter = rate.metric ? `the counter \`${rate.metric}\`` : "the counter";
  const failure = `${counter} stopping`;
  return {
    failure,
    pendingMs: firstEvaluation((at) => !moving(at), clock.evaluationMs, w),
    how: `${fn} over ${window} is 0 once the last growth, in the scrape (${formatDuration(clock.scrapeMs)}) before the stop, has left its window`,
    never: `${failure} never takes ${fn} to 0`,
    assuming: [`${counter} growing at every scrape until it stops`],
    ...(rate.metric && { stops: rate.metric }),
  };
}
