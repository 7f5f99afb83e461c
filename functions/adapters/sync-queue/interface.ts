/** One sync to run for one PIM: a scheduled one, or the continuation of a run that stopped for lack of time. */
export interface SyncMessage {
  readonly pimHost: string;
  readonly kind: 'scheduled' | 'continuation';
  /** A continuation resumes this run only: if the run already ended, the message has nothing to do. */
  readonly runId?: string;
  /** The same id for the same PIM and schedule slot (or the same checkpoint): sent twice, delivered once. */
  readonly deduplicationId: string;
}

/** Where sync work waits: a FIFO queue on AWS (one PIM at a time: the PIM host is the message group). */
export interface SyncQueue {
  /** Sends the messages; returns how many calls it took (batches of up to ten). */
  send(messages: readonly SyncMessage[]): Promise<number>;
}
