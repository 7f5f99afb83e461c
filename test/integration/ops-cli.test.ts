import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbConnectionStore } from '../../functions/adapters/connection-store';
import {
  LocalFileCredentialsRegistry,
  SecretsManagerCredentialsRegistry,
} from '../../functions/adapters/credentials-registry';
import { LocalFileEventPlatformSecretStore } from '../../functions/adapters/event-platform-secrets';
import { loadConfig } from '../../functions/config';
import { localDynamoDbClientConfig } from '../../functions/wiring/local-dynamodb';
import { announceEmbeddedDynamoDb, startEmbeddedDynamoDb } from '../../local/embedded-dynamodb';
import { ensureTables } from '../../local/tables';
import { dynamoDbEndpoint, testDocumentClient, uniqueTableNames } from '../support/dynamodb';
import { type PimRunOptions, runPim } from '../support/pim-cli';
import { overrideEnv } from '../support/process-env';
import {
  type SecretsManagerStandIn,
  type StoredSecret,
  startSecretsManagerStandIn,
} from '../support/secrets-manager-stand-in';

// Every secret this suite hands to the CLI, and everything the CLI printed: the last test checks they never met.
const secretsUsed: string[] = [];
const printed: string[] = [];

function pimSecret(): string {
  let secret = '';
  while (secret.length < 86)
    secret += randomBytes(96)
      .toString('base64')
      .replace(/[^0-9A-Za-z]/g, '');
  secretsUsed.push(secret.slice(0, 86));
  return secret.slice(0, 86);
}

async function pim(argv: string[], options: PimRunOptions) {
  const run = await runPim(argv, options);
  printed.push(run.stdout, run.stderr);
  return run;
}

const CLIENT_ID = '6f2c1a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const OTHER_CLIENT_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

describe('Ops CLI, local target (data directory)', () => {
  const tables = uniqueTableNames();
  let dataDir: string;
  let env: Record<string, string>;
  let registry: LocalFileCredentialsRegistry;
  const sandboxPim = 'http://localhost:3001';

  beforeAll(async () => {
    const client = new DynamoDBClient({
      endpoint: dynamoDbEndpoint(),
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const config = loadConfig({
      APP_MODE: 'local',
      STATES_TABLE_NAME: tables.statesTableName,
      CONNECTIONS_TABLE_NAME: tables.connectionsTableName,
    });
    await ensureTables(client, config);
    client.destroy();
  });

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ops-cli-'));
    env = {
      DATA_DIR: dataDir,
      DYNAMODB_ENDPOINT: dynamoDbEndpoint(),
      STATES_TABLE_NAME: tables.statesTableName,
      CONNECTIONS_TABLE_NAME: tables.connectionsTableName,
    };
    registry = new LocalFileCredentialsRegistry(dataDir);
  });

  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('registers a PIM under the host the activate handler looks up, in a file only its owner reads', async () => {
    const secret = pimSecret();
    const run = await pim(['add', 'HTTP://LocalHost:3001/', '--client-id', CLIENT_ID, '--client-secret-stdin'], {
      env,
      stdin: `${secret}\n`,
    });

    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`Registered ${sandboxPim} (client id ${CLIENT_ID})`);
    expect(await registry.get('localhost:3001')).toEqual({ clientId: CLIENT_ID, clientSecret: secret });
    expect(statSync(registry.path).mode & 0o777).toBe(0o600);
  });

  it("rotates a PIM's Event Platform events secret in two steps: staged as secondary, then promoted", async () => {
    const store = new LocalFileEventPlatformSecretStore(dataDir);
    const original = {
      events: { primary: pimSecret() },
      notifications: pimSecret(),
    };
    await store.ensure('localhost:3001', () => original);

    const promoteTooEarly = await pim(['rotate-event-secret', sandboxPim, '--promote'], { env });
    const stage = await pim(['rotate-event-secret', sandboxPim], { env });
    const staged = await store.get('localhost:3001');
    const stageAgain = await pim(['rotate-event-secret', sandboxPim], { env });
    const promote = await pim(['rotate-event-secret', sandboxPim, '--promote'], { env });
    const unknown = await pim(['rotate-event-secret', 'http://localhost:3999'], { env });

    expect(promoteTooEarly.code).toBe(1);
    expect(promoteTooEarly.stderr).toContain('No new secret is staged for http://localhost:3001');
    expect(stage).toMatchObject({ code: 0, stderr: '' });
    expect(stage.stdout).toContain('Staged a new events secret for http://localhost:3001 as the secondary');
    expect(staged?.events.primary).toBe(original.events.primary);
    expect(staged?.events.secondary).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(staged?.notifications).toBe(original.notifications);
    expect(stageAgain.code).toBe(1);
    expect(stageAgain.stderr).toContain('--promote');
    expect(promote).toMatchObject({ code: 0, stderr: '' });
    expect(await store.get('localhost:3001')).toEqual({
      events: { primary: staged?.events.secondary },
      notifications: original.notifications,
    });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('has no Event Platform secrets yet');
    secretsUsed.push(staged?.events.secondary ?? '');
  });

  it('refuses to add a PIM twice and keeps the first credentials', async () => {
    const first = pimSecret();
    await pim(['add', sandboxPim, '--client-id', CLIENT_ID, '--client-secret-stdin'], { env, stdin: first });

    const run = await pim(['add', `${sandboxPim}/`, '--client-id', OTHER_CLIENT_ID, '--client-secret-stdin'], {
      env,
      stdin: pimSecret(),
    });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: http:\/\/localhost:3001 is already registered: use `rotate`.*\n$/);
    expect(await registry.get('localhost:3001')).toEqual({ clientId: CLIENT_ID, clientSecret: first });
  });

  it('lists the registered PIMs with client id and last change, as a table or JSON', async () => {
    await pim(['add', sandboxPim, '--client-id', CLIENT_ID], { env, stdin: pimSecret() });
    await pim(['add', 'https://acme.cloud.akeneo.com', '--client-id', OTHER_CLIENT_ID], { env, stdin: pimSecret() });

    const table = await pim(['list'], { env });
    const json = await pim(['list', '--json'], { env });

    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^PIM\s+CLIENT ID\s+LAST CHANGED$/);
    expect(table.stdout).toMatch(new RegExp(`https://acme.cloud.akeneo.com\\s+${OTHER_CLIENT_ID}\\s+\\d{4}-`));
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ pimUrl: 'https://acme.cloud.akeneo.com', clientId: OTHER_CLIENT_ID }),
      expect.objectContaining({ pimUrl: sandboxPim, pimHost: 'localhost:3001', clientId: CLIENT_ID }),
    ]);
    expect(JSON.parse(json.stdout)[0].lastChangedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('says how to register a PIM when none is', async () => {
    const run = await pim(['list'], { env });

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('npm run pim -- add <pimUrl>');
  });

  it('rotates the credentials of a registered PIM', async () => {
    await pim(['add', sandboxPim, '--client-id', CLIENT_ID], { env, stdin: pimSecret() });
    const regenerated = pimSecret();

    const run = await pim(['rotate', sandboxPim, '--client-id', CLIENT_ID, '--client-secret-stdin'], {
      env,
      stdin: regenerated,
    });

    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`Rotated the credentials of ${sandboxPim}`);
    expect(await registry.get('localhost:3001')).toEqual({ clientId: CLIENT_ID, clientSecret: regenerated });
  });

  it('refuses to rotate an unknown PIM and registers nothing', async () => {
    const run = await pim(['rotate', sandboxPim, '--client-id', CLIENT_ID], { env, stdin: pimSecret() });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: http:\/\/localhost:3001 is not registered: .*`add`\n$/);
    expect(registry.list()).toEqual([]);
  });

  it('removes a PIM with --yes and says what becomes of its connection', async () => {
    await pim(['add', sandboxPim, '--client-id', CLIENT_ID], { env, stdin: pimSecret() });

    const run = await pim(['remove', sandboxPim, '--yes'], { env });

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('stays stored and its token keeps working for sync');
    expect(run.stdout).toContain('new connections from http://localhost:3001 are refused until it is registered again');
    expect(await registry.get('localhost:3001')).toBeUndefined();
  });

  it('asks before removing at a terminal, and refuses without --yes when nobody can answer', async () => {
    await pim(['add', sandboxPim, '--client-id', CLIENT_ID], { env, stdin: pimSecret() });

    const scripted = await pim(['remove', sandboxPim], { env });
    const declined = await pim(['remove', sandboxPim], { env, isTTY: true, stdin: 'n\n' });
    expect(await registry.get('localhost:3001')).toBeDefined();
    const confirmed = await pim(['remove', sandboxPim], { env, isTTY: true, stdin: 'y\n' });

    expect(scripted.code).toBe(2);
    expect(scripted.stderr).toBe(
      'error: Removing http://localhost:3001 needs a confirmation: run it again with --yes\n',
    );
    expect(declined.code).toBe(1);
    expect(declined.stderr).toContain(`Remove the credentials of ${sandboxPim} (client id ${CLIENT_ID})`);
    expect(confirmed.code).toBe(0);
    expect(await registry.get('localhost:3001')).toBeUndefined();
  });

  it.each([
    ['https://acme.cloud.akeneo.com/path', 'The PIM URL must not contain a path'],
    ['https://acme.cloud.akeneo.com/?x=1', 'The PIM URL must not contain a query'],
    ['https://user:pw@acme.cloud.akeneo.com', 'The PIM URL must not contain a user name or password'],
    [
      'http://acme.cloud.akeneo.com',
      'The PIM URL must use https (or http for a PIM on this machine: localhost, 127.0.0.1)',
    ],
    ['not a url', 'The pim_url parameter is not a URL'],
  ])('refuses the malformed PIM URL %s with the activate handler reason (exit 2)', async (pimUrl, reason) => {
    const run = await pim(['add', pimUrl, '--client-id', CLIENT_ID], { env, stdin: pimSecret() });

    expect(run.code).toBe(2);
    const literal = reason.replace(/[()]/g, '\\$&');
    expect(run.stderr).toMatch(new RegExp(`^error: ${literal} \\(got .*\\): give the address only.*\\n$`));
    expect(registry.list()).toEqual([]);
  });

  it('refuses an empty secret', async () => {
    const run = await pim(['add', sandboxPim, '--client-id', CLIENT_ID, '--client-secret-stdin'], {
      env,
      stdin: '  \n',
    });

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: The client secret is empty: .*\n$/);
    expect(registry.list()).toEqual([]);
  });

  it('warns about a client id that is not a UUID and a secret unlike a PIM secret, and registers them', async () => {
    const oddSecret = `not-quite-${randomUUID()}`;
    secretsUsed.push(oddSecret);

    const run = await pim(['add', sandboxPim, '--client-id', 'my-app', '--client-secret-stdin'], {
      env,
      stdin: oddSecret,
    });

    expect(run.code).toBe(0);
    expect(run.stderr).toContain('warning: the client id "my-app" is not a UUID');
    expect(run.stderr).toContain("warning: the client secret is not 86 letters and digits like a PIM's secret");
    expect(await registry.get('localhost:3001')).toEqual({ clientId: 'my-app', clientSecret: oddSecret });
  });

  it('reads the secret at a hidden prompt on a terminal', async () => {
    const secret = pimSecret();
    const rawModes: boolean[] = [];

    const run = await pim(['add', sandboxPim, '--client-id', CLIENT_ID], {
      env,
      isTTY: true,
      stdin: `${secret}\r`,
      setRawMode: (mode) => rawModes.push(mode),
    });

    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Client secret (input hidden): ');
    expect(rawModes).toEqual([true, false]);
    expect(await registry.get('localhost:3001')).toEqual({ clientId: CLIENT_ID, clientSecret: secret });
  });

  it('accepts --client-secret with a warning, and refuses both secret flags at once', async () => {
    const inline = await pim(['add', sandboxPim, '--client-id', CLIENT_ID, '--client-secret', pimSecret()], { env });
    const both = await pim(
      ['rotate', sandboxPim, '--client-id', CLIENT_ID, '--client-secret-stdin', '--client-secret', pimSecret()],
      { env },
    );

    expect(inline.code).toBe(0);
    expect(inline.stderr).toContain('warning: --client-secret leaves the secret in your shell history');
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^error: Give the client secret one way only/);
  });

  it('answers bad usage with exit 2 and one line that points at --help', async () => {
    const missing = await pim(['add', sandboxPim], { env, stdin: pimSecret() });
    const unknown = await pim(['frobnicate'], { env });

    expect(missing).toMatchObject({
      code: 2,
      stderr: "error: required option '--client-id <id>' not specified (add --help for usage)\n",
    });
    expect(unknown.code).toBe(2);
  });

  it('shows the stored connections without their token', async () => {
    const store = new DynamoDbConnectionStore({ client: testDocumentClient(), tableName: tables.connectionsTableName });
    const encryptedToken = `v1.${randomBytes(48).toString('base64')}`;
    secretsUsed.push(encryptedToken);
    await store.saveAuthorization({
      pimHost: 'localhost:3001',
      pimUrl: sandboxPim,
      encryptedToken,
      tokenVersion: 'a1b2c3d4e5f60718',
      scopes: ['openid', 'read_products'],
      connectedBy: { sub: 'user-42', email: 'julia@example.com', name: 'Julia Stark' },
      connectedAt: '2025-01-02T03:04:05.000Z',
      stateHash: 'f'.repeat(64),
    });
    const eventPlatform = {
      state: 'active',
      subscriberId: 'subscriber-1',
      subscriptionId: 'subscription-1',
      changedAt: '2025-01-02T03:04:06.000Z',
    } as const;
    await store.saveEventPlatform('localhost:3001', 'a1b2c3d4e5f60718', eventPlatform);
    await store.saveAuthorization({
      pimHost: 'revoked.example.com',
      pimUrl: 'https://revoked.example.com',
      encryptedToken,
      tokenVersion: '0011223344556677',
      scopes: ['read_products'],
      connectedAt: '2025-01-01T00:00:00.000Z',
      stateHash: 'e'.repeat(64),
    });
    await testDocumentClient().send(
      new UpdateCommand({
        TableName: tables.connectionsTableName,
        Key: { pimHost: 'revoked.example.com' },
        UpdateExpression: 'SET #status = :revoked, statusChangedAt = :at, statusReason = :reason',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':revoked': 'revoked',
          ':at': '2025-02-01T00:00:00.000Z',
          ':reason': 'token_rejected',
        },
      }),
    );

    const json = await pim(['status', '--json'], { env });
    const table = await pim(['status'], { env });

    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      {
        pimUrl: sandboxPim,
        pimHost: 'localhost:3001',
        status: 'active',
        scopes: ['openid', 'read_products'],
        connectedAt: '2025-01-02T03:04:05.000Z',
        firstConnectedAt: '2025-01-02T03:04:05.000Z',
        connectedBy: { sub: 'user-42', email: 'julia@example.com', name: 'Julia Stark' },
        tokenVersion: 'a1b2c3d4e5f60718',
        eventPlatform,
        health: expect.objectContaining({ consecutiveFailures: 0, stale: true }),
      },
      expect.objectContaining({
        pimUrl: 'https://revoked.example.com',
        status: 'revoked',
        connectedBy: null,
        statusChangedAt: '2025-02-01T00:00:00.000Z',
        statusReason: 'token_rejected',
      }),
    ]);
    expect(json.stdout).not.toMatch(/encryptedToken|lastStateHash/);
    expect(table.stdout).toMatch(/^localhost:3001\s+active\s+stale\+1\s+never\s+-\s+-\s+0\s+2 \(7 missing\)$/m);
    expect(table.stdout).toMatch(/^revoked.example.com\s+revoked\s+scopes_missing\s+never/m);
    const wide = await pim(['status', '--wide'], { env });
    expect(wide.stdout).toMatch(
      /http:\/\/localhost:3001\s+active\s+stale,scopes_missing\s+-\s+-\s+-\s+-\s+0\s+-\s+no\s+2025-01-02T03:04:05.000Z\s+Julia Stark <julia@example.com>/,
    );
    expect(wide.stdout).toMatch(/https:\/\/revoked.example.com\s+revoked \(token_rejected\)/);
    expect(wide.stdout).toMatch(/LIVE UPDATES/);
    expect(wide.stdout).toMatch(/http:\/\/localhost:3001\s.*\son\s/);
  });

  it("reads the data directory's own DynamoDB, whether `npm start` runs or not", async () => {
    const { DYNAMODB_ENDPOINT: _external, ...withoutEndpoint } = env;
    const fresh = await pim(['status', '--json'], { env: withoutEndpoint });
    const embedded = await startEmbeddedDynamoDb(dataDir);
    const config = loadConfig({ ...withoutEndpoint, APP_MODE: 'local', DYNAMODB_ENDPOINT: embedded.endpoint });
    const client = new DynamoDBClient(localDynamoDbClientConfig(embedded));
    await ensureTables(client, config);
    await new DynamoDbConnectionStore({
      client: DynamoDBDocumentClient.from(client),
      tableName: tables.connectionsTableName,
    }).saveAuthorization({
      pimHost: 'localhost:3001',
      pimUrl: sandboxPim,
      encryptedToken: 'local-ciphertext',
      tokenVersion: '0123456789abcdef',
      scopes: ['read_products'],
      connectedAt: '2025-04-05T06:07:08.000Z',
      stateHash: 'b'.repeat(64),
    });
    client.destroy();
    const withdraw = announceEmbeddedDynamoDb(dataDir, embedded.endpoint);
    const whileRunning = await pim(['status', '--json'], { env: withoutEndpoint });
    await withdraw();
    await embedded.close();
    const afterStop = await pim(['status', '--json'], { env: withoutEndpoint });

    expect(fresh).toMatchObject({ code: 0, stdout: '[]\n' });
    for (const run of [whileRunning, afterStop]) {
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual([expect.objectContaining({ pimUrl: sandboxPim, status: 'active' })]);
    }
  });
});

describe('Ops CLI, AWS target (Secrets Manager stand-in)', () => {
  const PREFIX = 'acme-app/pims';
  const REGION = 'eu-west-1';
  const sdkEnv = {
    AWS_ENDPOINT_URL_SECRETS_MANAGER: '',
    AWS_ENDPOINT_URL_DYNAMODB: dynamoDbEndpoint(),
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: REGION,
  };
  let restoreEnv: () => void;
  let standIn: SecretsManagerStandIn;
  let secretsManager: SecretsManagerClient;
  const env = { AWS_REGION: REGION, CREDENTIALS_SECRET_PREFIX: PREFIX };
  const acme = 'https://acme.cloud.akeneo.com';

  beforeAll(async () => {
    standIn = await startSecretsManagerStandIn();
    sdkEnv.AWS_ENDPOINT_URL_SECRETS_MANAGER = standIn.endpoint;
    // The SDK reads its endpoint and credentials from the process environment, as it does on a real machine.
    restoreEnv = overrideEnv(sdkEnv);
    delete process.env.AWS_PROFILE;
    secretsManager = new SecretsManagerClient({});
  });

  afterAll(async () => {
    secretsManager.destroy();
    restoreEnv();
    await standIn.close();
  });

  beforeEach(() => {
    standIn.secrets.clear();
    standIn.calls.length = 0;
  });

  const secretValue = async (name: string, stage = 'AWSCURRENT') =>
    JSON.parse(
      (await secretsManager.send(new GetSecretValueCommand({ SecretId: name, VersionStage: stage }))).SecretString ??
        '',
    );

  it('adds a PIM as one tagged secret named after its host', async () => {
    const secret = pimSecret();

    const run = await pim(['add', acme, '--aws', '--client-id', CLIENT_ID, '--client-secret-stdin'], {
      env,
      stdin: secret,
    });

    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`Registered ${acme} (client id ${CLIENT_ID}) in ${PREFIX}/acme.cloud.akeneo.com.`);
    expect(await secretValue(`${PREFIX}/acme.cloud.akeneo.com`)).toEqual({ clientId: CLIENT_ID, clientSecret: secret });
    expect(standIn.secrets.get(`${PREFIX}/acme.cloud.akeneo.com`)?.tags).toEqual([{ Key: 'pimUrl', Value: acme }]);
  });

  it('refuses a duplicate, and takes the prefix and region from flags', async () => {
    const flags = ['--aws', '--region', REGION, '--secret-prefix', 'other/pims/', '--client-id', CLIENT_ID];
    await pim(['add', 'https://pim.example.com:8443', ...flags], { env: {}, stdin: pimSecret() });

    const duplicate = await pim(['add', 'https://PIM.example.com:8443/', ...flags], { env: {}, stdin: pimSecret() });

    expect([...standIn.secrets.keys()]).toEqual(['other/pims/pim.example.com_8443']);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/^error: https:\/\/pim.example.com:8443 is already registered: use `rotate`/);
  });

  it('lists the PIMs of its prefix only, with client id and last change, across pages', async () => {
    for (const host of ['a.example.com', 'b.example.com', 'c.example.com']) {
      await pim(['add', `https://${host}`, '--aws', '--client-id', CLIENT_ID], { env, stdin: pimSecret() });
    }
    // Each PIM's Event Platform secrets live beside its credentials, one level down: they are not PIMs.
    standIn.secrets.set(`${PREFIX}/b.example.com/event-platform`, {
      ...(standIn.secrets.get(`${PREFIX}/b.example.com`) as StoredSecret),
      name: `${PREFIX}/b.example.com/event-platform`,
    });
    await pim(
      ['add', 'https://elsewhere.example.com', '--aws', '--secret-prefix', 'acme-app/other', '--client-id', CLIENT_ID],
      {
        env,
        stdin: pimSecret(),
      },
    );

    const json = await pim(['list', '--aws', '--json'], { env });
    const table = await pim(['list', '--aws'], { env });

    expect(json.code).toBe(0);
    const listed = JSON.parse(json.stdout) as Array<Record<string, string>>;
    expect(listed.map((entry) => entry.pimUrl)).toEqual([
      'https://a.example.com',
      'https://b.example.com',
      'https://c.example.com',
    ]);
    expect(listed[0]).toEqual({
      pimUrl: 'https://a.example.com',
      pimHost: 'a.example.com',
      clientId: CLIENT_ID,
      lastChangedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      location: `${PREFIX}/a.example.com`,
    });
    expect(table.stdout).toMatch(new RegExp(`https://c.example.com\\s+${CLIENT_ID}\\s+\\d{4}-`));
  });

  it('rotates to a new version and keeps the previous one as AWSPREVIOUS', async () => {
    const first = pimSecret();
    const regenerated = pimSecret();
    await pim(['add', acme, '--aws', '--client-id', CLIENT_ID], { env, stdin: first });

    const run = await pim(['rotate', acme, '--aws', '--client-id', CLIENT_ID, '--client-secret-stdin'], {
      env,
      stdin: regenerated,
    });

    const name = `${PREFIX}/acme.cloud.akeneo.com`;
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/New version \S+ is AWSCURRENT; the previous one stays readable as AWSPREVIOUS/);
    expect(await secretValue(name)).toEqual({ clientId: CLIENT_ID, clientSecret: regenerated });
    expect(await secretValue(name, 'AWSPREVIOUS')).toEqual({ clientId: CLIENT_ID, clientSecret: first });
    const { Versions } = await secretsManager.send(new ListSecretVersionIdsCommand({ SecretId: name }));
    expect(Versions?.map((version) => version.VersionStages)).toEqual([['AWSPREVIOUS'], ['AWSCURRENT']]);
  });

  it('writes what the runtime registry reads, and the registry knows no unknown PIM', async () => {
    const secret = pimSecret();
    await pim(['add', acme, '--aws', '--client-id', CLIENT_ID], { env, stdin: pimSecret() });
    await pim(['rotate', acme, '--aws', '--client-id', CLIENT_ID], { env, stdin: secret });
    const registry = new SecretsManagerCredentialsRegistry({
      client: secretsManager,
      prefix: PREFIX,
      maxAgeSeconds: 0,
    });

    expect(await registry.get('acme.cloud.akeneo.com')).toEqual({ clientId: CLIENT_ID, clientSecret: secret });
    expect(await registry.get('unknown.example.com')).toBeUndefined();
  });

  it('refuses to rotate an unknown PIM', async () => {
    const run = await pim(['rotate', acme, '--aws', '--client-id', CLIENT_ID], { env, stdin: pimSecret() });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: https:\/\/acme.cloud.akeneo.com is not registered/);
    expect(standIn.secrets.size).toBe(0);
  });

  it('removes a PIM at once, so the registry no longer serves it and it can be added again', async () => {
    await pim(['add', acme, '--aws', '--client-id', CLIENT_ID], { env, stdin: pimSecret() });

    const removed = await pim(['remove', acme, '--aws', '--yes'], { env });
    const again = await pim(['remove', acme, '--aws', '--yes'], { env });
    const registry = new SecretsManagerCredentialsRegistry({
      client: secretsManager,
      prefix: PREFIX,
      maxAgeSeconds: 0,
    });

    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('its token keeps working for sync');
    expect(await registry.get('acme.cloud.akeneo.com')).toBeUndefined();
    expect(again.code).toBe(1);
    const readded = await pim(['add', acme, '--aws', '--client-id', CLIENT_ID], { env, stdin: pimSecret() });
    expect(readded.code).toBe(0);
  });

  it.each([
    [['add', 'http://acme.cloud.akeneo.com'], 'The PIM URL must use https'],
    [['add', 'http://localhost:3001'], 'The PIM URL must use https'],
    [['add', 'https://10.0.0.7'], 'The PIM URL must name a host, not an IP address'],
    [['remove', 'https://acme.cloud.akeneo.com/connect', '--yes'], 'The PIM URL must not contain a path'],
  ])('refuses %j with the reason the activate handler gives on AWS', async (argv, reason) => {
    const run = await pim([...argv, '--aws', ...(argv[0] === 'add' ? ['--client-id', CLIENT_ID] : [])], {
      env,
      stdin: pimSecret(),
    });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error: ${reason}`);
    expect(standIn.calls).toEqual([]);
  });

  it('refuses an empty secret, a missing region and AWS flags without --aws', async () => {
    const empty = await pim(['add', acme, '--aws', '--client-id', CLIENT_ID], { env, stdin: '\n' });
    const noRegion = await pim(['list', '--aws'], { env: { CREDENTIALS_SECRET_PREFIX: PREFIX } });
    const noAws = await pim(['list', '--region', REGION], { env });

    expect(empty.code).toBe(2);
    expect(standIn.secrets.size).toBe(0);
    expect(noRegion).toMatchObject({
      code: 2,
      stderr: 'error: Name the AWS region: --region <region> or AWS_REGION\n',
    });
    expect(noAws.code).toBe(2);
  });

  it('shows the connections of the Connections table named by flag, and asks for it when unnamed', async () => {
    const { connectionsTableName, statesTableName } = uniqueTableNames();
    // DynamoDB Local keeps one set of tables per access key and region: use the ones the CLI's SDK client sees.
    const client = new DynamoDBClient({
      endpoint: dynamoDbEndpoint(),
      region: REGION,
      credentials: { accessKeyId: sdkEnv.AWS_ACCESS_KEY_ID, secretAccessKey: sdkEnv.AWS_SECRET_ACCESS_KEY },
    });
    const tableNames = { STATES_TABLE_NAME: statesTableName, CONNECTIONS_TABLE_NAME: connectionsTableName };
    await ensureTables(client, loadConfig({ APP_MODE: 'local', ...tableNames }));
    const store = new DynamoDbConnectionStore({
      client: DynamoDBDocumentClient.from(client),
      tableName: connectionsTableName,
    });
    await store.saveAuthorization({
      pimHost: 'acme.cloud.akeneo.com',
      pimUrl: acme,
      encryptedToken: 'kms-ciphertext-blob',
      tokenVersion: '1234567890abcdef',
      scopes: ['read_products'],
      connectedAt: '2025-03-04T05:06:07.000Z',
      stateHash: 'a'.repeat(64),
    });
    client.destroy();

    const status = await pim(['status', '--aws', '--json', '--connections-table', connectionsTableName], { env });
    const unnamed = await pim(['status', '--aws'], { env });

    expect(status).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(status.stdout)).toEqual([expect.objectContaining({ pimUrl: acme, status: 'active' })]);
    expect(status.stdout).not.toContain('kms-ciphertext-blob');
    expect(unnamed.code).toBe(2);
    expect(unnamed.stderr).toContain('--connections-table <name>, CONNECTIONS_TABLE_NAME or --stack <name>');
  });

  it('reads the secret prefix and the Connections table from the stack outputs with --stack', async () => {
    // CloudFormation has no local stand-in: this mock stands in for DescribeStacks only.
    const cloudFormation = mockClient(CloudFormationClient);
    cloudFormation.on(DescribeStacksCommand, { StackName: 'AkeneoCustomApp' }).resolves({
      Stacks: [
        {
          StackName: 'AkeneoCustomApp',
          CreationTime: new Date(),
          StackStatus: 'CREATE_COMPLETE',
          Outputs: [
            { OutputKey: 'SecretPrefix', OutputValue: 'from-stack/pims' },
            { OutputKey: 'ConnectionsTableName', OutputValue: 'from-stack-connections' },
          ],
        },
      ],
    });
    try {
      const added = await pim(['add', acme, '--aws', '--stack', 'AkeneoCustomApp', '--client-id', CLIENT_ID], {
        env: { AWS_REGION: REGION },
        stdin: pimSecret(),
      });
      const missing = await pim(['list', '--aws', '--stack', 'NoSuchStack'], { env: { AWS_REGION: REGION } });
      // As the README states: a flag, then the stack's outputs, then the environment, then the default.
      const fromStack = ['--aws', '--stack', 'AkeneoCustomApp', '--client-id', CLIENT_ID];
      const prefixInEnv = { AWS_REGION: REGION, CREDENTIALS_SECRET_PREFIX: 'from-env/pims' };
      const stackOverEnv = await pim(['add', 'https://b.example.com', ...fromStack], {
        env: prefixInEnv,
        stdin: pimSecret(),
      });
      const flagOverStack = await pim(
        ['add', 'https://c.example.com', ...fromStack, '--secret-prefix', 'from-flag/pims'],
        {
          env: prefixInEnv,
          stdin: pimSecret(),
        },
      );

      expect(added.code).toBe(0);
      expect(stackOverEnv.code).toBe(0);
      expect(flagOverStack.code).toBe(0);
      expect([...standIn.secrets.keys()]).toEqual([
        'from-stack/pims/acme.cloud.akeneo.com',
        'from-stack/pims/b.example.com',
        'from-flag/pims/c.example.com',
      ]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('Could not read the outputs of stack NoSuchStack');
    } finally {
      cloudFormation.restore();
    }
  });
});

describe('Ops CLI output, over the whole suite', () => {
  it('never contained a secret or a token', () => {
    const output = printed.join('\n');

    expect(secretsUsed.length).toBeGreaterThan(20);
    for (const secret of secretsUsed) expect(output).not.toContain(secret);
  });
});
