import type { Connection } from '../../../functions/core/connection';
import { isStale, nextScheduledRunBy, syncHealthOf } from '../../../functions/core/sync-health';

const NOW = new Date('2026-11-30T12:00:00.000Z');
const CONTEXT = { now: NOW, scheduleMinutes: 15, requestedScopes: ['openid', 'read_products'] };

function connection(fields: Partial<Connection> = {}): Connection {
  return {
    pimHost: 'pim.example.com',
    pimUrl: 'https://pim.example.com',
    status: 'active',
    encryptedToken: 'sealed',
    tokenVersion: 'v1',
    scopes: ['openid', 'read_products'],
    firstConnectedAt: '2026-11-30T09:00:00.000Z',
    connectedAt: '2026-11-30T09:00:00.000Z',
    updatedAt: '2026-11-30T09:00:00.000Z',
    lastStateHash: 'h',
    ...fields,
  };
}

describe('syncHealthOf', () => {
  it('reports a healthy PIM: last success, lag from the cursor, no problem', () => {
    const health = syncHealthOf(
      connection({
        syncCursor: '2026-11-30T11:50:00.000Z',
        lastSyncAt: '2026-11-30T11:50:09.000Z',
        lastSyncProductCount: 42,
        lastSyncDurationMs: 9000,
      }),
      CONTEXT,
    );

    expect(health).toEqual({
      lastSuccess: { at: '2026-11-30T11:50:09.000Z', products: 42, durationMs: 9000 },
      consecutiveFailures: 0,
      lagSeconds: 600,
      continuationPending: false,
      stale: false,
      missingScopes: [],
      problems: [],
    });
  });

  it('is stale past 3 schedule slots without a success, and only then', () => {
    const at = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();

    expect(isStale(connection({ lastSyncAt: at(45) }), CONTEXT)).toBe(false);
    expect(isStale(connection({ lastSyncAt: at(46) }), CONTEXT)).toBe(true);
    // Never synced: counted from the connection.
    expect(isStale(connection({ connectedAt: at(46) }), CONTEXT)).toBe(true);
    expect(isStale(connection({ connectedAt: at(10) }), CONTEXT)).toBe(false);
    // Not dispatched: its status is its problem, not staleness.
    expect(isStale(connection({ status: 'revoked', lastSyncAt: at(600) }), CONTEXT)).toBe(false);
  });

  it('names failures, staleness, missing scopes and a status, most urgent first, each with what to do', () => {
    const health = syncHealthOf(
      connection({
        status: 'scope_missing',
        statusReason: 'Access forbidden',
        scopes: ['openid'],
        consecutiveFailures: 3,
        lastFailure: { at: '2026-11-30T11:45:00.000Z', code: 'pim_unavailable', message: 'The PIM kept failing (500)' },
        syncCheckpoint: {
          runId: 'r',
          startedAt: '2026-11-30T11:40:00.000Z',
          window: { to: '2026-11-30T11:40:00.000Z' },
          nextUrl: 'https://pim.example.com/next',
        },
      }),
      CONTEXT,
    );

    expect(health.problems.map((problem) => problem.code)).toEqual(['scope_missing', 'failing', 'scopes_missing']);
    expect(health.problems[1]?.text).toContain('pim_unavailable: The PIM kept failing (500)');
    expect(health.missingScopes).toEqual(['read_products']);
    expect(health.continuationPending).toBe(true);
    for (const problem of health.problems) expect(problem.next).not.toBe('');
  });

  it('says the PIM was notified only when the notice was for the set missing now', () => {
    const notice = { setHash: 'x', missing: ['read_products'], at: '2026-11-30T10:00:00.000Z' };

    const same = syncHealthOf(connection({ scopes: ['openid'], scopesNotice: notice }), CONTEXT);
    const other = syncHealthOf(connection({ scopes: ['openid'], scopesNotice: notice }), {
      ...CONTEXT,
      requestedScopes: ['openid', 'read_products', 'write_products'],
    });

    expect(same.scopesNotifiedAt).toBe(notice.at);
    expect(other.scopesNotifiedAt).toBeUndefined();
  });

  it('flags a suspended event subscription', () => {
    const health = syncHealthOf(
      connection({
        lastSyncAt: NOW.toISOString(),
        eventPlatform: { state: 'suspended', changedAt: NOW.toISOString() },
      }),
      CONTEXT,
    );

    expect(health.problems.map((problem) => problem.code)).toEqual(['event_platform_suspended']);
  });

  it('flags a catalog the sync found disabled, with its reason and what a PIM user does', () => {
    const health = syncHealthOf(
      connection({
        lastSyncAt: NOW.toISOString(),
        syncStatus: 'catalog_disabled',
        syncStatusReason: 'No products to synchronize',
      }),
      CONTEXT,
    );

    expect(health.problems.map((problem) => problem.code)).toEqual(['catalog_disabled']);
    expect(health.problems[0]?.text).toContain('No products to synchronize');
    expect(health.problems[0]?.next).toMatch(/enables it/);
  });

  it('leaves a disabled catalog to the status once the connection is not active', () => {
    const health = syncHealthOf(
      connection({ status: 'revoked', statusReason: 'token_rejected', syncStatus: 'catalog_disabled' }),
      CONTEXT,
    );

    expect(health.problems.map((problem) => problem.code)).toEqual(['revoked']);
  });

  it('names an unavailable Event Platform with its reason and what to tick', () => {
    const reason = 'The Event Platform permission is not ticked (HTTP 403)';
    const health = syncHealthOf(
      connection({
        lastSyncAt: NOW.toISOString(),
        eventPlatform: { state: 'unavailable', reason, changedAt: NOW.toISOString() },
      }),
      CONTEXT,
    );

    expect(health.problems.map((problem) => problem.code)).toEqual(['event_platform_unavailable']);
    expect(health.problems[0]?.text).toContain(reason);
    expect(health.problems[0]?.next).toMatch(/ticks the Event Platform permission/);
  });

  it('lists a disabled catalog after failures and staleness, before missing scopes and the Event Platform', () => {
    const health = syncHealthOf(
      connection({
        scopes: ['openid'],
        consecutiveFailures: 1,
        lastFailure: { at: NOW.toISOString(), code: 'pim_unavailable', message: 'down' },
        syncStatus: 'catalog_disabled',
        eventPlatform: { state: 'unavailable', changedAt: NOW.toISOString() },
      }),
      CONTEXT,
    );

    expect(health.problems.map((problem) => problem.code)).toEqual([
      'failing',
      'stale',
      'catalog_disabled',
      'scopes_missing',
      'event_platform_unavailable',
    ]);
  });
});

describe('nextScheduledRunBy', () => {
  it('is one schedule slot from now at the latest', () => {
    expect(nextScheduledRunBy({ now: NOW, scheduleMinutes: 15 }).toISOString()).toBe('2026-11-30T12:15:00.000Z');
  });
});
