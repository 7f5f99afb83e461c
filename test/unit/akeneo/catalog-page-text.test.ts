import fc from 'fast-check';
import { parseCatalogProductPage, parseCatalogProductPageText } from '../../../functions/akeneo/catalogs';
import { listItemSpans } from '../../../functions/akeneo/list-items';
import { CatalogDisabledError } from '../../../functions/akeneo/rest-errors';
import { UnexpectedPimAnswerError } from '../../../functions/core/errors';
import { ProductAsSent } from '../../../functions/core/product-as-sent';

/** Any JSON value, strings with quotes, backslashes, brackets and non-ASCII text included. */
const json = fc.jsonValue({ maxDepth: 3 });
const product = fc.record({
  uuid: fc.uuid(),
  updated: fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  values: fc.dictionary(fc.string(), json, { maxKeys: 4 }),
  text: fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.constantFrom('"', '\\', '\\"', '[{', '}]', '"items":['),
  ),
});

interface PageShape {
  readonly items: readonly unknown[];
  readonly next?: string | undefined;
  readonly extra: Record<string, unknown>;
  readonly indent?: number | string | undefined;
}

/** A catalog page as Akeneo writes it (or pretty-printed, or with more keys around), with its next link or not. */
const pages = fc.record({
  items: fc.array(product, { maxLength: 12 }),
  next: fc.option(fc.webUrl(), { nil: undefined }),
  extra: fc.dictionary(fc.string(), json, { maxKeys: 3 }),
  indent: fc.constantFrom(undefined, 2, '\t'),
});

function pageText({ items, next, extra, indent }: PageShape): string {
  const links = { self: { href: 'https://pim.example.com/self' }, ...(next ? { next: { href: next } } : {}) };
  return JSON.stringify({ _links: links, ...extra, _embedded: { items } }, null, indent);
}

/** What the whole-page parser makes of a text, with its products as the text parser keeps them. */
function parsedWhole(text: string) {
  const page = parseCatalogProductPage(JSON.parse(text));
  return { ...page, items: page.items.map((item) => JSON.stringify(item)) };
}

function parsedByItems(text: string) {
  const page = parseCatalogProductPageText(text);
  return {
    ...page,
    items: page.items.map((item) => {
      expect(item).toBeInstanceOf(ProductAsSent);
      return (item as ProductAsSent).json;
    }),
  };
}

describe("a catalog page parsed product by product from the answer's text", () => {
  it('is the page parsed whole: the same next link, the same products, each as its JSON text', () => {
    fc.assert(
      fc.property(pages, (page) => {
        const text = pageText(page);
        expect(parsedByItems(text)).toEqual(parsedWhole(text));
      }),
      { numRuns: 300 },
    );
  });

  it('finds the items without parsing the page when they are objects in _embedded.items', () => {
    fc.assert(
      fc.property(pages, (page) => {
        const text = pageText(page);
        const spans = listItemSpans(text);
        // As JSON carries them (it writes -0 as 0).
        const items = JSON.parse(JSON.stringify(page.items));
        expect(spans?.items.map(([start, end]) => JSON.parse(text.slice(start, end)))).toEqual(items);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps each product's updated date for the sync's windows and ranges", () => {
    const page = parseCatalogProductPageText(
      JSON.stringify({ _links: {}, _embedded: { items: [{ uuid: 'a', updated: '2026-01-01T00:00:00+00:00' }] } }),
    );
    expect(page.items).toEqual([expect.objectContaining({ updated: '2026-01-01T00:00:00+00:00' })]);
    expect(JSON.stringify(page.items[0])).toBe('{"uuid":"a","updated":"2026-01-01T00:00:00+00:00"}');
  });

  it('reads a disabled catalog, and any text it cannot read item by item, as the whole-page parser does', () => {
    const disabled = JSON.stringify({ error: 'No products to synchronize. The catalog "c" has been disabled.' });
    expect(() => parseCatalogProductPageText(disabled)).toThrow(CatalogDisabledError);
    const odd = [
      // Items that are not all objects, a key written with an escape, a second _embedded (JSON.parse keeps the last).
      '{"_links":{},"_embedded":{"items":[{"uuid":"a"},2,"b"]}}',
      '{"_links":{},"_embedded":{"it\\u0065ms":[{"uuid":"a"}]}}',
      '{"_links":{},"_embedded":{"items":[{"uuid":"a"}]},"_embedded":{"items":[{"uuid":"b"}]}}',
    ];
    for (const text of odd) {
      expect(parsedByItems(text)).toEqual(parsedWhole(text));
    }
  });

  it('refuses what is not JSON as the whole-page parser does, whatever breaks it', () => {
    const broken = [
      'not json',
      '{"_links":{},"_embedded":{"items":[{"uuid":"a"},,{"uuid":"b"}]}}',
      '{"_links":{},"_embedded":{"items":[{"uuid":"a"},]}}',
      '{"_links":{},"_embedded":{"items":[{"uuid":"a"} {"uuid":"b"}]}}',
      '{"_links":{},"_embedded":{"items":[{"uuid":"a" "x"}]}}',
      '{"_links":{},"_embedded":{"items":[{"uuid":"a"}]}',
      '{"_links":{"self":"x}},"_embedded":{"items":[{"uuid":"a"}]}}',
    ];
    for (const text of broken) {
      expect(() => JSON.parse(text)).toThrow();
      expect(() => parseCatalogProductPageText(text)).toThrow(UnexpectedPimAnswerError);
    }
  });
});
