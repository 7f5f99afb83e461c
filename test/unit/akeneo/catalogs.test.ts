import { catalogProductsUrl, parseCatalogProductPage } from '../../../functions/akeneo/catalogs';
import { CatalogDisabledError } from '../../../functions/akeneo/rest-errors';

const ID = '0b8f3a1e-5c1d-4f7e-9a2b-3c4d5e6f7a8b';

describe('a catalog products URL', () => {
  it('asks for 1,000 products updated before the run start, with no updated_after on a first sync', () => {
    const url = new URL(catalogProductsUrl('https://pim.example.com', ID, { to: '2026-11-28T12:00:00.250Z' }));

    expect(url.pathname).toBe(`/api/rest/v1/catalogs/${ID}/products`);
    expect(url.searchParams.get('limit')).toBe('1000');
    expect(url.searchParams.has('updated_after')).toBe(false);
    expect(url.searchParams.get('updated_before')).toBe('2026-11-28T12:00:00+00:00');
  });

  it('writes the window in ISO 8601 with an offset whose + is percent-encoded', () => {
    const url = catalogProductsUrl('https://pim.example.com', ID, {
      from: '2026-11-28T11:59:55.000Z',
      to: '2026-11-28T12:15:00.000Z',
    });

    expect(url).toContain('updated_after=2026-11-28T11%3A59%3A55%2B00%3A00');
    expect(url).toContain('updated_before=2026-11-28T12%3A15%3A00%2B00%3A00');
    expect(url).not.toContain('+');
  });
});

describe('a catalog products answer', () => {
  it('is a page when it has items', () => {
    const page = parseCatalogProductPage({
      _links: { next: { href: '/next' } },
      _embedded: { items: [{ uuid: 'a' }] },
    });

    expect(page.items).toEqual([{ uuid: 'a' }]);
    expect(page.nextUrl).toBe('/next');
  });

  it.each([
    ['error', { error: `No products to synchronize. The catalog "${ID}" has been disabled on the PIM side.` }],
    ['message', { message: 'No products to synchronize. The catalog\nhas been disabled.' }],
  ])('is catalog_disabled, never an empty page, when HTTP 200 carries an %s', (_key, body) => {
    const parse = () => parseCatalogProductPage(body);

    expect(parse).toThrow(CatalogDisabledError);
    expect(parse).toThrow(/No products to synchronize/);
    expect(parse).not.toThrow(/\n/);
  });
});
