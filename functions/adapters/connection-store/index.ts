export type { ConnectionAccessStore, InactiveChange } from './access-interface';
export type { CatalogSetupStore, CatalogSyncStore, StoredCatalog } from './catalog-interface';
export { DynamoDbConnectionStore } from './dynamodb';
export { DynamoDbConnectionAccessStore } from './dynamodb-access';
export { DynamoDbCatalogStore } from './dynamodb-catalog';
export { DynamoDbActiveConnections, DynamoDbSyncStateStore } from './dynamodb-sync';
export { ConnectionChangedError } from './errors';
export type { ConnectionStore } from './interface';
export type { ActiveConnections, CompletedRun, SyncStateStore } from './sync-interface';
