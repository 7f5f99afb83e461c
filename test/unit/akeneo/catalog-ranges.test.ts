import fc from 'fast-check';
import {
  catalogProductCountUrl,
  catalogProductsInRangeUrl,
  catalogProductsUrl,
} from '../../../functions/akeneo/catalogs';
import { secondRanges } from '../../../functions/core/second-ranges';
import { parseProductQuery, updatedWindow } from '../../../sandbox/catalog-product-query';

const PIM = 'https://pim.example.com';
const CATALOG = '8f1a9b4e-3c2d-4e5f-a6b7-c8d9e0f1a2b3';
const JAN_2026 = Date.UTC(2026, 0, 1) / 1000;
const DAY = 86_400;

/**
 * Whether a product updated in `second` is in the listing at `url`, as the sandbox's catalog query decides (Akeneo's:
 * `updated_after` alone `>`, `updated_before` alone `<`, both a BETWEEN with both ends included).
 */
function lists(url: string, second: number): boolean {
  const query = parseProductQuery(new URL(url).searchParams, 1000);
  if (!query.ok) throw new Error(`The sandbox refused ${url}: ${JSON.stringify(query.violations)}`);
  const filter = updatedWindow(query.value, (ref) => ref);
  return filter === undefined || filter(second);
}

const iso = (second: number) => new Date(second * 1000).toISOString();

/** A run's window (a first sync has no start) and cuts around it, some outside it. */
const windows = fc
  .record({
    to: fc.integer({ min: JAN_2026, max: JAN_2026 + 30 * DAY }),
    span: fc.option(fc.integer({ min: 0, max: 10 * DAY }), { nil: undefined }),
  })
  .map(({ to, span }) => ({ toSecond: to, fromSecond: span === undefined ? undefined : to - span }));

describe("a catalog's updated ranges", () => {
  it('list every product of the run exactly once, in one range, whatever the cuts, and nothing updated after the run began', () => {
    fc.assert(
      fc.property(
        windows,
        fc.array(fc.integer({ min: -12 * DAY, max: 2 * DAY }), { maxLength: 4 }),
        fc.array(fc.integer({ min: -12 * DAY, max: 2 * DAY }), { minLength: 1, maxLength: 20 }),
        ({ toSecond, fromSecond }, cutOffsets, productOffsets) => {
          const window = { to: iso(toSecond), ...(fromSecond === undefined ? {} : { from: iso(fromSecond) }) };
          const links = secondRanges(cutOffsets.map((offset) => toSecond + offset)).map((range) =>
            catalogProductsInRangeUrl(PIM, CATALOG, window, range),
          );
          const whole = catalogProductsUrl(PIM, CATALOG, window);
          const edges = [toSecond - 1, toSecond, toSecond + 1, ...(fromSecond === undefined ? [] : [fromSecond])];
          for (const second of [...productOffsets.map((offset) => toSecond + offset), ...edges]) {
            const listedBy = links.filter((link) => lists(link, second)).length;
            if (lists(whole, second)) expect(listedBy).toBe(1);
            // The ranges' last one may take the run's very start second, which the whole window leaves to the next
            // run (its window starts there again): never anything later, nor before the window.
            else if (second === toSecond) expect(listedBy).toBeLessThanOrEqual(1);
            else expect(listedBy).toBe(0);
          }
        },
      ),
    );
  });

  it('counts the products updated at or before a second within the window, and every one of them without it', () => {
    fc.assert(
      fc.property(
        windows,
        fc.integer({ min: -12 * DAY, max: 2 * DAY }),
        fc.array(fc.integer({ min: -12 * DAY, max: 2 * DAY }), { minLength: 1, maxLength: 20 }),
        ({ toSecond, fromSecond }, probeOffset, productOffsets) => {
          const window = { to: iso(toSecond), ...(fromSecond === undefined ? {} : { from: iso(fromSecond) }) };
          const probe = toSecond + probeOffset;
          const atOrBefore = catalogProductCountUrl(PIM, CATALOG, window, probe);
          const all = catalogProductCountUrl(PIM, CATALOG, window);
          const whole = catalogProductsUrl(PIM, CATALOG, window);
          for (const second of [...productOffsets.map((offset) => toSecond + offset), toSecond, probe, probe + 1]) {
            expect(lists(all, second)).toBe(lists(whole, second));
            // The run's start second itself is the window's edge, which the two walks may treat apart (see above).
            if (second === toSecond) continue;
            const inWindow = (fromSecond === undefined || second >= fromSecond) && second < toSecond;
            expect(lists(atOrBefore, second)).toBe(inWindow && second <= probe);
          }
          expect(new URL(atOrBefore).pathname).toBe(`/api/rest/v1/catalogs/${CATALOG}/product-uuids`);
          expect(new URL(atOrBefore).searchParams.get('with_count')).toBe('true');
          expect(new URL(atOrBefore).searchParams.get('limit')).toBe('1');
        },
      ),
    );
  });

  it('writes the first range of a first sync as updated_before alone, the others as a BETWEEN ending at the run', () => {
    const window = { to: '2026-03-01T12:00:00.000Z' };
    const [first, middle, last] = secondRanges([JAN_2026 + 59, JAN_2026 + 119]).map((range) =>
      new URL(catalogProductsInRangeUrl(PIM, CATALOG, window, range)).searchParams.toString(),
    );

    expect(first).toBe('limit=1000&updated_before=2026-01-01T00%3A01%3A00%2B00%3A00');
    expect(middle).toBe(
      'limit=1000&updated_after=2026-01-01T00%3A01%3A00%2B00%3A00&updated_before=2026-01-01T00%3A01%3A59%2B00%3A00',
    );
    expect(last).toBe(
      'limit=1000&updated_after=2026-01-01T00%3A02%3A00%2B00%3A00&updated_before=2026-03-01T12%3A00%3A00%2B00%3A00',
    );
  });

  it("starts a range after a product as Akeneo's next links do, with the same bounds", () => {
    const window = { to: '2026-03-01T12:00:00.000Z' };
    const range = { from: JAN_2026 + 60, to: JAN_2026 + 119 };
    const after = '0a8f6a4e-3c2d-4e5f-a6b7-c8d9e0f1a2b3';
    const url = catalogProductsInRangeUrl(PIM, CATALOG, window, range, after);

    expect(new URL(url).searchParams.toString()).toBe(
      `search_after=${after}&${new URL(catalogProductsInRangeUrl(PIM, CATALOG, window, range)).searchParams}`,
    );
    const query = parseProductQuery(new URL(url).searchParams, 1000);
    expect(query.ok && query.value.searchAfter).toBe(after);
  });
});
