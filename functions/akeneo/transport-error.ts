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
