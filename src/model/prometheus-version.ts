/**
 * Which rule-file fields each Prometheus version accepts. Prometheus parses rule files strictly
 * (an unknown field fails the whole file), so emitters write a field only from the version that
 * introduced it; a setting that needs a newer version than the config's is an error.
 */
export const PROMETHEUS_FIELD_SINCE = {
  /** Rule `keep_firing_for`. */
  keep_firing_for: [2, 42],
  /** Group `query_offset`. */
  query_offset: [2, 53],
  /** Group `labels`. */
  labels: [3, 0],
} as const satisfies Record<string, readonly [number, number]>;

export type PrometheusField = keyof typeof PROMETHEUS_FIELD_SINCE;

/** "2.53", "2.53.1" or "v3.0" at or after [major, minor]; anything unparsable counts as old. */
export function versionAtLeast(version: string, [major, minor]: readonly [number, number]): boolean {
  const match = /^v?(\d+)\.(\d+)/.exec(version);
  if (!match) return false;
  const [have, haveMinor] = [Number(match[1]), Number(match[2])];
  return have > major || (have === major && haveMinor >= minor);
}

export const accepts = (version: string, field: PrometheusField) => versionAtLeast(version, PROMETHEUS_FIELD_SINCE[field]);

export const sinceText = (field: PrometheusField) => PROMETHEUS_FIELD_SINCE[field].join(".");
