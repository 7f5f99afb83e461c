const NEWLINE = 0x0a;

/**
 * Cuts a streamed NDJSON answer into its lines as the bytes arrive: a line is given once its newline has come, the
 * last one (Akeneo ends its collection answers without a newline) at `end()`. Bytes are split before decoding, so a
 * character cut between two chunks stays whole (a newline byte is never part of a multi-byte UTF-8 character).
 */
export class NdjsonLineReader {
  private pending: Buffer[] = [];

  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let newline = chunk.indexOf(NEWLINE); newline !== -1; newline = chunk.indexOf(NEWLINE, start)) {
      this.pending.push(chunk.subarray(start, newline));
      lines.push(Buffer.concat(this.pending).toString('utf8'));
      this.pending = [];
      start = newline + 1;
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
    return lines;
  }

  /** The last line, when the answer did not end with a newline. */
  end(): string[] {
    const rest = Buffer.concat(this.pending).toString('utf8');
    this.pending = [];
    return rest === '' ? [] : [rest];
  }
}
