import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Request, Response } from 'playwright-core';
import { runLocalSync } from '../../local/sync-runner';
import { launchChromium } from '../support/chromium';
import { captureLogs, type LogCapture } from '../support/log-capture';
import { startTestApp, type TestApp } from '../support/test-app';

const ARTIFACTS = join(__dirname, '..', 'artifacts', 'browser');
/** The README's screenshot, rewritten only on request: `UPDATE_SCREENSHOTS=1 npx jest test/e2e/browser.test.ts`. */
const README_SCREENSHOT = join(__dirname, '..', '..', 'docs', 'screenshots', 'connected.png');

/** A real Chromium through the whole flow: the sandbox PIM's pages, its consent screen, and the app's pages. */
describe('connecting a PIM in a real browser', () => {
  let app: TestApp;
  let browser: Browser;
  let logs: LogCapture;
  let clock = Math.floor(Date.now() / 1000);
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let requested: string[];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    logs = captureLogs();
    [app, browser] = await Promise.all([startTestApp({ now: () => clock }), launchChromium()]);
  });

  afterAll(async () => {
    // Logs first: if closing hung, jest's own report must still reach the terminal.
    logs?.stop();
    await browser?.close();
    await app?.close();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 960, height: 720 } });
    // Fail fast with Playwright's own message rather than at jest's 60 s timeout.
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    problems = [];
    requested = [];
    page.on('console', (message) => {
      // Chromium asks every origin for /favicon.ico; neither the app nor the sandbox has one.
      const faviconMiss = message.text().startsWith('Failed to load resource');
      if ((message.type() === 'error' && !faviconMiss) || /Content[- ]Security[- ]Policy/i.test(message.text())) {
        problems.push(`console ${message.type()}: ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      if (!request.isNavigationRequest()) requested.push(request.url());
    });
  });

  afterEach(async () => {
    await context.close();
  });

  const testId = (id: string) => `[data-testid="${id}"]`;
  // What the person sees, as rendered: hidden elements left out, line breaks where the layout puts them.
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point here
  const visibleText = (selector: string) => page.locator(selector).innerText();
  const isCallback = (url: string) => url.startsWith(app.callbackUrl);

  async function openAppStore(): Promise<void> {
    await page.goto(`${app.sandbox.url}/connect/app-store`);
  }

  /** Clicks a link or button that ends on the app's callback, and returns the callback's response. */
  async function clickThroughToCallback(selector: string): Promise<Response> {
    const [response] = await Promise.all([
      page.waitForResponse((candidate) => isCallback(candidate.url()) && candidate.request().isNavigationRequest()),
      page.click(selector),
    ]);
    await page.waitForURL((url) => isCallback(url.href));
    await page.waitForLoadState('load');
    return response;
  }

  async function seeConsentScreen(): Promise<void> {
    await openAppStore();
    await page.click(testId(`connect-${app.clientId}`));
    await page.waitForURL((url) => url.pathname === '/connect/apps/v1/authorize');
    expect(await page.locator(testId('consent-confirm')).isVisible()).toBe(true);
    expect(await visibleText('h1')).toBe('Connect Local app');
  }

  /** What the PIM admin does to start over: Disconnect under Connected apps, so Connect asks for consent again. */
  async function disconnectInPim(): Promise<void> {
    await page.goto(`${app.sandbox.url}/connect/connected-apps`);
    const disconnect = page.locator(testId(`disconnect-${app.clientId}`));
    if ((await disconnect.count()) === 0) return;
    await disconnect.click();
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/connect/connected-apps'),
      page.click(testId('confirm-disconnect')),
    ]);
  }

  /** The app's page as the person sees it, checked for what every page of ours must be. */
  async function expectOurPage(response: Response, status: number): Promise<string> {
    expect(response.status()).toBe(status);
    expect(response.headers()['cache-control']).toBe('no-store');
    expect(await page.locator('h1').count()).toBe(1);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    // The hashed stylesheet applied: a CSP hash mismatch would leave the page unstyled.
    expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(243, 244, 247)');
    expect(problems).toEqual([]);
    // Our pages load nothing: no stylesheet, font, image or script beyond the page itself.
    expect(requested.filter((url) => new URL(url).pathname !== '/favicon.ico')).toEqual([]);
    return visibleText('main');
  }

  async function screenshot(name: string, path = join(ARTIFACTS, `${name}.png`)): Promise<void> {
    await page.screenshot({ path, fullPage: true });
  }

  function redirectChain(response: Response): string[] {
    const chain: string[] = [];
    for (let request: Request | null = response.request(); request; request = request.redirectedFrom()) {
      chain.unshift(`${request.method()} ${new URL(request.url()).pathname}`);
    }
    return chain;
  }

  it('connects: App Store, Connect, consent, Confirm, then the success page says what was granted', async () => {
    await seeConsentScreen();

    const response = await clickThroughToCallback(testId('consent-confirm'));

    const text = await expectOurPage(response, 200);
    expect(await visibleText('h1')).toBe(`Connected to ${app.pimHost}`);
    expect(text).toContain(app.sandbox.url);
    expect(text).toContain('Julia Stark');
    expect(text).toContain('julia@example.com');
    expect(text).toContain('View products');
    expect(text).toContain('read_products');
    expect(text).not.toContain('Requested but not granted');
    const back = page.getByRole('link', { name: 'Back to the PIM' });
    expect(await back.getAttribute('href')).toBe(`${app.sandbox.url}/connect/connected-apps`);
    await screenshot('connected');
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      mkdirSync(join(README_SCREENSHOT, '..'), { recursive: true });
      await screenshot('connected', README_SCREENSHOT);
    }

    // Readable on a phone: nothing wider than the screen.
    await page.setViewportSize({ width: 375, height: 740 });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await screenshot('connected-phone');

    // Back to the PIM, by keyboard: the link shows where the focus is.
    await back.focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Back to the PIM');
    expect(await page.evaluate('getComputedStyle(document.activeElement).outlineStyle')).toBe('solid');
  });

  it('goes through Open app again without a consent screen, and a reload shows "already connected"', async () => {
    await runLocalSync({ config: app.config, pimHost: app.pimHost });
    await openAppStore();

    const response = await clickThroughToCallback(testId(`open-${app.clientId}`));

    expect(redirectChain(response)).toEqual([
      `GET /connect/apps/${app.clientId}/activate`,
      'GET /activate',
      'GET /connect/apps/v1/authorize',
      'GET /callback',
    ]);
    const text = await expectOurPage(response, 200);
    expect(text).toContain(`Connected to ${app.pimHost}`);
    expect(text).toContain('Julia Stark');
    // The returning admin sees this PIM's sync: the run above, its products, the next run.
    expect(text).toMatch(/Last successful sync\s+just now \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);
    expect(text).toMatch(/Products in it\s+\d+/);
    expect(text).toMatch(/Next scheduled run\s+within 15 minutes, by /);

    const replay = await page.reload();

    expect(replay).not.toBeNull();
    const replayText = await expectOurPage(replay as Response, 200);
    expect(replayText).toContain('Already connected');
    expect(replayText).toContain('This PIM is already connected to the app. Nothing was changed.');
    await screenshot('already-connected');
  });

  it('ends on the expired-link page when more than 10 minutes pass between Connect and the callback', async () => {
    await disconnectInPim();
    await seeConsentScreen();
    clock += 601;

    const response = await clickThroughToCallback(testId('consent-confirm'));

    const text = await expectOurPage(response, 400);
    expect(await visibleText('h1')).toBe('This connection link has expired');
    expect(text).toContain('What to do next');
    expect(text).toMatch(/Error id: [0-9A-F]{12}\./);
    await screenshot('expired-state');
  });

  it('ends on the browser-mismatch page when the cookie was cleared before the callback', async () => {
    await disconnectInPim();
    await seeConsentScreen();
    await context.clearCookies();

    const response = await clickThroughToCallback(testId('consent-confirm'));

    const text = await expectOurPage(response, 400);
    expect(await visibleText('h1')).toBe('This browser did not start the connection');
    expect(text).toContain('In this browser, go back to the PIM');
    expect(text).toMatch(/Error id: [0-9A-F]{12}\./);
    await screenshot('browser-mismatch');
  });

  it('shows the landing page without naming any PIM', async () => {
    const response = await page.goto(app.url);

    expect(response?.status()).toBe(200);
    expect(await page.locator('h1').count()).toBe(1);
    expect(problems).toEqual([]);
    const text = await visibleText('main');
    expect(text).toContain('Connect → App Store');
    expect(text).not.toContain(app.pimHost);
    await screenshot('landing');
  });
});
