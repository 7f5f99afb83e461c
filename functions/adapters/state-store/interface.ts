import type { AuthorizationState } from '../../core/state';

/** Server-side authorization states: saved by Activate, consumed exactly once by Callback. */
export interface StateStore {
  save(state: AuthorizationState): Promise<void>;
  /**
   * Marks the state used in one conditional write and returns it, or throws `UnknownStateError`,
   * `BrowserMismatchError`, `StateAlreadyUsedError` or `ExpiredStateError`. Of two concurrent calls, one wins.
   * @param now epoch seconds
   */
  consume(stateHash: string, browserBindingHash: string, now: number): Promise<AuthorizationState>;
}
