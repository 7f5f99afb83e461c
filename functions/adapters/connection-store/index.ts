export type { ConnectionAccessStore, InactiveChange } from './access-interface';
export type { CatalogSetupStore, CatalogSyncStore, StoredCatalog } from './catalog-interface';
export { DynamoDbConnectionStore } from './dynamodb';
export { DynamoDbConnectionAccessStore } from './dynamodb-access';
export { DynamoDbCatalogStore } from './dynamodb-catalog';
export { DynamoDbEventPlatformStateStore } from './dynamodb-event-platform';
export { DynamoDbActiveConnections, DynamoDbReconcileDueConnections, DynamoDbSyncStateStore } from './dynamodb-sync';
export { DynamoDbSyncTimes } from './dynamodb-sync-times';
export { ConnectionChangedError } from './errors';
export type { EventPlatformStateStore, SubscriptionChange } from './event-platform-interface';
export type { ScopesNoticeStore, SyncHealthStore } from './health-interface';
export type { ConnectionStore } from './interface';
export type {
  ActiveConnections,
  CompletedReconciliation,
  CompletedRun,
  ReconcileDueConnections,
  ReconcileStateStore,
  SyncStateStore,
  SyncTimes,
} from './sync-interface';
