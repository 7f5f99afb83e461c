import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDbSyncStateStore } from '../adapters/connection-store';
import { LocalDirectoryProductSink, type ProductSink, S3ProductSink } from '../adapters/product-sink';
import type { SyncQueue } from '../adapters/sync-queue';
import { AkeneoRestClient, type RetryEvent } from '../akeneo/rest-client';
import { type Config, requireSetting } from '../config';
import type { RetryPolicy } from '../core/backoff';
import { syncProducts } from '../use-cases/sync-products';
import { type AwsCallingFunction, awsClientOptions } from './aws-client-options';
import { createSyncQueue } from './dispatch-deps';
import { createDocumentClient, type RuntimeOptions, systemRandomBytes } from './shared';
import { createTokenCipher } from './token-cipher';

/** Time the worker keeps for the last write, the checkpoint and the continuation once it must stop. */
export const WORKER_RESERVE_MS = 45_000;

/** S3 when a bucket is configured (always on AWS); otherwise, locally, `DATA_DIR/exports/`. */
export function createProductSink(config: Config, caller?: AwsCallingFunction): ProductSink {
  if (config.exportBucketName !== undefined || config.mode === 'aws') {
    return new S3ProductSink({
      client: new S3Client({ forcePathStyle: config.s3ForcePathStyle, ...awsClientOptions(caller) }),
      bucketName: requireSetting(config, 'exportBucketName'),
    });
  }
  return new LocalDirectoryProductSink(join(config.dataDir, 'exports'));
}

/**
 * The worker reads and updates connections, decrypts tokens (and sends them only where the sealed host says), writes
 * to the sink, and queues continuations.
 */
export function createWorkerAdapters(config: Config, overrides: { readonly queue?: SyncQueue } = {}) {
  return {
    pimUrlPolicy: { local: config.mode === 'local' },
    store: new DynamoDbSyncStateStore({
      client: createDocumentClient(config, 'sync-worker'),
      tableName: requireSetting(config, 'connectionsTableName'),
    }),
    cipher: createTokenCipher(config, 'sync-worker'),
    sink: createProductSink(config, 'sync-worker'),
    queue: overrides.queue ?? createSyncQueue(config, 'sync-worker'),
  };
}

export interface SyncRetryEvent extends RetryEvent {
  readonly pimHost: string;
}

export interface WorkerOptions extends RuntimeOptions {
  readonly queue?: SyncQueue;
  readonly reserveMs?: number;
  readonly onPage?: Parameters<typeof syncProducts>[0]['onPage'];
  /** Told of each wait before a retry, with the PIM it is for. */
  readonly onRetry?: (event: SyncRetryEvent) => void;
  /** Tests shorten the backoff; the defaults follow Akeneo's advice. */
  readonly retry?: RetryPolicy;
}

export function createSyncProducts(config: Config, options: WorkerOptions = {}) {
  return syncProducts({
    ...createWorkerAdapters(config, options),
    openPim: (pimUrl, accessToken, { pimHost, waitBudgetMs }) =>
      new AkeneoRestClient({
        pimUrl,
        accessToken,
        waitBudgetMs,
        onRetry: (event) => options.onRetry?.({ ...event, pimHost }),
        retry: options.retry,
      }),
    overlapSeconds: config.syncOverlapSeconds,
    reserveMs: options.reserveMs ?? WORKER_RESERVE_MS,
    now: () => new Date((options.now?.() ?? Date.now() / 1000) * 1000),
    randomBytes: options.randomBytes ?? systemRandomBytes,
    onPage: options.onPage,
  });
}
