export { InProcessCallSlots } from './in-process';
export type { CallSlots } from './interface';
