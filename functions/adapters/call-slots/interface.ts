/**
 * The connection's call slots: Akeneo allows 4 concurrent calls per connection, shared by every function of the app
 * that calls the same PIM. Every REST call to a PIM runs inside one slot.
 */
export interface CallSlots {
  /** Runs `call` once one of the PIM's slots is free; the slot is freed when the call settles, however it ends. */
  run<T>(pimHost: string, call: () => Promise<T>, limits?: CallSlotLimits): Promise<T>;
}

export interface CallSlotLimits {
  /**
   * How long the caller can still afford to wait (milliseconds). A wait for a slot that would be longer fails with
   * `RetryBeyondTimeLeftError` (status `call-slots`), and the caller continues later. Unbounded when absent.
   */
  readonly waitBudgetMs?: () => number;
}
