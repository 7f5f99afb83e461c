import type { ScopesNotice, SyncFailure } from '../../core/connection';

/** Where the sync worker keeps a PIM's failures (its successes are written with the run's completion). */
export interface SyncHealthStore {
  /** The failure becomes the last one, and the count of failures in a row grows by one; one conditional write. */
  recordFailure(pimHost: string, failure: SyncFailure): Promise<void>;
}

/** Where the one notice per distinct set of missing scopes is claimed: two racing runs send one. */
export interface ScopesNoticeStore {
  /**
   * Records `notice` as sent, only if the connection holds no notice for the same set (`setHash`); says whether this
   * caller claimed it (and so sends it).
   */
  claimScopesNotice(pimHost: string, notice: ScopesNotice): Promise<boolean>;
  /** The notice could not be sent: forgets it (only if it is still this set's), so the next occasion sends it. */
  releaseScopesNotice(pimHost: string, setHash: string): Promise<void>;
}
