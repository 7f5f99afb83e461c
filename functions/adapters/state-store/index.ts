export { DynamoDbStateStore } from './dynamodb';
export type { StateStore } from './interface';
