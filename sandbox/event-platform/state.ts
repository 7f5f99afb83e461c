import type { SandboxStore } from '../sandbox-state';
import type { EventPlatformState } from './model';

/** The Event Platform's state, created on first use (a state file written before it has none). */
export function eventPlatformState(store: SandboxStore): EventPlatformState {
  store.state.eventPlatform ??= { permissions: [], subscribers: [], subscriptions: [] };
  return store.state.eventPlatform;
}
