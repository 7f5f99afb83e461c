import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunManifest } from '../../functions/adapters/product-sink';
import { pimHostKey } from '../../functions/contract/names';
import { runLocalSync } from '../../local/sync-runner';
import { launchChromium } from '../support/chromium';
import { captureLogs, type LogCapture } from '../support/log-capture';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The catalog source as people drive it, in a real Chromium: the PIM admin connects the app, follows the connected
 * page's link to the app's catalog, picks one family and enables it; `npm run sync` (the local runner) exports exactly
 * that family; once disabled, the next sync reports catalog_disabled and exports nothing; enabled again, two products
 * deleted on the sandbox's controls page are exactly what the next reconciliation pass lists.
 */
describe('the catalog source in a real browser', () => {
  let app: TestApp;
  let browser: Browser;
  let logs: LogCapture;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    logs = captureLogs();
    [app, browser] = await Promise.all([
      startTestApp({ sandboxProducts: 400, env: { PRODUCT_SOURCE: 'catalog' } }),
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
  const sync = async () => (await runLocalSync({ config: app.config, pimHost: app.pimHost })).outcomes.at(-1)?.outcome;
  const runsDirectory = () => join(app.config.dataDir, 'exports', pimHostKey(app.pimHost), 'products');
  const runs = () => (existsSync(runsDirectory()) ? readdirSync(runsDirectory()) : []);
  function exportedProducts(runId: string): Array<{ uuid: string; family: string }> {
    const directory = join(runsDirectory(), runId);
    const manifest = JSON.parse(readFileSync(join(directory, 'manifest.json'), 'utf8')) as RunManifest;
    return manifest.parts.flatMap((part) =>
      readFileSync(join(directory, part.name), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { uuid: string; family: string }),
    );
  }

  it('connects, links to the disabled catalog, exports the one family chosen there, stops once disabled, and lists two deleted products', async () => {
    // Connect: App Store, Connect, consent, Confirm
    await page.goto(`${app.sandbox.url}/connect/app-store`);
    await testId(`connect-${app.clientId}`).click();
    await page.waitForURL((url) => url.pathname === '/connect/apps/v1/authorize');
    await Promise.all([
      page.waitForURL((url) => url.href.startsWith(app.callbackUrl)),
      testId('consent-confirm').click(),
    ]);

    // The connected page: the catalog is disabled, and a link to it
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point here
    const text = await page.locator('main').innerText();
    expect(text).toContain('Products this app receives');
    expect(text).toContain('The catalog akeneo-custom-app is disabled.');
    const [catalog] = app.sandbox.catalogs(app.clientId);
    const link = page.getByRole('link', { name: 'Choose the products this app receives' });
    expect(await link.getAttribute('href')).toBe(`${app.sandbox.url}/connect/apps/v1/catalogs/${catalog?.id}`);

    // The PIM user follows it, picks one family and enables the catalog
    await link.click();
    await page.waitForURL((url) => url.pathname === `/connect/apps/v1/catalogs/${catalog?.id}`);
    expect(await testId('catalog-status').textContent()).toBe('Disabled');
    await testId('family-sneakers').check();
    await testId('enabled-only').uncheck();
    await testId('enable-catalog').click();
    await page.waitForURL(/done=enabled$/);

    // npm run sync exports exactly that family
    const completed = await sync();
    if (completed?.kind !== 'completed') throw new Error(`Expected a completed run, got ${JSON.stringify(completed)}`);
    const products = exportedProducts(completed.runId);
    expect(products.map(({ uuid }) => uuid).sort()).toEqual(app.sandbox.catalogProductUuids(catalog?.id ?? '').sort());
    expect(products.length).toBeGreaterThan(0);
    expect(new Set(products.map(({ family }) => family))).toEqual(new Set(['sneakers']));

    // Disabled on the same page: the next sync reports catalog_disabled and exports nothing
    await testId('disable-catalog').click();
    await page.waitForURL(/done=disabled$/);
    const runsBefore = runs();
    const disabled = await sync();
    expect(disabled).toMatchObject({ kind: 'catalog_disabled', catalogId: catalog?.id });
    expect(runs()).toEqual(runsBefore);
    expect(await app.connections.get(app.pimHost)).toMatchObject({ status: 'active', syncStatus: 'catalog_disabled' });

    // Enabled again with every family (no family ticked): a pass lists the whole catalog, and nothing left it
    await page.goto(`${app.sandbox.url}/connect/apps/v1/catalogs/${catalog?.id}`);
    await testId('family-sneakers').uncheck();
    await testId('enable-catalog').click();
    await page.waitForURL(/done=enabled$/);
    const baseline = await reconcile();
    if (baseline?.kind !== 'completed') throw new Error(`Expected a completed pass, got ${JSON.stringify(baseline)}`);
    expect(baseline.deleted).toBe(0);

    // Two products deleted on the sandbox's controls page: the next reconciliation lists exactly those two UUIDs
    const before = new Set(app.sandbox.catalogProductUuids(catalog?.id ?? ''));
    await page.goto(`${app.sandbox.url}/sandbox/controls`);
    await page.locator('input[name="count"]').first().fill('2');
    await testId('delete-products').click();
    await expect(testId('flash').textContent()).resolves.toBe('2 products deleted.');
    const after = new Set(app.sandbox.catalogProductUuids(catalog?.id ?? ''));
    const deleted = [...before].filter((uuid) => !after.has(uuid)).sort();
    expect(deleted).toHaveLength(2);
    const pass = await reconcile();
    if (pass?.kind !== 'completed') throw new Error(`Expected a completed pass, got ${JSON.stringify(pass)}`);
    expect(pass).toMatchObject({ deleted: 2, previousRunId: baseline.runId });
    expect(deletedUuids(pass.runId)).toEqual(deleted);
  });

  /** `npm run sync -- --reconcile`: the sync, then a reconciliation pass, forced; the last pass's outcome. */
  async function reconcile() {
    const summary = await runLocalSync({ config: app.config, pimHost: app.pimHost, reconcile: true });
    return summary.passes.at(-1)?.outcome;
  }

  /** Every UUID of a pass's deleted parts, as its manifest lists them. */
  function deletedUuids(runId: string): string[] {
    const directory = join(runsDirectory(), runId);
    const manifest = JSON.parse(readFileSync(join(directory, 'manifest.json'), 'utf8')) as {
      readonly kind: string;
      readonly parts: ReadonlyArray<{ readonly name: string }>;
    };
    expect(manifest.kind).toBe('reconciliation');
    return manifest.parts
      .flatMap((part) =>
        readFileSync(join(directory, part.name), 'utf8')
          .trim()
          .split('\n')
          .map((line) => (JSON.parse(line) as { uuid: string }).uuid),
      )
      .sort();
  }
});
