import { MAX_CONCURRENT_CALLS_PER_CONNECTION } from './fair-use';

/**
 * The rules of a call slot's lease, in one place for whoever stores the leases: a lease is dated by its writer's
 * clock and ends at `expiresAt` (epoch seconds, so that DynamoDB's time to live can delete it once it has ended).
 */

/** A PIM's slots are numbered from 0. */
export const CALL_SLOTS = Array.from({ length: MAX_CONCURRENT_CALLS_PER_CONNECTION }, (_value, slot) => slot);

/** The end of a lease taken at `nowMs` for `leaseMs`: rounded up, so a lease never lasts less than asked. */
export function leaseExpiresAt(nowMs: number, leaseMs: number): number {
  return Math.ceil((nowMs + leaseMs) / 1000);
}

/**
 * The time a lease is compared with, in the lease's unit: a lease has ended once `expiresAt < leaseClock(nowMs)`,
 * the condition every take of a slot writes with. Rounded down, so a lease is never taken for ended early.
 */
export function leaseClock(nowMs: number): number {
  return Math.floor(nowMs / 1000);
}

export function leaseHasEnded(expiresAt: number, nowMs: number): boolean {
  return expiresAt < leaseClock(nowMs);
}

/** The slots no live lease holds and this instance is not already using or trying. */
export function freeSlots(
  leases: ReadonlyArray<{ readonly slot: number; readonly expiresAt: number }>,
  nowMs: number,
  busyHere: ReadonlySet<number>,
): number[] {
  const held = new Set(leases.filter((lease) => !leaseHasEnded(lease.expiresAt, nowMs)).map((lease) => lease.slot));
  return CALL_SLOTS.filter((slot) => !held.has(slot) && !busyHere.has(slot));
}

/** The first wait between two looks at a PIM's slots when every one is taken, then doubled up to the next one. */
export const FIRST_SLOT_WAIT_MS = 25;
/** Calls to a PIM last a few hundred milliseconds: a slot is looked for again at least this often. */
export const MAX_SLOT_WAIT_STEP_MS = 400;

/** The wait before the next look (`round` counts from 0): exponential, with half of it random, never 0. */
export function slotWaitMs(round: number, random: number): number {
  const ceiling = Math.min(MAX_SLOT_WAIT_STEP_MS, FIRST_SLOT_WAIT_MS * 2 ** round);
  return Math.ceil(ceiling / 2 + (random * ceiling) / 2);
}
