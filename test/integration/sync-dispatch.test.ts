import { SendMessageBatchCommand, type SendMessageBatchCommandInput, SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { type Config, loadConfig } from '../../functions/config';
import { ensureTables } from '../../functions/local/tables';
import { createLogger } from '../../functions/observability/logger';
import { makeDispatchHandler } from '../../functions/sync-dispatch';
import { createDispatch } from '../../functions/wiring/dispatch-deps';
import { dynamoDbEndpoint, testDocumentClient, uniqueTableNames } from '../support/dynamodb';
import { captureLogs } from '../support/log-capture';

const ACTIVE = 1_000;
const REVOKED = 40;

/**
 * The dispatch on DynamoDB Local, through the status index. SQS has no local stand-in here: aws-sdk-client-mock
 * stands in for SendMessageBatch and records every call.
 */
describe('dispatching the scheduled sync', () => {
  const sqs = mockClient(SQSClient);
  let config: Config;

  beforeAll(async () => {
    const tables = uniqueTableNames();
    config = loadConfig({
      APP_MODE: 'local',
      DYNAMODB_ENDPOINT: dynamoDbEndpoint(),
      STATES_TABLE_NAME: tables.statesTableName,
      CONNECTIONS_TABLE_NAME: tables.connectionsTableName,
      SYNC_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/sync.fifo',
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

  beforeEach(() => {
    sqs.reset();
    sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => ({
      Successful: (input.Entries ?? []).map((entry) => ({ Id: entry.Id, MessageId: entry.Id, MD5OfMessageBody: '' })),
      Failed: [],
    }));
  });

  afterAll(() => sqs.restore());

  const sentEntries = () =>
    sqs.commandCalls(SendMessageBatchCommand).flatMap((call) => call.args[0].input.Entries ?? []);

  it('sends one message per active connection, ten per SendMessageBatch call: 100 calls for 1,000', async () => {
    const summary = await createDispatch(config)({ now: new Date('2026-11-28T12:07:00Z') });

    expect(summary).toMatchObject({ connections: ACTIVE, queueCalls: 100, slot: '2026-11-28T12:00:00.000Z' });
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(100);
    const entries = sentEntries();
    expect(new Set(entries.map((entry) => entry.MessageGroupId)).size).toBe(ACTIVE);
    expect(entries.every((entry) => JSON.parse(entry.MessageBody ?? '{}').pimHost === entry.MessageGroupId)).toBe(true);
    expect(entries.some((entry) => String(entry.MessageGroupId).startsWith(`pim-0${ACTIVE}`))).toBe(false);
  });

  it('gives a repeated dispatch in the same slot the same deduplication ids, and the next slot new ones', async () => {
    const dispatch = createDispatch(config);
    await dispatch({ now: new Date('2026-11-28T12:01:00Z') });
    const first = sentEntries().map((entry) => entry.MessageDeduplicationId);
    sqs.resetHistory();
    await dispatch({ now: new Date('2026-11-28T12:14:59Z') });
    const again = sentEntries().map((entry) => entry.MessageDeduplicationId);
    sqs.resetHistory();
    await dispatch({ now: new Date('2026-11-28T12:15:00Z') });
    const next = sentEntries().map((entry) => entry.MessageDeduplicationId);

    expect(new Set(first).size).toBe(ACTIVE);
    expect(new Set(again)).toEqual(new Set(first));
    expect(next.filter((id) => first.includes(id))).toHaveLength(0);
  });

  it('reads the index, never the table, in a handful of pages', async () => {
    const summary = await createDispatch(config)({ now: new Date() });
    // Keys only: 1,000 small keys fit in one 1 MB page.
    expect(summary.indexPages).toBe(1);
  });

  it('resends only the entries SQS refused in a batch', async () => {
    let refusedOnce = false;
    sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
      const entries = input.Entries ?? [];
      if (!refusedOnce && entries.length === 10) {
        refusedOnce = true;
        return {
          Successful: entries.slice(1).map((entry) => ({ Id: entry.Id, MessageId: 'm', MD5OfMessageBody: '' })),
          Failed: [{ Id: entries[0].Id, Code: 'InternalError', SenderFault: false }],
        };
      }
      return {
        Successful: entries.map((entry) => ({ Id: entry.Id, MessageId: 'm', MD5OfMessageBody: '' })),
        Failed: [],
      };
    });

    const summary = await createDispatch(config)({ now: new Date() });

    expect(summary.queueCalls).toBe(101);
    expect(new Set(sentEntries().map((entry) => entry.MessageGroupId)).size).toBe(ACTIVE);
  });

  it('takes the slot from the scheduled event time in the Lambda handler, and logs a summary', async () => {
    const logs = captureLogs();
    try {
      const handler = makeDispatchHandler({ dispatch: createDispatch(config), logger: createLogger() });
      const summary = await handler({ time: '2026-11-28T09:30:00Z' });
      expect(summary.slot).toBe('2026-11-28T09:30:00.000Z');
      expect(logs.lines().find((line) => line.message === 'Sync dispatched')).toMatchObject({ connections: ACTIVE });
    } finally {
      logs.stop();
    }
  });
});
