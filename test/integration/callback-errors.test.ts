import { TestBrowser } from '../support/browser';
import { captureLogs, type LogCapture } from '../support/log-capture';
import { expectNoSecrets } from '../support/secrets';
import { connect, startConnecting, startTestApp, type TestApp } from '../support/test-app';

/** Each way the PIM's side of the callback can fail: a clear page, the right status, and nothing stored. */
describe('callback failures coming from the PIM', () => {
  let app: TestApp;
  let logs: LogCapture;
  /** Every secret value met; a lookup that found nothing is kept as such, and fails expectNoSecrets. */
  const seen: Array<string | undefined> = [];

  beforeAll(async () => {
    logs = captureLogs();
    // Short enough for the hanging PIM's case to end soon, long enough that a PIM slowed by a loaded machine still
    // answers the other cases in time.
    app = await startTestApp({ env: { PIM_TIMEOUT_MS: '2500' } });
  });

  afterEach(() => {
    app.sandbox.setTokenEndpointFault(undefined);
    app.sandbox.setIdTokenTamper(undefined);
  });

  afterAll(async () => {
    await app.close();
    logs.stop();
  });

  async function failingCallback(prepare: () => void | Promise<void>) {
    const browser = new TestBrowser();
    const attempt = await startConnecting(app, browser);
    seen.push(attempt.state, attempt.code);
    await prepare();
    const page = await browser.get(attempt.callbackUrl);
    expectNoSecrets(page.body, seen);
    return page;
  }

  it('says the authorization expired when the PIM answers "Code has expired"', async () => {
    const page = await failingCallback(() => app.sandbox.advanceClock(31));

    expect(page.status).toBe(400);
    expect(page.body).toContain('The authorization expired');
    expect(page.body).toContain(`${app.sandbox.url}/connect/connected-apps`);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(await app.connections.get(app.pimHost)).toBeUndefined();
  });

  it('says the authorization is no longer valid when the PIM answers "Code is not valid"', async () => {
    const browser = new TestBrowser();
    const attempt = await startConnecting(app, browser);
    seen.push(attempt.state, attempt.code);
    // Someone else used the code first: the PIM deleted it.
    const secret = app.sandbox.getApp(app.clientId)?.clientSecret ?? '';
    const { codeChallenge } = await import('../../functions/core/code-challenge');
    await fetch(`${app.sandbox.url}/connect/apps/v1/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: app.clientId,
        code: attempt.code,
        grant_type: 'authorization_code',
        code_identifier: 'x'.repeat(60),
        code_challenge: codeChallenge('x'.repeat(60), secret),
      }),
    });

    const page = await browser.get(attempt.callbackUrl);

    expect(page.status).toBe(400);
    expect(page.body).toContain('The authorization is no longer valid');
    expect(await app.connections.get(app.pimHost)).toBeUndefined();
  });

  it.each([
    ['server-error', { kind: 'server-error' } as const, 502, 'The PIM could not be reached'],
    ['malformed JSON', { kind: 'malformed-json' } as const, 502, 'The PIM gave an unexpected answer'],
    ['a timeout', { kind: 'hang' } as const, 502, 'The PIM could not be reached'],
  ])('explains a token endpoint answering with %s', async (_name, fault, status, title) => {
    const page = await failingCallback(() => app.sandbox.setTokenEndpointFault(fault));

    expect(page.status).toBe(status);
    expect(page.body).toContain(title);
    expect(page.body).toMatch(/Error id: <code>[0-9A-F]{12}<\/code>/);
    expect(await app.connections.get(app.pimHost)).toBeUndefined();
  });

  it.each([['wrong-aud'], ['wrong-iss'], ['expired'], ['bad-signature']] as const)(
    'refuses an id_token with %s and stores nothing',
    async (tamper) => {
      const page = await failingCallback(() => app.sandbox.setIdTokenTamper(tamper));

      expect(page.status).toBe(502);
      expect(page.body).toContain('The PIM&#39;s identity token could not be verified');
      expect(await app.connections.get(app.pimHost)).toBeUndefined();
    },
  );

  it('says the PIM rejected the credentials after Regenerate, and names the PIM in the log', async () => {
    const newSecret = app.sandbox.regenerateSecret(app.clientId);
    seen.push(newSecret);

    const page = await failingCallback(() => undefined);

    expect(page.status).toBe(502);
    expect(page.body).toContain('The PIM rejected the app&#39;s credentials');
    expect(page.body).toContain('npm run pim -- rotate');
    const errorId = /Error id: <code>([0-9A-F]{12})<\/code>/.exec(page.body)?.[1];
    const line = logs.lines().find((entry) => entry.errorId === errorId);
    expect(line).toMatchObject({ errorCode: 'pim_rejected_credentials', pimHost: app.pimHost, level: 'ERROR' });
    expect(await app.connections.get(app.pimHost)).toBeUndefined();
  });

  it('connects at once after ops register the regenerated secret', async () => {
    const secret = app.sandbox.getApp(app.clientId)?.clientSecret ?? '';
    const current = await app.registry.get(app.pimHost);
    app.registry.put(app.pimHost, {
      pimUrl: app.sandbox.url,
      clientId: current?.clientId ?? '',
      clientSecret: secret,
      updatedAt: new Date().toISOString(),
    });

    const result = await connect(app, new TestBrowser());
    seen.push(result.state, result.code);

    expect(result.page.status).toBe(200);
    expect((await app.connections.get(app.pimHost))?.status).toBe('active');
  });

  it('verifies an id_token signed with a rotated OpenID key by fetching the key again', async () => {
    app.sandbox.rotateOpenIdKey();

    const result = await connect(app, new TestBrowser());
    seen.push(result.state, result.code);

    expect(result.page.status).toBe(200);
    expect(result.page.body).toContain('Julia Stark');
  });

  it('never wrote a token, a secret, a code or a state to the logs', () => {
    seen.push(app.sandbox.connectedApp(app.clientId)?.accessToken);
    seen.push(app.sandbox.getApp(app.clientId)?.clientSecret);
    expect(logs.lines().length).toBeGreaterThan(5);
    expectNoSecrets(logs.text(), seen);
  });
});
