import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgeRunEvents, LocalDirectoryRunEvents } from '../../functions/adapters/run-events';
import type { RunCompletedDetail } from '../../functions/contract/run-completed-event';
import { type EventBridgeStandIn, startEventBridgeStandIn } from '../support/eventbridge-stand-in';

const DETAIL: RunCompletedDetail = {
  version: 1,
  pimHost: 'localhost:3001',
  pimUrl: 'http://localhost:3001',
  runId: '20261128T120000Z-0a1b2c',
  manifest: {
    bucket: 'exports',
    key: 'localhost_3001/products/20261128T120000Z-0a1b2c/manifest.json',
    uri: 's3://exports/localhost_3001/products/20261128T120000Z-0a1b2c/manifest.json',
  },
  counts: { products: 15, changed: 5, reread: 10, parts: 1 },
  window: { from: '2026-11-28T11:44:55.000Z', to: '2026-11-28T12:00:00.000Z' },
  startedAt: '2026-11-28T12:00:00.000Z',
  completedAt: '2026-11-28T12:00:09.000Z',
};

/** The EventBridge publisher through the unmodified SDK client, against the stand-in over HTTP. */
describe('the EventBridge run events', () => {
  let eventBridge: EventBridgeStandIn;
  let client: EventBridgeClient;
  const publisher = () => new EventBridgeRunEvents({ client, busName: 'akeneo-runs', retryDelaysMs: [1, 1] });

  beforeAll(async () => {
    eventBridge = await startEventBridgeStandIn(['akeneo-runs']);
    client = new EventBridgeClient({
      endpoint: eventBridge.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  });

  afterAll(async () => {
    client.destroy();
    await eventBridge.close();
  });

  beforeEach(() => {
    eventBridge.calls.length = 0;
  });

  it('puts one event on its bus: the source and detail-type of the contract, the detail as JSON, completion time', async () => {
    await publisher().publishRunCompleted(DETAIL);

    expect(eventBridge.calls).toEqual(['PutEvents']);
    expect(eventBridge.events.at(-1)).toMatchObject({
      busName: 'akeneo-runs',
      source: 'akeneo-custom-app',
      detailType: 'Sync Run Completed',
      detail: DETAIL,
      time: DETAIL.completedAt,
    });
  });

  it('sends a refused entry again, and publishes it once', async () => {
    const before = eventBridge.events.length;
    eventBridge.refuseNext(2, 'ThrottlingException');

    await publisher().publishRunCompleted(DETAIL);

    expect(eventBridge.calls).toEqual(['PutEvents', 'PutEvents', 'PutEvents']);
    expect(eventBridge.events.length - before).toBe(1);
  });

  it('fails, naming the PIM, the run and the refusal, when every attempt is refused (FailedEntryCount)', async () => {
    const before = eventBridge.events.length;
    eventBridge.refuseNext(3, 'InternalFailure');

    const publishing = publisher().publishRunCompleted(DETAIL);

    await expect(publishing).rejects.toThrow(/localhost:3001.*20261128T120000Z-0a1b2c.*InternalFailure/);
    expect(eventBridge.calls).toHaveLength(3);
    expect(eventBridge.events.length - before).toBe(0);
  });

  it('fails when the bus does not exist', async () => {
    const missing = new EventBridgeRunEvents({ client, busName: 'no-such-bus', retryDelaysMs: [1, 1] });

    await expect(missing.publishRunCompleted(DETAIL)).rejects.toThrow(/no-such-bus does not exist/);
  });
});

describe('the local directory run events', () => {
  let directory: string;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'run-events-'));
  });

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('writes the event as a rule target receives it to <pim host>/<run id>.json, and nothing else', async () => {
    await new LocalDirectoryRunEvents(directory).publishRunCompleted(DETAIL);

    expect(readdirSync(join(directory, 'localhost_3001'))).toEqual([`${DETAIL.runId}.json`]);
    expect(JSON.parse(readFileSync(join(directory, 'localhost_3001', `${DETAIL.runId}.json`), 'utf8'))).toEqual({
      source: 'akeneo-custom-app',
      'detail-type': 'Sync Run Completed',
      time: DETAIL.completedAt,
      detail: DETAIL,
    });
  });

  it('replaces the file when the same run is published again: one file per run', async () => {
    const again = { ...DETAIL, completedAt: '2026-11-28T12:01:00.000Z' };

    await new LocalDirectoryRunEvents(directory).publishRunCompleted(again);

    expect(readdirSync(join(directory, 'localhost_3001'))).toEqual([`${DETAIL.runId}.json`]);
    expect(JSON.parse(readFileSync(join(directory, 'localhost_3001', `${DETAIL.runId}.json`), 'utf8'))).toMatchObject({
      time: again.completedAt,
    });
  });
});
