/**
 * The anchor GitHub gives a Markdown heading: lowercase, punctuation other than "-" and "_"
 * dropped, spaces turned into "-".
 */
export function githubAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}
