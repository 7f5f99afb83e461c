import { createHash } from 'node:crypto';
import { AkeneoRestClient } from '../../functions/akeneo/rest-client';
import type { SandboxPim } from '../../sandbox';
import { connectApp, startSandboxWithApp } from '../sandbox/sandbox-helpers';

const CALLS = 12;
/** Long enough that every call the client lets through is still in flight when the next ones are asked for. */
const LATENCY_MS = 400;

/** The client every sync and worker uses, against the sandbox PIM over HTTP, which counts the calls in flight. */
describe("Akeneo's fair use: at most 4 concurrent calls per connection", () => {
  let pim: SandboxPim;
  let token: string;

  beforeAll(async () => {
    const started = await startSandboxWithApp();
    pim = started.pim;
    token = (await connectApp(pim, started.app, 'read_products')).access_token;
  });

  afterAll(() => pim.close());

  it(`keeps ${CALLS} parallel calls of one client to 4 at a time at the PIM, and does reach 4`, async () => {
    const client = new AkeneoRestClient({ pimUrl: pim.url, accessToken: token });
    pim.resetApiStats();
    pim.setApiLatency(LATENCY_MS);
    try {
      const pages = await Promise.all(
        Array.from({ length: CALLS }, () => client.getJson(`${pim.url}/api/rest/v1/products-uuid?limit=1`)),
      );

      expect(pages).toHaveLength(CALLS);
      expect(pim.apiStats.requests).toBe(CALLS);
      expect(pim.apiStats.statuses).toEqual({ '200': CALLS });
      const tokenKey = createHash('sha256').update(token).digest('hex').slice(0, 8);
      // Exactly 4: at most 4 is the rule, and at least 4 shows the calls did overlap, so the bound was tested.
      expect(pim.apiStats.maxConcurrentPerToken).toEqual({ [tokenKey]: 4 });
    } finally {
      pim.setApiLatency(0);
      await client.close();
    }
  });
});
