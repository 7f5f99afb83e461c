import fc from 'fast-check';
import { toNdjson } from '../../../functions/adapters/product-sink/layout';

/** What a part held when it was one string: each product's JSON on its line. */
const asOneString = (products: readonly unknown[]) =>
  products.map((product) => `${JSON.stringify(product)}\n`).join('');

describe("a part's NDJSON bytes", () => {
  it('are the UTF-8 of one JSON line per product, whatever the text, lines across chunks and lines over a chunk', () => {
    const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }));
    const product = fc.record({
      uuid: fc.uuid(),
      values: fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(text, fc.integer(), fc.constant(null))),
      // A line longer than the 256 KB a chunk starts with, now and then.
      long: fc.option(
        fc.nat({ max: 3 }).map((size) => '€'.repeat(size * 60_000)),
        { nil: undefined },
      ),
    });
    fc.assert(
      fc.property(fc.array(product, { maxLength: 60 }), (products) => {
        expect(toNdjson(products).equals(Buffer.from(asOneString(products)))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('are empty for no products', () => {
    expect(toNdjson([])).toHaveLength(0);
  });
});
