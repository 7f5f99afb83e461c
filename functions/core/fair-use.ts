/** Akeneo's fair-use rule: at most 4 concurrent calls per connection, whichever function of the app makes them. */
export const MAX_CONCURRENT_CALLS_PER_CONNECTION = 4;
