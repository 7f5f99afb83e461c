import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type Config, loadConfig } from '../../functions/config';
import { makeSyncDispatchHandler } from '../../functions/sync-dispatch';
import { createSyncDispatchDeps } from '../../functions/wiring/sync-dispatch';
import { ensureTables } from '../../local/tables';
import { dynamoDbEndpoint, testDocumentClient, uniqueTableNames } from '../support/dynamodb';
import { captureLogs } from '../support/log-capture';
import { overrideEnv } from '../support/process-env';
import { type SqsStandIn, startSqsStandIn } from '../support/sqs-stand-in';

const ACTIVE = 1_000;
const REVOKED = 40;

/**
 * The dispatch on DynamoDB Local, through the status index, sending to an SQS FIFO queue stand-in (the unmodified
 * SDK client, over HTTP) that deduplicates as SQS does.
 */
describe('dispatching the scheduled sync', () => {
  let sqs: SqsStandIn;
  let restoreEnv: () => void;
  let config: Config;

  beforeAll(async () => {
    sqs = await startSqsStandIn();
    restoreEnv = overrideEnv({
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'eu-west-1',
    });
    const tables = uniqueTableNames();
    config = loadConfig({
      APP_MODE: 'local',
      DYNAMODB_ENDPOINT: dynamoDbEndpoint(),
      STATES_TABLE_NAME: tables.statesTableName,
      CONNECTIONS_TABLE_NAME: tables.connectionsTableName,
      SYNC_QUEUE_URL: sqs.queueUrl,
      SYNC_SCHEDULE_MINUTES: '15',
    });
    const client = testDocumentClient();
    await ensureTables(client, config);
    const items = Array.from({ length: ACTIVE + REVOKED }, (_value, index) => ({
      pimHost: `pim-${String(index).padStart(5, '0')}.example.com`,
      pimUrl: `https://pim-${String(index).padStart(5, '0')}.example.com`,
      status: index < ACTIVE ? 'active' : 'revoked',
      encryptedToken: 'kms1.x',
      tokenVersion: 'v',
    }));
    for (let start = 0; start < items.length; start += 25) {
      await client.send(
        new BatchWriteCommand({
          RequestItems: {
            [tables.connectionsTableName]: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })),
          },
        }),
      );
    }
  });

  beforeEach(() => sqs.reset());

  afterAll(async () => {
    await sqs.close();
    restoreEnv();
  });

  const batchCalls = () => sqs.calls.filter((call) => call === 'SendMessageBatch').length;
  const onePerActivePim = () => {
    expect(sqs.groups.size).toBe(ACTIVE);
    expect([...sqs.groups.values()].every((count) => count === 1)).toBe(true);
  };

  it('sends one message per active connection, ten per SendMessageBatch call: 100 calls for 1,000', async () => {
    const summary = await createSyncDispatchDeps(config).dispatch({ now: new Date('2026-11-28T12:07:00Z') });

    expect(summary).toMatchObject({ connections: ACTIVE, queueCalls: 100, slot: '2026-11-28T12:00:00.000Z' });
    expect(batchCalls()).toBe(100);
    expect(sqs.stats.largestBatch).toBe(10);
    onePerActivePim();
    expect(sqs.messages.every((message) => JSON.parse(message.body).pimHost === message.groupId)).toBe(true);
    expect(sqs.messages.some((message) => message.groupId.startsWith(`pim-0${ACTIVE}`))).toBe(false);
  });

  it('queues nothing new for a dispatch repeated in the same slot, and one message per PIM for the next slot', async () => {
    const dispatch = createSyncDispatchDeps(config).dispatch;

    await dispatch({ now: new Date('2026-11-28T12:01:00Z') });
    await dispatch({ now: new Date('2026-11-28T12:14:59Z') });

    onePerActivePim();
    expect(sqs.stats).toMatchObject({ messages: ACTIVE, duplicates: ACTIVE });

    await dispatch({ now: new Date('2026-11-28T12:15:00Z') });

    expect(sqs.stats).toMatchObject({ messages: 2 * ACTIVE, duplicates: ACTIVE });
    expect([...sqs.groups.values()].every((count) => count === 2)).toBe(true);
  });

  it('reads the index, never the table, in a handful of pages', async () => {
    const summary = await createSyncDispatchDeps(config).dispatch({ now: new Date() });
    // Keys only: 1,000 small keys fit in one 1 MB page.
    expect(summary.indexPages).toBe(1);
  });

  it('resends only the entries SQS refused in a batch', async () => {
    sqs.refuseNext(1);

    const summary = await createSyncDispatchDeps(config).dispatch({ now: new Date() });

    expect(summary.queueCalls).toBe(101);
    expect(batchCalls()).toBe(101);
    onePerActivePim();
  });

  it('takes the slot from the scheduled event time in the Lambda handler, and logs a summary', async () => {
    const logs = captureLogs();
    try {
      const handler = makeSyncDispatchHandler(createSyncDispatchDeps(config));
      const summary = await handler({ time: '2026-11-28T09:30:00Z' });
      expect(summary.slot).toBe('2026-11-28T09:30:00.000Z');
      expect(logs.lines().find((line) => line.message === 'Sync dispatched')).toMatchObject({ connections: ACTIVE });
    } finally {
      logs.stop();
    }
  });
});
