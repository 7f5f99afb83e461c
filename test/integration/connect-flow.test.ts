import { LocalKeyTokenCipher } from '../../functions/adapters/token-cipher/local-key';
import { tokenVersionOf } from '../../functions/core/connection';
import { bindingCookieName } from '../../functions/http/browser-binding-cookie';
import { cookieSetBy, TestBrowser } from '../support/browser';
import { captureLogs, type LogCapture } from '../support/log-capture';
import { expectNoSecrets } from '../support/secrets';
import { connect, startTestApp, type TestApp } from '../support/test-app';

describe('connecting the sandbox PIM end to end', () => {
  let app: TestApp;
  let logs: LogCapture;
  /** Every secret value met; a lookup that found nothing is kept as such, and fails expectNoSecrets. */
  const seen: Array<string | undefined> = [];

  beforeAll(async () => {
    logs = captureLogs();
    app = await startTestApp();
  });

  afterAll(async () => {
    await app.close();
    logs.stop();
  });

  it('consents, exchanges the code and lands on the success page with scopes and who connected', async () => {
    // Arrange
    const browser = new TestBrowser();

    // Act
    const result = await connect(app, browser);
    seen.push(result.state, result.code, cookieSetBy(result.activate, bindingCookieName(false)));

    // Assert
    expect(result.consentShown).toBe(true);
    expect(result.page.status).toBe(200);
    expect(result.page.body).toContain(`Connected to ${app.pimHost}`);
    expect(result.page.body).toContain('Julia Stark');
    expect(result.page.body).toContain('julia@example.com');
    expect(result.page.body).toContain('<code>read_products</code>');
    expect(result.page.body).not.toContain('Requested but not granted');
    expectNoSecrets(result.page.body, seen);
  });

  it('stores the token per PIM, encrypted under the PIM host, with scopes and identity', async () => {
    // Arrange
    const sandboxToken = app.sandbox.connectedApp(app.clientId)?.accessToken;
    seen.push(sandboxToken);
    if (sandboxToken === undefined) throw new Error('The sandbox PIM has no token for the app');

    // Act
    const connection = await app.connections.get(app.pimHost);

    // Assert
    expect(connection).toMatchObject({
      pimHost: app.pimHost,
      pimUrl: app.sandbox.url,
      status: 'active',
      tokenVersion: tokenVersionOf(sandboxToken),
      connectedBy: { name: 'Julia Stark', email: 'julia@example.com' },
    });
    expect(connection?.scopes).toEqual(expect.arrayContaining(['openid', 'read_products']));
    expect(connection?.encryptedToken).not.toContain(sandboxToken);
    const cipher = LocalKeyTokenCipher.fromDataDir(app.config.dataDir);
    await expect(cipher.decrypt(connection?.encryptedToken ?? '', app.pimHost)).resolves.toBe(sandboxToken);
    await expect(cipher.decrypt(connection?.encryptedToken ?? '', 'other-pim.example.com')).rejects.toThrow(
      /could not be decrypted/,
    );
  });

  it('goes through Open app again without consent, with the same token and version', async () => {
    // Arrange
    const before = await app.connections.get(app.pimHost);
    const browser = new TestBrowser();

    // Act
    const result = await connect(app, browser);
    seen.push(result.state, result.code);

    // Assert
    expect(result.consentShown).toBe(false);
    expect(result.page.status).toBe(200);
    expect(result.page.body).toContain(`Connected to ${app.pimHost}`);
    const after = await app.connections.get(app.pimHost);
    expect(after?.tokenVersion).toBe(before?.tokenVersion);
    expect(after?.firstConnectedAt).toBe(before?.firstConnectedAt);
    expect(after?.lastStateHash).not.toBe(before?.lastStateHash);
  });

  it('shows the success page again on a replayed callback, without a token request or a write', async () => {
    // Arrange
    const browser = new TestBrowser();
    const first = await connect(app, browser);
    seen.push(first.state, first.code);
    const stored = await app.connections.get(app.pimHost);
    const tokenRequests = app.sandbox.tokenRequests.length;

    // Act
    const replay = await browser.get(first.callbackUrl);

    // Assert
    expect(replay.status).toBe(200);
    expect(replay.body).toContain('already connected');
    expect(replay.headers['cache-control']).toBe('no-store');
    expect(app.sandbox.tokenRequests).toHaveLength(tokenRequests);
    expect(await app.connections.get(app.pimHost)).toEqual(stored);
  });

  it('logs the connection with the PIM host and nothing secret', () => {
    const connected = logs.lines().filter((line) => line.message === 'PIM connected');
    expect(connected.length).toBeGreaterThanOrEqual(2);
    expect(connected[0]).toMatchObject({ pimHost: app.pimHost, level: 'INFO', service: 'akeneo-custom-app' });
    seen.push(app.sandbox.getApp(app.clientId)?.clientSecret);
    expectNoSecrets(logs.text(), seen);
  });
});

describe('a scope the PIM does not know', () => {
  it('is listed as requested but not granted', async () => {
    // Arrange: read_asset_families exists only on Enterprise PIMs; the sandbox, like CE, drops it.
    const logs = captureLogs();
    const app = await startTestApp({ env: { APP_SCOPES: 'read_products read_asset_families openid' } });
    try {
      // Act
      const result = await connect(app, new TestBrowser());

      // Assert
      expect(result.page.status).toBe(200);
      expect(result.page.body).toContain('Requested but not granted');
      expect(result.page.body).toContain('<code>read_asset_families</code>');
      expect((await app.connections.get(app.pimHost))?.scopes).toEqual(['openid', 'read_products']);
      expect(result.page.body).not.toContain('Julia Stark');
    } finally {
      await app.close();
      logs.stop();
    }
  });
});
