export { DynamoDbConnectionStore } from './dynamodb';
export { ConnectionChangedError, DynamoDbActiveConnections, DynamoDbSyncStateStore } from './dynamodb-sync';
export type { ConnectionStore } from './interface';
export type { ActiveConnections, CompletedRun, InactiveChange, SyncStateStore } from './sync-interface';
