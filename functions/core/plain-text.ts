// biome-ignore-all lint/suspicious/noControlCharactersInRegex: finding control characters is this module's job.

/** Line breaks and tabs, including Unicode's own (NEL, line and paragraph separators). */
const LINE_BREAKS_AND_TABS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;
/** C0 controls (ESC, BEL, NUL, …), DEL and C1 controls (CSI, OSC, …): a terminal acts on them instead of showing them. */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Text from outside (a PIM's message, names, scopes) made safe to store and to print: each run of line breaks and
 * tabs becomes one space, every other control character goes, so no escape sequence can move a terminal's cursor,
 * clear its screen or set its title. Printable characters, ordinary spaces included, are kept as they are.
 */
export function withoutControlCharacters(text: string): string {
  return text.replace(LINE_BREAKS_AND_TABS, ' ').replace(CONTROL_CHARACTERS, '');
}
