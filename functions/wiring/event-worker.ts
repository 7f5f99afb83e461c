import type { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDbConnectionAccessStore } from '../adapters/connection-store';
import type { RunEvents } from '../adapters/run-events';
import { type Config, requireSetting } from '../config';
import type { RetryPolicy } from '../core/backoff';
import type { QueuedProductEvent } from '../core/product-event-batch';
import { createLogger } from '../observability/logger';
import { applyProductEvents, type ProductEventsOutcome } from '../use-cases/apply-product-events';
import { createCallSlots } from './adapters/call-slots';
import { createDocumentClient } from './adapters/dynamodb';
import { createProductSink } from './adapters/product-sink';
import { createRunEvents } from './adapters/run-events';
import { createTokenCipher } from './adapters/token-cipher';
import { type AwsClients, awsClients } from './aws-clients';
import { pimAccessOver } from './pim-access';
import type { RuntimeOptions } from './runtime-options';

/** Everything the event worker handler uses. */
export interface EventWorkerHandlerDeps {
  readonly applyProductEvents: (
    pimHost: string,
    events: readonly QueuedProductEvent[],
  ) => Promise<ProductEventsOutcome>;
  readonly logger: Logger;
}

export interface EventWorkerOptions extends Pick<RuntimeOptions, 'now'> {
  /** Tests shorten the backoff; the defaults follow Akeneo's advice. */
  readonly retry?: RetryPolicy;
  /** Told of each run-completed event once it is published. */
  readonly runEvents?: RunEvents;
}

/**
 * The event worker reads connections (and marks them on a 401 or a 403), decrypts tokens, takes the PIM's call slots,
 * writes to the sink and publishes each run's event.
 */
export function createEventWorkerAdapters(config: Config, aws: AwsClients = awsClients('event-worker')) {
  return {
    store: new DynamoDbConnectionAccessStore({
      client: createDocumentClient(config, aws),
      tableName: requireSetting(config, 'connectionsTableName'),
    }),
    cipher: createTokenCipher(config, aws),
    callSlots: createCallSlots(config, aws),
    sink: createProductSink(config, aws),
    runEvents: createRunEvents(config, aws),
  };
}

/** Everything the event worker uses, chosen from the configuration once per cold start. */
export function createEventWorkerDeps(config: Config, options: EventWorkerOptions = {}): EventWorkerHandlerDeps {
  const { store, cipher, callSlots, sink, runEvents } = createEventWorkerAdapters(config);
  const now = () => new Date((options.now?.() ?? Date.now() / 1000) * 1000);
  return {
    applyProductEvents: applyProductEvents({
      pims: pimAccessOver(
        config,
        { store, cipher },
        { now, callSlots, ...(options.retry ? { retry: options.retry } : {}) },
      ),
      sink,
      runEvents: options.runEvents ?? runEvents,
      now,
    }),
    logger: createLogger(config),
  };
}
