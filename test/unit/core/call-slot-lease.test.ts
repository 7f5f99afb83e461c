import {
  CALL_SLOTS,
  FIRST_SLOT_WAIT_MS,
  freeSlots,
  leaseExpiresAt,
  leaseHasEnded,
  MAX_SLOT_WAIT_STEP_MS,
  PLACE_IN_LINE_MS,
  placesInLine,
  slotWaitMs,
} from '../../../functions/core/call-slot-lease';
import { CALL_SLOT_LEASE_MS, PIM_CALL_TIMEOUT_MS } from '../../../functions/core/fair-use';

const T0 = Date.parse('2026-11-30T10:00:00.250Z');

describe("a call slot's lease", () => {
  it('outlasts the longest call to a PIM', () => {
    expect(CALL_SLOT_LEASE_MS).toBeGreaterThan(PIM_CALL_TIMEOUT_MS);
    expect(CALL_SLOTS).toEqual([0, 1, 2, 3]);
  });

  it('never ends before its full length has passed on the clock of whoever reads it, nor long after', () => {
    const expiresAt = leaseExpiresAt(T0, CALL_SLOT_LEASE_MS);

    expect(leaseHasEnded(expiresAt, T0)).toBe(false);
    expect(leaseHasEnded(expiresAt, T0 + CALL_SLOT_LEASE_MS)).toBe(false);
    expect(leaseHasEnded(expiresAt, T0 + CALL_SLOT_LEASE_MS + 999)).toBe(false);
    expect(leaseHasEnded(expiresAt, T0 + CALL_SLOT_LEASE_MS + 2_000)).toBe(true);
  });

  it('leaves free the slots no live lease holds and this instance is not using', () => {
    const live = leaseExpiresAt(T0, CALL_SLOT_LEASE_MS);
    const ended = leaseExpiresAt(T0 - 2 * CALL_SLOT_LEASE_MS, CALL_SLOT_LEASE_MS);

    expect(freeSlots([], T0, new Set())).toEqual([0, 1, 2, 3]);
    expect(
      freeSlots(
        [
          { slot: 0, expiresAt: live },
          { slot: 2, expiresAt: ended },
        ],
        T0,
        new Set([1]),
      ),
    ).toEqual([2, 3]);
  });
});

describe('the wait for a free slot', () => {
  it('starts short, doubles, stays under its cap, and is never 0', () => {
    expect(slotWaitMs(0, 0)).toBe(Math.ceil(FIRST_SLOT_WAIT_MS / 2));
    expect(slotWaitMs(0, 1)).toBe(FIRST_SLOT_WAIT_MS);
    expect(slotWaitMs(1, 1)).toBe(2 * FIRST_SLOT_WAIT_MS);
    for (const round of [5, 10, 50]) {
      expect(slotWaitMs(round, 1)).toBe(MAX_SLOT_WAIT_STEP_MS);
      expect(slotWaitMs(round, 0)).toBe(MAX_SLOT_WAIT_STEP_MS / 2);
    }
  });
});

describe('a place in line for a taken slot', () => {
  const live = leaseExpiresAt(T0, CALL_SLOT_LEASE_MS);
  const ended = leaseExpiresAt(T0 - 2 * CALL_SLOT_LEASE_MS, CALL_SLOT_LEASE_MS);
  const waiter = (since: number, until = T0 + PLACE_IN_LINE_MS) => ({ since, until });

  it('is any taken slot nobody waits for, not one this instance uses, nor a free one', () => {
    const views = [
      { slot: 0, expiresAt: live, waiter: waiter(T0 - 500) },
      { slot: 1, expiresAt: live },
      { slot: 2, expiresAt: ended },
      { slot: 3, expiresAt: live },
    ];

    expect(placesInLine(views, T0, T0, new Set())).toEqual([1, 3]);
    expect(placesInLine(views, T0, T0, new Set([3]))).toEqual([1]);
  });

  it("counts a lapsed place as nobody's", () => {
    const views = [0, 1, 2, 3].map((slot) => ({
      slot,
      expiresAt: live,
      waiter: waiter(T0 - 500, slot === 2 ? T0 - 1 : T0 + 1),
    }));

    expect(placesInLine(views, T0, T0, new Set())).toEqual([2]);
  });

  it('is the place of the waiter who started last, when every slot has one and it started after this call', () => {
    const views = [0, 1, 2, 3].map((slot) => ({
      slot,
      expiresAt: live,
      waiter: waiter(T0 + ([5, 40, 20, 10][slot] ?? 0)),
    }));

    expect(placesInLine(views, T0, T0, new Set())).toEqual([1]);
    expect(placesInLine(views, T0, T0 + 39, new Set())).toEqual([1]);
    expect(placesInLine(views, T0, T0 + 40, new Set())).toEqual([]);
    expect(placesInLine(views, T0, T0 + 100, new Set())).toEqual([]);
  });
});
