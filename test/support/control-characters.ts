/**
 * The control characters in a text (C0 such as ESC and BEL, DEL, C1 such as CSI), as `U+001B`…: what a terminal acts
 * on instead of showing. Line breaks count too; a caller that expects them takes them out first.
 */
export function controlCharactersIn(text: string): string[] {
  return [...text]
    .map((character) => character.codePointAt(0) ?? 0)
    .filter((code) => code < 0x20 || (code >= 0x7f && code <= 0x9f))
    .map((code) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`);
}
