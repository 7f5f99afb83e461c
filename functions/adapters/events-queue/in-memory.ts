import { deduplicationIdOf, type ProductEventMessageBody } from '../../contract/product-event-message';
import type { ProductEventQueue } from './interface';

/**
 * The local run's events queue: FIFO, deduplicated by event id like SQS FIFO (here: for the queue's life), drained by
 * the local event worker in the same process. `onMessage` wakes it.
 */
export class InMemoryProductEventQueue implements ProductEventQueue {
  private readonly waiting: ProductEventMessageBody[] = [];
  private readonly seen = new Set<string>();
  private readonly listeners: Array<() => void> = [];
  /** Messages queued since the queue was made (a duplicate is not queued). */
  queued = 0;

  async send(message: ProductEventMessageBody): Promise<void> {
    const id = deduplicationIdOf(message.eventId);
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.waiting.push(message);
    this.queued += 1;
    for (const listener of this.listeners) listener();
  }

  /** Takes up to `max` waiting messages, oldest first. */
  take(max: number): ProductEventMessageBody[] {
    return this.waiting.splice(0, max);
  }

  get size(): number {
    return this.waiting.length;
  }

  onMessage(listener: () => void): void {
    this.listeners.push(listener);
  }
}
