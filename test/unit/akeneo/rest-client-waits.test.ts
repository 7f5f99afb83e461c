import { AkeneoRestClient, type RetryEvent } from '../../../functions/akeneo/rest-client';
import { MAX_RETRY_WAIT_MS } from '../../../functions/core/backoff';
import { startFakePim } from '../../support/fake-pim';

/** A PIM that answers 429 with the given Retry-After (seconds) first, then a small JSON body. */
async function rateLimitingPim(retryAfterSeconds: string) {
  let requests = 0;
  const pim = await startFakePim((_request, response) => {
    requests += 1;
    if (requests === 1) {
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after': retryAfterSeconds });
      response.end('{"code":429,"message":"You have exceeded the limit of API requests per second."}');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"ok":true}');
  });
  return Object.assign(pim, { requests: () => requests });
}

/** Item 2 of issue 12: a PIM's Retry-After never puts the worker to sleep past what its run can afford. */
describe('AkeneoRestClient waits', () => {
  it('caps each wait, whatever Retry-After asks, and says what was asked', async () => {
    const pim = await rateLimitingPim('86400');
    const waits: number[] = [];
    const events: RetryEvent[] = [];
    const client = new AkeneoRestClient({
      pimUrl: pim.url,
      accessToken: 't',
      sleep: async (ms) => {
        waits.push(ms);
      },
      onRetry: (event) => events.push(event),
    });
    try {
      await expect(client.getJson(`${pim.url}/x`)).resolves.toEqual({ ok: true });
      expect(waits).toEqual([MAX_RETRY_WAIT_MS]);
      expect(events).toEqual([
        expect.objectContaining({ status: 429, attempt: 1, delayMs: MAX_RETRY_WAIT_MS, requestedMs: 86_400_000 }),
      ]);
    } finally {
      await client.close();
      await pim.close();
    }
  });

  it('does not sleep past the time its caller has left: it fails at once with the wait it would have needed', async () => {
    const pim = await rateLimitingPim('30');
    const waits: number[] = [];
    const client = new AkeneoRestClient({
      pimUrl: pim.url,
      accessToken: 't',
      waitBudgetMs: () => 10_000,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    try {
      await expect(client.getJson(`${pim.url}/x`)).rejects.toMatchObject({
        code: 'retry_beyond_time_left',
        status: 429,
        waitMs: 30_000,
      });
      expect(waits).toEqual([]);
      expect(pim.requests()).toBe(1);
    } finally {
      await client.close();
      await pim.close();
    }
  });

  it('waits when the wait fits in the time left', async () => {
    const pim = await rateLimitingPim('2');
    const waits: number[] = [];
    const client = new AkeneoRestClient({
      pimUrl: pim.url,
      accessToken: 't',
      waitBudgetMs: () => 10_000,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    try {
      await expect(client.getJson(`${pim.url}/x`)).resolves.toEqual({ ok: true });
      expect(waits).toEqual([2_000]);
    } finally {
      await client.close();
      await pim.close();
    }
  });
});
