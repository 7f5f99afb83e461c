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

/** What a look at a PIM's slots shows of one slot: its lease, and the call waiting for it, if any. */
export interface SlotView {
  readonly slot: number;
  /** The lease's end, in `leaseClock` seconds. */
  readonly expiresAt: number;
  /** The call in line for this slot: the slot is handed to it when its holder frees it. */
  readonly waiter?: {
    /** When that call started to look for a slot (epoch milliseconds, by its own clock). */
    readonly since: number;
    /** Its place in line lapses then (epoch milliseconds) unless it renews it: a call that died loses its place. */
    readonly until: number;
  };
}

/** The slots no live lease holds and this instance is not already using or trying. */
export function freeSlots(views: readonly SlotView[], nowMs: number, busyHere: ReadonlySet<number>): number[] {
  const held = new Set(views.filter((view) => !leaseHasEnded(view.expiresAt, nowMs)).map((view) => view.slot));
  return CALL_SLOTS.filter((slot) => !held.has(slot) && !busyHere.has(slot));
}

/** How long a place in line lasts without being renewed. */
export const PLACE_IN_LINE_MS = 5_000;
/** A waiting call renews its place in line this often: well within `PLACE_IN_LINE_MS`. */
export const PLACE_RENEWAL_MS = 1_000;

/**
 * The taken slots a call that started looking at `since` may stand in line for: those nobody waits for, or else the
 * one whose waiter started looking last, later than this call (the older call takes its place: the longest wait is
 * served first, so no call starves while others keep the slots busy). None when every slot's waiter came first.
 */
export function placesInLine(
  views: readonly SlotView[],
  nowMs: number,
  since: number,
  busyHere: ReadonlySet<number>,
): number[] {
  const taken = views.filter((view) => !leaseHasEnded(view.expiresAt, nowMs) && !busyHere.has(view.slot));
  const waiterOf = (view: SlotView) => (view.waiter && view.waiter.until >= nowMs ? view.waiter : undefined);
  const open = taken.filter((view) => waiterOf(view) === undefined).map((view) => view.slot);
  if (open.length > 0) return open;
  const youngest = taken.reduce<SlotView | undefined>(
    (latest, view) =>
      latest === undefined || (waiterOf(view)?.since ?? 0) > (waiterOf(latest)?.since ?? 0) ? view : latest,
    undefined,
  );
  const youngestSince = youngest && waiterOf(youngest)?.since;
  return youngest && youngestSince !== undefined && youngestSince > since ? [youngest.slot] : [];
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
