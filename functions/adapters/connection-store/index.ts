export { DynamoDbConnectionStore } from './dynamodb';
export type { ConnectionStore } from './interface';
