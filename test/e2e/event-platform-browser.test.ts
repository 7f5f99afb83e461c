import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunManifest } from '../../functions/adapters/product-sink';
import { pimHostKey } from '../../functions/contract/names';
import { launchChromium } from '../support/chromium';
import { captureLogs, type LogCapture } from '../support/log-capture';
import { runPim } from '../support/pim-cli';
import { startTestApp, type TestApp } from '../support/test-app';

const EXPORT_WAIT_MS = 60_000;
const OFFBOARD_WAIT_MS = 10_000;

/** Polls `check` every 250 ms until it returns a value other than undefined; throws after `limitMs`. */
async function pollUntil<T>(what: string, limitMs: number, check: () => Promise<T | undefined> | T | undefined) {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Still waiting after ${limitMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Issue 16's first "Done when", as a PIM admin drives it in a real Chromium: the sandbox PIM plays Akeneo's Event
 * Platform and delivers over real HTTP to the local app; nothing here calls the app's code directly, and no sync runs.
 */
describe('the Event Platform in a real browser', () => {
  let app: TestApp;
  let browser: Browser;
  let logs: LogCapture;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    logs = captureLogs();
    [app, browser] = await Promise.all([
      // Subscriptions deliver at once (Akeneo waits minutes), notification retries in milliseconds.
      startTestApp({ sandboxEventPlatform: { activationDelayMs: 0, retryScale: 0.001 } }),
      launchChromium(),
    ]);
    context = await browser.newContext({ viewport: { width: 960, height: 720 } });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
  });

  afterAll(async () => {
    logs?.stop();
    await context?.close();
    await browser?.close();
    await app?.close();
  });

  const testId = (id: string) => page.locator(`[data-testid="${id}"]`);
  const isCallback = (url: URL) => url.href.startsWith(app.callbackUrl);
  const liveUpdates = () => page.locator('dt:text-is("Live product updates") + dd.live-updates').textContent();
  const runsDirectory = () => join(app.config.dataDir, 'exports', pimHostKey(app.pimHost), 'products');

  /** The uuids in the parts of every run whose manifest says it came from the Event Platform's product events. */
  function exportedByEvents(): Set<string> {
    const uuids = new Set<string>();
    if (!existsSync(runsDirectory())) return uuids;
    for (const runId of readdirSync(runsDirectory())) {
      const directory = join(runsDirectory(), runId);
      if (!existsSync(join(directory, 'manifest.json'))) continue;
      const manifest = JSON.parse(readFileSync(join(directory, 'manifest.json'), 'utf8')) as RunManifest;
      if (manifest.kind !== 'events') continue;
      for (const part of manifest.parts.filter(({ name }) => name.startsWith('part-'))) {
        for (const line of readFileSync(join(directory, part.name), 'utf8').split('\n').filter(Boolean)) {
          uuids.add((JSON.parse(line) as { uuid: string }).uuid);
        }
      }
    }
    return uuids;
  }

  it('connects, subscribes once the permission is ticked, exports a product changed in the PIM without a sync, and offboards when the app is removed', async () => {
    // 1. Connect from the App Store. The permission is not ticked yet: the connection succeeds all the same, and the
    //    connected page says live updates are not available (subscribing is best effort, never failing the connect).
    await page.goto(`${app.sandbox.url}/connect/app-store`);
    await testId(`connect-${app.clientId}`).click();
    await page.waitForURL((url) => url.pathname === '/connect/apps/v1/authorize');
    await Promise.all([page.waitForURL(isCallback), testId('consent-confirm').click()]);
    expect(await page.locator('h1').textContent()).toBe(`Connected to ${app.pimHost}`);
    expect((await liveUpdates()) ?? '').toMatch(/^not available/);

    // 2. Tick the Event Platform permission on Connected apps, then Open app: the callback subscribes, and the
    //    connected page (what the admin sees) says live updates are on; the sandbox lists one active subscription.
    await page.goto(`${app.sandbox.url}/connect/connected-apps`);
    await testId(`event-platform-permission-${app.clientId}`).check();
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/connect/connected-apps'),
      testId(`save-event-platform-${app.clientId}`).click(),
    ]);
    expect(await testId(`event-platform-permission-${app.clientId}`).isChecked()).toBe(true);
    await Promise.all([page.waitForURL(isCallback), testId(`open-${app.clientId}`).click()]);
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point here
    expect(await page.locator('main').innerText()).toMatch(/Live product updates\s+on/);
    expect(await liveUpdates()).toBe('on');
    const [subscription] = app.sandbox.eventSubscriptions(app.clientId);
    expect(app.sandbox.eventSubscriptions(app.clientId)).toHaveLength(1);
    expect(subscription).toMatchObject({ status: 'active' });

    // 3. Update one product on the sandbox's controls page, as a PIM user. Without any sync run, the product's uuid
    //    reaches a part of an events run in the export within 60 s: the PIM delivered the signed event, the app's
    //    events endpoint accepted it and the event worker read the product and wrote it through the sink.
    await page.goto(`${app.sandbox.url}/sandbox/controls`);
    expect(await testId('active-subscriptions').textContent()).toBe('1');
    await page.locator('#count').fill('1');
    await Promise.all([page.waitForURL(/done=/), testId('touch-products').click()]);
    expect(await testId('flash').textContent()).toBe('1 products updated.');
    // Which product the PIM changed: the one its Event Platform told the app about.
    const delivery = await pollUntil('the product event to be delivered', EXPORT_WAIT_MS, () =>
      app.sandbox.eventDeliveries.find((record) => record.type === 'com.akeneo.pim.v1.product.updated'),
    );
    expect(delivery).toMatchObject({ subscriptionId: subscription?.id, result: 200 });
    await pollUntil(`product ${delivery.productUuid} in an events run`, EXPORT_WAIT_MS, () =>
      exportedByEvents().has(delivery.productUuid) ? true : undefined,
    );
    expect(readdirSync(runsDirectory()).filter((runId) => !runId.includes('-events-'))).toEqual([]);

    // 4. Disconnect the app on Connected apps. The PIM revokes the subscription and notifies the app: within seconds
    //    `npm run pim -- status` shows the connection revoked, removed from the PIM, and its token is gone from the
    //    table (offboarded by the notification, not by a later 401).
    await page.goto(`${app.sandbox.url}/connect/connected-apps`);
    await testId(`disconnect-${app.clientId}`).click();
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/connect/connected-apps'),
      testId('confirm-disconnect').click(),
    ]);
    expect(await testId(`disconnect-${app.clientId}`).count()).toBe(0);
    const env = {
      DATA_DIR: app.config.dataDir,
      DYNAMODB_ENDPOINT: app.config.dynamodbEndpoint,
      STATES_TABLE_NAME: app.config.statesTableName,
      CONNECTIONS_TABLE_NAME: app.config.connectionsTableName,
    };
    const status = await pollUntil(
      'npm run pim -- status to show the connection revoked',
      OFFBOARD_WAIT_MS,
      async () => {
        const run = await runPim(['status', '--json'], { env });
        const [connection] = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
        return connection?.status === 'revoked' ? { run, connection } : undefined;
      },
    );
    expect(status.run).toMatchObject({ code: 0, stderr: '' });
    expect(status.connection).toMatchObject({
      pimHost: app.pimHost,
      status: 'revoked',
      statusReason: expect.stringContaining('removed from the PIM'),
    });
    const stored = await app.connections.get(app.pimHost);
    expect(stored).toMatchObject({ status: 'revoked', eventPlatform: { state: 'revoked' } });
    expect(stored).not.toHaveProperty('encryptedToken');
    expect(logs.lines().filter((line) => line.message === 'PIM offboarded')).toHaveLength(1);
  }, 150_000);
});
