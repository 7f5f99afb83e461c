export { DynamoDbConnectionStore } from './dynamodb';
export { DynamoDbActiveConnections, DynamoDbSyncStateStore } from './dynamodb-sync';
export { ConnectionChangedError } from './errors';
export type { ConnectionStore } from './interface';
export type { ActiveConnections, CompletedRun, InactiveChange, SyncStateStore } from './sync-interface';
