export { DynamoDbCallSlots, type DynamoDbCallSlotsOptions } from './dynamodb';
export { InProcessCallSlots } from './in-process';
export type { CallSlotLimits, CallSlots } from './interface';
