import { createHash, randomUUID } from 'node:crypto';
import { request } from 'undici';
import type { SandboxApp, SandboxPim } from '../../sandbox';
import {
  ACTIVATE_URL,
  apiGet,
  CALLBACK_URL,
  COLLECTION_CONTENT_TYPE,
  collectionLines,
  connectApp,
  patchProductCollection,
  startSandboxWithApp,
} from './sandbox-helpers';

interface ProductValue {
  locale: string | null;
  scope: string | null;
  data: unknown;
}

interface Product {
  uuid: string;
  identifier: string | null;
  enabled: boolean;
  family: string | null;
  categories: string[];
  groups: string[];
  parent: string | null;
  values: Record<string, ProductValue[]>;
  created: string;
  updated: string;
  associations: Record<string, unknown>;
  quantified_associations: Record<string, unknown>;
}

interface ProductPage {
  _links: { next?: { href: string } };
  _embedded: { items: (Product & { _links: unknown })[] };
}

const PRODUCTS = '/api/rest/v1/products-uuid';
const DOCUMENTED = {
  _links: { documentation: { href: 'http://api.akeneo.com/api-reference.html#patch_products_uuid__uuid_' } },
};
const CHECK = ' Check the expected format on the API documentation.';
const line = (value: unknown) => JSON.stringify(value);
const ndjson = (lines: readonly unknown[]) =>
  lines.map((value) => (typeof value === 'string' ? value : line(value))).join('\n');

describe('sandbox collection PATCH of products', () => {
  let pim: SandboxPim;
  let app: SandboxApp;
  let token: string;
  let catalog: Product[];

  beforeAll(async () => {
    ({ pim, app } = await startSandboxWithApp({ productCount: 200 }));
    token = (await connectApp(pim, app, 'write_products')).access_token;
    catalog = await walk(`${PRODUCTS}?pagination_type=search_after&limit=100`);
  });

  afterAll(() => pim.close());

  afterEach(() => {
    pim.setApiLatency(0);
    pim.clearApiFaults();
  });

  async function walk(firstPath: string): Promise<Product[]> {
    const items: Product[] = [];
    let next: string | undefined = firstPath;
    while (next) {
      const { status, body } = await apiGet(pim, next, token);
      expect(status).toBe(200);
      const page = body as ProductPage;
      items.push(...page._embedded.items.map(({ _links, ...product }) => product));
      next = page._links.next?.href;
    }
    return items;
  }

  async function read(uuid: string): Promise<{ status: number; product: Product }> {
    const { status, body } = await apiGet(pim, `${PRODUCTS}/${uuid}`, token);
    return { status, product: body as Product };
  }

  const patch = (lines: readonly unknown[]) => patchProductCollection(pim, ndjson(lines), { token });

  /** A product of the generated catalog no other test writes to. */
  let nextProduct = 0;
  const take = (count: number) => {
    const taken = catalog.slice(nextProduct, nextProduct + count);
    nextProduct += count;
    if (taken.length < count) throw new Error('The test catalog is too small');
    return taken;
  };

  /** The second an answer's products were written in, at the latest: "now" to the second. */
  const secondsAgo = (iso: string) => Date.now() / 1000 - Date.parse(iso) / 1000;

  it('applies exactly the accepted lines of 100 and answers one result per line, in order', async () => {
    const updated = take(40);
    const refusedExisting = take(15);
    const created = Array.from({ length: 30 }, () => randomUUID());
    const refusedNew = Array.from({ length: 5 }, () => randomUUID());
    const planned: { body: unknown; expect: Record<string, unknown> }[] = [];
    updated.forEach((product, index) => {
      planned.push({
        body: {
          uuid: product.uuid,
          enabled: index % 2 === 0,
          values: { name: [{ locale: 'fr_FR', scope: null, data: `Produit ${index}` }] },
        },
        expect: { uuid: product.uuid, status_code: 204 },
      });
    });
    created.forEach((uuid, index) => {
      planned.push({
        body: {
          uuid,
          family: 'tshirts',
          categories: ['men_tshirts'],
          values: { sku: [{ locale: null, scope: null, data: `W-${index}` }] },
        },
        expect: { uuid, status_code: 201 },
      });
    });
    refusedExisting.forEach((product, index) => {
      const kind = index % 3;
      if (kind === 0) {
        planned.push({
          body: { uuid: product.uuid, enabled: !product.enabled, group: 'bar' },
          expect: {
            uuid: product.uuid,
            status_code: 422,
            message: `Property "group" does not exist.${CHECK}`,
            ...DOCUMENTED,
          },
        });
      } else if (kind === 1) {
        planned.push({
          body: {
            uuid: product.uuid,
            enabled: !product.enabled,
            values: { weight: [{ locale: null, scope: null, data: '1' }] },
          },
          expect: {
            uuid: product.uuid,
            status_code: 422,
            message: `The weight attribute does not exist in your PIM.${CHECK}`,
            ...DOCUMENTED,
          },
        });
      } else {
        planned.push({
          body: {
            uuid: product.uuid,
            enabled: !product.enabled,
            values: { name: [{ locale: null, scope: null, data: 'No locale' }] },
          },
          expect: {
            uuid: product.uuid,
            status_code: 422,
            message: 'Validation failed.',
            errors: [
              {
                property: 'values',
                message: 'Attribute "name" expects a locale, none given.',
                attribute: 'name',
                locale: null,
                scope: null,
              },
            ],
          },
        });
      }
    });
    refusedNew.forEach((uuid) => {
      planned.push({
        body: { uuid, values: { name: [{ locale: 'en_US', scope: null, data: 12 }] } },
        expect: {
          uuid,
          status_code: 422,
          message: `The name attribute requires a string, a integer was detected.${CHECK}`,
          ...DOCUMENTED,
        },
      });
    });
    planned.push(
      ...Array.from({ length: 5 }, (_, index) => ({
        body: `{"uuid": "${randomUUID()}", ${index}`,
        expect: { status_code: 400, message: 'Invalid json message received' },
      })),
      ...Array.from({ length: 5 }, () => ({
        body: { family: 'tshirts' },
        expect: { status_code: 422, message: 'Uuid is missing.' },
      })),
    );
    expect(planned).toHaveLength(100);
    // Interleaved, so that accepted and refused lines alternate.
    const order = planned.map((_, index) => (index * 37) % 100);
    expect(new Set(order).size).toBe(100);
    const lines = order.map((index) => planned[index] as (typeof planned)[number]);
    const countBefore = pim.productCount;

    const answer = await patch(lines.map((planned) => planned.body));

    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe(COLLECTION_CONTENT_TYPE);
    expect(answer.text.endsWith('\n')).toBe(false);
    expect(collectionLines(answer.text)).toEqual(
      lines.map((planned, index) => ({ line: index + 1, ...planned.expect })),
    );

    expect(pim.productCount).toBe(countBefore + 30);
    for (const [index, product] of updated.entries()) {
      const { status, product: after } = await read(product.uuid);
      expect(status).toBe(200);
      expect(after).toEqual({
        ...product,
        enabled: index % 2 === 0,
        values: {
          ...product.values,
          name: [...(product.values.name ?? []), { locale: 'fr_FR', scope: null, data: `Produit ${index}` }],
        },
        updated: after.updated,
      });
      expect(secondsAgo(after.updated)).toBeLessThan(120);
    }
    for (const [index, uuid] of created.entries()) {
      const { status, product } = await read(uuid);
      expect(status).toBe(200);
      expect(product).toEqual({
        uuid,
        identifier: `W-${index}`,
        enabled: true,
        family: 'tshirts',
        categories: ['men_tshirts'],
        groups: [],
        parent: null,
        values: { sku: [{ locale: null, scope: null, data: `W-${index}` }] },
        created: product.updated,
        updated: product.updated,
        associations: {},
        quantified_associations: {},
      });
      expect(Object.keys(product)).toEqual(Object.keys(catalog[0] ?? {}));
    }
    for (const product of refusedExisting) expect((await read(product.uuid)).product).toEqual(product);
    for (const uuid of refusedNew) expect((await read(uuid)).status).toBe(404);
    const listed = (await walk(`${PRODUCTS}?pagination_type=search_after&limit=100`)).map((product) => product.uuid);
    expect(listed).toEqual(expect.arrayContaining(created));
    expect([...listed].sort()).toEqual(listed);
  });

  it('refuses 101 lines as a whole with 413 and applies none of them', async () => {
    const existing = take(50);
    const created = Array.from({ length: 51 }, () => randomUUID());
    const countBefore = pim.productCount;

    const answer = await patch([
      ...existing.map((product) => ({ uuid: product.uuid, enabled: !product.enabled })),
      ...created.map((uuid) => ({ uuid })),
    ]);

    expect({ status: answer.status, body: JSON.parse(answer.text) }).toEqual({
      status: 413,
      body: { code: 413, message: 'Too many resources to process, 100 is the maximum allowed.' },
    });
    expect(pim.productCount).toBe(countBefore);
    for (const product of existing) expect((await read(product.uuid)).product).toEqual(product);
    for (const uuid of created) expect((await read(uuid)).status).toBe(404);
  });

  describe('refusals of the whole request', () => {
    let readerToken: string;

    beforeAll(async () => {
      const reader = pim.addApp({ name: 'Reader app', activateUrl: ACTIVATE_URL, callbackUrl: CALLBACK_URL });
      readerToken = (await connectApp(pim, reader, 'read_products')).access_token;
    });

    const body = () => ndjson([{ uuid: randomUUID() }]);
    const answerOf = async (options: Parameters<typeof patchProductCollection>[2]) => {
      const answer = await patchProductCollection(pim, body(), options);
      return { status: answer.status, body: JSON.parse(answer.text) as unknown };
    };

    it('answers 401 without a token or with an unknown one, before looking at the content type', async () => {
      expect(await answerOf({ contentType: 'application/json' })).toEqual({
        status: 401,
        body: { code: 401, message: 'Authentication is required' },
      });
      expect(await answerOf({ token: 'unknown-token' })).toEqual({
        status: 401,
        body: { code: 401, message: 'The access token provided is invalid.' },
      });
    });

    it('answers 415 for any content type but the collection one, before checking the ACL', async () => {
      expect(await answerOf({ token, contentType: 'application/json' })).toEqual({
        status: 415,
        body: {
          code: 415,
          message:
            '"application/json" in "Content-Type" header is not valid. Only "application/vnd.akeneo.collection+json" is allowed.',
        },
      });
      expect(await answerOf({ token: readerToken, contentType: null })).toEqual({
        status: 415,
        body: {
          code: 415,
          message:
            'The "Content-Type" header is missing. "application/vnd.akeneo.collection+json" has to be specified as value.',
        },
      });
      const withCharset = await patchProductCollection(pim, body(), {
        token,
        contentType: `${COLLECTION_CONTENT_TYPE}; charset=utf-8`,
      });
      expect(withCharset.status).toBe(200);
    });

    it('answers 403 without write_products and writes nothing', async () => {
      const uuid = randomUUID();
      const answer = await patchProductCollection(pim, ndjson([{ uuid }]), { token: readerToken });
      expect({ status: answer.status, body: JSON.parse(answer.text) }).toEqual({
        status: 403,
        body: { code: 403, message: 'Access forbidden. You are not allowed to create or update products.' },
      });
      expect((await read(uuid)).status).toBe(404);
    });
  });

  it('answers each malformed line on its own line, as Akeneo words it', async () => {
    const [existing] = take(1);
    const uuid = existing?.uuid ?? '';
    const twice = randomUUID();
    const unicode = randomUUID();
    const padded = `{"uuid": "${uuid}", "enabled": false${' '.repeat(1_000_000)}}`.slice(0, 999_999).concat('}');
    expect(Buffer.byteLength(padded)).toBe(1_000_000);

    const answer = await patchProductCollection(
      pim,
      [
        '',
        'null',
        'not json',
        `{"uuid": "${uuid}"}${'a'.repeat(1_000_000)}`,
        line({}),
        line([]),
        line('text'),
        line({ uuid: '' }),
        line({ uuid: '  ' }),
        line({ uuid: null }),
        line({ uuid: '122345' }),
        line({ uuid: uuid.toUpperCase(), enabled: true }),
        line({ uuid: twice, values: { sku: [{ locale: null, scope: null, data: 'TWICE' }] } }),
        line({ uuid: twice, enabled: false }),
        padded,
        line({ uuid: unicode, values: { 'poids/é': [{ locale: null, scope: null, data: '1' }] } }),
        line({ uuid: 123 }),
        `${line({ uuid: randomUUID(), values: { name: [{ locale: 'fr_FR', scope: null, data: 'Éphémère' }] } })}\n`,
      ].join('\n'),
      { token },
    );

    expect(answer.status).toBe(200);
    const results = collectionLines(answer.text);
    expect(results).toHaveLength(18);
    expect(results.slice(0, 14)).toEqual([
      { line: 1, status_code: 400, message: 'Invalid json message received' },
      { line: 2, status_code: 400, message: 'Invalid json message received' },
      { line: 3, status_code: 400, message: 'Invalid json message received' },
      { line: 4, status_code: 413, message: 'Line is too long.' },
      { line: 5, status_code: 422, message: 'Uuid is missing.' },
      { line: 6, status_code: 422, message: 'Uuid is missing.' },
      { line: 7, status_code: 422, message: 'Uuid is missing.' },
      { line: 8, status_code: 422, message: 'Uuid is missing.' },
      { line: 9, status_code: 422, message: 'Uuid is missing.' },
      { line: 10, status_code: 422, message: 'Uuid is missing.' },
      { line: 11, uuid: '122345', status_code: 422, message: `This is not a valid UUID.${CHECK}`, ...DOCUMENTED },
      { line: 12, uuid, status_code: 204 },
      { line: 13, uuid: twice, status_code: 201 },
      { line: 14, uuid: twice, status_code: 204 },
    ]);
    expect(results[14]).toEqual({ line: 15, uuid, status_code: 204 });
    expect(results[15]).toEqual({
      line: 16,
      uuid: unicode,
      status_code: 422,
      message: `The poids/é attribute does not exist in your PIM.${CHECK}`,
      ...DOCUMENTED,
    });
    expect(results[16]).toEqual({
      line: 17,
      uuid: 123,
      status_code: 422,
      message: `This is not a valid UUID.${CHECK}`,
      ...DOCUMENTED,
    });
    expect(results[17]).toMatchObject({ line: 18, status_code: 201 });
    // As PHP's json_encode writes it: slashes and non-ASCII characters escaped.
    expect(answer.text).toContain('"href":"http:\\/\\/api.akeneo.com\\/api-reference.html#patch_products_uuid__uuid_"');
    expect(answer.text).toContain('The poids\\/\\u00e9 attribute');
    expect((await read(uuid)).product.enabled).toBe(false);
    expect((await read(twice)).product).toMatchObject({ identifier: 'TWICE', enabled: false });
  });

  it.each([
    [{ group: 'bar' }, `Property "group" does not exist.${CHECK}`],
    [{ identifier: 'X-1' }, `Property "identifier" does not exist.${CHECK}`],
    [{ enabled: null }, `Property "enabled" expects a boolean as data, "NULL" given.${CHECK}`],
    [{ family: ['tshirts'] }, `Property "family" expects a string as data, "array" given.${CHECK}`],
    [
      { family: 'shirts' },
      `Property "family" expects a valid family code. The family does not exist, "shirts" given.${CHECK}`,
    ],
    [
      { categories: ['audio', 'nope'] },
      `Property "categories" expects a valid category code. The category does not exist, "nope" given.${CHECK}`,
    ],
    [{ categories: 'audio' }, `Property "categories" expects an array as data, "string" given.${CHECK}`],
    [
      { values: { weight: [{ locale: null, scope: null, data: '1' }] } },
      `The weight attribute does not exist in your PIM.${CHECK}`,
    ],
    [
      { values: { name: [{ locale: 'en_US', scope: null, data: ['x'] }] } },
      `The name attribute requires a string, a array was detected.${CHECK}`,
    ],
    [
      { values: { name: { locale: 'en_US', scope: null, data: 'x' } } },
      `Property "name" expects an array with valid data, one of the values is not an array.${CHECK}`,
    ],
    [
      {
        values: {
          name: [
            { locale: 'en_US', scope: null, data: 'a' },
            { locale: 'en_US', scope: null, data: 'b' },
          ],
        },
      },
      `You cannot update the same product value on the "name" attribute twice, with the same scope and locale.${CHECK}`,
    ],
  ])('refuses the line %j with a documented 422 and writes nothing', async (change, message) => {
    const [product] = take(1);
    const answer = await patch([{ uuid: product?.uuid, enabled: !product?.enabled, ...change }]);
    expect(collectionLines(answer.text)).toEqual([
      { line: 1, uuid: product?.uuid, status_code: 422, message, ...DOCUMENTED },
    ]);
    expect((await read(product?.uuid ?? '')).product).toEqual(product);
  });

  it.each([
    [
      'color',
      { locale: 'en_US', scope: null, data: 'red' },
      'Attribute "color" does not expect a locale, "en_US" given.',
    ],
    [
      'name',
      { locale: 'es_ES', scope: null, data: 'Rojo' },
      'Attribute "name" expects an existing and activated locale, "es_ES" given.',
    ],
    [
      'name',
      { locale: 'en_US', scope: 'ecommerce', data: 'Red' },
      'Attribute "name" does not expect a scope, "ecommerce" given.',
    ],
    [
      'description',
      { locale: 'en_US', scope: null, data: 'Red' },
      'Attribute "description" expects a scope, none given.',
    ],
    [
      'description',
      { locale: 'en_US', scope: 'print', data: 'Red' },
      'The description attribute requires a value per channel. The print channel (scope) must exist in your PIM',
    ],
    [
      'name',
      { locale: 'en_US', scope: null, data: 'x'.repeat(256) },
      'This value is too long. It should have 255 characters or less.',
    ],
  ])('refuses a %s value %j with "Validation failed." and its violation', async (attribute, value, message) => {
    const [product] = take(1);
    const answer = await patch([{ uuid: product?.uuid, values: { [attribute]: [value] } }]);
    expect(collectionLines(answer.text)).toEqual([
      {
        line: 1,
        uuid: product?.uuid,
        status_code: 422,
        message: 'Validation failed.',
        errors: [{ property: 'values', message, attribute, locale: value.locale, scope: value.scope }],
      },
    ]);
    expect((await read(product?.uuid ?? '')).product).toEqual(product);
  });

  it('names the identifier in a violation of the identifier attribute', async () => {
    const uuid = randomUUID();
    const answer = await patch([{ uuid, values: { sku: [{ locale: null, scope: null, data: ' A,B ' }] } }]);
    expect(collectionLines(answer.text)).toEqual([
      {
        line: 1,
        uuid,
        status_code: 422,
        message: 'Validation failed.',
        errors: [
          {
            property: 'identifier',
            message: 'This field should not contain any comma or semicolon or leading/trailing space',
          },
        ],
      },
    ]);
  });

  it('merges values per attribute, locale and scope, and replaces the other fields', async () => {
    const uuid = randomUUID();
    const first = await patch([
      {
        uuid,
        family: 'sneakers',
        categories: ['shoes', 'master'],
        values: {
          sku: [{ locale: null, scope: null, data: 'MERGE-1' }],
          name: [
            { locale: 'en_US', scope: null, data: 'Red sneakers' },
            { locale: 'fr_FR', scope: null, data: 'Baskets rouges' },
          ],
          description: [{ locale: 'en_US', scope: 'ecommerce', data: 'Long' }],
          color: [{ locale: null, scope: null, data: 'red' }],
        },
      },
    ]);
    expect(collectionLines(first.text)).toEqual([{ line: 1, uuid, status_code: 201 }]);

    const second = await patch([
      {
        uuid,
        created: '2014-06-14T13:12:50+02:00',
        updated: '2014-06-14T13:12:50+02:00',
        enabled: false,
        family: null,
        categories: ['audio'],
        add_categories: ['bags', 'master'],
        remove_categories: ['audio'],
        values: {
          name: [
            { locale: 'fr_FR', scope: null, data: 'Baskets' },
            { locale: 'de_DE', scope: null, data: 'Turnschuhe' },
          ],
          description: [{ locale: 'en_US', scope: 'ecommerce', data: null }],
          color: [{ locale: null, scope: null, data: '' }],
        },
      },
    ]);
    expect(collectionLines(second.text)).toEqual([{ line: 1, uuid, status_code: 204 }]);

    const { product } = await read(uuid);
    expect(product).toMatchObject({
      identifier: 'MERGE-1',
      enabled: false,
      family: null,
      categories: ['bags', 'master'],
      values: {
        sku: [{ locale: null, scope: null, data: 'MERGE-1' }],
        name: [
          { locale: 'en_US', scope: null, data: 'Red sneakers' },
          { locale: 'fr_FR', scope: null, data: 'Baskets' },
          { locale: 'de_DE', scope: null, data: 'Turnschuhe' },
        ],
      },
    });
    expect(Object.keys(product.values)).toEqual(['sku', 'name']);
    expect(product.created).not.toContain('2014');
    expect(product.updated).not.toContain('2014');
  });

  it('moves updated to now on a change, so an incremental sync finds it, and not on a write that changes nothing', async () => {
    const [product] = take(1);
    const uuid = product?.uuid ?? '';
    const same = await patch([{ uuid, enabled: product?.enabled, values: { sku: product?.values.sku } }]);
    expect(collectionLines(same.text)).toEqual([{ line: 1, uuid, status_code: 204 }]);
    expect((await read(uuid)).product).toEqual(product);

    const changed = await patch([{ uuid, enabled: !product?.enabled }]);
    expect(collectionLines(changed.text)).toEqual([{ line: 1, uuid, status_code: 204 }]);
    const after = (await read(uuid)).product;
    expect(secondsAgo(after.updated)).toBeLessThan(120);
    const since = new Date(Date.parse(after.updated) - 1000).toISOString().slice(0, 19).replace('T', ' ');
    const search = encodeURIComponent(JSON.stringify({ updated: [{ operator: '>', value: since }] }));
    const recent = await walk(`${PRODUCTS}?pagination_type=search_after&search=${search}`);
    expect(recent.map((item) => item.uuid)).toContain(uuid);
  });

  it('creates a deleted product again from its uuid', async () => {
    const [uuid] = pim.deleteProducts(1);
    expect((await read(uuid ?? '')).status).toBe(404);
    const answer = await patch([{ uuid, values: { sku: [{ locale: null, scope: null, data: 'BACK' }] } }]);
    expect(collectionLines(answer.text)).toEqual([{ line: 1, uuid, status_code: 201 }]);
    const { status, product } = await read(uuid ?? '');
    expect(status).toBe(200);
    expect(product).toMatchObject({ identifier: 'BACK', family: null, categories: [] });
    expect(product.created).toBe(product.updated);
  });

  it('cuts the answer after N lines with the cut-stream fault: those lines are applied, the rest are not', async () => {
    const uuids = Array.from({ length: 6 }, () => randomUUID());
    pim.injectApiFaults([{ kind: 'cut-stream', afterLines: 3 }]);
    const response = await request(`${pim.url}${PRODUCTS}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': COLLECTION_CONTENT_TYPE },
      body: ndjson(uuids.map((uuid) => ({ uuid }))),
    });
    let received = '';
    let failure: unknown;
    try {
      for await (const chunk of response.body) received += String(chunk);
    } catch (error) {
      failure = error;
    }

    expect(response.statusCode).toBe(200);
    expect(failure).toBeInstanceOf(Error);
    expect(collectionLines(received)).toEqual(
      uuids.slice(0, 3).map((uuid, index) => ({ line: index + 1, uuid, status_code: 201 })),
    );
    for (const uuid of uuids.slice(0, 3)) expect((await read(uuid)).status).toBe(200);
    for (const uuid of uuids.slice(3)) expect((await read(uuid)).status).toBe(404);

    const next = await patch([{ uuid: uuids[3] }]);
    expect(collectionLines(next.text)).toEqual([{ line: 1, uuid: uuids[3], status_code: 201 }]);
  });

  it('closes the connection of any other API call that takes the cut-stream fault', async () => {
    pim.injectApiFaults([{ kind: 'cut-stream', afterLines: 0 }]);
    await expect(apiGet(pim, PRODUCTS, token)).rejects.toThrow();
    expect((await apiGet(pim, PRODUCTS, token)).status).toBe(200);
    expect(() => pim.injectApiFaults([{ kind: 'cut-stream', afterLines: -1 }])).toThrow();
  });

  it('counts collection PATCH calls in flight together with GET calls of the same token', async () => {
    const key = createHash('sha256').update(token).digest('hex').slice(0, 8);
    pim.resetApiStats();
    pim.setApiLatency(300);
    const calls = [
      ...Array.from({ length: 3 }, () => apiGet(pim, `${PRODUCTS}?limit=1`, token).then((answer) => answer.status)),
      ...Array.from({ length: 3 }, () => patch([{ uuid: randomUUID() }]).then((answer) => answer.status)),
    ];
    expect(await Promise.all(calls)).toEqual(Array(6).fill(200));
    expect(pim.apiStats).toMatchObject({
      requests: 6,
      maxConcurrent: 6,
      maxConcurrentPerToken: { [key]: 6 },
      statuses: { '200': 6 },
    });

    pim.resetApiStats();
    pim.setApiLatency(10);
    await patch([{ uuid: randomUUID() }]);
    await apiGet(pim, `${PRODUCTS}?limit=1`, token);
    await patch([{ uuid: randomUUID() }]);
    expect(pim.apiStats).toMatchObject({ requests: 3, maxConcurrentPerToken: { [key]: 1 } });
  });
});
