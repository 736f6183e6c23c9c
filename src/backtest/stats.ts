import type { Episode } from "./replay.js";

/** What a backtest says about one alert: the numbers a reviewer compares. */
export interface EpisodeStats {
  /** Firing episodes (each label set counts its own). */
  episodes: number;
  /** Sum of the episodes' durations, ms. */
  firingMs: number;
  /** The longest episode, ms (0 when none). */
  longestMs: number;
  /** Resolved episodes shorter than the flap threshold. */
  flapping: number;
  /** Episodes still firing at the end of the range (never counted as flapping: their end is unknown). */
  ongoing: number;
  /** Label sets that fired at least once. */
  seriesFiring: number;
}

export function episodeStats(episodes: readonly Episode[], flapMs: number): EpisodeStats {
  const keys = new Set(episodes.map((e) => labelKey(e.labels)));
  return {
    episodes: episodes.length,
    firingMs: episodes.reduce((sum, e) => sum + e.durationMs, 0),
    longestMs: episodes.reduce((max, e) => Math.max(max, e.durationMs), 0),
    flapping: episodes.filter((e) => isFlapping(e, flapMs)).length,
    ongoing: episodes.filter((e) => e.resolvedAt === undefined).length,
    seriesFiring: keys.size,
  };
}

export function isFlapping(episode: Episode, flapMs: number): boolean {
  return episode.resolvedAt !== undefined && episode.durationMs < flapMs;
}

/**
 * The shortest `for`, in whole evaluation intervals and never shorter than `currentForMs`, that
 * would have kept every flapping episode pending until its condition cleared: one interval more
 * than the longest unbroken run of the condition behind a flapping episode. Undefined when
 * nothing flapped.
 */
export function forWithoutFlapping(episodes: readonly Episode[], flapMs: number, intervalMs: number, currentForMs: number): number | undefined {
  const flapping = episodes.filter((e) => isFlapping(e, flapMs));
  if (flapping.length === 0) return undefined;
  const held = Math.max(...flapping.map((e) => e.heldMs));
  return Math.max(currentForMs, held + intervalMs);
}

/** A label set as one stable string: sorted `name="value"` pairs. */
export function labelKey(labels: Record<string, string>): string {
  return `{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(", ")}}`;
}
