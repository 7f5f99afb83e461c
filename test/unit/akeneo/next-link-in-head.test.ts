import fc from 'fast-check';
import { nextLinkInHead, parseProductPage } from '../../../functions/akeneo/products';
import { phpJson } from '../../support/php-json';

const href = fc
  .tuple(fc.webUrl(), fc.string({ maxLength: 12 }))
  .map(([url, after]) => `${url}?pagination_type=search_after&limit=100&search_after=${encodeURIComponent(after)}`);

const page = fc.record(
  {
    self: href,
    next: href,
    items: fc.array(fc.record({ uuid: fc.uuid(), identifier: fc.string(), next: fc.string() }), { maxLength: 5 }),
  },
  { requiredKeys: ['self', 'items'] },
);

describe('nextLinkInHead', () => {
  it('reads an Akeneo page head (escaped slashes, \\u0026)', () => {
    const body = phpJson({
      _links: { self: { href: 'https://pim.example.com/x' }, next: { href: 'https://pim.example.com/p?a=1&b=2' } },
      _embedded: { items: [] },
    });
    expect(body).toContain('https:\\/\\/pim.example.com\\/p?a=1\\u0026b=2');
    expect(nextLinkInHead(body)).toBe('https://pim.example.com/p?a=1&b=2');
    expect(nextLinkInHead(body.slice(0, body.indexOf('b=2')))).toBeUndefined();
  });

  it('says null once the items begin without a link, and never reads a "next" inside the items', () => {
    const body = JSON.stringify({ _embedded: { items: [{ next: { href: 'https://evil.example.com' } }] }, _links: {} });
    expect(nextLinkInHead(body)).toBeNull();
    expect(nextLinkInHead('{"_links":{"self":{"href":"x"}},"_embedded":{"items":[')).toBeNull();
  });

  it('on any prefix of any page, in either key order, is undecided or agrees with the parsed page', () => {
    fc.assert(
      fc.property(page, fc.boolean(), fc.boolean(), fc.nat(), (generated, php, linksFirst, cutAt) => {
        const links = { self: { href: generated.self }, ...(generated.next ? { next: { href: generated.next } } : {}) };
        const embedded = { items: generated.items };
        const value = linksFirst ? { _links: links, _embedded: embedded } : { _embedded: embedded, _links: links };
        const body = php ? phpJson(value) : JSON.stringify(value);
        const parsed = parseProductPage(JSON.parse(body)).nextUrl;
        const head = nextLinkInHead(body.slice(0, cutAt % (body.length + 1)));
        if (head === undefined || head === null) return;
        expect(head).toBe(parsed);
      }),
      { numRuns: 500 },
    );
  });

  it('decides on the whole of a page whose links come first', () => {
    fc.assert(
      fc.property(page, (generated) => {
        const links = { self: { href: generated.self }, ...(generated.next ? { next: { href: generated.next } } : {}) };
        const body = phpJson({ _links: links, _embedded: { items: generated.items } });
        expect(nextLinkInHead(body)).toBe(generated.next ?? null);
      }),
      { numRuns: 300 },
    );
  });
});
