const FULL_WIDTH_FIRST = 0xff01;
const FULL_WIDTH_LAST = 0xff5e;
const FULL_WIDTH_OFFSET = 0xfee0;

/**
 * Removes all whitespace (including the ideographic space) and folds full-width ASCII to half-width,
 * because numbers typed with a Chinese input method arrive as `５００１０６…`.
 */
export function foldToHalfWidth(input: string): string {
  let folded = '';
  for (const char of input.replace(/\s+/gu, '')) {
    const code = char.codePointAt(0) ?? 0;
    folded += code >= FULL_WIDTH_FIRST && code <= FULL_WIDTH_LAST ? String.fromCodePoint(code - FULL_WIDTH_OFFSET) : char;
  }
  return folded;
}
