import { createHash, randomUUID } from 'node:crypto';
import { DEFAULT_APP_SCOPES } from '../../functions/core/scopes';
import type { PimAccess, PimClient, ProductLine, ProductWriteResult } from '../../functions/pim-access';
import { awsClients } from '../../functions/wiring/aws-clients';
import { createPimAccess } from '../../functions/wiring/pim-access';
import { TestBrowser } from '../support/browser';
import { captureLogs, type LogCapture } from '../support/log-capture';
import { connect, startTestApp, type TestApp } from '../support/test-app';

const FAST_RETRY = { baseDelayMs: 20, maxDelayMs: 200, maxRateLimitRetries: 8, maxServerErrorRetries: 4 };
const PRODUCTS = '/api/rest/v1/products-uuid';
const CHECK = ' Check the expected format on the API documentation.';

interface Product {
  uuid: string;
  enabled: boolean;
  values: Record<string, Array<{ locale: string | null; scope: string | null; data: unknown }>>;
}

const sku = (data: string) => ({ sku: [{ locale: null, scope: null, data }] });

/**
 * Writing products back through the entry point, as a downstream worker does: the real local app, the sandbox PIM
 * over HTTP (its collection PATCH answers line by line, as Akeneo's does), the factory a worker Lambda calls.
 */
describe('writing products through the entry point', () => {
  let app: TestApp;
  let logs: LogCapture;
  let pims: PimAccess;

  beforeAll(async () => {
    logs = captureLogs();
    app = await startTestApp({ env: { APP_SCOPES: [...DEFAULT_APP_SCOPES, 'write_products'].join(' ') } });
    expect((await connect(app, new TestBrowser())).page.status).toBe(200);
    pims = createPimAccess(app.config, awsClients('sync-worker'), { retry: FAST_RETRY });
  });

  afterAll(async () => {
    await app.close();
    logs.stop();
  });

  afterEach(() => {
    app.sandbox.clearApiFaults();
    app.sandbox.setApiLatency(0);
  });

  async function withPim<T>(work: (pim: PimClient) => Promise<T>): Promise<T> {
    const outcome = await pims.withPim(app.pimHost, work);
    if (outcome.status !== 'done') throw new Error(`Expected the work done, got ${JSON.stringify(outcome)}`);
    return outcome.value;
  }
  const read = (pim: PimClient, uuid: string) => pim.get(`${PRODUCTS}/${uuid}`) as Promise<Product>;
  const outcomes = (results: readonly ProductWriteResult[]) => results.map((result) => result.outcome);

  it('reads a page of products, writes valid and refused lines, and the PIM shows exactly the valid ones', async () => {
    const created = randomUUID();
    const countBefore = app.sandbox.productCount;

    const { products, results, after, createdProduct } = await withPim(async (pim) => {
      const page = await pim.list(PRODUCTS, { limit: 4 })[Symbol.asyncIterator]().next();
      if (page.done) throw new Error('Expected a page of products');
      const [renamed, unknownAttribute, disabled, unknownProperty] = page.value.items as Product[];
      if (!renamed || !unknownAttribute || !disabled || !unknownProperty) throw new Error('Expected 4 products');
      const lines: ProductLine[] = [
        { uuid: renamed.uuid, values: { name: [{ locale: 'fr_FR', scope: null, data: 'Produit renommé' }] } },
        { uuid: unknownAttribute.uuid, values: { weight: [{ locale: null, scope: null, data: '1' }] } },
        { uuid: disabled.uuid, enabled: !disabled.enabled },
        { uuid: unknownProperty.uuid, group: 'bar' },
        { uuid: created, family: 'tshirts', categories: ['men_tshirts'], values: sku('WORKER-1') },
        { family: 'tshirts' },
      ];
      const results = await pim.patchProducts(lines);
      const products = [renamed, unknownAttribute, disabled, unknownProperty];
      const after = await Promise.all(products.map((product) => read(pim, product.uuid)));
      return { products, results, after, createdProduct: await read(pim, created) };
    });

    const [renamed, unknownAttribute, disabled, unknownProperty] = products as [Product, Product, Product, Product];
    expect(results).toEqual([
      { line: 1, uuid: renamed.uuid, outcome: 'updated', statusCode: 204 },
      {
        line: 2,
        uuid: unknownAttribute.uuid,
        outcome: 'refused',
        statusCode: 422,
        message: `The weight attribute does not exist in your PIM.${CHECK}`,
      },
      { line: 3, uuid: disabled.uuid, outcome: 'updated', statusCode: 204 },
      {
        line: 4,
        uuid: unknownProperty.uuid,
        outcome: 'refused',
        statusCode: 422,
        message: `Property "group" does not exist.${CHECK}`,
      },
      { line: 5, uuid: created, outcome: 'created', statusCode: 201 },
      { line: 6, outcome: 'refused', statusCode: 422, message: 'Uuid is missing.' },
    ]);
    expect(after[0]?.values.name).toContainEqual({ locale: 'fr_FR', scope: null, data: 'Produit renommé' });
    expect(after[1]).toMatchObject({ values: unknownAttribute.values, enabled: unknownAttribute.enabled });
    expect(after[2]?.enabled).toBe(!disabled.enabled);
    expect(after[3]).toMatchObject({ values: unknownProperty.values, enabled: unknownProperty.enabled });
    expect(createdProduct).toMatchObject({ uuid: created, family: 'tshirts', values: sku('WORKER-1') });
    expect(app.sandbox.productCount).toBe(countBefore + 1);
  });

  it('refuses a line over the PIM input buffer on its own line, and applies the others', async () => {
    const [long, short] = [randomUUID(), randomUUID()];

    const results = await withPim((pim) =>
      pim.patchProducts([
        { uuid: long, values: { name: [{ locale: 'en_US', scope: null, data: 'x'.repeat(1_000_000) }] } },
        { uuid: short, values: sku('SHORT-1') },
      ]),
    );

    expect(results).toEqual([
      { line: 1, uuid: long, outcome: 'refused', statusCode: 413, message: 'Line is too long.' },
      { line: 2, uuid: short, outcome: 'created', statusCode: 201 },
    ]);
  });

  it('reports the lines after a cut answer as unknown; sent again, each is applied once', async () => {
    const lines = Array.from({ length: 6 }, (_, index) => ({ uuid: randomUUID(), values: sku(`CUT-${index}`) }));
    const countBefore = app.sandbox.productCount;
    app.sandbox.resetApiStats();
    app.sandbox.injectApiFaults([{ kind: 'cut-stream', afterLines: 3 }]);

    const first = await withPim((pim) => pim.patchProducts(lines));
    const unknown = first.filter((result) => result.outcome === 'unknown');
    const again = await withPim((pim) => pim.patchProducts(unknown.map((result) => lines[result.line - 1] ?? {})));

    expect(outcomes(first)).toEqual(['created', 'created', 'created', 'unknown', 'unknown', 'unknown']);
    expect(unknown.map((result) => result.uuid)).toEqual(lines.slice(3).map((line) => line.uuid));
    // Created, not updated: the cut call had not applied them, and it was not sent again by itself.
    expect(again).toEqual(
      lines.slice(3).map((line, index) => ({ line: index + 1, uuid: line.uuid, outcome: 'created', statusCode: 201 })),
    );
    expect(app.sandbox.apiStats.requests).toBe(2);
    expect(app.sandbox.productCount).toBe(countBefore + 6);
  });

  it.each([
    ['cut before any line of its answer', { kind: 'cut-stream', afterLines: 0 } as const],
    ['answered 503', { kind: 'server-error', status: 503 } as const],
    ['answered 429', { kind: 'rate-limit', retryAfterSeconds: 0 } as const],
  ])('sends a call %s again, since no line of it had come', async (_case, fault) => {
    const lines = Array.from({ length: 3 }, (_, index) => ({ uuid: randomUUID(), values: sku(`RETRY-${index}`) }));
    app.sandbox.resetApiStats();
    app.sandbox.injectApiFaults([fault]);

    const results = await withPim((pim) => pim.patchProducts(lines));

    expect(outcomes(results)).toEqual(['created', 'created', 'created']);
    expect(app.sandbox.apiStats.requests).toBe(2);
  });

  it('keeps parallel writes of two clients of one entry point to 4 calls in flight at the PIM, and reaches 4', async () => {
    const batch = (prefix: string) =>
      Array.from({ length: 400 }, (_, index) => ({ uuid: randomUUID(), values: sku(`${prefix}-${index}`) }));
    const [first, second] = [batch('PAR-A'), batch('PAR-B')];
    app.sandbox.resetApiStats();
    app.sandbox.setApiLatency(300);

    const [a, b] = await Promise.all([
      withPim((pim) => pim.patchProducts(first)),
      withPim((pim) => pim.patchProducts(second)),
    ]);

    expect([...outcomes(a), ...outcomes(b)].every((outcome) => outcome === 'created')).toBe(true);
    expect(app.sandbox.apiStats.requests).toBe(8);
    const token = app.sandbox.connectedApp(app.clientId)?.accessToken ?? '';
    const key = createHash('sha256').update(token).digest('hex').slice(0, 8);
    expect(app.sandbox.apiStats.maxConcurrentPerToken).toEqual({ [key]: 4 });
  });
});
