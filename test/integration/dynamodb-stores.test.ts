import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { DynamoDbConnectionStore, DynamoDbSyncStateStore } from '../../functions/adapters/connection-store';
import { DynamoDbStateStore } from '../../functions/adapters/state-store';
import { loadConfig } from '../../functions/config';
import type { RunCompletedDetail } from '../../functions/contract/run-completed-event';
import { ensureTables } from '../../local/tables';
import { stateStoreContract } from '../contracts/state-store.contract';
import { dynamoDbEndpoint, uniqueTableNames } from '../support/dynamodb';

function documentClient(endpoint: string) {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
}

async function tablesOn(endpoint: string) {
  const names = uniqueTableNames();
  const config = loadConfig({
    APP_MODE: 'local',
    STATES_TABLE_NAME: names.statesTableName,
    CONNECTIONS_TABLE_NAME: names.connectionsTableName,
  });
  await ensureTables(documentClient(endpoint), config);
  return names;
}

describe('DynamoDbStateStore on DynamoDB Local', () => {
  stateStoreContract(async () => {
    const endpoint = dynamoDbEndpoint();
    const { statesTableName } = await tablesOn(endpoint);
    return new DynamoDbStateStore({ client: documentClient(endpoint), tableName: statesTableName });
  });
});

describe('DynamoDbStateStore on the embedded DynamoDB of `npm start` (dynalite)', () => {
  let server: Server;
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  stateStoreContract(async () => {
    server = dynalite({ createTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { statesTableName } = await tablesOn(endpoint);
    return new DynamoDbStateStore({ client: documentClient(endpoint), tableName: statesTableName });
  });
});

describe('DynamoDbConnectionStore', () => {
  const authorization = {
    pimHost: 'pim.example.com',
    pimUrl: 'https://pim.example.com',
    encryptedToken: 'local1.sealed',
    tokenVersion: 'v1',
    scopes: ['openid', 'read_products'],
    connectedBy: { sub: 'sub-1', email: 'j@example.com', name: 'Julia Stark' },
    connectedAt: '2026-01-01T00:00:00.000Z',
    stateHash: 'hash-1',
  };

  it('replaces the token on reconnect, keeps the first connection time and any sync state', async () => {
    const endpoint = dynamoDbEndpoint();
    const { connectionsTableName } = await tablesOn(endpoint);
    const client = documentClient(endpoint);
    const store = new DynamoDbConnectionStore({ client, tableName: connectionsTableName });
    await store.saveAuthorization(authorization);
    await client.send(
      new UpdateCommand({
        TableName: connectionsTableName,
        Key: { pimHost: 'pim.example.com' },
        UpdateExpression: 'SET syncCursor = :cursor, #status = :revoked, statusChangedAt = :at, statusReason = :why',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':cursor': '2026-01-02 00:00:00', ':revoked': 'revoked', ':at': 'x', ':why': 'y' },
      }),
    );

    const saved = await store.saveAuthorization({
      ...authorization,
      encryptedToken: 'local1.other',
      tokenVersion: 'v2',
      connectedBy: undefined,
      connectedAt: '2026-02-01T00:00:00.000Z',
      stateHash: 'hash-2',
    });

    const stored = (await store.get('pim.example.com')) as unknown as Record<string, unknown>;
    expect(stored).toEqual({
      pimHost: 'pim.example.com',
      pimUrl: 'https://pim.example.com',
      status: 'active',
      encryptedToken: 'local1.other',
      tokenVersion: 'v2',
      scopes: ['openid', 'read_products'],
      firstConnectedAt: '2026-01-01T00:00:00.000Z',
      connectedAt: '2026-02-01T00:00:00.000Z',
      updatedAt: '2026-02-01T00:00:00.000Z',
      lastStateHash: 'hash-2',
      syncCursor: '2026-01-02 00:00:00',
    });
    // The write's own answer is the item as stored, sync state included: the connected page reads nothing more.
    expect(saved).toEqual(stored);
    expect(await store.list()).toHaveLength(1);
  });

  it('stores the Event Platform state only for the token it was made with, on an active connection', async () => {
    const endpoint = dynamoDbEndpoint();
    const { connectionsTableName } = await tablesOn(endpoint);
    const client = documentClient(endpoint);
    const store = new DynamoDbConnectionStore({ client, tableName: connectionsTableName });
    const active = {
      state: 'active',
      subscriberId: 's-1',
      subscriptionId: 'n-1',
      changedAt: '2026-01-01T00:00:01Z',
    } as const;
    await store.saveAuthorization(authorization);

    expect(await store.saveEventPlatform('pim.example.com', 'v1', active)).toBe(true);
    expect((await store.get('pim.example.com'))?.eventPlatform).toEqual(active);

    // A reconnect raced the step: the older step's result must not overwrite what the newer one finds.
    await store.saveAuthorization({ ...authorization, tokenVersion: 'v2', stateHash: 'hash-2' });
    const stale = { state: 'unavailable', reason: 'late', changedAt: '2026-01-01T00:00:02Z' } as const;
    expect(await store.saveEventPlatform('pim.example.com', 'v1', stale)).toBe(false);
    expect((await store.get('pim.example.com'))?.eventPlatform).toEqual(active);

    await client.send(
      new UpdateCommand({
        TableName: connectionsTableName,
        Key: { pimHost: 'pim.example.com' },
        UpdateExpression: 'SET #status = :revoked',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':revoked': 'revoked' },
      }),
    );
    expect(await store.saveEventPlatform('pim.example.com', 'v2', stale)).toBe(false);
    expect(await store.saveEventPlatform('never.example.com', 'v1', stale)).toBe(false);
    expect(await store.get('never.example.com')).toBeUndefined();
  });
});

describe('DynamoDbSyncStateStore: the event of a complete run, waiting on the connection until it is published', () => {
  const event = (runId: string): RunCompletedDetail => ({
    version: 1,
    pimHost: 'pim.example.com',
    pimUrl: 'https://pim.example.com',
    runId,
    manifest: { bucket: 'b', key: `pim.example.com/products/${runId}/manifest.json`, uri: 's3://b/k' },
    counts: { products: 2, changed: 2, reread: 0, parts: 1 },
    window: { to: '2026-01-02T00:00:00.000Z' },
    startedAt: '2026-01-02T00:00:00.000Z',
    completedAt: '2026-01-02T00:00:05.000Z',
  });

  async function connectedStores() {
    const endpoint = dynamoDbEndpoint();
    const { connectionsTableName } = await tablesOn(endpoint);
    const client = documentClient(endpoint);
    const connections = new DynamoDbConnectionStore({ client, tableName: connectionsTableName });
    await connections.saveAuthorization({
      pimHost: 'pim.example.com',
      pimUrl: 'https://pim.example.com',
      encryptedToken: 'local1.sealed',
      tokenVersion: 'v1',
      scopes: ['read_products'],
      connectedAt: '2026-01-01T00:00:00.000Z',
      stateHash: 'hash-1',
    });
    return { connections, sync: new DynamoDbSyncStateStore({ client, tableName: connectionsTableName }) };
  }
  const complete = (runId: string) => ({
    runId,
    cursor: '2026-01-02T00:00:00.000Z',
    completedAt: '2026-01-02T00:00:05.000Z',
    productCount: 2,
    event: event(runId),
  });

  it('keeps the event in the write that moves the cursor, and through a reconnect', async () => {
    const { connections, sync } = await connectedStores();

    await sync.completeRun('pim.example.com', complete('r1'));
    await connections.saveAuthorization({
      pimHost: 'pim.example.com',
      pimUrl: 'https://pim.example.com',
      encryptedToken: 'local1.other',
      tokenVersion: 'v2',
      scopes: ['read_products'],
      connectedAt: '2026-01-03T00:00:00.000Z',
      stateHash: 'hash-2',
    });

    expect(await sync.get('pim.example.com')).toMatchObject({
      syncCursor: '2026-01-02T00:00:00.000Z',
      lastSyncRunId: 'r1',
      pendingRunEvent: event('r1'),
    });
  });

  it("forgets only that run's event, and forgetting it again is harmless", async () => {
    const { sync } = await connectedStores();
    await sync.completeRun('pim.example.com', complete('r2'));

    await sync.clearRunEvent('pim.example.com', 'r1');
    expect((await sync.get('pim.example.com'))?.pendingRunEvent).toEqual(event('r2'));
    await sync.clearRunEvent('pim.example.com', 'r2');
    await sync.clearRunEvent('pim.example.com', 'r2');

    expect((await sync.get('pim.example.com'))?.pendingRunEvent).toBeUndefined();
  });
});
