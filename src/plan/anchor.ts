/**
 * The anchor GitHub gives a Markdown heading (github-slugger): lowercase; letters, combining
 * marks, decimal digits, connector punctuation and "-" kept, everything else dropped; each
 * space turned into "-".
 */
export function githubAnchor(heading: string): string {
  // Markdown trims a heading's text before GitHub sees it.
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{Nd}\p{Pc}\- ]/gu, "")
    .replace(/ /g, "-");
}

/**
 * The anchors GitHub gives the headings of one page, in order: a repeated anchor gets "-1",
 * "-2"... (github-slugger's occurrence counting), so that two alerts whose names differ only
 * in case each link to their own section.
 */
export function githubAnchors(headings: readonly string[]): string[] {
  const occurrences = new Map<string, number>();
  return headings.map((heading) => {
    const original = githubAnchor(heading);
    let anchor = original;
    while (occurrences.has(anchor)) {
      const count = occurrences.get(original)! + 1;
      occurrences.set(original, count);
      anchor = `${original}-${count}`;
    }
    occurrences.set(anchor, 0);
    return anchor;
  });
}
