import type { SandboxApp, SandboxPim } from '../../sandbox';
import { ACTIVATE_URL, apiGet, apiSend, CALLBACK_URL, connectApp, startSandboxWithApp } from './sandbox-helpers';

interface Product {
  uuid: string;
  identifier?: string;
  enabled: boolean;
  family: string;
  categories: string[];
  updated: string;
  _links?: unknown;
}

interface Page<Item> {
  _links: { self: { href: string }; first: { href: string }; next?: { href: string } };
  items_count?: number;
  _embedded: { items: Item[] };
}

const CATALOGS = '/api/rest/v1/catalogs';
const PRODUCTS = '/api/rest/v1/products-uuid';
const ALL_SCOPES = 'read_products read_catalogs write_catalogs delete_catalogs';
const disabledMessage = (id: string) =>
  `No products to synchronize. The catalog "${id}" has been disabled on the PIM side. Note that you can get catalogs status with the GET /api/rest/v1/catalogs endpoint.`;
const invalid = (...errors: { property: string; message: string }[]) => ({
  status: 422,
  body: { code: 422, message: 'Validation failed.', errors },
});
const ISO_REQUIRED = 'ISO 8601 format is required.';

/** "2024-01-01T10:00:00+00:00" moved by `seconds`, written with the given offset ("+02:00", "-05:30", "Z"). */
function atom(iso: string, seconds: number, offset = '+00:00'): string {
  const sign = offset.startsWith('-') ? -1 : 1;
  const [hours, minutes] = offset === 'Z' ? [0, 0] : offset.slice(1).split(':').map(Number);
  const shifted = Date.parse(iso) + seconds * 1000 + sign * ((hours ?? 0) * 60 + (minutes ?? 0)) * 60_000;
  return `${new Date(shifted).toISOString().slice(0, 19)}${offset}`;
}

const uuidsOf = (products: Product[]) => products.map((product) => product.uuid);

describe('sandbox catalog products', () => {
  let pim: SandboxPim;
  let app: SandboxApp;
  let token: string;
  /** Every product, as /products-uuid lists them (uuid order). */
  let all: Product[];

  beforeAll(async () => {
    ({ pim, app } = await startSandboxWithApp({ productCount: 300 }));
    token = (await connectApp(pim, app, ALL_SCOPES)).access_token;
    all = await walk<Product>(`${PRODUCTS}?pagination_type=search_after&limit=100`);
  });

  afterAll(() => pim.close());

  /** Follows `_links.next`, resolved against the PIM's URL as an app must; returns the items and the pages read. */
  async function walkPages<Item>(firstPath: string): Promise<{ items: Item[]; pages: Page<Item>[] }> {
    const items: Item[] = [];
    const pages: Page<Item>[] = [];
    let next: string | undefined = firstPath;
    while (next !== undefined) {
      const { status, body } = await apiGet(pim, new URL(next, pim.url).toString(), token);
      expect(status).toBe(200);
      const page = body as Page<Item>;
      pages.push(page);
      items.push(...page._embedded.items);
      next = page._links.next?.href;
      if (pages.length > 1000) throw new Error('endless pagination');
    }
    return { items, pages };
  }

  async function walk<Item>(firstPath: string): Promise<Item[]> {
    return (await walkPages<Item>(firstPath)).items;
  }

  async function createCatalog(name = 'Store'): Promise<string> {
    const { status, body } = await apiSend(pim, 'POST', CATALOGS, { token, json: { name } });
    expect(status).toBe(201);
    return (body as { id: string }).id;
  }

  async function enabledCatalog(families: string[], categories: string[] = [], enabledOnly = false) {
    const id = await createCatalog();
    pim.setCatalogSelection(id, { families, categories, enabledOnly });
    pim.enableCatalog(id, true);
    return id;
  }

  /** A product as a catalog serves it: Akeneo's catalog whitelist drops the links and the identifier. */
  const asCatalogItem = ({ _links, identifier, ...rest }: Product) => rest;

  it('answers a disabled catalog with HTTP 200 and an error body, never an empty page', async () => {
    const id = await createCatalog('Disabled');
    for (const tail of ['product-uuids', 'products', 'product-uuids?limit=1000&with_count=true']) {
      expect(await apiGet(pim, `${CATALOGS}/${id}/${tail}`, token)).toEqual({
        status: 200,
        body: { error: disabledMessage(id) },
      });
    }
    expect(await apiGet(pim, `${CATALOGS}/${id}/products/${all[0]?.uuid}`, token)).toEqual({
      status: 200,
      body: { error: disabledMessage(id).replace('on the PIM side', 'on PIM side') },
    });
    expect(await apiGet(pim, `${CATALOGS}/${id}/mapped-products`, token)).toEqual({
      status: 200,
      body: { message: disabledMessage(id) },
    });
    // Parameters are checked before the catalog's status, as Akeneo validates its query first.
    expect(await apiGet(pim, `${CATALOGS}/${id}/product-uuids?limit=0`, token)).toEqual(
      invalid({ property: 'limit', message: 'This value should be between 1 and 1000.' }),
    );

    pim.setCatalogSelection(id, { families: ['backpacks'], categories: [] });
    pim.enableCatalog(id, true);
    expect((await apiGet(pim, `${CATALOGS}/${id}/product-uuids`, token)).body).toHaveProperty('_embedded');
    expect(await apiGet(pim, `${CATALOGS}/${id}/mapped-products`, token)).toEqual({
      status: 200,
      body: { message: 'Impossible to map products: no product mapping schema available for this catalog.' },
    });
    pim.enableCatalog(id, false);
    expect((await apiGet(pim, `${CATALOGS}/${id}/products`, token)).body).toEqual({ error: disabledMessage(id) });
  });

  it('serves one family in uuid order through relative next links, each product exactly once', async () => {
    const id = await enabledCatalog(['sneakers']);
    const expected = all.filter((product) => product.family === 'sneakers');
    expect(expected.length).toBeGreaterThan(40);
    expect(pim.catalogProductUuids(id)).toEqual(uuidsOf(expected));

    const uuids = await walkPages<string>(`${CATALOGS}/${id}/product-uuids?limit=7`);
    expect(uuids.items).toEqual(uuidsOf(expected));
    for (const page of uuids.pages) {
      expect(page._links.self.href).toMatch(new RegExp(`^${CATALOGS}/${id}/product-uuids\\?`));
      expect(page._links.first.href).toBe(`${CATALOGS}/${id}/product-uuids?limit=7`);
    }
    expect(uuids.pages[0]?._links.next?.href).toBe(
      `${CATALOGS}/${id}/product-uuids?search_after=${expected[6]?.uuid}&limit=7`,
    );
    expect(uuids.pages[1]?._links.self.href).toBe(
      `${CATALOGS}/${id}/product-uuids?search_after=${expected[6]?.uuid}&limit=7`,
    );

    const products = await walk<Product>(`${CATALOGS}/${id}/products?limit=10`);
    expect(products).toEqual(expected.map(asCatalogItem));
    expect(products[0]).not.toHaveProperty('identifier');
    expect(products[0]).not.toHaveProperty('_links');
  });

  it('ends with a full page followed by an empty one when the selection fills its last page', async () => {
    const id = await enabledCatalog(['headphones']);
    const expected = uuidsOf(all.filter((product) => product.family === 'headphones'));
    const exact = await walkPages<string>(`${CATALOGS}/${id}/product-uuids?limit=${expected.length}`);
    expect(exact.pages.map((page) => page._embedded.items.length)).toEqual([expected.length, 0]);
    expect(exact.pages[1]?._links.next).toBeUndefined();
    expect(exact.items).toEqual(expected);
    const short = await walkPages<string>(`${CATALOGS}/${id}/product-uuids?limit=${expected.length + 1}`);
    expect(short.pages).toHaveLength(1);
    expect(short.pages[0]?._links.next).toBeUndefined();
    const byDefault = await walkPages<string>(`${CATALOGS}/${id}/products`);
    expect(byDefault.pages[0]?._links.self.href).toBe(`${CATALOGS}/${id}/products?limit=100`);
  });

  it('selects by category (children included) and by status, ANDs the criteria, and empty means everything', async () => {
    const byCategory = await enabledCatalog([], ['shoes']);
    expect(pim.catalogProductUuids(byCategory)).toEqual(
      uuidsOf(all.filter((product) => product.family === 'sneakers')),
    );
    const root = await enabledCatalog([], ['master']);
    expect(await walk(`${CATALOGS}/${root}/product-uuids?limit=1000`)).toEqual(uuidsOf(all));
    const everything = await enabledCatalog([]);
    expect(await walk(`${CATALOGS}/${everything}/product-uuids?limit=1000`)).toEqual(uuidsOf(all));
    const enabledOnly = await enabledCatalog(['tshirts', 'backpacks'], [], true);
    const wanted = all.filter((product) => ['tshirts', 'backpacks'].includes(product.family) && product.enabled);
    expect(wanted.length).toBeLessThan(
      all.filter((product) => ['tshirts', 'backpacks'].includes(product.family)).length,
    );
    expect(await walk(`${CATALOGS}/${enabledOnly}/product-uuids?limit=1000`)).toEqual(uuidsOf(wanted));
    const none = await enabledCatalog(['tshirts'], ['shoes']);
    expect(await walk(`${CATALOGS}/${none}/product-uuids`)).toEqual([]);
    expect(() => pim.setCatalogSelection(none, { families: ['unknown_family'], categories: [] })).toThrow(
      'unknown_family',
    );
    expect(() => pim.setCatalogSelection(none, { families: [], categories: ['unknown_category'] })).toThrow(
      'unknown_category',
    );
    expect(() => pim.enableCatalog('00000000-0000-4000-8000-000000000000', true)).toThrow();
  });

  it("takes limit 1 to 1000 (default 100) and a uuid as search_after, with Akeneo's 422 otherwise", async () => {
    const id = await enabledCatalog([]);
    const path = `${CATALOGS}/${id}/product-uuids`;
    expect(((await apiGet(pim, path, token)).body as Page<string>)._embedded.items).toHaveLength(100);
    expect(((await apiGet(pim, `${path}?limit=1000`, token)).body as Page<string>)._embedded.items).toHaveLength(300);
    const between = { property: 'limit', message: 'This value should be between 1 and 1000.' };
    for (const limit of ['0', '-1', '1001', 'abc', '']) {
      expect(await apiGet(pim, `${path}?limit=${limit}`, token)).toEqual(invalid(between));
      expect(await apiGet(pim, `${CATALOGS}/${id}/products?limit=${limit}`, token)).toEqual(invalid(between));
    }
    expect(await apiGet(pim, `${path}?search_after=nope&limit=5000&updated_after=2024`, token)).toEqual(
      invalid({ property: 'search_after', message: 'This is not a valid UUID.' }, between, {
        property: 'updated_after',
        message: ISO_REQUIRED,
      }),
    );
    const after = all[149]?.uuid ?? '';
    const rest = await walk<string>(`${path}?search_after=${after.toUpperCase()}&limit=1000`);
    expect(rest).toEqual(uuidsOf(all.slice(150)));
  });

  it('filters on the updated window: after and before are strict, both together inclusive, in any offset', async () => {
    const id = await enabledCatalog([]);
    const path = `${CATALOGS}/${id}/product-uuids?limit=1000`;
    const pivot = [...all].sort((a, b) => a.updated.localeCompare(b.updated))[150] as Product;
    const seconds = (product: Product) => Date.parse(product.updated) / 1000;
    const at = seconds(pivot);
    const select = (test: (value: number) => boolean) => uuidsOf(all.filter((product) => test(seconds(product))));
    const query = (parameters: Record<string, string>) => `${path}&${new URLSearchParams(parameters).toString()}`;

    expect(await walk(query({ updated_after: atom(pivot.updated, 0) }))).toEqual(select((value) => value > at));
    expect(await walk(query({ updated_before: atom(pivot.updated, 0) }))).toEqual(select((value) => value < at));
    const both = { updated_after: atom(pivot.updated, 0), updated_before: atom(pivot.updated, 0) };
    expect(await walk(query(both))).toEqual(select((value) => value === at));
    expect(await walk(query({ updated_after: atom(pivot.updated, -1) }))).toEqual(select((value) => value >= at));
    for (const offset of ['+02:00', '-05:30', 'Z', '+0200']) {
      const written = offset === '+0200' ? atom(pivot.updated, 0, '+02:00').replace('+02:00', '+0200') : undefined;
      const after = written ?? atom(pivot.updated, 0, offset);
      expect(await walk(query({ updated_after: after }))).toEqual(select((value) => value > at));
    }

    const hourWindow = {
      updated_after: atom(pivot.updated, -3600 * 24 * 3, '+02:00'),
      updated_before: atom(pivot.updated, 0, '+02:00'),
    };
    const expected = select((value) => value >= at - 3600 * 24 * 3 && value <= at);
    const walked = await walkPages<string>(
      `${CATALOGS}/${id}/product-uuids?limit=3&${new URLSearchParams(hourWindow)}`,
    );
    expect(walked.items).toEqual(expected);
    const next = walked.pages[0]?._links.next?.href ?? '';
    expect(next).toContain(`updated_after=${encodeURIComponent(hourWindow.updated_after)}`);
    expect(next).toContain('%2B02%3A00');
    expect(new URL(next, pim.url).searchParams.get('updated_before')).toBe(hourWindow.updated_before);

    // An unencoded "+" reaches the PIM as a space.
    const raw = atom(pivot.updated, 0, '+02:00');
    expect(await apiGet(pim, `${path}&updated_after=${raw}`, token)).toEqual(
      invalid({ property: 'updated_after', message: ISO_REQUIRED }),
    );
    for (const bad of ['2024-01-01T00:00:00', '2024-01-01 00:00:00', '2024-01-01', '2024-02-30T00:00:00+00:00']) {
      expect(await apiGet(pim, query({ updated_before: bad }), token)).toEqual(
        invalid({ property: 'updated_before', message: ISO_REQUIRED }),
      );
    }
    expect(
      await apiGet(pim, `${CATALOGS}/${id}/products?${new URLSearchParams({ updated_after: 'x' })}`, token),
    ).toEqual(invalid({ property: 'updated_after', message: ISO_REQUIRED }));
  });

  it('counts the selection in the window with with_count on product-uuids, whatever the cursor', async () => {
    const id = await enabledCatalog(['tshirts']);
    const expected = uuidsOf(all.filter((product) => product.family === 'tshirts'));
    const path = `${CATALOGS}/${id}/product-uuids?limit=5&with_count=true`;
    const first = (await apiGet(pim, path, token)).body as Page<string>;
    expect(first.items_count).toBe(expected.length);
    expect(Object.keys(first)).toEqual(['_links', 'items_count', '_embedded']);
    const second = (await apiGet(pim, new URL(first._links.next?.href ?? '', pim.url).toString(), token))
      .body as Page<string>;
    expect(second.items_count).toBe(expected.length);
    expect(second._embedded.items).toEqual(expected.slice(5, 10));
    expect(((await apiGet(pim, `${CATALOGS}/${id}/product-uuids`, token)).body as Page<string>).items_count).toBe(
      undefined,
    );
  });

  it('answers one product of the selection, and 404 for a product outside it, unknown or deleted', async () => {
    const id = await enabledCatalog(['backpacks']);
    const inside = all.find((product) => product.family === 'backpacks') as Product;
    const outside = all.find((product) => product.family !== 'backpacks') as Product;
    expect(await apiGet(pim, `${CATALOGS}/${id}/products/${inside.uuid}`, token)).toEqual({
      status: 200,
      body: asCatalogItem(inside),
    });
    const notFound = (uuid: string) => ({
      status: 404,
      body: {
        code: 404,
        message: `Either catalog "${id}" does not exist or you can't access it, or product "${uuid}" does not exist or you do not have permission to access it.`,
      },
    });
    expect(await apiGet(pim, `${CATALOGS}/${id}/products/${outside.uuid}`, token)).toEqual(notFound(outside.uuid));
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(await apiGet(pim, `${CATALOGS}/${id}/products/${unknown}`, token)).toEqual(notFound(unknown));
    expect(await apiGet(pim, `${CATALOGS}/${id}/products/not-a-uuid`, token)).toEqual(
      invalid({ property: 'product_uuid', message: 'This is not a valid UUID.' }),
    );
  });

  it('leaves deleted products out of every listing, count and single read', async () => {
    const { pim: own, app: owner } = await startSandboxWithApp({ productCount: 120 });
    try {
      const ownToken = (await connectApp(own, owner, ALL_SCOPES)).access_token;
      const { body } = await apiSend(own, 'POST', CATALOGS, { token: ownToken, json: { name: 'Deletions' } });
      const id = (body as { id: string }).id;
      own.setCatalogSelection(id, { families: ['sneakers', 'tshirts'], categories: [] });
      own.enableCatalog(id, true);
      const before = own.catalogProductUuids(id);
      const deleted = own.deleteProducts(12);
      const gone = deleted.filter((uuid) => before.includes(uuid));
      expect(gone.length).toBeGreaterThan(0);
      const expected = before.filter((uuid) => !deleted.includes(uuid));
      expect(own.catalogProductUuids(id)).toEqual(expected);
      const page = (await apiGet(own, `${CATALOGS}/${id}/product-uuids?limit=1000&with_count=true`, ownToken))
        .body as Page<string>;
      expect(page._embedded.items).toEqual(expected);
      expect(page.items_count).toBe(expected.length);
      const products = (await apiGet(own, `${CATALOGS}/${id}/products?limit=1000`, ownToken)).body as Page<Product>;
      expect(uuidsOf(products._embedded.items)).toEqual(expected);
      expect((await apiGet(own, `${CATALOGS}/${id}/products/${gone[0]}`, ownToken)).status).toBe(404);
    } finally {
      await own.close();
    }
  });

  it("answers 403 without read_products, and 404 to another app's token", async () => {
    const id = await enabledCatalog([]);
    const catalogsOnly = pim.addApp({ name: 'Catalogs only', activateUrl: ACTIVATE_URL, callbackUrl: CALLBACK_URL });
    const catalogsToken = (await connectApp(pim, catalogsOnly, 'read_catalogs')).access_token;
    const forbidden = { code: 403, message: 'Access forbidden. You are not allowed to access products.' };
    for (const tail of ['products', 'product-uuids', 'mapped-products', `products/${all[0]?.uuid}`]) {
      expect(await apiGet(pim, `${CATALOGS}/${id}/${tail}`, catalogsToken)).toEqual({ status: 403, body: forbidden });
    }
  });
});

// A catalog sync at 1,000 products per page: the bench measures its speed; this checks what it reads.
describe('a catalog of one family in a 50,000-product sandbox', () => {
  it('serves 1,000-product pages in uuid order, every product of the family exactly once', async () => {
    const { pim, app } = await startSandboxWithApp({ productCount: 50_000 });
    try {
      const token = (await connectApp(pim, app, ALL_SCOPES)).access_token;
      const { body } = await apiSend(pim, 'POST', CATALOGS, { token, json: { name: 'Big' } });
      const id = (body as { id: string }).id;
      pim.setCatalogSelection(id, { families: ['sneakers'], categories: [] });
      pim.enableCatalog(id, true);
      const expected = pim.catalogProductUuids(id);
      expect(expected.length).toBeGreaterThan(10_000);
      const uuids: string[] = [];
      let pages = 0;
      let next: string | undefined = `${CATALOGS}/${id}/products?limit=1000`;
      while (next !== undefined) {
        const response = await apiGet(pim, new URL(next, pim.url).toString(), token);
        const page = response.body as Page<Product>;
        expect(page._embedded.items.every((product) => product.family === 'sneakers')).toBe(true);
        uuids.push(...uuidsOf(page._embedded.items));
        next = page._links.next?.href;
        pages += 1;
      }
      expect(uuids).toEqual(expected);
      expect(new Set(uuids).size).toBe(uuids.length);
      expect([...uuids].sort()).toEqual(uuids);
      expect(pages).toBe(Math.floor(expected.length / 1000) + 1);
    } finally {
      await pim.close();
    }
  });
});
