import type { SandboxPim } from '../../sandbox';
import { apiGet, connectApp, startSandboxWithApp } from './sandbox-helpers';

interface ProductPage {
  _links: { next?: { href: string } };
  items_count?: number;
  _embedded: { items: { uuid: string }[] };
}

const PRODUCTS = '/api/rest/v1/products-uuid';

describe('sandbox product deletion', () => {
  let pim: SandboxPim;
  let token: string;

  beforeAll(async () => {
    const started = await startSandboxWithApp({ productCount: 120 });
    pim = started.pim;
    token = (await connectApp(pim, started.app, 'read_products')).access_token;
  });

  afterAll(() => pim.close());

  async function listed(firstPath = `${PRODUCTS}?pagination_type=search_after&limit=100`): Promise<string[]> {
    const uuids: string[] = [];
    let next: string | undefined = firstPath;
    while (next) {
      const { status, body } = await apiGet(pim, next, token);
      expect(status).toBe(200);
      const page = body as ProductPage;
      uuids.push(...page._embedded.items.map((item) => item.uuid));
      next = page._links.next?.href;
    }
    return uuids;
  }

  it('deletes generated and added products: GET answers 404 and no list, search or count shows them', async () => {
    const added = pim.addProducts(4);
    const before = await listed();
    expect(before).toHaveLength(124);

    const deleted = [...pim.deleteProducts(10), ...pim.deleteProducts(2)];

    expect(new Set(deleted).size).toBe(12);
    expect(before).toEqual(expect.arrayContaining(deleted));
    expect(pim.productCount).toBe(112);
    for (const uuid of deleted) {
      expect(await apiGet(pim, `${PRODUCTS}/${uuid}`, token)).toEqual({
        status: 404,
        body: { code: 404, message: `Product "${uuid}" does not exist or you do not have permission to access it.` },
      });
    }
    const after = await listed();
    expect(after).toEqual(before.filter((uuid) => !deleted.includes(uuid)));
    expect(await listed(`${PRODUCTS}?limit=100`)).toEqual(after);
    const counted = await apiGet(pim, `${PRODUCTS}?with_count=true&limit=1`, token);
    expect((counted.body as ProductPage).items_count).toBe(112);
    const search = encodeURIComponent(JSON.stringify({ uuid: [{ operator: 'IN', value: [...deleted, ...added] }] }));
    const found = await listed(`${PRODUCTS}?pagination_type=search_after&search=${search}`);
    expect(found.sort()).toEqual(added.filter((uuid) => !deleted.includes(uuid)).sort());
  });

  it('never touches or deletes a deleted product again', async () => {
    const deleted = pim.deleteProducts(30);
    const again = pim.deleteProducts(30);
    expect(again.some((uuid) => deleted.includes(uuid))).toBe(false);
    const touched = pim.touchProducts(pim.productCount);
    expect(new Set(touched).size).toBe(pim.productCount);
    expect(touched.some((uuid) => deleted.includes(uuid) || again.includes(uuid))).toBe(false);
    expect(pim.deleteProducts(pim.productCount + 5)).toHaveLength(touched.length);
    expect(pim.productCount).toBe(0);
    expect(await listed()).toEqual([]);
    expect(pim.deleteProducts(1)).toEqual([]);
  });
});
