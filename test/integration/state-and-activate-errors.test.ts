import { randomBytes } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { bindingCookieName } from '../../functions/http/browser-binding-cookie';
import { TestBrowser } from '../support/browser';
import { testDocumentClient } from '../support/dynamodb';
import { captureLogs, type LogCapture } from '../support/log-capture';
import { expectNoSecrets } from '../support/secrets';
import { connect, startConnecting, startTestApp, type TestApp } from '../support/test-app';

const COOKIE = bindingCookieName(false);

describe('Activate and the authorization state', () => {
  let app: TestApp;
  let logs: LogCapture;
  let clock = Math.floor(Date.now() / 1000);
  /** Every secret value met; a lookup that found nothing is kept as such, and fails expectNoSecrets. */
  const seen: Array<string | null | undefined> = [];

  beforeAll(async () => {
    logs = captureLogs();
    app = await startTestApp({ now: () => clock });
  });

  afterAll(async () => {
    await app.close();
    logs.stop();
  });

  const countStates = async () =>
    (await testDocumentClient().send(new ScanCommand({ TableName: app.config.statesTableName }))).Count ?? 0;

  describe('Activate', () => {
    it('redirects to the PIM authorize URL with a 256-bit state and sets the browser-binding cookie', async () => {
      const browser = new TestBrowser();

      const page = await browser.get(`${app.activateUrl}?pim_url=${encodeURIComponent(`${app.sandbox.url}/`)}`);

      expect(page.status).toBe(302);
      const location = new URL(page.location ?? '');
      expect(`${location.origin}${location.pathname}`).toBe(`${app.sandbox.url}/connect/apps/v1/authorize`);
      expect(location.searchParams.get('response_type')).toBe('code');
      expect(location.searchParams.get('client_id')).toBe(app.clientId);
      expect(location.searchParams.get('scope')?.split(' ')).toContain('read_products');
      expect(location.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const cookie = String(page.headers['set-cookie']);
      expect(cookie).toMatch(new RegExp(`^${COOKIE}=[A-Za-z0-9_-]{43}; Max-Age=600; Path=/; HttpOnly; SameSite=Lax$`));
      seen.push(location.searchParams.get('state'), browser.cookies(app.url).get(COOKIE));
    });

    it('refuses an unregistered PIM with a 403 page and stores nothing', async () => {
      const before = await countStates();

      const page = await new TestBrowser().get(`${app.activateUrl}?pim_url=https%3A%2F%2Funknown-pim.example.com`);

      expect(page.status).toBe(403);
      expect(page.body).toContain('This PIM is not registered with the app');
      expect(page.body).toContain('registered first');
      expect(page.headers['set-cookie']).toBeUndefined();
      expect(await countStates()).toBe(before);
    });

    it.each([
      ['missing', ''],
      ['not a URL', 'pim_url=not%20a%20url'],
      ['with a path', `pim_url=${encodeURIComponent('http://localhost:1/some/path')}`],
      ['with user info', `pim_url=${encodeURIComponent('http://user:pw@localhost:1')}`],
      ['with a query', `pim_url=${encodeURIComponent('http://localhost:1/?x=1')}`],
      ['plain http on a public host', `pim_url=${encodeURIComponent('http://pim.example.com')}`],
      ['given twice', 'pim_url=http%3A%2F%2Flocalhost%3A1&pim_url=http%3A%2F%2Flocalhost%3A2'],
    ])('refuses a pim_url that is %s with a 400 page', async (_case, query) => {
      const before = await countStates();

      const page = await new TestBrowser().get(`${app.activateUrl}?${query}`);

      expect(page.status).toBe(400);
      expect(page.body).toContain('This link does not name a valid PIM');
      expect(await countStates()).toBe(before);
    });
  });

  describe('Callback', () => {
    it('refuses a callback without its cookie (a cleared cookie) and leaves the state usable', async () => {
      const browser = new TestBrowser();
      const attempt = await startConnecting(app, browser);
      seen.push(attempt.state, attempt.code);

      const page = await new TestBrowser().get(attempt.callbackUrl);

      expect(page.status).toBe(400);
      expect(page.body).toContain('This browser did not start the connection');
      expect(await app.connections.get(app.pimHost)).toBeUndefined();
      expect((await browser.get(attempt.callbackUrl)).status).toBe(200);
    });

    it('refuses a callback carrying another browser cookie', async () => {
      const browser = new TestBrowser();
      const attempt = await startConnecting(app, browser);
      seen.push(attempt.state, attempt.code);
      const other = new TestBrowser();
      other.setCookie(app.url, COOKIE, randomBytes(32).toString('base64url'));

      const page = await other.get(attempt.callbackUrl);

      expect(page.status).toBe(400);
      expect(page.body).toContain('This browser did not start the connection');
      expect(page.body).not.toContain(app.sandbox.url);
    });

    it('refuses an expired state', async () => {
      const browser = new TestBrowser();
      const attempt = await startConnecting(app, browser);
      seen.push(attempt.state, attempt.code);
      clock += 601;

      const page = await browser.get(attempt.callbackUrl);

      expect(page.status).toBe(400);
      expect(page.body).toContain('This connection link has expired');
      expect(page.body).toContain(`${app.sandbox.url}/connect/connected-apps`);
    });

    it('refuses a forged state that this app never issued', async () => {
      const browser = new TestBrowser();
      const attempt = await startConnecting(app, browser);
      seen.push(attempt.state, attempt.code);
      const forged = new URL(attempt.callbackUrl);
      forged.searchParams.set('state', randomBytes(32).toString('base64url'));

      const page = await browser.get(forged.toString());

      expect(page.status).toBe(400);
      expect(page.body).toContain('This connection link is not valid');
    });

    it('refuses a state replayed after a failed attempt', async () => {
      const browser = new TestBrowser();
      const attempt = await startConnecting(app, browser);
      seen.push(attempt.state, attempt.code);
      app.sandbox.setTokenEndpointFault({ kind: 'server-error' });
      await browser.get(attempt.callbackUrl);
      app.sandbox.setTokenEndpointFault(undefined);

      const page = await browser.get(attempt.callbackUrl);

      expect(page.status).toBe(400);
      expect(page.body).toContain('This connection link was already used');
      expect(page.body).toContain(`${app.sandbox.url}/connect/connected-apps`);
    });

    it.each([
      ['no parameters', ''],
      ['no state', 'code=abc'],
      ['no code', `state=${'a'.repeat(43)}`],
      ['an error from the PIM', 'error=access_denied&state=x'],
    ])('refuses a callback with %s with a 400 page', async (_case, query) => {
      const page = await new TestBrowser().get(`${app.callbackUrl}?${query}`);

      expect(page.status).toBe(400);
      expect(page.body).toContain('Error id:');
    });

    it('exchanges the code exactly once when two callbacks race with one state', async () => {
      const browser = new TestBrowser();
      const attempt = await startConnecting(app, browser);
      seen.push(attempt.state, attempt.code);
      const before = app.sandbox.tokenRequests.length;

      const pages = await Promise.all([browser.get(attempt.callbackUrl), browser.get(attempt.callbackUrl)]);

      expect(app.sandbox.tokenRequests.length - before).toBe(1);
      const statuses = pages.map((page) => page.status).sort();
      expect(statuses[0]).toBe(200);
      expect(pages.filter((page) => page.body.includes(`Connected to ${app.pimHost}`))).not.toHaveLength(0);
    });

    it('never wrote a token, a secret, a code or a state to the logs', async () => {
      const result = await connect(app, new TestBrowser());
      seen.push(result.state, result.code, app.sandbox.connectedApp(app.clientId)?.accessToken);
      seen.push(app.sandbox.getApp(app.clientId)?.clientSecret);
      expectNoSecrets(logs.text(), seen);
    });
  });
});
