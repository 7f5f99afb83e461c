import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { InProcessCallSlots } from '../../functions/adapters/call-slots';
import { DynamoDbSyncStateStore } from '../../functions/adapters/connection-store';
import { type RunManifest, runPrefix } from '../../functions/adapters/product-sink';
import { InMemorySyncQueue } from '../../functions/adapters/sync-queue';
import { LocalKeyTokenCipher } from '../../functions/adapters/token-cipher/local-key';
import type { RetryEvent } from '../../functions/akeneo/rest-client';
import { MAX_RETRY_WAIT_MS, type RetryPolicy } from '../../functions/core/backoff';
import { DEFAULT_RUN_LIMITS, type RunLimits } from '../../functions/core/sync-run';
import { PimAccess } from '../../functions/pim-access';
import { syncProducts } from '../../functions/use-cases/sync-products';
import { pimAccessOver } from '../../functions/wiring/pim-access';
import { createSyncWorkerAdapters } from '../../functions/wiring/sync-worker';
import { runLocalSync } from '../../local/sync-runner';
import { TestBrowser } from '../support/browser';
import { testDocumentClient } from '../support/dynamodb';
import { type FakePim, startFakePim } from '../support/fake-pim';
import { captureLogs, type LogCapture } from '../support/log-capture';
import { connect, startTestApp, type TestApp } from '../support/test-app';

const FAST_RETRY: RetryPolicy = { baseDelayMs: 20, maxDelayMs: 200, maxRateLimitRetries: 8, maxServerErrorRetries: 4 };

/** Another host on the machine that records whatever reaches it: where a tampered row would send the token. */
async function startOtherHost(): Promise<
  FakePim & { readonly requests: Array<{ url: string; authorization: string }> }
> {
  const requests: Array<{ url: string; authorization: string }> = [];
  const host = await startFakePim((request, response) => {
    requests.push({ url: request.url ?? '', authorization: request.headers.authorization ?? '' });
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ _links: {}, _embedded: { items: [] } }));
  });
  return Object.assign(host, { requests });
}

/** Items 1, 2 and 3 of issue 12, against the sandbox PIM over HTTP with DynamoDB Local. */
describe('the sync worker, hardened', () => {
  let app: TestApp;
  let logs: LogCapture;
  let store: DynamoDbSyncStateStore;
  const documents = testDocumentClient();

  beforeAll(async () => {
    logs = captureLogs();
    app = await startTestApp({ sandboxProducts: 250 });
    store = new DynamoDbSyncStateStore({ client: documents, tableName: app.config.connectionsTableName ?? '' });
    expect((await connect(app, new TestBrowser())).page.status).toBe(200);
  });

  afterAll(async () => {
    await app.close();
    logs.stop();
  });

  afterEach(() => {
    app.sandbox.clearApiFaults();
    app.sandbox.setApiLatency(0);
  });

  const token = () => {
    const value = app.sandbox.connectedApp(app.clientId)?.accessToken;
    if (!value) throw new Error('The sandbox has no token for the app');
    return value;
  };
  const sync = () => runLocalSync({ config: app.config, pimHost: app.pimHost, retry: FAST_RETRY });
  const setOnRow = (values: Record<string, unknown>) =>
    documents.send(
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
  /** Products exported by a completed run, from the local export directory (no bucket is configured). */
  function exported(pimHost: string, runId: string): string[] {
    const directory = join(app.config.dataDir, 'exports', runPrefix({ pimHost, runId }));
    const manifest = JSON.parse(readFileSync(join(directory, 'manifest.json'), 'utf8')) as RunManifest;
    return manifest.parts.flatMap((part) =>
      readFileSync(join(directory, part.name), 'utf8')
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { uuid: string }).uuid),
    );
  }
  const reconnect = async () => expect((await connect(app, new TestBrowser())).page.status).toBe(200);

  describe('the PIM a token is sent to (item 1)', () => {
    it('refuses a row whose pimUrl names another host: nothing reaches it, and the connection says why', async () => {
      const before = await store.get(app.pimHost);
      const other = await startOtherHost();
      try {
        await setOnRow({ pimUrl: other.url });

        const summary = await sync();

        expect(other.requests).toEqual([]);
        expect(summary.outcomes.map(({ outcome }) => outcome)).toEqual([
          { kind: 'pim_url_mismatch', marked: true, reason: expect.stringContaining(app.pimHost) },
        ]);
        const after = await store.get(app.pimHost);
        expect(after).toMatchObject({ status: 'pim_url_mismatch', statusReason: expect.stringContaining(app.pimHost) });
        expect(after?.syncCursor).toBe(before?.syncCursor);
        expect((await runLocalSync({ config: app.config })).dispatched).toBe(0);
      } finally {
        await other.close();
      }
      // Connecting again from the PIM writes the PIM's own URL back, and the sync resumes.
      await reconnect();
      expect((await sync()).outcomes.map(({ outcome }) => outcome.kind)).toEqual(['completed']);
    });

    it('refuses a checkpoint whose next link names another host', async () => {
      const other = await startOtherHost();
      try {
        await setOnRow({
          syncCheckpoint: {
            runId: '20261128T120000Z-abcdef',
            startedAt: '2026-11-28T12:00:00.000Z',
            window: { to: '2026-11-28T12:00:00.000Z' },
            nextUrl: `${other.url}/api/rest/v1/products-uuid?pagination_type=search_after&limit=100`,
            partCounts: [],
          },
        });

        const summary = await sync();

        expect(other.requests).toEqual([]);
        expect(summary.outcomes[0]?.outcome).toMatchObject({ kind: 'pim_url_mismatch', marked: true });
      } finally {
        await other.close();
      }
      await reconnect();
    });

    it('on AWS, refuses plain http even for the host the token is sealed to, before any request', async () => {
      app.sandbox.resetApiStats();
      const adapters = createSyncWorkerAdapters(app.config, { queue: new InMemorySyncQueue() });
      const sync = syncProducts({
        ...adapters,
        pims: new PimAccess({
          ...adapters,
          pimUrlPolicy: { local: false },
          callSlots: new InProcessCallSlots(),
          now: () => new Date(),
          retry: FAST_RETRY,
        }),
        overlapSeconds: 5,
        reserveMs: 0,
        now: () => new Date(),
        randomBytes: (size) => new Uint8Array(size),
      });

      const outcome = await sync({ pimHost: app.pimHost, timeLeftMs: () => 60_000 });

      expect(app.sandbox.apiStats.requests).toBe(0);
      expect(outcome).toMatchObject({ kind: 'pim_url_mismatch', reason: expect.stringMatching(/https/) });
      await reconnect();
    });
  });

  describe('waits the PIM asks for (item 2)', () => {
    it('checkpoints and continues when a Retry-After would pass the time left, instead of sleeping', async () => {
      app.sandbox.touchProducts(app.sandbox.productCount);
      let injected = false;
      const retries: RetryEvent[] = [];

      // A run step of 20 s: an hour's Retry-After, even capped, does not fit in it.
      const summary = await runLocalSync({
        config: app.config,
        pimHost: app.pimHost,
        retry: FAST_RETRY,
        runTimeMs: 20_000,
        reserveMs: 1_000,
        onRetry: (event) => retries.push(event),
        onPage: () => {
          if (!injected) app.sandbox.injectApiFaults([{ kind: 'rate-limit', retryAfterSeconds: 3600 }]);
          injected = true;
        },
      });

      const outcomes = summary.outcomes.map(({ outcome }) => outcome);
      expect(outcomes.map((outcome) => outcome.kind)).toEqual(['continued', 'completed']);
      expect(outcomes[0]).toMatchObject({ reason: 'rate-limited', waitMs: MAX_RETRY_WAIT_MS });
      expect(retries).toEqual([]);
      const last = outcomes[1];
      if (last?.kind !== 'completed') throw new Error('Expected a completed run');
      const uuids = exported(app.pimHost, last.runId);
      expect(uuids).toHaveLength(app.sandbox.productCount);
      expect(new Set(uuids).size).toBe(app.sandbox.productCount);
    }, 30_000);

    it('fails the message, writing nothing, when the first page of a run step cannot wait', async () => {
      const before = await store.get(app.pimHost);
      app.sandbox.injectApiFaults([{ kind: 'rate-limit', retryAfterSeconds: 3600 }]);

      const failure = runLocalSync({
        config: app.config,
        pimHost: app.pimHost,
        retry: FAST_RETRY,
        runTimeMs: 20_000,
        reserveMs: 1_000,
      });

      await expect(failure).rejects.toMatchObject({
        code: 'pim_unavailable',
        message: expect.stringContaining(app.pimHost),
      });
      const after = await store.get(app.pimHost);
      expect(after?.syncCursor).toBe(before?.syncCursor);
      expect(after?.syncCheckpoint).toBeUndefined();
    }, 30_000);
  });

  describe('next links that loop or never end (item 3)', () => {
    /** A PIM whose page n links to `nextOf(n)`; it ends its pagination after `stopAfter` requests whatever happens. */
    async function pagingPim(nextOf: (page: number) => number | undefined, stopAfter = 30) {
      const requested: number[] = [];
      const pim = await startFakePim((request, response) => {
        const query = new URL(request.url ?? '/', 'http://pim').searchParams;
        // A first sync's count probe: this PIM does not count, so the run keeps one cursor.
        if (query.get('with_count') === 'true') return void response.end('{"_links":{},"_embedded":{"items":[]}}');
        const page = Number(query.get('page') ?? 1);
        requested.push(page);
        const next = requested.length < stopAfter ? nextOf(page) : undefined;
        const link = `http://${request.headers.host}/api/rest/v1/products-uuid?limit=100&page=${next}`;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            _links: next === undefined ? {} : { next: { href: link } },
            _embedded: { items: Array.from({ length: 100 }, (_, index) => ({ uuid: `p${page}-${index}` })) },
          }),
        );
      });
      const pimHost = new URL(pim.url).host;
      const sealer = await LocalKeyTokenCipher.fromDataDir(app.config.dataDir).prepare(pimHost);
      await documents.send(
        new PutCommand({
          TableName: app.config.connectionsTableName,
          Item: {
            pimHost,
            pimUrl: pim.url,
            status: 'active',
            encryptedToken: sealer.seal('paging-token'),
            tokenVersion: 'v1',
            // Every scope the app requests: no scopes/update notice reaches this PIM.
            scopes: [...app.config.scopes],
            firstConnectedAt: '2026-11-28T00:00:00.000Z',
            connectedAt: '2026-11-28T00:00:00.000Z',
            updatedAt: '2026-11-28T00:00:00.000Z',
            lastStateHash: 'h',
          },
        }),
      );
      return Object.assign(pim, { pimHost, requested });
    }

    /** The worker's use case on the app's table and key, reading ahead and checkpointing as on AWS. */
    const workerSync = (limits?: RunLimits) => {
      const adapters = createSyncWorkerAdapters(app.config, { queue: new InMemorySyncQueue() });
      return syncProducts({
        ...adapters,
        ...(limits ? { limits } : {}),
        pims: pimAccessOver(app.config, adapters, { retry: FAST_RETRY }),
        overlapSeconds: 5,
        reserveMs: 1_000,
        now: () => new Date(),
        randomBytes: (size) => randomBytes(size),
      });
    };

    it('ends a run whose next link leads back to a page already read, before asking for it again', async () => {
      const pim = await pagingPim((page) => (page < 3 ? page + 1 : 2));
      try {
        const before = await store.get(pim.pimHost);

        const run = runLocalSync({ config: app.config, pimHost: pim.pimHost, retry: FAST_RETRY });

        await expect(run).rejects.toMatchObject({
          code: 'pagination_loop',
          message: expect.stringContaining(pim.pimHost),
        });
        expect(pim.requested).toEqual([1, 2, 3]);
        // Nothing of the run is kept; only its failure, for the sync's health.
        expect(await store.get(pim.pimHost)).toEqual({
          ...before,
          consecutiveFailures: 1,
          lastFailure: expect.objectContaining({ code: 'pagination_loop' }),
        });
      } finally {
        await pim.close();
      }
    });

    it('recognises a loop that spans continuations', async () => {
      const pim = await pagingPim((page) => (page < 3 ? page + 1 : 2));
      try {
        // Run steps so short that each reads one page, then checkpoints and continues.
        const run = runLocalSync({
          config: app.config,
          pimHost: pim.pimHost,
          retry: FAST_RETRY,
          runTimeMs: 1,
          reserveMs: 1_000,
        });

        await expect(run).rejects.toMatchObject({ code: 'pagination_loop' });
        expect(pim.requested).toEqual([1, 2, 3]);
      } finally {
        await pim.close();
      }
    });

    it('ends a run whose pagination never ends at the page limit, and a retry of it after one page', async () => {
      const pim = await pagingPim((page) => page + 1);
      try {
        const sync = workerSync({ ...DEFAULT_RUN_LIMITS, maxPages: 5 });
        const kinds: string[] = [];

        // Like the queue: each run step reads one page, checkpoints and continues, until the run ends or fails.
        let failure: unknown;
        for (let step = 0; step < 20 && failure === undefined; step += 1) {
          try {
            const outcome = await sync({ pimHost: pim.pimHost, timeLeftMs: () => 0 });
            kinds.push(outcome.kind);
            if (outcome.kind !== 'continued') break;
          } catch (error) {
            failure = error;
          }
        }

        expect(failure).toMatchObject({ code: 'pagination_limit', message: expect.stringContaining(pim.pimHost) });
        expect(kinds).toEqual(['continued', 'continued', 'continued', 'continued']);
        expect(pim.requested).toEqual([1, 2, 3, 4, 5]);
        // SQS retries the failed message: it resumes from the last checkpoint, and stops at the limit again.
        await expect(sync({ pimHost: pim.pimHost, timeLeftMs: () => 0 })).rejects.toMatchObject({
          code: 'pagination_limit',
        });
        expect(pim.requested).toEqual([1, 2, 3, 4, 5, 5]);
      } finally {
        await pim.close();
      }
    });

    it('keeps the checkpoint small however many pages the run has read, and resumes from it', async () => {
      const pim = await pagingPim((page) => (page < 40 ? page + 1 : undefined), 100);
      try {
        const sync = workerSync();

        // The first run step's time is up once the PIM has answered 30 pages.
        const first = await sync({ pimHost: pim.pimHost, timeLeftMs: () => (pim.requested.length >= 30 ? 0 : 60_000) });

        expect(first).toMatchObject({ kind: 'continued', reason: 'time' });
        const parts = first.kind === 'continued' ? first.parts : 0;
        expect(parts).toBeGreaterThanOrEqual(29);
        const checkpoint = (await store.get(pim.pimHost))?.syncCheckpoint;
        expect(checkpoint).toMatchObject({ partRuns: [[100, parts]], pages: parts });
        expect(checkpoint?.partCounts).toBeUndefined();
        expect(JSON.stringify(checkpoint).length).toBeLessThan(2_000);

        const second = await sync({ pimHost: pim.pimHost, timeLeftMs: () => 60_000 });

        expect(second).toMatchObject({ kind: 'completed', productCount: 4_000, parts: 40 });
        const uuids = exported(pim.pimHost, second.kind === 'completed' ? second.runId : '');
        expect(new Set(uuids).size).toBe(4_000);
      } finally {
        await pim.close();
      }
    });
  });

  it('never logged the access token', () => {
    expect(logs.text()).not.toContain(token());
  });
});
