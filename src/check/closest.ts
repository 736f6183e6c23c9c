/** Levenshtein distance: insertions, deletions and substitutions of one character. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * Up to `max` known names within a third of `name`'s length in edits (at least `minLimit`),
 * closest first, ties alphabetical: the "did you mean" of a misspelt name.
 */
export function closeNames(name: string, known: Iterable<string>, options: { max?: number; minLimit?: number; ignoreCase?: boolean } = {}): string[] {
  const fold = (s: string) => (options.ignoreCase ? s.toLowerCase() : s);
  const limit = Math.max(options.minLimit ?? 2, Math.floor(name.length / 3));
  const target = fold(name);
  return [...known]
    .filter((k) => Math.abs(k.length - name.length) <= limit)
    .map((k) => ({ k, d: editDistance(target, fold(k)) }))
    .filter((x) => x.d <= limit)
    .sort((x, y) => x.d - y.d || (x.k < y.k ? -1 : x.k > y.k ? 1 : 0))
    .slice(0, options.max ?? 3)
    .map((x) => x.k);
}
