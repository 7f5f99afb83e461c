import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type CallSlots, InProcessCallSlots } from '../../functions/adapters/call-slots';
import { DynamoDbConnectionAccessStore } from '../../functions/adapters/connection-store';
import { AccessRevokedError, ScopeMissingError } from '../../functions/akeneo/rest-errors';
import { DEFAULT_APP_SCOPES } from '../../functions/core/scopes';
import type { PimAccess, PimClient } from '../../functions/pim-access';
import { awsClients } from '../../functions/wiring/aws-clients';
import { createPimAccess } from '../../functions/wiring/pim-access';
import { TestBrowser } from '../support/browser';
import { dynamoDbEndpoint, testDocumentClient } from '../support/dynamodb';
import { type FakePim, startFakePim } from '../support/fake-pim';
import { captureLogs, type LogCapture } from '../support/log-capture';
import { runPim } from '../support/pim-cli';
import { connect, startTestApp, type TestApp } from '../support/test-app';

const DISCONNECTED = 'The access token provided is invalid. Your app has been disconnected from that PIM.';
const FORBIDDEN_WRITE = 'Access forbidden. You are not allowed to create or update products.';
const FAST_RETRY = { baseDelayMs: 20, maxDelayMs: 200, maxRateLimitRetries: 8, maxServerErrorRetries: 4 };
const PRODUCTS = '/api/rest/v1/products-uuid';

/**
 * The entry point from a PIM host to a ready client, as a downstream worker uses it: the real local app (DynamoDB
 * Local, the local token key), the sandbox PIM over HTTP, the factory a worker Lambda calls.
 */
describe('the entry point to a connected PIM', () => {
  let app: TestApp;
  let logs: LogCapture;
  let pims: PimAccess;
  const documents = testDocumentClient();

  beforeAll(async () => {
    logs = captureLogs();
    app = await startTestApp({ env: { APP_SCOPES: [...DEFAULT_APP_SCOPES, 'write_products'].join(' ') } });
    pims = createPimAccess(app.config, awsClients('sync-worker'), { retry: FAST_RETRY });
    await reconnect();
  });

  afterAll(async () => {
    await app.close();
    logs.stop();
  });

  const reconnect = async () => expect((await connect(app, new TestBrowser())).page.status).toBe(200);
  const stored = () => app.connections.get(app.pimHost);
  const requests = () => app.sandbox.apiStats.requests;
  const firstPage = (pim: PimClient) => pim.get(`${PRODUCTS}?limit=1`);

  /** `npm run pim -- status --json`, in process, on the app's data: what an operator sees of the connection. */
  async function statusShown() {
    const env = {
      DATA_DIR: app.config.dataDir,
      DYNAMODB_ENDPOINT: dynamoDbEndpoint(),
      CONNECTIONS_TABLE_NAME: app.config.connectionsTableName ?? '',
      STATES_TABLE_NAME: app.config.statesTableName ?? '',
    };
    const run = await runPim(['status', '--json'], { env });
    expect(run.code).toBe(0);
    return (JSON.parse(run.stdout) as Array<{ pimHost: string; status: string; statusReason?: string }>).find(
      (view) => view.pimHost === app.pimHost,
    );
  }

  it('gives a ready client for a connected PIM, which reads through its API', async () => {
    const opening = await pims.open(app.pimHost);
    if (opening.status !== 'ready') throw new Error(`Expected a ready client, got ${JSON.stringify(opening)}`);
    try {
      expect(opening.pim).toMatchObject({ pimHost: app.pimHost, baseUrl: app.sandbox.url });
      expect(await firstPage(opening.pim)).toMatchObject({ _embedded: { items: [expect.any(Object)] } });
    } finally {
      await opening.pim.close();
    }
  });

  it('answers not_connected for a PIM that never connected, and refuses an empty host', async () => {
    expect(await pims.open('pim.never-connected.example.com')).toEqual({
      status: 'not_connected',
      reason: expect.stringContaining('pim.never-connected.example.com'),
    });
    await expect(pims.open(' ')).rejects.toMatchObject({ code: 'invalid_pim_request' });
  });

  it('refuses a stored URL on another host: nothing reaches it, and the connection is marked pim_url_mismatch', async () => {
    const reached: string[] = [];
    const other: FakePim = await startFakePim((request, response) => {
      reached.push(request.url ?? '');
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    try {
      await setOnRow({ pimUrl: other.url });

      const opening = await pims.open(app.pimHost);

      expect(opening).toEqual({
        status: 'pim_url_mismatch',
        reason: expect.stringContaining(app.pimHost),
        marked: true,
      });
      expect(reached).toEqual([]);
      expect(await stored()).toMatchObject({ status: 'pim_url_mismatch' });
      expect(await pims.open(app.pimHost)).toEqual({
        status: 'pim_url_mismatch',
        reason: expect.stringContaining(other.url.replace('http://', '')),
      });
    } finally {
      await other.close();
      await reconnect();
    }
  });

  it('answers revoked at the first call after a disconnect, marks the connection, and makes no further request', async () => {
    const opening = await pims.open(app.pimHost);
    if (opening.status !== 'ready') throw new Error('Expected a ready client');
    const { pim } = opening;
    try {
      app.sandbox.disconnect(app.clientId);
      const before = requests();

      const first = await firstPage(pim).catch((error: unknown) => error);

      expect(first).toBeInstanceOf(AccessRevokedError);
      expect(first).toMatchObject({ code: 'access_revoked', reason: DISCONNECTED, marked: true });
      expect(requests()).toBe(before + 1);
      expect(await stored()).toMatchObject({ status: 'revoked', statusReason: DISCONNECTED });
      expect(await statusShown()).toMatchObject({ status: 'revoked', statusReason: DISCONNECTED });

      const second = await firstPage(pim).catch((error: unknown) => error);
      const write = await pim
        .patchProducts([{ uuid: 'f5a2c1d0-0000-4000-8000-000000000001' }])
        .catch((e: unknown) => e);
      const list = await pim
        .list(PRODUCTS)
        [Symbol.asyncIterator]()
        .next()
        .catch((error: unknown) => error);

      for (const refused of [second, write, list]) {
        expect(refused).toBeInstanceOf(AccessRevokedError);
        expect(refused).toMatchObject({ reason: DISCONNECTED, marked: true });
      }
      expect(requests()).toBe(before + 1);
    } finally {
      await pim.close();
    }
    expect(await pims.open(app.pimHost)).toEqual({ status: 'revoked', reason: DISCONNECTED });
    await reconnect();
  });

  it('lets no call queued for a slot reach the PIM once one call met the 401', async () => {
    const opening = await pims.open(app.pimHost);
    if (opening.status !== 'ready') throw new Error('Expected a ready client');
    app.sandbox.disconnect(app.clientId);
    app.sandbox.setApiLatency(200);
    const before = requests();
    try {
      const calls = await Promise.all(
        Array.from({ length: 12 }, () => firstPage(opening.pim).catch((e: unknown) => e)),
      );

      for (const call of calls)
        expect(call).toMatchObject({ code: 'access_revoked', reason: DISCONNECTED, marked: true });
      // The 4 calls in flight when the first 401 came; none of the 8 that waited for a slot.
      expect(requests() - before).toBe(4);
    } finally {
      app.sandbox.setApiLatency(0);
      await opening.pim.close();
    }
    await reconnect();
  });

  it('returns the revocation the work met as a value from withPim, and closes the client', async () => {
    app.sandbox.disconnect(app.clientId);

    const outcome = await pims.withPim(app.pimHost, async (pim) => {
      await firstPage(pim);
      return 'unreachable';
    });

    expect(outcome).toEqual({ status: 'revoked', reason: DISCONNECTED, marked: true });
    expect(await pims.withPim(app.pimHost, async () => 'unreachable')).toEqual({
      status: 'revoked',
      reason: DISCONNECTED,
    });
    await reconnect();
    expect(await pims.withPim(app.pimHost, async (pim) => (await firstPage(pim)) !== undefined)).toEqual({
      status: 'done',
      value: true,
    });
  });

  it('keeps a reconnect that happens while the request is at the PIM active: the write is on the version it read', async () => {
    let reconnected = false;
    // The connection's slots, as the worker's: once the request has reached the PIM, and while the PIM takes its time
    // to answer, an admin reconnects the app; then the 401 comes back to the client.
    const slots = new InProcessCallSlots();
    const racing: CallSlots = {
      run: (pimHost, call) =>
        slots.run(pimHost, async () => {
          const before = requests();
          const refusalsBefore = app.sandbox.apiStats.statuses['401'] ?? 0;
          const answer = call();
          answer.catch(() => undefined);
          await until(() => requests() > before);
          if (!reconnected) {
            reconnected = true;
            await reconnect();
            // Otherwise the reconnect outlasted the PIM's latency and this run shows nothing: fail, do not pass.
            expect(app.sandbox.apiStats.statuses['401'] ?? 0).toBe(refusalsBefore);
          }
          return answer;
        }),
    };
    const racingPims = createPimAccess(app.config, awsClients('sync-worker'), { callSlots: racing, retry: FAST_RETRY });
    app.sandbox.disconnect(app.clientId);
    app.sandbox.setApiLatency(1_500);

    const outcome = await racingPims.withPim(app.pimHost, firstPage).finally(() => app.sandbox.setApiLatency(0));

    expect(reconnected).toBe(true);
    expect(outcome).toEqual({ status: 'revoked', reason: DISCONNECTED, marked: false });
    expect((await stored())?.status).toBe('active');
    expect(await pims.withPim(app.pimHost, async (pim) => (await firstPage(pim)) !== undefined)).toEqual({
      status: 'done',
      value: true,
    });
  });

  it('marks the connection with the token version it read, not one read again at the 401', async () => {
    const opening = await pims.open(app.pimHost);
    if (opening.status !== 'ready') throw new Error('Expected a ready client');
    app.sandbox.disconnect(app.clientId);
    await reconnect();
    app.sandbox.disconnect(app.clientId);
    const access = new DynamoDbConnectionAccessStore({
      client: documents,
      tableName: app.config.connectionsTableName ?? '',
    });
    const current = (await access.get(app.pimHost))?.tokenVersion;

    const error = await firstPage(opening.pim).catch((e: unknown) => e);
    await opening.pim.close();

    expect(current).not.toBe(opening.pim.connection.tokenVersion);
    expect(error).toMatchObject({ code: 'access_revoked', marked: false });
    expect((await stored())?.status).toBe('active');
    await reconnect();
  });

  async function setOnRow(values: Record<string, unknown>) {
    await documents.send(
      new UpdateCommand({
        TableName: app.config.connectionsTableName,
        Key: { pimHost: app.pimHost },
        UpdateExpression: `SET ${Object.keys(values)
          .map((name) => `#${name} = :${name}`)
          .join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(Object.keys(values).map((name) => [`#${name}`, name])),
        ExpressionAttributeValues: Object.fromEntries(
          Object.entries(values).map(([name, value]) => [`:${name}`, value]),
        ),
      }),
    );
  }
});

describe('the entry point to a PIM that did not grant write_products', () => {
  it('answers scope_missing at the first write, marks the connection, and makes no further request', async () => {
    const logs = captureLogs();
    const app = await startTestApp();
    try {
      expect((await connect(app, new TestBrowser())).page.status).toBe(200);
      const pims = createPimAccess(app.config, awsClients('sync-worker'), { retry: FAST_RETRY });
      const opening = await pims.open(app.pimHost);
      if (opening.status !== 'ready') throw new Error('Expected a ready client');
      const { pim } = opening;
      const before = app.sandbox.apiStats.requests;

      const write = await pim
        .patchProducts([{ uuid: 'f5a2c1d0-0000-4000-8000-000000000002' }])
        .catch((e: unknown) => e);
      const read = await pim.get(`${PRODUCTS}?limit=1`).catch((e: unknown) => e);
      await pim.close();

      for (const refused of [write, read]) {
        expect(refused).toBeInstanceOf(ScopeMissingError);
        expect(refused).toMatchObject({ code: 'scope_missing', reason: FORBIDDEN_WRITE, marked: true });
      }
      expect(app.sandbox.apiStats.requests).toBe(before + 1);
      expect(await app.connections.get(app.pimHost)).toMatchObject({
        status: 'scope_missing',
        statusReason: FORBIDDEN_WRITE,
      });
      expect(await pims.open(app.pimHost)).toEqual({ status: 'scope_missing', reason: FORBIDDEN_WRITE });
    } finally {
      await app.close();
      logs.stop();
    }
  });
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
