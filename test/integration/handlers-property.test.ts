import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { makeActivateHandler } from '../../functions/activate';
import { LocalFileCredentialsRegistry } from '../../functions/adapters/credentials-registry';
import { makeCallbackHandler } from '../../functions/callback';
import { type Config, loadConfig } from '../../functions/config';
import { createActivateDeps } from '../../functions/wiring/activate';
import { createCallbackDeps } from '../../functions/wiring/callback';
import { ensureTables } from '../../local/tables';
import { dynamoDbEndpoint, testDocumentClient, uniqueTableNames } from '../support/dynamodb';
import { getEvent } from '../support/events';
import { captureLogs, type LogCapture } from '../support/log-capture';
import { expectNoSecrets } from '../support/secrets';

const PIM_URL = 'https://pim.example.com';
const CLIENT_SECRET = 'NjE0ZmRjYjNlZGQ4YzNlMmY3MjdiNzU0MTA4NjYzZTE0YTQ5NjA3NDU0ZGI1MjlkMDQwZGExZjYxMjg4MzM0NA';

/** Thousands of arbitrary requests against the real handlers, on DynamoDB Local: no 5xx, nothing stored, nothing leaked. */
describe('the handlers under arbitrary input', () => {
  let config: Config;
  let logs: LogCapture;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'akeneo-property-'));
    const tables = uniqueTableNames();
    config = loadConfig({
      APP_MODE: 'local',
      DATA_DIR: dataDir,
      DYNAMODB_ENDPOINT: dynamoDbEndpoint(),
      STATES_TABLE_NAME: tables.statesTableName,
      CONNECTIONS_TABLE_NAME: tables.connectionsTableName,
    });
    await ensureTables(testDocumentClient(), config);
    new LocalFileCredentialsRegistry(dataDir).put('pim.example.com', {
      pimUrl: PIM_URL,
      clientId: '9d1c0a2e-3b1f-4c2a-9f6e-2b8a1c0d5e7f',
      clientSecret: CLIENT_SECRET,
      updatedAt: new Date().toISOString(),
    });
    logs = captureLogs();
  });

  afterAll(() => {
    logs.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const queryString = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.webQueryParameters(),
    fc
      .dictionary(fc.constantFrom('pim_url', 'code', 'state', 'error', 'scope'), fc.string({ maxLength: 80 }))
      .map((params) => new URLSearchParams(params).toString()),
  );
  const cookies = fc.array(fc.string({ maxLength: 80 }), { maxLength: 3 });

  it('activate never answers 5xx and never reveals the secret, for 1,500 arbitrary requests', async () => {
    const activate = makeActivateHandler(createActivateDeps(config));
    const pimUrl = fc.oneof(
      fc.webUrl(),
      fc.string({ maxLength: 100 }),
      fc.constant(PIM_URL),
      fc.constant(`${PIM_URL}/`),
    );
    const query = fc.oneof(
      queryString,
      pimUrl.map((url) => `pim_url=${encodeURIComponent(url)}`),
    );

    await fc.assert(
      fc.asyncProperty(query, cookies, async (rawQuery, cookieList) => {
        const result = await activate(getEvent('/activate', rawQuery, cookieList));
        expect(result.statusCode).toBeLessThan(500);
        expect([302, 400, 403]).toContain(result.statusCode);
        expectNoSecrets(JSON.stringify(result), [CLIENT_SECRET]);
      }),
      { numRuns: 1500 },
    );
  });

  it('callback never answers 5xx, never stores a connection, for 1,500 arbitrary requests', async () => {
    const activate = makeActivateHandler(createActivateDeps(config));
    const issued = await activate(getEvent('/activate', `pim_url=${encodeURIComponent(PIM_URL)}`));
    const issuedState = new URL(String(issued.headers.location)).searchParams.get('state');
    if (issuedState === null) throw new Error('Activate issued no state');
    const callback = makeCallbackHandler(createCallbackDeps(config));
    const state = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.constant(issuedState),
      fc.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    );
    const query = fc.oneof(
      queryString,
      fc
        .tuple(fc.oneof(fc.string({ maxLength: 90 }), fc.stringMatching(/^[A-Za-z0-9]{86}$/)), state)
        .map(([code, value]) => new URLSearchParams({ code, state: value }).toString()),
    );
    const cookieList = fc.oneof(
      cookies,
      fc.string({ maxLength: 50 }).map((value) => [`__Host-akeneo_connect=${value}`]),
    );

    await fc.assert(
      fc.asyncProperty(query, cookieList, async (rawQuery, cookieValues) => {
        const result = await callback(getEvent('/callback', rawQuery, cookieValues));
        expect(result.statusCode).toBeGreaterThanOrEqual(400);
        expect(result.statusCode).toBeLessThan(500);
        expect(result.headers['cache-control']).toBe('no-store');
        expectNoSecrets(JSON.stringify(result), [CLIENT_SECRET, issuedState]);
      }),
      { numRuns: 1500 },
    );
    const stored = await testDocumentClient().send(new ScanCommand({ TableName: config.connectionsTableName }));
    expect(stored.Count).toBe(0);
  });

  it('wrote no secret and no state to the logs', () => {
    expect(logs.lines().length).toBeGreaterThan(100);
    expectNoSecrets(logs.text(), [CLIENT_SECRET]);
  });
});

describe('Activate on AWS', () => {
  const activate = makeActivateHandler(
    createActivateDeps(loadConfig({ APP_MODE: 'aws', STATES_TABLE_NAME: 's', CONNECTIONS_TABLE_NAME: 'c' })),
  );

  it.each([
    ['plain http, even on a loopback host', 'http://localhost:3001', 'must use https'],
    ['an IPv4 literal', 'https://192.0.2.10', 'not an IP address'],
    ['an IPv6 literal', 'https://[2001:db8::1]', 'not an IP address'],
  ])('refuses %s before any AWS call', async (_case, pimUrl, reason) => {
    const logs = captureLogs();
    try {
      const result = await activate(getEvent('/activate', `pim_url=${encodeURIComponent(pimUrl)}`));
      expect(result.statusCode).toBe(400);
      expect(result.body).toContain(reason);
    } finally {
      logs.stop();
    }
  });
});
