import type { SyncMessage, SyncQueue } from './interface';

/**
 * The local run's queue: FIFO, deduplicated by id like SQS FIFO's five-minute window (here: for the queue's
 * life), drained by the local sync runner in the same process.
 */
export class InMemorySyncQueue implements SyncQueue {
  private readonly waiting: SyncMessage[] = [];
  private readonly seen = new Set<string>();

  async send(messages: readonly SyncMessage[]): Promise<number> {
    for (const message of messages) {
      if (this.seen.has(message.deduplicationId)) continue;
      this.seen.add(message.deduplicationId);
      this.waiting.push(message);
    }
    return Math.ceil(messages.length / 10);
  }

  take(): SyncMessage | undefined {
    return this.waiting.shift();
  }

  get size(): number {
    return this.waiting.length;
  }
}
