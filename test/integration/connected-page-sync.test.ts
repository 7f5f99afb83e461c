import type { RetryPolicy } from '../../functions/core/backoff';
import { runLocalSync } from '../../local/sync-runner';
import { TestBrowser } from '../support/browser';
import { captureLogs, type LogCapture } from '../support/log-capture';
import { expectNoSecrets } from '../support/secrets';
import { connect, startTestApp, type TestApp } from '../support/test-app';

const FAST_RETRY: RetryPolicy = { baseDelayMs: 5, maxDelayMs: 20, maxRateLimitRetries: 2, maxServerErrorRetries: 2 };

/**
 * Issue 17, item 3: Open app in the PIM runs the flow again and lands on the connected page, which shows this PIM's
 * sync. The real local app over HTTP, the sandbox PIM and DynamoDB Local; the sync is the local runner's.
 */
describe('the connected page for a returning admin', () => {
  let app: TestApp;
  let logs: LogCapture;
  const sync = () => runLocalSync({ config: app.config, pimHost: app.pimHost, retry: FAST_RETRY });
  /** Open app: the same flow as Connect, in a browser that consents again. */
  const openApp = async () => {
    const result = await connect(app, new TestBrowser());
    expect(result.page.status).toBe(200);
    expectNoSecrets(result.page.body, [result.code, result.state, app.sandbox.connectedApp(app.clientId)?.accessToken]);
    return result.page.body;
  };

  beforeAll(async () => {
    logs = captureLogs();
    app = await startTestApp({ sandboxProducts: 25 });
  });

  afterAll(async () => {
    await app.close();
    logs.stop();
  });

  afterEach(() => app.sandbox.clearApiFaults());

  it('says at the first connection that the first sync is scheduled, and by when', async () => {
    const page = await openApp();

    expect(page).toContain('<h2 id="sync">Sync</h2>');
    expect(page).toMatch(/The first sync is scheduled: it starts within 15 minutes, by <time datetime="[^"]+Z">/);
    expect(page).not.toContain('Last successful sync');
  });

  it('shows the last sync, in a <time> the stored item agrees with, and its products after Open app', async () => {
    await sync();
    const stored = await app.connections.get(app.pimHost);
    expect(stored?.lastSyncProductCount).toBe(25);

    const page = await openApp();

    expect(page).toMatch(/<dt>Last successful sync<\/dt><dd class="last-sync">(just now|1 minute ago) \(<time /);
    expect(page).toContain(`<time datetime="${stored?.lastSyncAt}">`);
    expect(page).toContain('<dt>Products in it</dt><dd class="products">25</dd>');
    expect(page).toMatch(/<dt>Next scheduled run<\/dt><dd class="next-run">within 15 minutes, by <time /);
    expect(page).not.toContain('data-problem="failing"');
  });

  it('names a failing PIM’s problem, with the failure’s code, after Open app', async () => {
    app.sandbox.injectApiFaults(Array.from({ length: 20 }, () => ({ kind: 'server-error' as const })));
    await expect(sync()).rejects.toThrow(/kept failing/);
    app.sandbox.clearApiFaults();

    const page = await openApp();

    expect(page).toContain('data-problem="failing"');
    expect(page).toMatch(/The last sync attempt failed \(pim_unavailable: The PIM kept failing \(500\)/);
    expect(page).toContain('What to do: Nothing is lost');
    // The last success is still the one before.
    expect(page).toContain('<dt>Products in it</dt><dd class="products">25</dd>');
  });

  it('clears the problem once a sync completes again', async () => {
    await sync();

    const page = await openApp();

    expect(page).not.toContain('data-problem="failing"');
    expect(page).toMatch(/<dd class="last-sync">(just now|1 minute ago) \(<time /);
  });
});
