import type { SandboxPim } from '../../sandbox';
import { apiGet, connectApp, startSandboxWithApp } from './sandbox-helpers';

interface ProductItem {
  uuid: string;
  created: string;
  updated: string;
}

interface ProductPage {
  _links: { next?: { href: string } };
  items_count?: number;
  _embedded: { items: ProductItem[] };
}

const PRODUCTS = '/api/rest/v1/products-uuid';
const GENERATED = 300;

/** "2024-01-01T10:00:00+00:00" as the search filter's "2024-01-01 10:00:00", shifted by `seconds`. */
function filterDate(iso: string, seconds = 0): string {
  return new Date(Date.parse(iso) + seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

const epochSeconds = (iso: string) => Date.parse(iso) / 1000;
const sorted = (uuids: readonly string[]) => [...uuids].sort();

describe('sandbox product search on uuid and created', () => {
  let pim: SandboxPim;
  let token: string;
  let all: ProductItem[];

  beforeAll(async () => {
    const started = await startSandboxWithApp({ productCount: GENERATED });
    pim = started.pim;
    token = (await connectApp(pim, started.app, 'read_products')).access_token;
    all = await walk(`${PRODUCTS}?pagination_type=search_after&limit=100`);
  });

  afterAll(() => pim.close());

  async function get(path: string) {
    return apiGet(pim, path, token);
  }

  async function walk(firstPath: string): Promise<ProductItem[]> {
    const items: ProductItem[] = [];
    let next: string | undefined = firstPath;
    while (next) {
      const { status, body } = await get(next);
      expect(status).toBe(200);
      const page = body as ProductPage;
      items.push(...page._embedded.items);
      next = page._links.next?.href;
    }
    return items;
  }

  const query = (search: unknown) => encodeURIComponent(JSON.stringify(search));
  const searchAll = (search: unknown) =>
    walk(`${PRODUCTS}?pagination_type=search_after&limit=100&search=${query(search)}`);
  const uuidsOf = (items: readonly ProductItem[]) => items.map((item) => item.uuid);

  /** items_count of an offset page with `with_count=true`. */
  async function countOf(search: unknown): Promise<number | undefined> {
    const { status, body } = await get(`${PRODUCTS}?with_count=true&limit=10&search=${query(search)}`);
    expect(status).toBe(200);
    return (body as ProductPage).items_count;
  }

  it('finds 150 products by uuid IN over two search_after pages, in uuid order, and counts them', async () => {
    const wanted = all.filter((_, index) => index % 2 === 0).slice(0, 150);
    const search = { uuid: [{ operator: 'IN', value: uuidsOf(wanted) }] };

    const pages: number[] = [];
    let next: string | undefined = `${PRODUCTS}?pagination_type=search_after&limit=100&search=${query(search)}`;
    const found: ProductItem[] = [];
    while (next) {
      const page = (await get(next)).body as ProductPage;
      pages.push(page._embedded.items.length);
      found.push(...page._embedded.items);
      next = page._links.next?.href;
    }

    expect(pages).toEqual([100, 50]);
    expect(uuidsOf(found)).toEqual(uuidsOf(wanted));
    expect(await countOf(search)).toBe(150);
    const offsetPage = await get(`${PRODUCTS}?with_count=true&limit=100&page=2&search=${query(search)}`);
    expect(offsetPage.body).toMatchObject({ items_count: 150, current_page: 2 });
    expect((offsetPage.body as ProductPage)._embedded.items).toHaveLength(50);
  });

  it('excludes products by uuid NOT IN, ignores unknown uuids, and matches uuids as the index stores them', async () => {
    const excluded = uuidsOf(all.slice(10, 20));
    const unknown = '00000000-0000-4000-8000-000000000000';
    const rest = await searchAll({ uuid: [{ operator: 'NOT IN', value: [...excluded, unknown] }] });
    expect(uuidsOf(rest)).toEqual(uuidsOf(all).filter((uuid) => !excluded.includes(uuid)));

    const first = all[0]?.uuid ?? '';
    expect(uuidsOf(await searchAll({ uuid: [{ operator: 'IN', value: [first, unknown] }] }))).toEqual([first]);
    // The index holds lowercase uuids and compares terms exactly: an uppercase uuid matches nothing.
    expect(await searchAll({ uuid: [{ operator: 'IN', value: [first.toUpperCase()] }] })).toEqual([]);
    expect(await searchAll({ uuid: [{ operator: 'IN', value: [] }] })).toEqual([]);
  });

  it('ANDs a uuid filter with an updated filter, and two conditions on the same property', async () => {
    const byUpdated = [...all].sort((a, b) => a.updated.localeCompare(b.updated));
    const pivot = byUpdated[150]?.updated ?? '';
    const candidates = uuidsOf(all.slice(0, 120));
    const expected = all
      .filter((item) => candidates.includes(item.uuid) && epochSeconds(item.updated) > epochSeconds(pivot))
      .map((item) => item.uuid);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(120);

    const search = {
      uuid: [{ operator: 'IN', value: candidates }],
      updated: [{ operator: '>', value: filterDate(pivot) }],
    };
    expect(uuidsOf(await searchAll(search))).toEqual(expected);
    expect(await countOf(search)).toBe(expected.length);

    const twice = {
      uuid: [
        { operator: 'IN', value: candidates },
        { operator: 'NOT IN', value: candidates.slice(0, 100) },
      ],
    };
    expect(uuidsOf(await searchAll(twice))).toEqual(candidates.slice(100));
  });

  it.each([
    [{ operator: 'IN', value: 'not-a-list' }, 'Property "uuid" expects an array as data, "string" given.'],
    [{ operator: 'IN', value: null }, 'Property "uuid" expects an array as data, "NULL" given.'],
    [{ operator: 'NOT IN', value: 12 }, 'Property "uuid" expects an array as data, "integer" given.'],
    [{ operator: 'IN', value: ['a', 1] }, 'Property "uuid" expects an array of strings as data.'],
    [{ operator: '=', value: 'a' }, 'Filter on property "uuid" is not supported or does not support operator "="'],
  ])('refuses the uuid condition %j with 422', async (condition, message) => {
    expect(await get(`${PRODUCTS}?search=${query({ uuid: [condition] })}`)).toEqual({
      status: 422,
      body: { code: 422, message },
    });
  });

  describe('created', () => {
    /** Three groups of products created in three distinct seconds of the sandbox clock, 25 per second. */
    let groups: ProductItem[][];
    let catalog: ProductItem[];

    beforeAll(async () => {
      groups = [];
      for (let group = 0; group < 3; group += 1) {
        if (group > 0) pim.advanceClock(1);
        const uuids = pim.addProducts(25);
        groups.push(await searchAll({ uuid: [{ operator: 'IN', value: uuids }] }));
      }
      catalog = await walk(`${PRODUCTS}?pagination_type=search_after&limit=100`);
    });

    const createdOf = (group: number) => groups[group]?.[0]?.created ?? '';
    const matching = (predicate: (created: number) => boolean) =>
      uuidsOf(catalog.filter((item) => predicate(epochSeconds(item.created))));

    it('gives each group of products one created second, distinct from the others', () => {
      for (const group of groups) {
        expect(group).toHaveLength(25);
        expect(new Set(group.map((item) => item.created)).size).toBe(1);
      }
      expect(new Set([createdOf(0), createdOf(1), createdOf(2)]).size).toBe(3);
      expect(catalog).toHaveLength(GENERATED + 75);
    });

    it('includes both boundaries of BETWEEN at second precision, and NOT BETWEEN excludes them', async () => {
      const middle = filterDate(createdOf(1));
      const onlyMiddle = await searchAll({ created: [{ operator: 'BETWEEN', value: [middle, middle] }] });
      expect(sorted(uuidsOf(onlyMiddle))).toEqual(sorted(uuidsOf(groups[1] ?? [])));

      const lastTwo = await searchAll({
        created: [{ operator: 'BETWEEN', value: [middle, filterDate(createdOf(2))] }],
      });
      expect(sorted(uuidsOf(lastTwo))).toEqual(sorted(uuidsOf([...(groups[1] ?? []), ...(groups[2] ?? [])])));

      const notMiddle = await searchAll({ created: [{ operator: 'NOT BETWEEN', value: [middle, middle] }] });
      const middleSeconds = epochSeconds(createdOf(1));
      expect(uuidsOf(notMiddle)).toEqual(matching((created) => created !== middleSeconds));
      expect(notMiddle).toHaveLength(GENERATED + 50);
    });

    it('compares created with >, <, = and != to the second', async () => {
      const pivot = createdOf(1);
      const seconds = epochSeconds(pivot);
      const cases: [string, (created: number) => boolean][] = [
        ['>', (created) => created > seconds],
        ['<', (created) => created < seconds],
        ['=', (created) => created === seconds],
        ['!=', (created) => created !== seconds],
      ];
      for (const [operator, predicate] of cases) {
        const found = await searchAll({ created: [{ operator, value: filterDate(pivot) }] });
        expect({ operator, uuids: uuidsOf(found) }).toEqual({ operator, uuids: matching(predicate) });
      }
      expect(await searchAll({ created: [{ operator: '>', value: filterDate(createdOf(2)) }] })).toEqual([]);
    });

    it('finds products created in the last N days', async () => {
      // "Now" is a little after the last group was created: allow a minute between the two.
      const dayBeforeLast = epochSeconds(createdOf(2)) - 86_400;
      const found = uuidsOf(await searchAll({ created: [{ operator: 'SINCE LAST N DAYS', value: 1 }] }));
      expect(found).toEqual(expect.arrayContaining(matching((created) => created >= dayBeforeLast + 60)));
      expect(matching((created) => created < dayBeforeLast).filter((uuid) => found.includes(uuid))).toEqual([]);
      expect(found.length).toBeGreaterThanOrEqual(75);
    });

    it('ANDs created with updated and uuid, and counts only what matches every filter', async () => {
      const middle = filterDate(createdOf(1));
      const firstFive = uuidsOf(groups[1] ?? []).slice(0, 5);

      const sameSecond = {
        created: [{ operator: '=', value: middle }],
        updated: [{ operator: '=', value: middle }],
      };
      expect(sorted(uuidsOf(await searchAll(sameSecond)))).toEqual(sorted(uuidsOf(groups[1] ?? [])));
      expect(await countOf(sameSecond)).toBe(25);

      const three = { ...sameSecond, uuid: [{ operator: 'NOT IN', value: firstFive }] };
      expect(await countOf(three)).toBe(20);
      const none = { created: [{ operator: '=', value: middle }], updated: [{ operator: '<', value: middle }] };
      expect(await searchAll(none)).toEqual([]);
      expect(await countOf(none)).toBe(0);
    });

    it.each([
      [
        { operator: '>', value: '2024-01-01' },
        'Property "created" expects a string with the format "yyyy-mm-dd H:i:s" as data, "2024-01-01" given.',
      ],
      [{ operator: 'SINCE LAST N DAYS', value: '1' }, 'Property "created" expects an integer as data.'],
      [
        { operator: 'IN', value: ['2024-01-01 00:00:00'] },
        'Filter on property "created" is not supported or does not support operator "IN"',
      ],
    ])('refuses the created condition %j with 422', async (condition, message) => {
      expect(await get(`${PRODUCTS}?search=${query({ created: [condition] })}`)).toEqual({
        status: 422,
        body: { code: 422, message },
      });
    });
  });
});
