import { request } from 'undici';
import { startSandboxPim } from '../../sandbox';

/** The controls page does, for a person, what the tests do through the SandboxPim API. */
describe('sandbox controls', () => {
  it('updates and adds products, sets the latency and queues faults from a form', async () => {
    const pim = await startSandboxPim({ productCount: 20 });
    const post = (form: Record<string, string>) =>
      request(`${pim.url}/sandbox/controls`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
    try {
      const touched = await post({ action: 'touch', count: '3' });
      await touched.body.dump();
      const added = await post({ action: 'add', count: '2' });
      await added.body.dump();
      await (await post({ action: 'latency', latency: '15' })).body.dump();
      await (await post({ action: '429-retry-after' })).body.dump();
      const page = await (await request(`${pim.url}/sandbox/controls`)).body.text();
      await (await post({ action: 'latency', latency: '0' })).body.dump();
      const faulted = await request(`${pim.url}/api/rest/v1/products-uuid`);
      await faulted.body.dump();
      const next = await request(`${pim.url}/api/rest/v1/products-uuid`);
      await next.body.dump();

      expect(touched.statusCode).toBe(302);
      expect(decodeURIComponent(String(touched.headers.location))).toContain('3 products updated.');
      expect(pim.productCount).toBe(22);
      expect(page).toContain('<strong data-testid="product-count">22</strong>');
      expect(page).toContain('<strong>15</strong> ms, with <strong>1</strong> fault(s) queued');
      // The queued fault answers the next API call, then the API answers as usual (401 here: no token).
      expect(faulted.statusCode).toBe(429);
      expect(faulted.headers['retry-after']).toBe('2');
      expect(next.statusCode).toBe(401);
    } finally {
      await pim.close();
    }
  });

  it('deletes products from a form: the PIM no longer serves them', async () => {
    const pim = await startSandboxPim({ productCount: 20 });
    try {
      const deleted = await request(`${pim.url}/sandbox/controls`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ action: 'delete', count: '5' }).toString(),
      });
      await deleted.body.dump();
      const page = await (await request(`${pim.url}/sandbox/controls`)).body.text();

      expect(deleted.statusCode).toBe(302);
      expect(decodeURIComponent(String(deleted.headers.location))).toContain('5 products deleted.');
      expect(pim.productCount).toBe(15);
      expect(page).toContain('<strong data-testid="product-count">15</strong>');
      expect(page).toContain('data-testid="delete-products"');
    } finally {
      await pim.close();
    }
  });
});
