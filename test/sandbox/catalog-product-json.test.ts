import { ProductCatalog } from '../../sandbox/product-catalog';

/** The catalog endpoints write a product's JSON without building it: it must be exactly what stringifying gives. */
describe('a catalog item written as JSON text', () => {
  const catalog = new ProductCatalog(2_000, Date.UTC(2026, 0, 15, 12) / 1000);

  const expectedJson = (ref: number) => {
    const { identifier: _identifier, ...item } = catalog.product(ref);
    return JSON.stringify(item);
  };

  it('matches JSON.stringify of the product without its identifier, byte for byte, for generated products', () => {
    for (let ref = 0; ref < catalog.baseCount; ref += 1) {
      expect(catalog.catalogItemJson(ref)).toBe(expectedJson(ref));
    }
  });

  it('does so for touched, added and API-written products too', () => {
    const now = Date.UTC(2026, 0, 16, 8, 30, 15) / 1000;
    catalog.touch(50, now);
    const added = catalog.add(20, now).map((uuid) => catalog.find(uuid) as number);
    const written = catalog.find(catalog.uuidOf(7)) as number;
    catalog.update(written, { ...catalog.contentOf(written), family: 'tshirts', categories: ['master'] }, now);
    const created = catalog.create({ ...catalog.contentOf(3), uuid: '0f000000-0000-4000-8000-0000000000aa' }, now);
    for (const ref of [...added, written, created, ...Array.from({ length: 100 }, (_, index) => index * 20)]) {
      expect(catalog.catalogItemJson(ref)).toBe(expectedJson(ref));
    }
    expect(JSON.parse(catalog.catalogItemJson(written))).toMatchObject({ family: 'tshirts', categories: ['master'] });
  });
});
