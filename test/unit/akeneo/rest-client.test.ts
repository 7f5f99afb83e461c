import { parseProductPage, productsUrl } from '../../../functions/akeneo/products';
import { AkeneoRestClient } from '../../../functions/akeneo/rest-client';
import { PIM_CALL_TIMEOUT_MS } from '../../../functions/core/fair-use';
import { startFakePim } from '../../support/fake-pim';

describe('productsUrl', () => {
  it('asks for search_after pages of 100 updated after the window start, in Akeneo date format', () => {
    const url = new URL(productsUrl('https://pim.example.com', '2026-11-28T11:59:55.000Z'));
    expect(url.pathname).toBe('/api/rest/v1/products-uuid');
    expect(url.searchParams.get('pagination_type')).toBe('search_after');
    expect(url.searchParams.get('limit')).toBe('100');
    expect(JSON.parse(url.searchParams.get('search') ?? '')).toEqual({
      updated: [{ operator: '>', value: '2026-11-28 11:59:55' }],
    });
    expect(new URL(productsUrl('https://pim.example.com')).searchParams.has('search')).toBe(false);
  });

  it('reads a page and its next link, and refuses a page without items', () => {
    expect(parseProductPage({ _embedded: { items: [1] }, _links: { next: { href: 'n' } } })).toEqual({
      items: [1],
      nextUrl: 'n',
    });
    expect(parseProductPage({ _embedded: { items: [] }, _links: {} })).toEqual({ items: [] });
    expect(() => parseProductPage({ code: 500 })).toThrow(/without items/);
  });
});

/** Answers no sandbox scenario gives: a PIM that points elsewhere, or says nothing useful. */
describe('AkeneoRestClient', () => {
  it("refuses a call timeout longer than a call slot's lease covers", () => {
    const options = { pimUrl: 'https://pim.example.com', accessToken: 't' };

    expect(() => new AkeneoRestClient({ ...options, timeoutMs: PIM_CALL_TIMEOUT_MS + 1 })).toThrow(RangeError);
    expect(() => new AkeneoRestClient({ ...options, timeoutMs: PIM_CALL_TIMEOUT_MS })).not.toThrow();
  });

  it('never sends the token to another host than the PIM', async () => {
    const client = new AkeneoRestClient({ pimUrl: 'https://pim.example.com', accessToken: 't' });
    await expect(client.getJson('https://evil.example.com/api/rest/v1/products-uuid')).rejects.toMatchObject({
      code: 'unexpected_pim_answer',
    });
    await client.close();
  });

  it('turns 401 and 403 into what they mean for the connection, with the PIM message', async () => {
    let status = 401;
    const pim = await startFakePim((_request, response) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ code: status, message: `message ${status}` }));
    });
    const client = new AkeneoRestClient({ pimUrl: pim.url, accessToken: 't' });
    try {
      await expect(client.getJson(`${pim.url}/x`)).rejects.toMatchObject({
        code: 'access_revoked',
        reason: 'message 401',
      });
      status = 403;
      await expect(client.getJson(`${pim.url}/x`)).rejects.toMatchObject({
        code: 'scope_missing',
        reason: 'message 403',
      });
      status = 422;
      await expect(client.getJson(`${pim.url}/x`)).rejects.toMatchObject({ code: 'unexpected_pim_answer' });
    } finally {
      await client.close();
      await pim.close();
    }
  });

  it('keeps no control character of the PIM message it stores as the reason', async () => {
    const pim = await startFakePim((_request, response) => {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ code: 401, message: 'Revoked\u001b[2J\u001b]0;owned\u0007\r\nby \u009b31mthe PIM' }),
      );
    });
    const client = new AkeneoRestClient({ pimUrl: pim.url, accessToken: 't' });
    try {
      await expect(client.getJson(`${pim.url}/x`)).rejects.toMatchObject({
        code: 'access_revoked',
        reason: 'Revoked[2J]0;owned by 31mthe PIM',
      });
    } finally {
      await client.close();
      await pim.close();
    }
  });

  it('waits what Retry-After says, then backs off when there is none, and gives up after the retries', async () => {
    const answers = [{ status: 429, retryAfter: '2' }, { status: 429 }, { status: 500 }, { status: 200 }];
    const pim = await startFakePim((_request, response) => {
      const answer = answers.shift() ?? { status: 500 };
      response.writeHead(answer.status, {
        'content-type': 'application/json',
        ...(answer.retryAfter ? { 'retry-after': answer.retryAfter } : {}),
      });
      response.end(answer.status === 200 ? '{"ok":true}' : '{}');
    });
    const waits: number[] = [];
    const client = new AkeneoRestClient({
      pimUrl: pim.url,
      accessToken: 't',
      retry: { baseDelayMs: 100, maxDelayMs: 1000, maxRateLimitRetries: 3, maxServerErrorRetries: 1 },
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0.5,
    });
    try {
      await expect(client.getJson(`${pim.url}/x`)).resolves.toEqual({ ok: true });
      expect(waits).toEqual([2000, 100, 50]);
      await expect(client.getJson(`${pim.url}/x`)).rejects.toMatchObject({ code: 'pim_unavailable' });
    } finally {
      await client.close();
      await pim.close();
    }
  });
});
