/**
 * Splitting a range query into pieces Prometheus accepts. Prometheus refuses a range query whose
 * `(end - start) / step` exceeds 11,000 ("exceeded maximum resolution of 11,000 points per
 * timeseries"); the pieces here hold at most `maxPoints` evaluation times each, all on the same
 * grid `start + k * step`, back to back with no overlap and no gap.
 */

export const MAX_POINTS = 11_000;

export interface TimeChunk {
  /** First evaluation time of the piece, Unix ms. */
  startMs: number;
  /** Last evaluation time of the piece, Unix ms (on the grid). */
  endMs: number;
  /** Evaluation times in the piece. */
  points: number;
}

export function chunkRange(startMs: number, endMs: number, stepMs: number, maxPoints: number = MAX_POINTS): TimeChunk[] {
  if (!(stepMs > 0)) throw new Error(`chunkRange: step must be > 0, got ${stepMs}`);
  if (!(maxPoints >= 1) || !Number.isInteger(maxPoints)) throw new Error(`chunkRange: maxPoints must be a whole number >= 1, got ${maxPoints}`);
  if (endMs < startMs) return [];
  const total = Math.floor((endMs - startMs) / stepMs) + 1;
  const chunks: TimeChunk[] = [];
  for (let first = 0; first < total; first += maxPoints) {
    const points = Math.min(maxPoints, total - first);
    chunks.push({ startMs: startMs + first * stepMs, endMs: startMs + (first + points - 1) * stepMs, points });
  }
  return chunks;
}
