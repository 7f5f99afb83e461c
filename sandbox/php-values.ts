/**
 * PHP's `gettype()` of a decoded JSON value, as Akeneo's error messages name it: a JSON object decodes to a PHP
 * array, a number without a fraction to an integer and one with a fraction to a double.
 */
export function phpType(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'double';
  return 'array';
}

/**
 * What PHP's `json_encode` writes without flags (Akeneo's collection responses): `/` escaped, and every character
 * outside ASCII as a `\uXXXX` escape of its UTF-16 code units.
 */
export function phpJsonEncode(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll('/', '\\/')
    .replace(/[\u0080-\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * PHP's `(int)` of a query string value, as Akeneo reads `limit` and `page`: leading whitespace, then the longest
 * numeric prefix (a fraction or an exponent included), truncated toward zero; 0 when there is none ("abc", "").
 */
export function phpIntCast(text: string): number {
  const match = /^[ \t\n\r\v\f]*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)/.exec(text);
  const value = match ? Number(match[1]) : 0;
  return Number.isFinite(value) ? Math.trunc(value) : 0;
}
