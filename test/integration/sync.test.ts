import { DynamoDbSyncStateStore } from '../../functions/adapters/connection-store';
import type { RunManifest } from '../../functions/adapters/product-sink';
import type { Config } from '../../functions/config';
import type { RetryPolicy } from '../../functions/core/backoff';
import { type LocalSyncOptions, runLocalSync } from '../../local/sync-runner';
import { TestBrowser } from '../support/browser';
import { testDocumentClient } from '../support/dynamodb';
import { captureLogs, type LogCapture } from '../support/log-capture';
import { overrideEnv } from '../support/process-env';
import { type S3StandIn, startS3StandIn } from '../support/s3-stand-in';
import { connect, startTestApp, type TestApp } from '../support/test-app';

const FAST_RETRY: RetryPolicy = { baseDelayMs: 20, maxDelayMs: 200, maxRateLimitRetries: 8, maxServerErrorRetries: 4 };
const CATALOG = 250;

/** The scheduled sync against the sandbox PIM over HTTP, DynamoDB Local, and S3 (s3rver, the unmodified client). */
describe('syncing connected PIMs into S3', () => {
  let app: TestApp;
  let s3: S3StandIn;
  let logs: LogCapture;
  let restoreEnv: () => void;

  beforeAll(async () => {
    s3 = await startS3StandIn();
    restoreEnv = overrideEnv({
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
    });
    logs = captureLogs();
    app = await startTestApp({ sandboxProducts: CATALOG });
    expect((await connect(app, new TestBrowser())).page.status).toBe(200);
  });

  afterAll(async () => {
    await app.close();
    logs.stop();
    await s3.close();
    restoreEnv();
  });

  afterEach(() => {
    app.sandbox.setApiLatency(0);
    app.sandbox.clearApiFaults();
  });

  // The sandbox's clock is real time plus what the tests advanced it by; the app's clock follows it.
  let sandboxOffset = 0;
  const sandboxNow = () => Date.now() / 1000 + sandboxOffset;
  const advanceSandbox = (seconds: number) => {
    sandboxOffset += seconds;
    app.sandbox.advanceClock(seconds);
  };

  const syncConfig = (): Config => ({
    ...app.config,
    exportSink: 's3',
    exportBucketName: s3.bucket,
    s3ForcePathStyle: true,
  });
  const sync = (options: Partial<LocalSyncOptions> = {}) =>
    runLocalSync({ config: syncConfig(), retry: FAST_RETRY, now: () => Math.floor(sandboxNow()), ...options });
  const store = () =>
    new DynamoDbSyncStateStore({ client: testDocumentClient(), tableName: app.config.connectionsTableName ?? '' });

  async function exported(runId: string) {
    const prefix = `${app.pimHost.replace(':', '_')}/products/${runId}/`;
    const manifest = JSON.parse(await s3.text(`${prefix}manifest.json`)) as RunManifest;
    const uuids: string[] = [];
    for (const part of manifest.parts) {
      const lines = (await s3.text(`${prefix}${part.name}`)).trim().split('\n');
      expect(lines).toHaveLength(part.productCount);
      uuids.push(...lines.map((line) => (JSON.parse(line) as { uuid: string }).uuid));
    }
    return { manifest, uuids };
  }

  function completedRun(summary: Awaited<ReturnType<typeof sync>>) {
    const last = summary.outcomes.at(-1)?.outcome;
    if (last?.kind !== 'completed') throw new Error(`Expected a completed run, got ${JSON.stringify(last)}`);
    return last;
  }

  it('exports every product exactly once on a first sync, with a manifest that counts them', async () => {
    const summary = await sync();

    const run = completedRun(summary);
    const { manifest, uuids } = await exported(run.runId);
    expect(summary.dispatched).toBe(1);
    expect(new Set(uuids).size).toBe(CATALOG);
    expect(uuids).toHaveLength(CATALOG);
    expect(manifest).toMatchObject({ productCount: CATALOG, pimHost: app.pimHost, pimUrl: app.sandbox.url });
    expect(manifest.parts.map((part) => part.name)).toEqual([
      'part-00001.ndjson',
      'part-00002.ndjson',
      'part-00003.ndjson',
    ]);
    expect(manifest.window.from).toBeUndefined();
    const connection = await store().get(app.pimHost);
    expect(connection).toMatchObject({
      syncCursor: manifest.window.to,
      lastSyncProductCount: CATALOG,
      lastSyncRunId: run.runId,
    });
    expect(connection?.syncCheckpoint).toBeUndefined();
  });

  it('exports only what changed since, including an update made in the same second as the cursor', async () => {
    // The cursor is the start of the previous run; a product updated later in that same second has an `updated`
    // equal to the cursor's second, which a plain "updated > cursor" would miss.
    const cursorSecond = Math.floor(sandboxNow()) + 30;
    const first = completedRun(await sync({ now: () => cursorSecond }));
    advanceSandbox(cursorSecond + 0.3 - sandboxNow());
    const sameSecond = app.sandbox.touchProducts(1);
    advanceSandbox(2);
    const later = [...app.sandbox.touchProducts(3), ...app.sandbox.addProducts(2)];

    const second = completedRun(await sync());

    const { uuids, manifest } = await exported(second.runId);
    expect(first.runId).not.toBe(second.runId);
    expect(new Set(uuids)).toEqual(new Set([...sameSecond, ...later]));
    expect(manifest.window.from).toBe(new Date((cursorSecond - 5) * 1000).toISOString());
  });

  it('checkpoints a run that runs out of time and finishes it in continuations, losing nothing', async () => {
    advanceSandbox(10);
    app.sandbox.touchProducts(app.sandbox.productCount);
    app.sandbox.setApiLatency(40);

    const summary = await sync({ runTimeMs: 60, reserveMs: 40 });

    const kinds = summary.outcomes.map(({ outcome }) => outcome.kind);
    expect(kinds.filter((kind) => kind === 'continued').length).toBeGreaterThanOrEqual(2);
    const run = completedRun(summary);
    const { uuids, manifest } = await exported(run.runId);
    expect(new Set(uuids).size).toBe(app.sandbox.productCount);
    expect(manifest.productCount).toBe(uuids.length);
  });

  // The 4-concurrent-calls bound is tested where calls can overlap beyond it: fair-use-concurrency.test.ts.
  it('rides out 429 storms (with and without Retry-After) and intermittent 500s', async () => {
    advanceSandbox(10);
    app.sandbox.touchProducts(app.sandbox.productCount);
    app.sandbox.injectApiFaults([
      { kind: 'rate-limit', retryAfterSeconds: 1 },
      { kind: 'rate-limit' },
      { kind: 'rate-limit' },
      { kind: 'server-error' },
      { kind: 'server-error', status: 503 },
    ]);
    const waits: Array<number | string> = [];

    const summary = await sync({ onRetry: ({ status }) => waits.push(status) });

    const run = completedRun(summary);
    const { uuids } = await exported(run.runId);
    expect(new Set(uuids).size).toBe(app.sandbox.productCount);
    expect(waits).toEqual([429, 429, 429, 500, 503]);
  });

  it('fails the message (for SQS to retry) when the PIM keeps failing, and keeps the cursor', async () => {
    const before = await store().get(app.pimHost);
    app.sandbox.injectApiFaults(Array.from({ length: 10 }, () => ({ kind: 'server-error' as const })));

    await expect(sync()).rejects.toMatchObject({
      code: 'pim_unavailable',
    });
    expect((await store().get(app.pimHost))?.syncCursor).toBe(before?.syncCursor);
  });

  it('never logged the access token', () => {
    const token = app.sandbox.connectedApp(app.clientId)?.accessToken ?? '';
    expect(token.length).toBeGreaterThan(20);
    expect(logs.text()).not.toContain(token);
  });
});
