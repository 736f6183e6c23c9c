/**
 * Property runs are reproducible: a fixed seed unless VIGIL_PROPERTY_SEED says otherwise, and
 * the seed is printed so that a failure seen in CI can be replayed locally.
 */
export const DEFAULT_SEED = 20261108;

export function propertySeed(suite: string): number {
  const text = process.env.VIGIL_PROPERTY_SEED;
  const seed = text === undefined || text === "" ? DEFAULT_SEED : Number(text);
  if (!Number.isSafeInteger(seed)) throw new Error(`VIGIL_PROPERTY_SEED must be an integer, got ${JSON.stringify(text)}`);
  console.log(`${suite}: seed ${seed} (replay with VIGIL_PROPERTY_SEED=${seed})`);
  return seed;
}

/** How many runs, from VIGIL_PROPERTY_RUNS when set (a longer local soak), else the default. */
export function propertyRuns(fallback: number): number {
  const runs = Number(process.env.VIGIL_PROPERTY_RUNS);
  return Number.isSafeInteger(runs) && runs > 0 ? runs : fallback;
}
