import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { secretNameFor } from '../../functions/contract/names';
import { TestBrowser } from '../support/browser';
import { dynamoDbEndpoint, testDocumentClient } from '../support/dynamodb';
import { captureLogs, type LogCapture } from '../support/log-capture';
import { runPim } from '../support/pim-cli';
import { overrideEnv } from '../support/process-env';
import { type SecretsManagerStandIn, startSecretsManagerStandIn } from '../support/secrets-manager-stand-in';
import { startConnecting, startTestApp, type TestApp } from '../support/test-app';

/** Every secret value below contains this word; no log line, page or CLI output may, nor its first letters. */
const SECRET_WORD = 'supersecret';

function expectNoSecretIn(text: string): void {
  // A parser error quotes a few characters around where it failed (V8: `..."tSecret": supersecre"...`).
  expect(text).not.toContain(SECRET_WORD.slice(0, 6));
}

/** What the misconfigured-credentials page says, as rendered (HTML-escaped). */
const MISCONFIGURED_TITLE = 'The app&#39;s credentials for this PIM are misconfigured';
const MISCONFIGURED_NEXT_STEP = 'npm run pim -- rotate';

function errorIdOf(body: string): string | undefined {
  return /Error id: <code>([0-9A-F]{12})<\/code>/.exec(body)?.[1];
}

async function stateCount(app: TestApp): Promise<number> {
  const scan = await testDocumentClient().send(new ScanCommand({ TableName: app.config.statesTableName }));
  return scan.Count ?? 0;
}

/**
 * Credentials registered in a form the app cannot read are an ops mistake with its own page (status, title, what
 * to do), reached through the real handlers; the log names where the credentials are, never what they hold.
 */
describe('credentials registered in a form the app cannot read', () => {
  let logs: LogCapture;

  beforeAll(() => {
    logs = captureLogs();
  });

  afterAll(() => logs.stop());

  function expectMisconfiguredPage(page: { status: number; body: string }, location: string) {
    expect(page.status).toBe(500);
    expect(page.body).toContain(MISCONFIGURED_TITLE);
    expect(page.body).toContain(MISCONFIGURED_NEXT_STEP);
    expectNoSecretIn(page.body);
    const errorId = errorIdOf(page.body);
    const line = logs.lines().find((entry) => entry.errorId === errorId);
    expect(line).toMatchObject({ errorCode: 'malformed_credentials', reason: expect.stringContaining(location) });
    expectNoSecretIn(JSON.stringify(line));
  }

  describe('in Secrets Manager', () => {
    const PREFIX = 'malformed-app/pims';
    let standIn: SecretsManagerStandIn;
    let restoreEnv: () => void;
    let secretsManager: SecretsManagerClient;
    let app: TestApp;
    let secretName: string;

    beforeAll(async () => {
      standIn = await startSecretsManagerStandIn();
      restoreEnv = overrideEnv({
        AWS_ENDPOINT_URL_SECRETS_MANAGER: standIn.endpoint,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'eu-west-1',
      });
      secretsManager = new SecretsManagerClient({});
      app = await startTestApp({
        env: {
          CREDENTIALS_STORE: 'secrets-manager',
          CREDENTIALS_SECRET_PREFIX: PREFIX,
          CREDENTIALS_MAX_AGE_SECONDS: '0',
        },
      });
      secretName = secretNameFor(PREFIX, app.pimHost);
    });

    afterAll(async () => {
      await app.close();
      secretsManager.destroy();
      restoreEnv();
      await standIn.close();
    });

    async function register(secretString: string) {
      if (standIn.secrets.has(secretName)) {
        await secretsManager.send(new PutSecretValueCommand({ SecretId: secretName, SecretString: secretString }));
      } else {
        await secretsManager.send(new CreateSecretCommand({ Name: secretName, SecretString: secretString }));
      }
    }

    it.each([
      ['JSON the parser would quote back', `{"clientId": "x", "clientSecret": ${SECRET_WORD}-1}`],
      ['truncated JSON', `{"clientId": "x", "clientSecret": "${SECRET_WORD}-2`],
      ['JSON without a clientSecret', `{"clientId": "x", "client_secret": "${SECRET_WORD}-3"}`],
      ['JSON that is not an object', `"${SECRET_WORD}-4"`],
    ])('%s: Activate shows the misconfigured page, stores nothing, and logs the secret name', async (_case, value) => {
      await register(value);
      const before = await stateCount(app);

      const page = await new TestBrowser().get(`${app.activateUrl}?pim_url=${encodeURIComponent(app.sandbox.url)}`);

      expectMisconfiguredPage(page, secretName);
      expect(page.headers['set-cookie']).toBeUndefined();
      expect(await stateCount(app)).toBe(before);
    });

    it('the callback shows the same page when the secret broke after Activate, and names the PIM', async () => {
      const sandboxApp = app.sandbox.getApp(app.clientId);
      await register(JSON.stringify({ clientId: app.clientId, clientSecret: sandboxApp?.clientSecret }));
      const browser = new TestBrowser();
      const attempt = await startConnecting(app, browser);
      await register(`{"clientId": "${app.clientId}", "clientSecret": ${SECRET_WORD}-5`);

      const page = await browser.get(attempt.callbackUrl);

      expectMisconfiguredPage(page, secretName);
      expect(logs.lines().find((entry) => entry.errorId === errorIdOf(page.body))).toMatchObject({
        pimHost: app.pimHost,
      });
      expect(await app.connections.get(app.pimHost)).toBeUndefined();
    });
  });

  describe('in the local credentials file', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp();
    });

    afterAll(() => app.close());

    const cliEnv = () => ({
      DATA_DIR: app.config.dataDir,
      DYNAMODB_ENDPOINT: dynamoDbEndpoint(),
      STATES_TABLE_NAME: app.config.statesTableName ?? '',
      CONNECTIONS_TABLE_NAME: app.config.connectionsTableName ?? '',
    });

    it('an entry without its secret: Activate shows the misconfigured page', async () => {
      const file = JSON.parse(readFileSync(app.registry.path, 'utf8'));
      delete file.pims[app.pimHost].clientSecret;
      file.pims[app.pimHost].client_secret = `${SECRET_WORD}-6`;
      writeFileSync(app.registry.path, JSON.stringify(file));

      const page = await new TestBrowser().get(`${app.activateUrl}?pim_url=${encodeURIComponent(app.sandbox.url)}`);

      expectMisconfiguredPage(page, app.pimHost);
    });

    it('a file that is not JSON: Activate shows the misconfigured page, `list` names the file, neither quotes it', async () => {
      writeFileSync(app.registry.path, `{"pims": {"${app.pimHost}": {"clientSecret": ${SECRET_WORD}-7}}}`);

      const page = await new TestBrowser().get(`${app.activateUrl}?pim_url=${encodeURIComponent(app.sandbox.url)}`);
      const list = await runPim(['list'], { env: cliEnv() });

      expectMisconfiguredPage(page, join(app.config.dataDir, 'credentials.json'));
      expect(list.code).toBe(1);
      expect(list.stderr).toContain(join(app.config.dataDir, 'credentials.json'));
      expectNoSecretIn(`${list.stdout}${list.stderr}`);
    });
  });

  it('never logged any part of a secret value', () => {
    expect(logs.lines().length).toBeGreaterThan(5);
    expectNoSecretIn(logs.text());
  });
});
