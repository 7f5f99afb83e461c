import { SecretsManagerClient, UpdateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { TestBrowser } from '../support/browser';
import { captureLogs, type LogCapture } from '../support/log-capture';
import { runPim } from '../support/pim-cli';
import { overrideEnv } from '../support/process-env';
import { expectNoSecrets } from '../support/secrets';
import { type SecretsManagerStandIn, startSecretsManagerStandIn } from '../support/secrets-manager-stand-in';
import { connect, startTestApp, type TestApp } from '../support/test-app';

/**
 * The runbook "After Regenerate in the PIM", in one running app: the credentials live in Secrets Manager (a stand-in
 * speaking its real protocol to the unmodified SDK) behind the Lambda-side cache, exactly as on AWS.
 */
describe('after Regenerate in the PIM, ops rotate and the next connection succeeds without a restart', () => {
  const PREFIX = 'e2e-app/pims';
  let restoreEnv: () => void;
  let standIn: SecretsManagerStandIn;
  let app: TestApp;
  let logs: LogCapture;
  /** Every secret value met; a lookup that found nothing is kept as such, and fails expectNoSecrets. */
  const seen: Array<string | undefined> = [];

  beforeAll(async () => {
    standIn = await startSecretsManagerStandIn();
    restoreEnv = overrideEnv({
      AWS_ENDPOINT_URL_SECRETS_MANAGER: standIn.endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'eu-west-1',
    });
    logs = captureLogs();
    app = await startTestApp({
      env: {
        CREDENTIALS_STORE: 'secrets-manager',
        CREDENTIALS_SECRET_PREFIX: PREFIX,
        CREDENTIALS_MAX_AGE_SECONDS: '300',
      },
    });
  });

  afterAll(async () => {
    await app.close();
    logs.stop();
    await standIn.close();
    restoreEnv();
  });

  const cliEnv = () => ({ AWS_REGION: 'eu-west-1', CREDENTIALS_SECRET_PREFIX: PREFIX, APP_MODE: 'local' });

  it('registers the PIM with the CLI and connects', async () => {
    const sandboxApp = app.sandbox.getApp(app.clientId);
    seen.push(sandboxApp?.clientSecret);

    const added = await runPim(
      ['add', app.sandbox.url, '--aws', '--client-id', app.clientId, '--client-secret-stdin'],
      {
        env: cliEnv(),
        stdin: sandboxApp?.clientSecret ?? '',
      },
    );
    const result = await connect(app, new TestBrowser());
    seen.push(result.state, result.code);

    expect(added.code).toBe(0);
    expect(result.page.status).toBe(200);
    expect(result.page.body).toContain(`Connected to ${app.pimHost}`);
  });

  it('refuses a connection after Regenerate with a page that says how ops fix it, and a log line naming the PIM', async () => {
    seen.push(app.sandbox.regenerateSecret(app.clientId));

    const result = await connect(app, new TestBrowser());
    seen.push(result.state, result.code);

    expect(result.page.status).toBe(502);
    expect(result.page.body).toContain('The PIM rejected the app&#39;s credentials');
    expect(result.page.body).toContain('npm run pim -- rotate');
    const errorId = /Error id: <code>([0-9A-F]{12})<\/code>/.exec(result.page.body)?.[1];
    expect(logs.lines().find((line) => line.errorId === errorId)).toMatchObject({
      errorCode: 'pim_rejected_credentials',
      pimHost: app.pimHost,
    });
    // The existing token keeps working: Regenerate only changes the secret.
    expect((await app.connections.get(app.pimHost))?.status).toBe('active');
  });

  it('connects on the very next try after `rotate`, though the old secret is still cached: one retried token request', async () => {
    const newSecret = app.sandbox.getApp(app.clientId)?.clientSecret ?? '';
    const rotated = await runPim(
      ['rotate', app.sandbox.url, '--aws', '--client-id', app.clientId, '--client-secret-stdin'],
      { env: cliEnv(), stdin: newSecret },
    );
    const before = app.sandbox.tokenRequests.length;

    const result = await connect(app, new TestBrowser());
    seen.push(result.state, result.code);

    expect(rotated.code).toBe(0);
    expect(result.page.status).toBe(200);
    expect(app.sandbox.tokenRequests.slice(before).map((request) => request.error ?? request.status)).toEqual([
      'invalid_client',
      200,
    ]);
    expect(
      logs.lines().some((line) => line.message?.toString().startsWith('The PIM refused the cached credentials')),
    ).toBe(true);
  });

  it('uses the fresh secret from then on: no more retries', async () => {
    const before = app.sandbox.tokenRequests.length;

    const result = await connect(app, new TestBrowser());
    seen.push(result.state, result.code);

    expect(result.page.status).toBe(200);
    expect(app.sandbox.tokenRequests.slice(before).map((request) => request.status)).toEqual([200]);
  });

  it('never printed or logged a secret, a token, a code or a state', async () => {
    seen.push(app.sandbox.connectedApp(app.clientId)?.accessToken);
    expectNoSecrets(logs.text(), seen);
    // The stand-in speaks the real protocol: an unknown operation is refused as AWS would.
    const client = new SecretsManagerClient({});
    await expect(client.send(new UpdateSecretCommand({ SecretId: 'x' }))).rejects.toThrow();
    client.destroy();
  });
});
