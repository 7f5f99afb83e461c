export type { ConnectionAccessStore, InactiveChange } from './access-interface';
export { DynamoDbConnectionStore } from './dynamodb';
export { DynamoDbConnectionAccessStore } from './dynamodb-access';
export { DynamoDbActiveConnections, DynamoDbReconcileDueConnections, DynamoDbSyncStateStore } from './dynamodb-sync';
export { ConnectionChangedError } from './errors';
export type { ConnectionStore } from './interface';
export type {
  ActiveConnections,
  CompletedReconciliation,
  CompletedRun,
  ReconcileDueConnections,
  ReconcileStateStore,
  SyncStateStore,
} from './sync-interface';
