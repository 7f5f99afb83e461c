import type { IncomingMessage } from 'node:http';

/** A line over the PIM's input buffer: its content is dropped, only its place is kept. */
export const TOO_LONG = Symbol('line too long');
export type CollectionLine = string | typeof TOO_LONG;

export interface CollectionBody {
  /** Every line of the body; past `maxLines`, only counted (`lines` then stops growing). */
  readonly count: number;
  readonly lines: readonly CollectionLine[];
}

const NEWLINE = 0x0a;

/**
 * Reads an NDJSON body line by line, as Akeneo's StreamResourceResponse does: lines end with `\n` (a last line
 * without one counts, an empty remainder does not), and a line longer than `maxLineBytes` bytes is kept as TOO_LONG
 * whatever its size. Reads the whole body, so that a request over `maxLines` lines is refused before any is applied.
 */
export async function readCollectionBody(
  request: IncomingMessage,
  limits: { maxLines: number; maxLineBytes: number },
): Promise<CollectionBody> {
  const lines: CollectionLine[] = [];
  let count = 0;
  let parts: Buffer[] = [];
  let length = 0;
  let tooLong = false;
  const endLine = () => {
    count += 1;
    if (count <= limits.maxLines) lines.push(tooLong ? TOO_LONG : Buffer.concat(parts, length).toString('utf8'));
    parts = [];
    length = 0;
    tooLong = false;
  };
  const keep = (piece: Buffer) => {
    length += piece.length;
    if (length > limits.maxLineBytes) tooLong = true;
    if (!tooLong && count < limits.maxLines) parts.push(piece);
  };
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    let start = 0;
    for (let newline = buffer.indexOf(NEWLINE); newline !== -1; newline = buffer.indexOf(NEWLINE, start)) {
      keep(buffer.subarray(start, newline));
      endLine();
      start = newline + 1;
    }
    if (start < buffer.length) keep(buffer.subarray(start));
  }
  if (length > 0) endLine();
  return { count, lines };
}
