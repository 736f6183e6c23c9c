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
