import type { SyncFailure } from '../../core/connection';

/** Where the sync worker keeps a PIM's failures (its successes are written with the run's completion). */
export interface SyncHealthStore {
  /** The failure becomes the last one, and the count of failures in a row grows by one; one conditional write. */
  recordFailure(pimHost: string, failure: SyncFailure): Promise<void>;
}
