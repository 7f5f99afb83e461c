/*
 * The transport's own signals, not errors of the app: they never leave functions/akeneo/, where pim-http.ts and
 * rest-client.ts turn each into a coded error (`PimUnavailableError`, `PageTooLargeError`) with it as the cause.
 */

/** A call to a PIM did not produce a whole answer; `reason` says why in a few words fit for a log line. */
export class TransportError extends Error {
  constructor(
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(reason, options);
    this.name = 'TransportError';
  }
}

/** The answer went past a limit the caller set (its size, or what it would cost to parse): it was not read further. */
export class AnswerTooLargeError extends TransportError {
  constructor(
    /** Which limit: the answer's size, or the objects and arrays its JSON would build. */
    readonly limit: 'bytes' | 'objects',
  ) {
    super('answer too large');
    this.name = 'AnswerTooLargeError';
  }
}
