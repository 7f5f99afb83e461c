import type { InMemoryProductEventQueue } from '../functions/adapters/events-queue';
import type { Config } from '../functions/config';
import type { ProductEventMessageBody } from '../functions/contract/product-event-message';
import type { ProductEventsOutcome } from '../functions/use-cases/apply-product-events';
import { createEventWorkerDeps, type EventWorkerOptions } from '../functions/wiring/event-worker';

/** As many messages as the stack's event source mapping gives the event worker at once. */
export const LOCAL_EVENT_BATCH_SIZE = 10;

export interface LocalEventWorkerOptions extends EventWorkerOptions {
  /** A local-mode configuration, its database already running. */
  readonly config: Config;
  readonly queue: InMemoryProductEventQueue;
  readonly onOutcome?: (pimHost: string, outcome: ProductEventsOutcome) => void;
  readonly onFailure?: (pimHost: string, error: unknown) => void;
}

export interface LocalEventWorker {
  /** Resolves once every message queued so far is applied. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The event worker in the local server's process: it drains the in-memory events queue as messages arrive, a batch at
 * a time, each PIM's events as one run (the same use case the Lambda runs). A batch that fails is logged and dropped
 * (the scheduled sync catches up); SQS would retry it on AWS.
 */
export function startLocalEventWorker(options: LocalEventWorkerOptions): LocalEventWorker {
  const { applyProductEvents } = createEventWorkerDeps(options.config, options);
  let running: Promise<void> = Promise.resolve();
  let closed = false;
  const drain = async () => {
    for (let batch = options.queue.take(LOCAL_EVENT_BATCH_SIZE); batch.length > 0 && !closed; ) {
      const byPim = new Map<string, ProductEventMessageBody[]>();
      for (const message of batch) byPim.set(message.pimHost, [...(byPim.get(message.pimHost) ?? []), message]);
      for (const [pimHost, events] of byPim) {
        try {
          options.onOutcome?.(pimHost, await applyProductEvents(pimHost, events));
        } catch (error) {
          options.onFailure?.(pimHost, error);
        }
      }
      batch = options.queue.take(LOCAL_EVENT_BATCH_SIZE);
    }
  };
  options.queue.onMessage(() => {
    running = running.then(drain);
  });
  return {
    idle: async () => {
      while (options.queue.size > 0) {
        running = running.then(drain);
        await running;
      }
      await running;
    },
    close: async () => {
      closed = true;
      await running;
    },
  };
}
