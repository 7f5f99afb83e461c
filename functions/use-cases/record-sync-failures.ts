import type { SyncHealthStore } from '../adapters/connection-store';
import { asAppError, reasonOf } from '../core/errors';
import { withoutControlCharacters } from '../core/plain-text';
import type { SyncProducts } from './sync-products';

/** A stored failure message is cut here: enough to say what happened, small beside the connection's item. */
export const MAX_FAILURE_MESSAGE_LENGTH = 500;

export interface RecordSyncFailuresDeps {
  readonly store: SyncHealthStore;
  readonly now: () => Date;
  /** Told when the failure could not be written: the run's own error still goes up, unchanged. */
  readonly onRecordFailed?: (pimHost: string, error: unknown) => void;
}

/**
 * The sync, with each failed run step kept on its connection (`lastFailure`, `consecutiveFailures`): the health
 * that `npm run pim -- status` and the connected page show. A complete run resets the count in its own write.
 */
export const recordingSyncFailures =
  (sync: SyncProducts, deps: RecordSyncFailuresDeps): SyncProducts =>
  async (input) => {
    try {
      return await sync(input);
    } catch (error) {
      const failure = asAppError(error);
      const message = withoutControlCharacters(reasonOf(failure)).slice(0, MAX_FAILURE_MESSAGE_LENGTH);
      try {
        await deps.store.recordFailure(input.pimHost, { at: deps.now().toISOString(), code: failure.code, message });
      } catch (recordError) {
        deps.onRecordFailed?.(input.pimHost, recordError);
      }
      throw error;
    }
  };
