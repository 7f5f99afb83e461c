import type { SandboxApp, SandboxPim } from '../../sandbox';
import { ACTIVATE_URL, apiGet, CALLBACK_URL, connectApp, http, startSandboxWithApp } from './sandbox-helpers';

interface ProductItem {
  _links: { self: { href: string } };
  uuid: string;
  identifier: string;
  updated: string;
}

interface ProductPage {
  _links: { self: { href: string }; first: { href: string }; next?: { href: string } };
  current_page?: number;
  _embedded: { items: ProductItem[] };
}

const PRODUCTS = '/api/rest/v1/products-uuid';

describe('sandbox products API', () => {
  let pim: SandboxPim;
  let app: SandboxApp;
  let token: string;

  beforeAll(async () => {
    ({ pim, app } = await startSandboxWithApp({ productCount: 250 }));
    token = (await connectApp(pim, app, 'read_products')).access_token;
  });

  afterAll(() => pim.close());

  async function page(path: string): Promise<ProductPage> {
    const { status, body } = await apiGet(pim, path, token);
    expect(status).toBe(200);
    return body as ProductPage;
  }

  async function walk(firstPath: string): Promise<ProductItem[]> {
    const items: ProductItem[] = [];
    let next: string | undefined = firstPath;
    while (next) {
      const current = await page(next);
      items.push(...current._embedded.items);
      next = current._links.next?.href;
    }
    return items;
  }

  it('returns every product exactly once over a search_after walk, sorted by uuid', async () => {
    const items = await walk(`${PRODUCTS}?pagination_type=search_after&limit=100`);
    const uuids = items.map((item) => item.uuid);
    expect(uuids).toHaveLength(250);
    expect(new Set(uuids).size).toBe(250);
    expect([...uuids].sort()).toEqual(uuids);
    expect(uuids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('uses absolute links with the last uuid as cursor, and serves the same catalog every time', async () => {
    const first = await page(`${PRODUCTS}?pagination_type=search_after`);
    expect(first._embedded.items).toHaveLength(10);
    const last = first._embedded.items.at(-1);
    const next = new URL(first._links.next?.href ?? '');
    expect(next.origin).toBe(pim.url);
    expect(next.searchParams.get('search_after')).toBe(last?.uuid);
    expect(first._embedded.items[0]?._links.self.href).toBe(`${pim.url}${PRODUCTS}/${first._embedded.items[0]?.uuid}`);
    const single = await apiGet(pim, `${PRODUCTS}/${last?.uuid}`, token);
    expect(single.body).toMatchObject({ uuid: last?.uuid, identifier: last?.identifier });
    expect((single.body as ProductItem).updated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
  });

  it('supports offset pagination', async () => {
    const items = await walk(`${PRODUCTS}?limit=100`);
    expect(items).toHaveLength(250);
    expect((await page(`${PRODUCTS}?page=2&limit=100`)).current_page).toBe(2);
  });

  it.each([
    ['101', 'You cannot request more than 100 items.'],
    ['0', '"0" is not a valid limit number.'],
    ['abc', '"abc" is not a valid limit number.'],
  ])('rejects limit=%s with 422', async (limit, message) => {
    expect(await apiGet(pim, `${PRODUCTS}?limit=${limit}`, token)).toEqual({
      status: 422,
      body: { code: 422, message },
    });
  });

  it('filters on updated with >, <, = and BETWEEN', async () => {
    const all = await walk(`${PRODUCTS}?pagination_type=search_after&limit=100`);
    const toFilterDate = (iso: string) => iso.slice(0, 19).replace('T', ' ');
    const pivot = toFilterDate([...all].map((item) => item.updated).sort()[125] ?? '');
    const count = async (condition: unknown) => {
      const search = encodeURIComponent(JSON.stringify({ updated: [condition] }));
      return (await walk(`${PRODUCTS}?pagination_type=search_after&limit=100&search=${search}`)).length;
    };
    const after = await count({ operator: '>', value: pivot });
    const before = await count({ operator: '<', value: pivot });
    const equal = await count({ operator: '=', value: pivot });
    expect(after + before + equal).toBe(250);
    expect(equal).toBeGreaterThanOrEqual(1);
    expect(await count({ operator: 'BETWEEN', value: ['2000-01-01 00:00:00', pivot] })).toBe(before + equal);
  });

  it('rejects an invalid search with 400', async () => {
    expect(await apiGet(pim, `${PRODUCTS}?search=%7Bnot-json`, token)).toEqual({
      status: 400,
      body: { code: 400, message: 'Search query parameter should be valid JSON.' },
    });
  });

  it('answers 401 without a token and for an unknown token', async () => {
    expect(await apiGet(pim, PRODUCTS)).toEqual({
      status: 401,
      body: { code: 401, message: 'Authentication is required' },
    });
    expect(await apiGet(pim, PRODUCTS, 'unknown-token')).toEqual({
      status: 401,
      body: { code: 401, message: 'The access token provided is invalid.' },
    });
  });

  it('answers 403 when the app has no read_products', async () => {
    const other = pim.addApp({ name: 'Catalog app', activateUrl: ACTIVATE_URL, callbackUrl: CALLBACK_URL });
    const otherToken = (await connectApp(pim, other, 'read_catalogs')).access_token;
    expect(await apiGet(pim, PRODUCTS, otherToken)).toEqual({
      status: 403,
      body: { code: 403, message: 'Access forbidden. You are not allowed to list products.' },
    });
  });

  it('accepts write_products as implying read_products, and answers scopes/update with "Ok"', async () => {
    const writer = pim.addApp({ name: 'Writer app', activateUrl: ACTIVATE_URL, callbackUrl: CALLBACK_URL });
    const writerToken = (await connectApp(pim, writer, 'write_products')).access_token;
    expect((await apiGet(pim, PRODUCTS, writerToken)).status).toBe(200);
    const update = await http(`${pim.url}/connect/apps/v1/scopes/update?scopes=write_products+read_catalogs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${writerToken}` },
    });
    expect({ status: update.status, body: JSON.parse(update.text) }).toEqual({ status: 200, body: 'Ok' });
    expect(pim.connectedApp(writer.clientId)?.scopes).toEqual(['write_products']);
  });
});
