export { EventBridgeRunEvents } from './eventbridge';
export type { RunEvents } from './interface';
export { LocalDirectoryRunEvents } from './local-directory';
