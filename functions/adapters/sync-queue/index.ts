export { InMemorySyncQueue } from './in-memory';
export type { SyncMessage, SyncQueue } from './interface';
export { SQS_BATCH_SIZE, SqsSyncQueue } from './sqs';
