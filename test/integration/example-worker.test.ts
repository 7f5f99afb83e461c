import { join } from 'node:path';
import { NAME_WITH_SKU_WORKER, WRITE_PRODUCTS_SCOPE } from '../../functions/contract/example-worker';
import { pimHostKey } from '../../functions/contract/names';
import { type RunCompletedDetail, runCompletedEvent } from '../../functions/contract/run-completed-event';
import { DEFAULT_APP_SCOPES } from '../../functions/core/scopes';
import { makeNameWithSkuHandler } from '../../functions/name-with-sku';
import type { PimAccess, PimClient } from '../../functions/pim-access';
import { nameProductsWithSku } from '../../functions/use-cases/name-products-with-sku';
import { awsClients } from '../../functions/wiring/aws-clients';
import { createNameWithSkuDeps } from '../../functions/wiring/name-with-sku';
import { createPimAccess } from '../../functions/wiring/pim-access';
import { ExampleWorkerReport } from '../../local/example-worker-report';
import { runLocalExampleWorker } from '../../local/example-worker-runner';
import { runLocalSync } from '../../local/sync-runner';
import { TEXT_MAX_CHARACTERS } from '../../sandbox/catalog-structure';
import { TestBrowser } from '../support/browser';
import { dynamoDbEndpoint } from '../support/dynamodb';
import { captureLogs, type LogCapture } from '../support/log-capture';
import { runPim } from '../support/pim-cli';
import { connect, startTestApp, type TestApp } from '../support/test-app';

const FAST_RETRY = { baseDelayMs: 20, maxDelayMs: 200, maxRateLimitRetries: 8, maxServerErrorRetries: 4 };
const PRODUCTS = '/api/rest/v1/products-uuid';
const TOO_LONG = `This value is too long. It should have ${TEXT_MAX_CHARACTERS} characters or less.`;
const DISCONNECTED = 'The access token provided is invalid. Your app has been disconnected from that PIM.';

interface Product {
  uuid: string;
  values: { sku: [{ data: string }]; name?: Array<{ locale: string | null; scope: string | null; data: string }> };
}

const englishName = (product: Product) => product.values.name?.find((entry) => entry.locale === 'en_US')?.data;

/**
 * The worked example, as a Lambda runs it, on the local app: DynamoDB Local, the sandbox PIM over HTTP, the run
 * event a real local sync publishes.
 */
describe('the example worker (name-with-sku)', () => {
  let app: TestApp;
  let logs: LogCapture;
  let tester: PimAccess;
  /** The product whose English name is too long to take its SKU: the PIM refuses its line every time. */
  let longNamedUuid: string;

  beforeAll(async () => {
    logs = captureLogs();
    app = await startTestApp({
      sandboxProducts: 30,
      env: { APP_SCOPES: [...DEFAULT_APP_SCOPES, WRITE_PRODUCTS_SCOPE].join(' ') },
    });
    expect((await connect(app, new TestBrowser())).page.status).toBe(200);
    tester = createPimAccess(app.config, awsClients('sync-worker'), { retry: FAST_RETRY });
  });

  afterAll(async () => {
    await app.close();
    logs.stop();
  });

  const worker = () => makeNameWithSkuHandler(createNameWithSkuDeps(app.config, { retry: FAST_RETRY }));

  async function asTester<T>(work: (pim: PimClient) => Promise<T>): Promise<T> {
    const outcome = await tester.withPim(app.pimHost, work);
    if (outcome.status !== 'done') throw new Error(`Expected the work done, got ${JSON.stringify(outcome)}`);
    return outcome.value;
  }
  const allProducts = () =>
    asTester(async (pim) => {
      const products: Product[] = [];
      for await (const page of pim.list(PRODUCTS)) products.push(...(page.items as Product[]));
      return products;
    });
  async function syncEvent() {
    const details: RunCompletedDetail[] = [];
    await runLocalSync({
      config: app.config,
      pimHost: app.pimHost,
      retry: FAST_RETRY,
      onRunEvent: (detail) => details.push(detail),
    });
    const detail = details.at(-1);
    if (!detail) throw new Error('Expected the sync to publish a run event');
    return runCompletedEvent(detail);
  }

  it('names each product of the run with its SKU, and a line the PIM refuses comes back alone', async () => {
    // A name of 250 characters: with its SKU, longer than Akeneo's 255 for a text value.
    const [longNamed] = (await allProducts()) as [Product];
    longNamedUuid = longNamed.uuid;
    const longName = `${'Long name '.repeat(25)}`;
    await asTester((pim) =>
      pim.patchProducts([
        { uuid: longNamed.uuid, values: { name: [{ locale: 'en_US', scope: null, data: longName }] } },
      ]),
    );
    const before = await allProducts();

    const outcome = await worker()(await syncEvent());

    expect(outcome).toEqual({
      status: 'done',
      value: {
        read: before.length,
        sent: before.length,
        updated: before.length - 1,
        created: 0,
        refused: 1,
        unknown: 0,
        writeScopeMissing: false,
      },
    });
    const after = new Map((await allProducts()).map((product) => [product.uuid, product]));
    for (const product of before) {
      const named = englishName(after.get(product.uuid) as Product);
      const sku = product.values.sku[0].data;
      if (product.uuid === longNamed.uuid) expect(named).toBe(longName);
      else expect(named).toBe(`${englishName(product)} (${sku})`);
    }
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        message: 'The PIM refused a line',
        uuid: longNamed.uuid,
        statusCode: 422,
        pimMessage: 'Validation failed.',
        errors: [expect.objectContaining({ attribute: 'name', locale: 'en_US', message: TOO_LONG })],
      }),
    );
  });

  it('sends once more the lines whose result never came, when the answer broke off', async () => {
    const added = app.sandbox.addProducts(5);
    const real = createPimAccess(app.config, awsClients(NAME_WITH_SKU_WORKER), { retry: FAST_RETRY });
    // The answer to the worker's first PATCH breaks off after two lines: the PIM applied those two only.
    const breakingFirstWrite: Pick<PimAccess, 'withPim'> = {
      withPim: (target, work) =>
        real.withPim(target, (pim) => {
          const patch = pim.patchProducts.bind(pim);
          let first = true;
          pim.patchProducts = (lines) => {
            if (first) app.sandbox.injectApiFaults([{ kind: 'cut-stream', afterLines: 2 }]);
            first = false;
            return patch(lines);
          };
          return work(pim);
        }),
    };
    const logger = { info: () => {}, warn: () => {} };
    app.sandbox.resetApiStats();

    const outcome = await nameProductsWithSku({ pims: breakingFirstWrite, logger })({ pimHost: app.pimHost });

    // The five new products and the long name, refused again; the list, the broken PATCH, and the one resend.
    expect(outcome).toMatchObject({ status: 'done', value: { sent: 6, updated: 5, refused: 1, unknown: 0 } });
    expect(app.sandbox.apiStats.requests).toBe(3);
    const names = new Map((await allProducts()).map((product) => [product.uuid, product]));
    for (const uuid of added) {
      const product = names.get(uuid) as Product;
      expect(englishName(product)).toMatch(new RegExp(` \\(${product.values.sku[0].data}\\)$`));
    }
  });

  it('stops the loop by itself: the next run exports its writes again, and it writes nothing new', async () => {
    // The worker's own writes changed `updated`: the next sync exports those products and tells of them.
    const event = await syncEvent();
    expect(event.detail.counts.products).toBeGreaterThan(0);
    app.sandbox.resetApiStats();

    const outcome = await worker()(event);

    // Only the line the PIM refused is tried again, and refused again: it changes nothing either.
    expect(outcome).toMatchObject({
      status: 'done',
      value: { read: event.detail.counts.products, sent: 1, updated: 0, created: 0, refused: 1 },
    });
    expect(app.sandbox.apiStats.requests).toBe(2);
  });

  it('runs locally on the latest run event of npm run sync, printing each line it wrote', async () => {
    const added = app.sandbox.addProducts(2);
    const { detail } = await syncEvent();
    const printed: string[] = [];
    const report = new ExampleWorkerReport((line) => printed.push(line));

    const run = await runLocalExampleWorker({
      config: app.config,
      retry: FAST_RETRY,
      onResults: (results) => report.results(results),
    });
    report.run(run);

    expect(run.event.detail).toEqual(detail);
    expect(run.eventPath).toBe(join(app.config.dataDir, 'events', pimHostKey(app.pimHost), `${detail.runId}.json`));
    expect(printed.sort()).toEqual(
      [
        ...added.map((uuid) => `  ${uuid} updated 204`),
        `  ${longNamedUuid} refused 422: Validation failed. ${TOO_LONG}`,
        `${app.pimHost}, run ${detail.runId} (${run.eventPath}): ${detail.counts.products} products read, 3 lines sent: 2 updated, 0 created, 1 refused, 0 unknown`,
      ].sort(),
    );
  });

  it('says so when no sync run has completed yet, naming the command to run', async () => {
    await expect(
      runLocalExampleWorker({ config: { ...app.config, dataDir: join(app.config.dataDir, 'empty') } }),
    ).rejects.toThrow(/^No completed sync run of any PIM under .*: run npm run sync first$/);
  });

  it('after a disconnect, gets the typed revoked answer at its first call, and calls no more', async () => {
    const event = await syncEvent();
    app.sandbox.disconnect(app.clientId);
    app.sandbox.resetApiStats();

    const first = await worker()(event);
    const callsAfterFirst = app.sandbox.apiStats.requests;
    const second = await worker()(event);

    expect(first).toEqual({ status: 'revoked', reason: DISCONNECTED, marked: true });
    expect(second).toEqual({ status: 'revoked', reason: DISCONNECTED });
    expect(callsAfterFirst).toBe(1);
    expect(app.sandbox.apiStats.requests).toBe(1);
    const status = await runPim(['status', '--json'], {
      env: {
        DATA_DIR: app.config.dataDir,
        DYNAMODB_ENDPOINT: dynamoDbEndpoint(),
        CONNECTIONS_TABLE_NAME: app.config.connectionsTableName,
        STATES_TABLE_NAME: app.config.statesTableName,
      },
    });
    expect(JSON.parse(status.stdout)).toEqual([
      expect.objectContaining({ pimHost: app.pimHost, status: 'revoked', statusReason: DISCONNECTED }),
    ]);
  });
});

describe('the example worker on a PIM that never granted write_products', () => {
  let app: TestApp;
  let logs: LogCapture;

  beforeAll(async () => {
    logs = captureLogs();
    app = await startTestApp({ sandboxProducts: 5 });
    expect((await connect(app, new TestBrowser())).page.status).toBe(200);
  });

  afterAll(async () => {
    await app.close();
    logs.stop();
  });

  it('writes nothing and calls nothing, so the 403 never marks the connection and stops the sync, and says what to do', async () => {
    const details: RunCompletedDetail[] = [];
    await runLocalSync({ config: app.config, pimHost: app.pimHost, onRunEvent: (detail) => details.push(detail) });
    app.sandbox.resetApiStats();

    const outcome = await makeNameWithSkuHandler(createNameWithSkuDeps(app.config))(
      runCompletedEvent(details[0] as RunCompletedDetail),
    );

    expect(outcome).toEqual({
      status: 'done',
      value: { read: 0, sent: 0, updated: 0, created: 0, refused: 0, unknown: 0, writeScopeMissing: true },
    });
    expect(app.sandbox.apiStats.requests).toBe(0);
    expect((await app.connections.get(app.pimHost))?.status).toBe('active');
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        message: 'The PIM did not grant write_products: nothing written',
        next: expect.stringContaining('reconnect the app from the PIM'),
      }),
    );
  });
});
