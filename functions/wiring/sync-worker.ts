import type { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDbSyncStateStore } from '../adapters/connection-store';
import type { SyncQueue } from '../adapters/sync-queue';
import { AkeneoRestClient, type RetryEvent } from '../akeneo/rest-client';
import { type Config, requireSetting } from '../config';
import type { RetryPolicy } from '../core/backoff';
import { createLogger } from '../observability/logger';
import { type SyncProducts, type SyncProductsDeps, syncProducts } from '../use-cases/sync-products';
import { createCallSlots } from './adapters/call-slots';
import { createDocumentClient } from './adapters/dynamodb';
import { createProductSink } from './adapters/product-sink';
import { createSyncQueue } from './adapters/sync-queue';
import { createTokenCipher } from './adapters/token-cipher';
import { type AwsClients, awsClients } from './aws-clients';
import { type RuntimeOptions, systemRandomBytes } from './runtime-options';

/** Time the worker keeps for the last write, the checkpoint and the continuation once it must stop. */
export const WORKER_RESERVE_MS = 45_000;

/** Everything the sync worker handler uses. */
export interface SyncWorkerHandlerDeps {
  readonly syncProducts: SyncProducts;
  readonly logger: Logger;
}

export interface SyncRetryEvent extends RetryEvent {
  readonly pimHost: string;
}

export interface SyncWorkerOptions extends RuntimeOptions {
  /** Where continuations go instead of SQS: the local run's in-memory queue. */
  readonly queue?: SyncQueue;
  readonly reserveMs?: number;
  readonly onPage?: SyncProductsDeps['onPage'];
  /** Told of each wait before a retry, with the PIM it is for. */
  readonly onRetry?: (event: SyncRetryEvent) => void;
  /** Tests shorten the backoff; the defaults follow Akeneo's advice. */
  readonly retry?: RetryPolicy;
}

/**
 * The worker reads and updates connections, decrypts tokens (and sends them only where the sealed host says), takes
 * the PIM's call slots, writes to the sink, and queues continuations.
 */
export function createSyncWorkerAdapters(
  config: Config,
  options: Pick<SyncWorkerOptions, 'queue'> = {},
  aws: AwsClients = awsClients('sync-worker'),
) {
  return {
    pimUrlPolicy: { local: config.mode === 'local' },
    store: new DynamoDbSyncStateStore({
      client: createDocumentClient(config, aws),
      tableName: requireSetting(config, 'connectionsTableName'),
    }),
    cipher: createTokenCipher(config, aws),
    callSlots: createCallSlots(config, aws),
    sink: createProductSink(config, aws),
    queue: options.queue ?? createSyncQueue(config, aws),
  };
}

/** Everything the worker uses, chosen from the configuration once per cold start. */
export function createSyncWorkerDeps(config: Config, options: SyncWorkerOptions = {}): SyncWorkerHandlerDeps {
  const { callSlots, ...adapters } = createSyncWorkerAdapters(config, options);
  return {
    syncProducts: syncProducts({
      ...adapters,
      openPim: (pimUrl, accessToken, { pimHost, waitBudgetMs }) =>
        new AkeneoRestClient({
          pimUrl,
          accessToken,
          callSlots,
          waitBudgetMs,
          onRetry: (event) => options.onRetry?.({ ...event, pimHost }),
          retry: options.retry,
        }),
      overlapSeconds: config.syncOverlapSeconds,
      reserveMs: options.reserveMs ?? WORKER_RESERVE_MS,
      now: () => new Date((options.now?.() ?? Date.now() / 1000) * 1000),
      randomBytes: options.randomBytes ?? systemRandomBytes,
      onPage: options.onPage,
    }),
    logger: createLogger(config),
  };
}
