const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

/**
 * Counts the objects and arrays of a JSON text as its bytes arrive, without parsing it: what `JSON.parse` would
 * build, and what a page costs the heap beyond its bytes. Braces and brackets inside strings do not count. UTF-8
 * continuation bytes are all above 0x7f, so they never look like a quote or a backslash.
 */
export class JsonContainerCounter {
  private inString = false;
  private escaped = false;
  private total = 0;

  get count(): number {
    return this.total;
  }

  add(bytes: Uint8Array): number {
    for (let index = 0; index < bytes.length; index += 1) {
      const byte = bytes[index];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) this.inString = false;
      } else if (byte === QUOTE) this.inString = true;
      else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) this.total += 1;
    }
    return this.total;
  }
}
