import { backoffDelayMs, DEFAULT_RETRY_POLICY, retryAfterMs } from '../../../functions/core/backoff';
import { ConcurrencyLimit } from '../../../functions/core/concurrency-limit';
import { akeneoDateTime, newRunId, rereadCount, scheduleSlot, syncWindow } from '../../../functions/core/sync-window';

describe('syncWindow', () => {
  it('reads everything on a first sync, up to the run start', () => {
    expect(syncWindow(undefined, new Date('2026-11-28T12:00:00.500Z'))).toEqual({ to: '2026-11-28T12:00:00.500Z' });
  });

  it('overlaps the previous run by a few seconds', () => {
    expect(syncWindow('2026-11-28T12:00:00.000Z', new Date('2026-11-28T12:15:00.000Z'), 5)).toEqual({
      from: '2026-11-28T11:59:55.000Z',
      to: '2026-11-28T12:15:00.000Z',
    });
  });

  it("writes Akeneo's UTC date format", () => {
    expect(akeneoDateTime('2026-01-02T03:04:05.678Z')).toBe('2026-01-02 03:04:05');
    expect(() => akeneoDateTime('yesterday')).toThrow(RangeError);
  });

  it('puts every time of a slot in the same slot', () => {
    expect(scheduleSlot(new Date('2026-11-28T12:14:59.999Z'), 15)).toBe('2026-11-28T12:00:00.000Z');
    expect(scheduleSlot(new Date('2026-11-28T12:15:00.000Z'), 15)).toBe('2026-11-28T12:15:00.000Z');
  });

  it('counts as re-read only the products updated in a whole second before the previous run started', () => {
    const previousRunStart = '2026-11-28T12:00:00.500Z';
    const items = [
      { updated: '2026-11-28T11:59:56+00:00' },
      { updated: '2026-11-28T11:59:59+00:00' },
      // The previous run's own second: it may have been updated after that run read it.
      { updated: '2026-11-28T12:00:00+00:00' },
      { updated: '2026-11-28T12:00:03+00:00' },
      { uuid: 'no updated date' },
      null,
    ];
    expect(rereadCount(items, previousRunStart)).toBe(2);
    expect(rereadCount(items, undefined)).toBe(0);
  });

  it('makes run ids that sort by time', () => {
    const random = (size: number) => new Uint8Array(size).fill(255);
    expect(newRunId(new Date('2026-11-28T12:00:00.123Z'), random)).toBe('20261128T120000Z-ffffff');
  });
});

describe('backoff', () => {
  it('doubles the ceiling at each attempt, with full jitter, up to the maximum', () => {
    expect(backoffDelayMs(DEFAULT_RETRY_POLICY, 0, 0.999)).toBe(499);
    expect(backoffDelayMs(DEFAULT_RETRY_POLICY, 3, 0.5)).toBe(2000);
    expect(backoffDelayMs(DEFAULT_RETRY_POLICY, 20, 1)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
    expect(backoffDelayMs(DEFAULT_RETRY_POLICY, 5, 0)).toBe(0);
  });

  it('reads Retry-After in seconds or as a date, and nothing else', () => {
    const now = new Date('2026-11-28T12:00:00Z');
    expect(retryAfterMs('15', now)).toBe(15_000);
    expect(retryAfterMs('Sat, 28 Nov 2026 12:00:03 GMT', now)).toBe(3_000);
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
  });
});

describe('ConcurrencyLimit', () => {
  it('never runs more tasks at once than its limit, and runs them all', async () => {
    const limit = new ConcurrencyLimit(4);
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_value, index) =>
        limit.run(async () => {
          running += 1;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setTimeout(resolve, 2));
          running -= 1;
          return index;
        }),
      ),
    );
    expect(peak).toBe(4);
    expect(results).toEqual(Array.from({ length: 20 }, (_value, index) => index));
  });

  it('frees its place when a task fails', async () => {
    const limit = new ConcurrencyLimit(1);
    await expect(limit.run(async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await expect(limit.run(async () => 'next')).resolves.toBe('next');
  });
});
