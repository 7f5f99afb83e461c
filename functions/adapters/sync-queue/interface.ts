import type { SyncMessageBody } from '../../contract/sync-message';

/** One sync to run for one PIM (see `SyncMessageBody`), and its deduplication id. */
export interface SyncMessage extends SyncMessageBody {
  /** The same id for the same PIM and schedule slot (or the same checkpoint): sent twice, delivered once. */
  readonly deduplicationId: string;
}

/** Where sync work waits: a FIFO queue on AWS (one PIM at a time: the PIM host is the message group). */
export interface SyncQueue {
  /** Sends the messages; returns how many calls it took (batches of up to ten). */
  send(messages: readonly SyncMessage[]): Promise<number>;
}
