import type { Connection } from '../../../functions/core/connection';
import { isStale, syncHealthOf } from '../../../functions/core/sync-health';

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
});
