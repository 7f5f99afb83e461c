export type { ConnectionAccessStore, InactiveChange } from './access-interface';
export { DynamoDbConnectionStore } from './dynamodb';
export { DynamoDbConnectionAccessStore } from './dynamodb-access';
export { DynamoDbActiveConnections, DynamoDbSyncStateStore } from './dynamodb-sync';
export { DynamoDbSyncTimes } from './dynamodb-sync-times';
export { ConnectionChangedError } from './errors';
export type { ScopesNoticeStore, SyncHealthStore } from './health-interface';
export type { ConnectionStore } from './interface';
export type { ActiveConnections, CompletedRun, SyncStateStore, SyncTimes } from './sync-interface';
