export { InMemoryProductEventQueue } from './in-memory';
export type { ProductEventQueue } from './interface';
export { SqsProductEventQueue } from './sqs';
