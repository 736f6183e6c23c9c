/**
 * Line and column (1-based) of `needle` in a fixture's text: its `occurrence`-th appearance
 * (0 the first), moved `shift` characters on. Diagnostics are compared with these.
 */
export function positionOf(content: string, needle: string, occurrence = 0, shift = 0): { line: number; column: number } {
  let index = -1;
  for (let i = 0; i <= occurrence; i++) index = content.indexOf(needle, index + 1);
  if (index < 0) throw new Error(`test fixture does not contain ${needle}`);
  const before = content.slice(0, index + shift).split("\n");
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

/** The location of the first `needle` in `file`, whose text is `content`. */
export const at = (file: string, content: string, needle: string) => ({ file, ...positionOf(content, needle) });
