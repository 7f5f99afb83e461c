import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDbSyncStateStore, type SyncStateStore } from '../../functions/adapters/connection-store';
import { MANIFEST_NAME, type RunManifest, runPrefix } from '../../functions/adapters/product-sink';
import { InMemorySyncQueue } from '../../functions/adapters/sync-queue';
import type { Config } from '../../functions/config';
import type { RunCompletedDetail, RunCompletedEvent } from '../../functions/contract/run-completed-event';
import type { RetryPolicy } from '../../functions/core/backoff';
import type { Connection } from '../../functions/core/connection';
import { type SyncOutcome, syncProducts } from '../../functions/use-cases/sync-products';
import { pimAccessOver } from '../../functions/wiring/pim-access';
import { createSyncWorkerAdapters } from '../../functions/wiring/sync-worker';
import { type LocalSyncOptions, runLocalSync } from '../../local/sync-runner';
import { TestBrowser } from '../support/browser';
import { testDocumentClient } from '../support/dynamodb';
import { type EventBridgeStandIn, startEventBridgeStandIn } from '../support/eventbridge-stand-in';
import { overrideEnv } from '../support/process-env';
import { type S3StandIn, startS3StandIn } from '../support/s3-stand-in';
import { connect, startTestApp, type TestApp } from '../support/test-app';

const FAST_RETRY: RetryPolicy = { baseDelayMs: 20, maxDelayMs: 200, maxRateLimitRetries: 8, maxServerErrorRetries: 4 };
const BUS = 'akeneo-runs';
const CATALOG = 250;

/**
 * Issue 14, item 5: one `Sync Run Completed` event per completed run, after the manifest and the cursor, for
 * downstream consumers. The sync runs against the sandbox PIM over HTTP and DynamoDB Local; the exports go to S3
 * (s3rver) and the events to EventBridge (a stand-in on the wire), or both to the data directory.
 */
describe('the run-completed event', () => {
  let app: TestApp;
  let s3: S3StandIn;
  let eventBridge: EventBridgeStandIn;
  let restoreEnv: () => void;

  beforeAll(async () => {
    s3 = await startS3StandIn();
    eventBridge = await startEventBridgeStandIn([BUS]);
    restoreEnv = overrideEnv({
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.endpoint,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
    });
    app = await startTestApp({ sandboxProducts: CATALOG });
    expect((await connect(app, new TestBrowser())).page.status).toBe(200);
  });

  afterAll(async () => {
    await app.close();
    await eventBridge.close();
    await s3.close();
    restoreEnv();
  });

  afterEach(() => {
    app.sandbox.setApiLatency(0);
    app.sandbox.clearApiFaults();
    eventBridge.refuseNext(0);
  });

  // The sandbox's clock is real time plus what the tests advanced it by; the app's clock follows it.
  let sandboxOffset = 0;
  const sandboxNow = () => Date.now() / 1000 + sandboxOffset;
  const advanceSandbox = (seconds: number) => {
    sandboxOffset += seconds;
    app.sandbox.advanceClock(seconds);
  };
  /** Changes `count` products, then lets more than the overlap pass: the next run reads exactly those again. */
  const changeProducts = (count: number) => {
    advanceSandbox(1);
    app.sandbox.touchProducts(count);
    advanceSandbox(6);
  };

  const toS3AndEventBridge = (): Config => ({
    ...app.config,
    exportSink: 's3',
    exportBucketName: s3.bucket,
    s3ForcePathStyle: true,
    runEventsBusName: BUS,
  });
  const sync = (options: Partial<LocalSyncOptions> = {}) =>
    runLocalSync({
      config: toS3AndEventBridge(),
      pimHost: app.pimHost,
      retry: FAST_RETRY,
      now: () => Math.floor(sandboxNow()),
      ...options,
    });
  const store = () =>
    new DynamoDbSyncStateStore({ client: testDocumentClient(), tableName: app.config.connectionsTableName ?? '' });
  const published = (runId?: string) =>
    eventBridge.events
      .filter((event) => runId === undefined || (event.detail as RunCompletedDetail).runId === runId)
      .map((event) => event.detail as RunCompletedDetail);

  function completedRun(outcomes: ReadonlyArray<{ outcome: SyncOutcome }>) {
    const last = outcomes.at(-1)?.outcome;
    if (last?.kind !== 'completed') throw new Error(`Expected a completed run, got ${JSON.stringify(last)}`);
    return last;
  }

  it('tells of a run into S3: the PIM, the run, where its manifest is, changed and re-read counts, window, times', async () => {
    // Ten products changed 3 s before a first sync: the next run's overlap (5 s before that sync) reads them again.
    app.sandbox.advanceClock(-3);
    app.sandbox.touchProducts(10);
    app.sandbox.advanceClock(3);
    const first = completedRun((await sync()).outcomes);
    app.sandbox.touchProducts(5);

    const run = completedRun((await sync()).outcomes);

    const key = `${runPrefix({ pimHost: app.pimHost, runId: run.runId })}${MANIFEST_NAME}`;
    const manifest = JSON.parse(await s3.text(key)) as RunManifest;
    expect(eventBridge.events.at(-1)).toMatchObject({
      busName: BUS,
      source: 'akeneo-custom-app',
      detailType: 'Sync Run Completed',
      time: manifest.completedAt,
    });
    expect(published(run.runId)).toEqual([
      {
        version: 1,
        pimHost: app.pimHost,
        pimUrl: app.sandbox.url,
        runId: run.runId,
        manifest: { bucket: s3.bucket, key, uri: `s3://${s3.bucket}/${key}` },
        counts: { products: 15, changed: 5, reread: 10, parts: 1 },
        window: manifest.window,
        startedAt: manifest.startedAt,
        completedAt: manifest.completedAt,
      },
    ]);
    expect(manifest).toMatchObject({ productCount: 15, rereadCount: 10 });
    expect(published(first.runId)).toHaveLength(1);
    expect((await store().get(app.pimHost))?.syncCursor).toBe(manifest.window.to);
  });

  it('publishes nothing for a run that continues, and exactly one event once it completes', async () => {
    changeProducts(CATALOG);
    app.sandbox.setApiLatency(40);
    const eventsAtEachStep: Array<[SyncOutcome['kind'], number]> = [];
    const before = eventBridge.events.length;

    const { outcomes } = await sync({
      runTimeMs: 60,
      reserveMs: 40,
      onOutcome: (_host, outcome) => eventsAtEachStep.push([outcome.kind, eventBridge.events.length - before]),
    });

    const run = completedRun(outcomes);
    const continued = eventsAtEachStep.filter(([kind]) => kind === 'continued');
    expect(continued.length).toBeGreaterThanOrEqual(2);
    expect(continued.every(([, events]) => events === 0)).toBe(true);
    expect(eventsAtEachStep.at(-1)).toEqual(['completed', 1]);
    expect(published(run.runId)).toEqual([
      expect.objectContaining({ counts: expect.objectContaining({ products: CATALOG }) }),
    ]);
  });

  it('keeps a run complete when EventBridge refuses its event: the step fails, the event waits on the connection', async () => {
    changeProducts(3);
    eventBridge.refuseNext(3);
    const outcomes: SyncOutcome[] = [];

    await expect(sync({ onOutcome: (_host, outcome) => outcomes.push(outcome) })).rejects.toMatchObject({
      code: 'run_event_pending',
      message: expect.stringMatching(/InternalFailure/),
    });

    const connection = (await store().get(app.pimHost)) as Connection & { pendingRunEvent?: RunCompletedDetail };
    const pending = connection.pendingRunEvent;
    expect(pending).toMatchObject({ pimHost: app.pimHost, counts: { products: 3, changed: 3, reread: 0, parts: 1 } });
    expect(connection.lastSyncRunId).toBe(pending?.runId);
    expect(connection.syncCursor).toBe(pending?.window.to);
    expect(connection.syncCheckpoint).toBeUndefined();
    expect(published(pending?.runId)).toEqual([]);
    expect(outcomes).toEqual([]);
  });

  it('publishes the waiting event before anything else on the next message, then its own run: one event each', async () => {
    const waiting = ((await store().get(app.pimHost)) as { pendingRunEvent?: RunCompletedDetail }).pendingRunEvent;
    expect(waiting).toBeDefined();
    const before = eventBridge.events.length;

    const run = completedRun((await sync()).outcomes);

    expect(eventBridge.events.slice(before).map((event) => (event.detail as RunCompletedDetail).runId)).toEqual([
      waiting?.runId,
      run.runId,
    ]);
    expect(published(waiting?.runId)).toEqual([waiting]);
    expect(((await store().get(app.pimHost)) as { pendingRunEvent?: unknown }).pendingRunEvent).toBeUndefined();
  });

  it('publishes a run again when the step stopped after publishing it (at least once: the run id tells a repeat)', async () => {
    changeProducts(2);
    const adapters = createSyncWorkerAdapters(toS3AndEventBridge(), { queue: new InMemorySyncQueue() });
    let crashes = 1;
    const crashingOnce: SyncStateStore = {
      get: (host) => adapters.store.get(host),
      saveCheckpoint: (host, checkpoint) => adapters.store.saveCheckpoint(host, checkpoint),
      completeRun: (host, run) => adapters.store.completeRun(host, run),
      markInactive: (host, change) => adapters.store.markInactive(host, change),
      clearRunEvent: async (host, runId) => {
        if (crashes-- > 0) throw new Error('The invocation died after publishing');
        return adapters.store.clearRunEvent(host, runId);
      },
    };
    const step = syncProducts({
      ...adapters,
      store: crashingOnce,
      pims: pimAccessOver(
        toS3AndEventBridge(),
        { store: crashingOnce, cipher: adapters.cipher },
        { retry: FAST_RETRY },
      ),
      overlapSeconds: 5,
      reserveMs: 0,
      now: () => new Date(Math.floor(sandboxNow()) * 1000),
      randomBytes: (size) => randomBytes(size),
    });
    const input = { pimHost: app.pimHost, timeLeftMs: () => 60_000 };

    await expect(step(input)).rejects.toMatchObject({ code: 'run_event_pending' });
    const runId = (await store().get(app.pimHost))?.lastSyncRunId ?? '';
    expect(published(runId)).toHaveLength(1);
    await step(input);

    expect(published(runId)).toHaveLength(2);
    expect(published(runId)[1]).toEqual(published(runId)[0]);
    expect(published(runId)[0]).toMatchObject({ counts: { products: 2, changed: 2, reread: 0, parts: 1 } });
  });

  describe('locally, without a bus', () => {
    it('writes the event to DATA_DIR/events/<pim host>/<run id>.json, naming the manifest file', async () => {
      changeProducts(4);
      const before = eventBridge.events.length;

      const { outcomes } = await runLocalSync({
        config: app.config,
        pimHost: app.pimHost,
        retry: FAST_RETRY,
        now: () => Math.floor(sandboxNow()),
      });

      const run = completedRun(outcomes);
      const directory = join(app.config.dataDir, 'events', app.pimHost.replace(':', '_'));
      expect(readdirSync(directory)).toContain(`${run.runId}.json`);
      const event = JSON.parse(readFileSync(join(directory, `${run.runId}.json`), 'utf8')) as RunCompletedEvent;
      const path = join(
        app.config.dataDir,
        'exports',
        runPrefix({ pimHost: app.pimHost, runId: run.runId }),
        MANIFEST_NAME,
      );
      expect(event).toMatchObject({
        source: 'akeneo-custom-app',
        'detail-type': 'Sync Run Completed',
        time: event.detail.completedAt,
        detail: {
          version: 1,
          pimHost: app.pimHost,
          runId: run.runId,
          manifest: { path, uri: pathToFileURL(path).href },
          counts: { products: 4, changed: 4, reread: 0, parts: 1 },
        },
      });
      expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ runId: run.runId, productCount: 4 });
      expect(eventBridge.events.length).toBe(before);
    });
  });
});
