const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Where a list page's `_embedded.items` are in its JSON text. */
export interface ListItemSpans {
  /** Just after the array's `[`. */
  readonly open: number;
  /** At the array's `]`. */
  readonly close: number;
  /** Each item's text, `[start, end)`. */
  readonly items: ReadonlyArray<readonly [number, number]>;
}

/** Index just past the string whose opening quote is at `start`, or -1 when it never ends. */
function stringEnd(text: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

const isJsonWhitespace = (code: number) => code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;

/**
 * Finds the items of a list page (`{"_links": …, "_embedded": {"items": [{…}, …]}}`) in its text without parsing it:
 * strings are skipped with the native `indexOf`, and only the structure around them is read. Undefined when the text
 * is not that shape as this reads it (an item that is not an object or an array, a key written with escapes, a text
 * that is no JSON at all): the caller then parses the whole page, which says what is wrong. It checks the array's
 * commas and nothing inside the items or outside the array: the caller parses each item, and the page with the
 * array emptied.
 */
export function listItemSpans(text: string): ListItemSpans | undefined {
  /** The key each open container was opened under ('' for the page and for array elements). */
  const keys: string[] = [];
  let key = '';
  let open = -1;
  const items: Array<readonly [number, number]> = [];
  let itemStart = -1;
  let expectingItem = false;
  const inItems = () => open >= 0 && keys.length === 3;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      const end = stringEnd(text, index);
      if (end < 0 || inItems()) return undefined;
      if (open < 0 && keys.length <= 2) key = text.slice(index + 1, end - 1);
      index = end - 1;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      if (inItems()) {
        if (!expectingItem) return undefined;
        expectingItem = false;
        itemStart = index;
      }
      keys.push(key);
      key = '';
      if (open < 0 && code === OPEN_BRACKET && keys.length === 3 && keys[1] === '_embedded' && keys[2] === 'items') {
        open = index + 1;
        expectingItem = true;
      }
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      if (inItems()) {
        if (expectingItem && items.length > 0) return undefined;
        return { open, close: index, items };
      }
      keys.pop();
      if (inItems()) {
        items.push([itemStart, index + 1]);
        itemStart = -1;
      }
    } else if (inItems()) {
      if (code === COMMA && !expectingItem) expectingItem = true;
      else if (!isJsonWhitespace(code)) return undefined;
    }
  }
  return undefined;
}
