/** Akeneo's fair-use rule: at most 4 concurrent calls per connection, whichever function of the app makes them. */
export const MAX_CONCURRENT_CALLS_PER_CONNECTION = 4;

/** The longest one REST call to a PIM may take, from connecting to the last byte: a call slot's lease outlasts it. */
export const PIM_CALL_TIMEOUT_MS = 30_000;

/**
 * What a call slot's lease adds to the call's timeout. It covers the lease's own write and release (the lease is
 * dated before its write returns) and the clock skew between two function instances: the lease compares the clock
 * of whoever reads it with the clock of whoever wrote it. Instances whose clocks differ by up to 5 s never share a
 * slot; Lambda's clocks are kept by the Amazon Time Sync Service, within milliseconds.
 */
export const CALL_SLOT_LEASE_MARGIN_MS = 10_000;

/** How long a call slot stays taken when its holder never frees it (a crashed or frozen function instance). */
export const CALL_SLOT_LEASE_MS = PIM_CALL_TIMEOUT_MS + CALL_SLOT_LEASE_MARGIN_MS;

/**
 * The longest a call waits for one of its PIM's slots before it fails: longer than one lease, so the slots of an
 * instance that crashed are always free again before a waiting call gives up.
 */
export const MAX_CALL_SLOT_WAIT_MS = 60_000;
