import { type SandboxPim, startSandboxPim } from '../../sandbox';
import { ProductCatalog } from '../../sandbox/product-catalog';
import { apiGet, connectApp, startSandboxWithApp } from './sandbox-helpers';

interface ProductItem {
  uuid: string;
  identifier: string;
  created: string;
  updated: string;
}

interface ProductPage {
  _links: { next?: { href: string } };
  items_count?: number;
  _embedded: { items: ProductItem[] };
}

const PRODUCTS = '/api/rest/v1/products-uuid';
const DAY_MS = 24 * 60 * 60 * 1000;

/** "2024-01-01T10:00:00+00:00" shifted by `seconds`, as the `updated` filter's "2024-01-01 10:00:00". */
function filterDate(iso: string, seconds = 0): string {
  return new Date(Date.parse(iso) + seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

function updatedAfter(value: string): string {
  return encodeURIComponent(JSON.stringify({ updated: [{ operator: '>', value }] }));
}

async function startConnected(productCount: number): Promise<{ pim: SandboxPim; token: string }> {
  const { pim, app } = await startSandboxWithApp({ productCount });
  return { pim, token: (await connectApp(pim, app, 'read_products')).access_token };
}

/** Follows `_links.next`; `between` runs after each page. */
async function walk(pim: SandboxPim, token: string, firstPath: string, between?: (page: number) => void) {
  const items: ProductItem[] = [];
  let next: string | undefined = firstPath;
  for (let page = 1; next; page += 1) {
    const { status, body } = await apiGet(pim, next, token);
    expect(status).toBe(200);
    const current = body as ProductPage;
    items.push(...current._embedded.items);
    next = current._links.next?.href;
    between?.(page);
  }
  return items;
}

describe('sandbox catalog for sync jobs', () => {
  let pim: SandboxPim;
  let token: string;
  const startedAt = Date.now();

  beforeAll(async () => {
    ({ pim, token } = await startConnected(300));
  });

  afterAll(() => pim.close());

  const searchAfter = (search = '') => `${PRODUCTS}?pagination_type=search_after&limit=100${search}`;

  it('dates every generated product in the 30 days before the start, so a first sync sees them all', async () => {
    const items = await walk(pim, token, searchAfter());
    expect(items).toHaveLength(300);
    for (const item of items) {
      expect(item.updated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
      expect(Date.parse(item.updated)).toBeLessThan(startedAt);
      expect(Date.parse(item.updated)).toBeGreaterThan(startedAt - 31 * DAY_MS);
      expect(Date.parse(item.created)).toBeLessThanOrEqual(Date.parse(item.updated));
    }
    const epoch = await walk(pim, token, searchAfter(`&search=${updatedAfter('2000-01-01 00:00:00')}`));
    expect(epoch).toHaveLength(300);
  });

  it('finds touched products with the overlap window, and not with a strict > on their own second', async () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const touched = pim.touchProducts(5);
    expect(new Set(touched).size).toBe(5);
    const single = await apiGet(pim, `${PRODUCTS}/${touched[0]}`, token);
    const updated = (single.body as ProductItem).updated;
    // Touched "now", to the second: between the second before the touch and the moment it was read back.
    expect(Date.parse(updated)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(updated)).toBeLessThanOrEqual(Date.now());

    const sameSecond = await walk(pim, token, searchAfter(`&search=${updatedAfter(filterDate(updated))}`));
    expect(sameSecond.map((item) => item.uuid).filter((uuid) => touched.includes(uuid))).toEqual([]);
    const overlapping = await walk(pim, token, searchAfter(`&search=${updatedAfter(filterDate(updated, -5))}`));
    expect(overlapping.map((item) => item.uuid).sort()).toEqual([...touched].sort());
    const previousSecond = await walk(pim, token, searchAfter(`&search=${updatedAfter(filterDate(updated, -1))}`));
    expect(previousSecond).toHaveLength(5);

    const again = pim.touchProducts(5);
    expect(again.some((uuid) => touched.includes(uuid))).toBe(false);
  });

  it('adds products created and updated now, served in uuid order and by uuid', async () => {
    const before = pim.productCount;
    const added = pim.addProducts(3);
    expect(pim.productCount).toBe(before + 3);
    const product = (await apiGet(pim, `${PRODUCTS}/${added[1]?.toUpperCase()}`, token)).body as ProductItem;
    expect(product).toMatchObject({ uuid: added[1] });
    expect(product.created).toBe(product.updated);
    const all = await walk(pim, token, searchAfter());
    const uuids = all.map((item) => item.uuid);
    expect(uuids).toHaveLength(before + 3);
    expect([...uuids].sort()).toEqual(uuids);
    expect(uuids).toEqual(expect.arrayContaining(added));
    const recent = await walk(pim, token, searchAfter(`&search=${updatedAfter(filterDate(product.updated, -1))}`));
    expect(recent.map((item) => item.uuid)).toEqual(expect.arrayContaining(added));
    const counted = await apiGet(pim, `${PRODUCTS}?with_count=true&limit=100&page=2`, token);
    expect((counted.body as ProductPage).items_count).toBe(before + 3);
  });

  it('keeps a search_after walk free of duplicates while products change between pages', async () => {
    const original = new Set((await walk(pim, token, searchAfter())).map((item) => item.uuid));
    const walked = await walk(pim, token, `${PRODUCTS}?pagination_type=search_after&limit=50`, () => {
      pim.touchProducts(7);
      pim.addProducts(2);
    });
    const uuids = walked.map((item) => item.uuid);
    expect(new Set(uuids).size).toBe(uuids.length);
    expect([...uuids].sort()).toEqual(uuids);
    expect(uuids.filter((uuid) => original.has(uuid))).toHaveLength(original.size);
  });
});

// How fast the sandbox starts with such a catalog is measured by the bench (npm run bench -- --only sandbox).
describe('sandbox catalog of 50,000 products', () => {
  it('walks every page of 100 exactly once', async () => {
    expect(new ProductCatalog(50_000, Date.now() / 1000).size).toBe(50_000);

    const pim = await startSandboxPim({
      productCount: 50_000,
      apps: [{ name: 'Big app', activateUrl: 'https://app.example.com/a', callbackUrl: 'https://app.example.com/c' }],
    });
    try {
      expect(pim.productCount).toBe(50_000);
      const app = pim.findAppByName('Big app');
      if (!app) throw new Error('missing app');
      const token = (await connectApp(pim, app, 'read_products')).access_token;
      pim.resetApiStats();
      const items = await walk(pim, token, `${PRODUCTS}?pagination_type=search_after&limit=100`);
      const uuids = items.map((item) => item.uuid);
      expect(uuids).toHaveLength(50_000);
      expect(new Set(uuids).size).toBe(50_000);
      expect([...uuids].sort()).toEqual(uuids);
      // 500 full pages, then the empty page that the last full page's next link leads to.
      expect(pim.apiStats.requests).toBe(501);
    } finally {
      await pim.close();
    }
  });
});
