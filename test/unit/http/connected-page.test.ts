import type { Connection } from '../../../functions/core/connection';
import { connectedPage } from '../../../functions/http/pages/connected-page';
import type { CatalogView } from '../../../functions/use-cases/connect-catalog';
import { type CallbackFindings, connectedSyncOf } from '../../../functions/use-cases/connected-sync';

const NOW = new Date('2026-11-30T12:00:00.000Z');
const CONTEXT = { now: NOW, scheduleMinutes: 15, requestedScopes: ['openid', 'read_products', 'read_categories'] };
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();

function stored(fields: Partial<Connection> = {}): Connection {
  return {
    pimHost: 'pim.example.com',
    pimUrl: 'https://pim.example.com',
    status: 'active',
    encryptedToken: 'local1.sealed-token-never-shown',
    tokenVersion: 'a1b2c3d4e5f60718',
    scopes: ['openid', 'read_products', 'read_categories'],
    firstConnectedAt: minutesAgo(600),
    connectedAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    lastStateHash: 'state-hash-never-shown',
    ...fields,
  };
}

/** The page as the callback renders it after a successful (re)connect of `connection`. Pure: no I/O. */
function pageFor(connection: Connection, findings: CallbackFindings = {}): string {
  return connectedPage({
    pimUrl: connection.pimUrl,
    pimHost: connection.pimHost,
    grantedScopes: connection.scopes,
    missingScopes: [],
    ...(findings.catalog ? { catalog: findings.catalog } : {}),
    ...(findings.eventPlatform ? { eventPlatform: findings.eventPlatform } : {}),
    sync: connectedSyncOf(connection, CONTEXT, findings),
    replayed: false,
  });
}

/** The Sync section's text, tags dropped, spaces collapsed. */
function syncText(page: string): string {
  const section = page.match(/<section aria-labelledby="sync">([\s\S]*?)<\/section>/)?.[1];
  if (section === undefined) throw new Error('No Sync section on the page');
  return section
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/&#39;/g, "'")
    .trim();
}

function problemCodes(page: string): string[] {
  return [...page.matchAll(/data-problem="([a-z_]+)"/g)].map((match) => match[1] as string);
}

describe('the connected page: the PIM’s sync for a returning admin', () => {
  it('shows the last successful sync (relative, and exact in a <time>), its products and the next scheduled run', () => {
    const page = pageFor(stored({ lastSyncAt: '2026-11-30T11:48:00.000Z', lastSyncProductCount: 42 }));

    expect(syncText(page)).toContain(
      'Last successful sync 12 minutes ago ( 2026-11-30 11:48 UTC ) Products in it 42 ' +
        'Next scheduled run within 15 minutes, by 2026-11-30 12:15 UTC',
    );
    expect(page).toContain('<time datetime="2026-11-30T11:48:00.000Z">2026-11-30 11:48 UTC</time>');
    expect(page).toContain('<time datetime="2026-11-30T12:15:00.000Z">');
    expect(syncText(page)).toContain('No problem');
    expect(problemCodes(page)).toEqual([]);
  });

  it('says the first sync is scheduled, and by when, for a PIM that never synced', () => {
    const page = pageFor(stored());

    expect(syncText(page)).toContain('No sync has run yet. The first sync is scheduled: it starts within 15 minutes');
    expect(page).toContain('<time datetime="2026-11-30T12:15:00.000Z">2026-11-30 12:15 UTC</time>');
    expect(page).not.toContain('Last successful sync');
  });

  it('names a failing sync with its code and message, and what to do', () => {
    const page = pageFor(
      stored({
        lastSyncAt: minutesAgo(20),
        consecutiveFailures: 2,
        lastFailure: { at: minutesAgo(5), code: 'pim_unavailable', message: 'The PIM kept failing (500)' },
      }),
    );

    expect(problemCodes(page)).toEqual(['failing']);
    expect(syncText(page)).toContain('The last 2 sync attempts failed (pim_unavailable: The PIM kept failing (500)).');
    expect(syncText(page)).toMatch(/What to do: Nothing is lost/);
  });

  it('keeps an unexpected failure’s message off the page: it quotes what the app did not write', () => {
    const page = pageFor(
      stored({
        lastSyncAt: minutesAgo(20),
        consecutiveFailures: 1,
        lastFailure: { at: minutesAgo(5), code: 'unexpected', message: 'Bearer eyJsecret-token rejected by proxy' },
      }),
    );

    expect(syncText(page)).toContain("The last sync attempt failed (unexpected: see the app's logs).");
    expect(page).not.toMatch(/eyJsecret|Bearer/);
  });

  it('names a stale sync: how long without a success, and the next run that catches up', () => {
    const page = pageFor(stored({ lastSyncAt: minutesAgo(180), lastSyncProductCount: 7 }));

    expect(problemCodes(page)).toEqual(['stale']);
    expect(syncText(page)).toContain('No successful sync for 3 hours');
    expect(syncText(page)).toMatch(/What to do: The next scheduled run \(by 2026-11-30 12:15 UTC \) catches up/);
  });

  it('names a disabled catalog and links to it in the PIM when the callback found it', () => {
    const catalog: CatalogView = {
      kind: 'ready',
      id: 'c-1',
      name: 'Export',
      enabled: false,
      settingsUrl: 'https://pim.example.com/connect/connected-apps/catalogs/c-1',
    };
    const page = pageFor(stored({ lastSyncAt: minutesAgo(5), syncStatus: 'catalog_disabled' }), { catalog });

    expect(problemCodes(page)).toEqual(['catalog_disabled']);
    expect(syncText(page)).toContain("The app's catalog is disabled in the PIM, so the sync receives no products.");
    expect(page).toContain(
      '<a href="https://pim.example.com/connect/connected-apps/catalogs/c-1">opens the app\'s catalog in the PIM</a>',
    );
  });

  it('drops the disabled catalog the last sync saw once the callback found it enabled', () => {
    const catalog: CatalogView = {
      kind: 'ready',
      id: 'c-1',
      name: 'Export',
      enabled: true,
      settingsUrl: 'https://x/c',
    };

    const page = pageFor(stored({ lastSyncAt: minutesAgo(5), syncStatus: 'catalog_disabled' }), { catalog });

    expect(problemCodes(page)).toEqual([]);
  });

  it('takes what the callback’s steps just found over the item its write returned', () => {
    const disabled: CatalogView = {
      kind: 'ready',
      id: 'c-1',
      name: 'Export',
      enabled: false,
      settingsUrl: 'https://x/c',
    };
    const subscribedBefore = { state: 'active', changedAt: minutesAgo(600) } as const;
    const refusedNow = { state: 'unavailable', reason: 'HTTP 403', changedAt: NOW.toISOString() } as const;

    const page = pageFor(stored({ lastSyncAt: minutesAgo(5), eventPlatform: subscribedBefore }), {
      catalog: disabled,
      eventPlatform: refusedNow,
    });

    expect(problemCodes(page)).toEqual(['catalog_disabled', 'event_platform_unavailable']);
  });

  it('names the missing scopes in words, whether the PIM’s admins were notified, and Open app to grant them', () => {
    const notice = { setHash: 'h', missing: ['read_categories'], at: '2026-11-30T11:00:00.000Z' };
    const notified = pageFor(
      stored({ lastSyncAt: minutesAgo(5), scopes: ['openid', 'read_products'], scopesNotice: notice }),
    );
    const notYet = pageFor(stored({ lastSyncAt: minutesAgo(5), scopes: ['openid', 'read_products'] }));

    expect(problemCodes(notified)).toEqual(['scopes_missing']);
    expect(syncText(notified)).toContain('The app asks for permissions this PIM has not granted: View categories.');
    expect(syncText(notified)).toContain("The PIM's admins were notified on 2026-11-30 11:00 UTC");
    expect(syncText(notified)).toMatch(
      /What to do: Click Open app on this app in the PIM .* accept the new permissions/,
    );
    expect(syncText(notYet)).toContain("The PIM's admins have not been notified yet: the next sync tells the PIM.");
  });

  it('names an unavailable Event Platform with its reason and what to tick', () => {
    const eventPlatform = {
      state: 'unavailable',
      reason: 'The Event Platform permission is not ticked (HTTP 403)',
      changedAt: NOW.toISOString(),
    } as const;

    const page = pageFor(stored({ lastSyncAt: minutesAgo(5) }), { eventPlatform });

    expect(problemCodes(page)).toEqual(['event_platform_unavailable']);
    expect(syncText(page)).toContain(
      'Live product updates are not available (The Event Platform permission is not ticked (HTTP 403))',
    );
    expect(syncText(page)).toMatch(/What to do: .*tick the Event Platform permission .* then click Open app/);
  });

  it('names a suspended Event Platform subscription and Open app to subscribe again', () => {
    const eventPlatform = { state: 'suspended', changedAt: NOW.toISOString() } as const;

    const page = pageFor(stored({ lastSyncAt: minutesAgo(5) }), { eventPlatform });

    expect(problemCodes(page)).toEqual(['event_platform_suspended']);
    expect(syncText(page)).toContain('Live product updates are suspended; the scheduled sync runs all the same.');
  });

  it('escapes what came from the PIM and shows nothing secret from the stored item', () => {
    const page = pageFor(
      stored({
        lastSyncAt: minutesAgo(20),
        consecutiveFailures: 1,
        lastFailure: { at: minutesAgo(5), code: 'pim_unavailable', message: '<script>alert(1)</script>' },
      }),
      { eventPlatform: { state: 'unavailable', reason: '<img src=x onerror=alert(2)>', changedAt: NOW.toISOString() } },
    );

    expect(page).not.toMatch(/<script>|<img/);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(page).not.toMatch(/sealed-token-never-shown|state-hash-never-shown|a1b2c3d4e5f60718/);
  });
});
