import type { Browser } from 'playwright-core';
import type { SandboxApp, SandboxPim } from '../../sandbox';
import { launchChromium } from '../support/chromium';
import { apiSend, connectApp, startSandboxWithApp } from './sandbox-helpers';

/** The catalog page as a PIM user drives it in a real Chromium: tick boxes, click Enable, land back on the page. */
describe('sandbox catalog page in a real browser', () => {
  let pim: SandboxPim;
  let app: SandboxApp;
  let browser: Browser;

  beforeAll(async () => {
    [{ pim, app }, browser] = await Promise.all([startSandboxWithApp({ productCount: 100 }), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await pim?.close();
  });

  it('reaches the catalog from Connected apps, selects two families, enables it, then disables it', async () => {
    const token = (await connectApp(pim, app, 'read_products write_catalogs')).access_token;
    const { body } = await apiSend(pim, 'POST', '/api/rest/v1/catalogs', { token, json: { name: 'Web shop' } });
    const id = (body as { id: string }).id;
    const context = await browser.newContext();
    context.setDefaultTimeout(10_000);
    try {
      const page = await context.newPage();
      const testId = (value: string) => page.locator(`[data-testid="${value}"]`);
      await page.goto(`${pim.url}/connect/connected-apps`);
      await testId(`catalogs-${app.clientId}`).click();
      await testId(`catalog-${id}`).click();
      expect(new URL(page.url()).pathname).toBe(`/connect/apps/v1/catalogs/${id}`);
      expect(await testId('catalog-status').textContent()).toBe('Disabled');

      await testId('family-sneakers').check();
      await testId('family-headphones').check();
      await testId('enabled-only').uncheck();
      await testId('enable-catalog').click();
      await page.waitForURL(/done=enabled$/);
      expect(await testId('flash').textContent()).toBe('Catalog enabled.');
      expect(await testId('catalog-status').textContent()).toBe('Enabled');
      expect(await testId('family-sneakers').isChecked()).toBe(true);
      expect(pim.catalogs(app.clientId)[0]).toMatchObject({
        enabled: true,
        selection: { families: ['sneakers', 'headphones'], categories: [], enabledOnly: false },
      });
      // A reload shows the page again; it does not post the form twice.
      await page.reload();
      expect(await testId('catalog-status').textContent()).toBe('Enabled');

      await testId('disable-catalog').click();
      await page.waitForURL(/done=disabled$/);
      expect(await testId('catalog-status').textContent()).toBe('Disabled');
      expect(pim.catalogs(app.clientId)[0]?.enabled).toBe(false);
    } finally {
      await context.close();
    }
  });
});
