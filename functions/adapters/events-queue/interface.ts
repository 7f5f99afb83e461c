import type { ProductEventMessageBody } from '../../contract/product-event-message';

/**
 * Where accepted product events wait for the event worker: a FIFO queue on AWS, one message group per PIM host (a
 * PIM's events are applied in the order they were accepted), deduplicated by event id (an event delivered twice
 * within SQS's 5-minute window is queued once).
 */
export interface ProductEventQueue {
  send(message: ProductEventMessageBody): Promise<void>;
}
