import { createHash } from 'node:crypto';
import { request } from 'undici';
import type { SandboxApp, SandboxPim } from '../../sandbox';
import { ACTIVATE_URL, CALLBACK_URL, connectApp, startSandboxWithApp } from './sandbox-helpers';

const PRODUCTS = '/api/rest/v1/products-uuid?limit=1';
const RATE_LIMITED = { code: 429, message: 'You have exceeded the limit of API requests per second.' };
const DISCONNECTED = {
  code: 401,
  message: 'The access token provided is invalid. Your app has been disconnected from that PIM.',
};

interface RawResponse {
  status: number;
  retryAfter: string | undefined;
  contentType: string;
  text: string;
}

describe('sandbox API traffic controls', () => {
  let pim: SandboxPim;
  let app: SandboxApp;
  let token: string;

  beforeAll(async () => {
    ({ pim, app } = await startSandboxWithApp());
    token = (await connectApp(pim, app, 'read_products')).access_token;
  });

  afterAll(() => pim.close());

  afterEach(() => {
    pim.setApiLatency(0);
    pim.clearApiFaults();
    pim.resetApiStats();
  });

  async function get(accessToken = token, path = PRODUCTS): Promise<RawResponse> {
    const response = await request(`${pim.url}${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
    const retryAfter = response.headers['retry-after'];
    return {
      status: response.statusCode,
      retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
      contentType: String(response.headers['content-type'] ?? ''),
      text: await response.body.text(),
    };
  }

  it('delays every API answer, found or not, by the latency', async () => {
    pim.setApiLatency(150);
    let start = performance.now();
    expect((await get()).status).toBe(200);
    expect(performance.now() - start).toBeGreaterThanOrEqual(140);
    start = performance.now();
    expect((await get(token, '/api/rest/v1/unknown')).status).toBe(404);
    expect(performance.now() - start).toBeGreaterThanOrEqual(140);
    expect(() => pim.setApiLatency(-1)).toThrow();
  });

  // Ordering, not wall time: one API call is held by a latency far longer than the test, and the others overtake it.
  it('answers the PIM pages, and the API calls that arrive at latency 0, while an API call is held', async () => {
    pim.setApiLatency(10 * 60_000);
    const before = pim.apiStats.requests;
    const aborting = new AbortController();
    let heldAnswered = false;
    const held = request(`${pim.url}${PRODUCTS}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: aborting.signal,
    }).then(
      () => {
        heldAnswered = true;
      },
      () => undefined,
    );
    try {
      while (pim.apiStats.requests === before) await new Promise((resolve) => setTimeout(resolve, 5));

      const appStore = await request(`${pim.url}/connect/app-store`);
      await appStore.body.dump();
      pim.setApiLatency(0);
      const answer = await get();

      expect(appStore.statusCode).toBe(200);
      expect(answer.status).toBe(200);
      expect(heldAnswered).toBe(false);
      expect(pim.apiStats.requests).toBe(before + 2);
    } finally {
      aborting.abort();
      await held;
    }
  });

  it('answers the injected faults in order, then normally again', async () => {
    pim.injectApiFaults([{ kind: 'rate-limit', retryAfterSeconds: 7 }, { kind: 'rate-limit' }]);
    pim.injectApiFaults([
      { kind: 'server-error' },
      { kind: 'server-error', status: 503 },
      { kind: 'unauthorized-disconnected' },
    ]);
    const answers = [];
    for (let index = 0; index < 6; index += 1) answers.push(await get());
    const [limited, limitedWithoutHeader, failed, unavailable, disconnected, normal] = answers;
    expect(limited).toMatchObject({ status: 429, retryAfter: '7', contentType: 'application/json' });
    expect(JSON.parse(limited?.text ?? '')).toEqual(RATE_LIMITED);
    expect(limitedWithoutHeader).toMatchObject({ status: 429, retryAfter: undefined });
    expect(JSON.parse(limitedWithoutHeader?.text ?? '')).toEqual(RATE_LIMITED);
    expect(failed).toMatchObject({ status: 500, contentType: 'text/html; charset=UTF-8' });
    expect(failed?.text).toContain('500');
    expect(unavailable).toMatchObject({ status: 503, contentType: 'text/html; charset=UTF-8' });
    expect(disconnected?.status).toBe(401);
    expect(JSON.parse(disconnected?.text ?? '')).toEqual(DISCONNECTED);
    expect(normal?.status).toBe(200);
    expect(pim.apiStats.statuses).toEqual({ '200': 1, '401': 1, '429': 2, '500': 1, '503': 1 });
    expect(pim.apiStats.requests).toBe(6);
  });

  it('drops the queued faults on clearApiFaults()', async () => {
    pim.injectApiFaults([{ kind: 'server-error', status: 502 }, { kind: 'rate-limit' }]);
    expect((await get()).status).toBe(502);
    pim.clearApiFaults();
    expect((await get()).status).toBe(200);
  });

  it('counts the peak concurrency overall and per token under parallel requests, latency included', async () => {
    const other = pim.addApp({ name: 'Second app', activateUrl: ACTIVATE_URL, callbackUrl: CALLBACK_URL });
    const otherToken = (await connectApp(pim, other, 'read_products')).access_token;
    const stats = pim.apiStats;
    pim.resetApiStats();
    pim.setApiLatency(200);
    const tokens = [...Array(6).fill(token), ...Array(4).fill(otherToken)] as string[];
    const answers = await Promise.all(tokens.map((accessToken) => get(accessToken)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    const key = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 8);
    expect(pim.apiStats).toBe(stats);
    expect(stats).toEqual({
      requests: 10,
      maxConcurrent: 10,
      maxConcurrentPerToken: { [key(token)]: 6, [key(otherToken)]: 4 },
      statuses: { '200': 10 },
      answerMs: expect.any(Number),
      recentRequests: Array(10).fill(PRODUCTS),
    });
    expect(stats.answerMs).toBeGreaterThan(0);
    expect(JSON.stringify(stats)).not.toContain(token);

    pim.resetApiStats();
    pim.setApiLatency(20);
    for (let index = 0; index < 3; index += 1) await get();
    expect(stats).toMatchObject({ requests: 3, maxConcurrent: 1, maxConcurrentPerToken: { [key(token)]: 1 } });
    expect(stats.recentRequests).toEqual(Array(3).fill(PRODUCTS));
  });

  it('keeps the path and query of the last 1,000 requests, oldest first', async () => {
    pim.resetApiStats();
    for (let batch = 0; batch < 10; batch += 1) {
      await Promise.all(Array.from({ length: 100 }, () => get()));
    }
    await get(token, `${PRODUCTS}&search_after=last`);

    expect(pim.apiStats.requests).toBe(1_001);
    expect(pim.apiStats.recentRequests).toHaveLength(1_000);
    expect(pim.apiStats.recentRequests.at(-1)).toBe(`${PRODUCTS}&search_after=last`);
  });

  it('serves a new working token after a disconnect and a reconnect', async () => {
    const reconnecting = pim.addApp({ name: 'Reconnecting app', activateUrl: ACTIVATE_URL, callbackUrl: CALLBACK_URL });
    const first = (await connectApp(pim, reconnecting, 'read_products')).access_token;
    pim.disconnect(reconnecting.clientId);
    expect(JSON.parse((await get(first)).text)).toEqual(DISCONNECTED);
    const second = (await connectApp(pim, reconnecting, 'read_products')).access_token;
    expect(second).not.toBe(first);
    expect((await get(second)).status).toBe(200);
    expect((await get(first)).status).toBe(401);
  });
});
