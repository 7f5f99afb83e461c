import { PaginationGuard } from '../../../functions/core/pagination-guard';

const HOST = 'pim.example.com';
const page = (n: number) => `https://${HOST}/api/rest/v1/categories?limit=100&search_after=${n}`;

describe('PaginationGuard', () => {
  it('lets a chain of distinct pages through', () => {
    const guard = new PaginationGuard(HOST);

    for (let n = 0; n < 50; n += 1) guard.visit(page(n));

    expect(guard.pages).toBe(50);
  });

  it('stops a next link back to a page already read: the listing would never end', () => {
    const guard = new PaginationGuard(HOST);
    guard.visit(page(1));
    guard.visit(page(2));

    expect(() => guard.visit(page(1))).toThrow(
      expect.objectContaining({ code: 'pagination_loop', pimHost: HOST, message: expect.stringContaining(HOST) }),
    );
  });

  it('stops after the most pages one listing reads, and a link longer than any Akeneo sends', () => {
    const guard = new PaginationGuard(HOST, { maxPages: 3, maxLinkLength: 200 });
    guard.visit(page(1));
    guard.visit(page(2));
    guard.visit(page(3));

    expect(() => guard.visit(page(4))).toThrow(expect.objectContaining({ code: 'pagination_limit' }));
    expect(() =>
      new PaginationGuard(HOST, { maxPages: 3, maxLinkLength: 200 }).visit(`${page(1)}${'x'.repeat(200)}`),
    ).toThrow(expect.objectContaining({ code: 'pagination_limit', message: expect.stringMatching(/characters/) }));
  });
});
