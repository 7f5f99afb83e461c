import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SandboxApp, type SandboxPim, startSandboxPim } from '../../sandbox';
import { ACTIVATE_URL, apiGet, apiSend, CALLBACK_URL, connectApp, startSandboxWithApp } from './sandbox-helpers';

interface CatalogBody {
  _links?: { self: { href: string } };
  id: string;
  name: string;
  enabled: boolean;
  managed_currencies: string[];
  managed_locales: string[];
}

interface CatalogList {
  _links: Record<'self' | 'first' | 'previous' | 'next', { href: string } | undefined>;
  current_page: number;
  _embedded: { items: CatalogBody[] };
}

const CATALOGS = '/api/rest/v1/catalogs';
const ALL_SCOPES = 'read_products read_catalogs write_catalogs delete_catalogs';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const notFound = (id: string) => ({ code: 404, message: `Catalog "${id}" does not exist or you can't access it.` });
const forbidden = (action: string) => ({
  code: 403,
  message: `Access forbidden. You are not allowed to ${action}.`,
});
const invalid = (...errors: { property: string; message: string }[]) => ({
  code: 422,
  message: 'Validation failed.',
  errors,
});
const BLANK = { property: 'name', message: 'This value should not be blank.' };
const TOO_SHORT = { property: 'name', message: 'This value is too short. It should have 1 character or more.' };

describe('sandbox catalogs API', () => {
  let pim: SandboxPim;
  let app: SandboxApp;
  let token: string;

  beforeAll(async () => {
    ({ pim, app } = await startSandboxWithApp());
    token = (await connectApp(pim, app, ALL_SCOPES)).access_token;
  });

  afterAll(() => pim.close());

  async function connectOther(name: string, scope: string): Promise<string> {
    const other = pim.addApp({ name, activateUrl: ACTIVATE_URL, callbackUrl: CALLBACK_URL });
    return (await connectApp(pim, other, scope)).access_token;
  }

  async function create(name: string, accessToken = token): Promise<CatalogBody> {
    const { status, body } = await apiSend(pim, 'POST', CATALOGS, { token: accessToken, json: { name } });
    expect(status).toBe(201);
    return body as CatalogBody;
  }

  it('creates a disabled catalog owned by the app, with a v4 id, that GET, the list and the PIM then show', async () => {
    const created = await create('Store US');
    expect(created).toEqual({
      _links: { self: { href: `${pim.url}${CATALOGS}/${created.id}` } },
      id: expect.stringMatching(UUID_V4),
      name: 'Store US',
      enabled: false,
      managed_currencies: [],
      managed_locales: [],
    });
    expect(await apiGet(pim, `${CATALOGS}/${created.id}`, token)).toEqual({ status: 200, body: created });
    const list = (await apiGet(pim, CATALOGS, token)).body as CatalogList;
    expect(list._embedded.items.map((item) => item.id)).toContain(created.id);
    expect(pim.catalogs(app.clientId).find((catalog) => catalog.id === created.id)).toEqual({
      id: created.id,
      name: 'Store US',
      enabled: false,
      clientId: app.clientId,
      managedCurrencies: [],
      managedLocales: [],
      // Akeneo gives a new catalog the "Status: enabled" criterion.
      selection: { families: [], categories: [], enabledOnly: true },
    });
  });

  it('keeps managed currencies and locales, and PATCH renames the catalog (200 with it)', async () => {
    const { status, body } = await apiSend(pim, 'POST', CATALOGS, {
      token,
      json: { name: 'Store EU', managed_currencies: ['EUR'], managed_locales: ['fr_FR', 'de_DE'] },
    });
    expect(status).toBe(201);
    const created = body as CatalogBody;
    expect(created).toMatchObject({ managed_currencies: ['EUR'], managed_locales: ['fr_FR', 'de_DE'] });
    const patched = await apiSend(pim, 'PATCH', `${CATALOGS}/${created.id}`, { token, json: { name: 'Store Europe' } });
    expect(patched).toEqual({ status: 200, body: { ...created, name: 'Store Europe' } });
    expect((await apiGet(pim, `${CATALOGS}/${created.id}`, token)).body).toEqual({ ...created, name: 'Store Europe' });
  });

  it('answers 422 with every violation of the name, and writes nothing', async () => {
    const before = pim.catalogs(app.clientId);
    const post = (json: unknown) => apiSend(pim, 'POST', CATALOGS, { token, json });
    expect(await post({ name: '' })).toEqual({ status: 422, body: invalid(BLANK, TOO_SHORT) });
    expect(await post({})).toEqual({ status: 422, body: invalid(BLANK, TOO_SHORT) });
    expect(await post({ name: 'x'.repeat(256) })).toEqual({
      status: 422,
      body: invalid({ property: 'name', message: 'This value is too long. It should have 255 characters or less.' }),
    });
    expect(await post({ name: 42 })).toEqual({
      status: 422,
      body: invalid({ property: 'name', message: 'This value should be of type string.' }),
    });
    expect(await post({ name: 'Ok', managed_locales: 'fr_FR' })).toEqual({
      status: 422,
      body: invalid({ property: 'managed_locales', message: 'This value should be of type array.' }),
    });
    expect((await post({ name: 'x'.repeat(255) })).status).toBe(201);
    const kept = await create('Kept');
    expect(await apiSend(pim, 'PATCH', `${CATALOGS}/${kept.id}`, { token, json: { name: '' } })).toEqual({
      status: 422,
      body: invalid(BLANK, TOO_SHORT),
    });
    expect(await apiSend(pim, 'PATCH', `${CATALOGS}/${kept.id}`, { token, json: {} })).toEqual({
      status: 422,
      body: invalid(BLANK, TOO_SHORT),
    });
    expect((await apiGet(pim, `${CATALOGS}/${kept.id}`, token)).body).toEqual(kept);
    expect(pim.catalogs(app.clientId)).toHaveLength(before.length + 2);
  });

  it('answers 400 for a body that is not a JSON object and 415 for another content type, writing nothing', async () => {
    const count = pim.catalogs(app.clientId).length;
    const invalidJson = { status: 400, body: { code: 400, message: 'Invalid json message received' } };
    expect(await apiSend(pim, 'POST', CATALOGS, { token, body: '{"name":' })).toEqual(invalidJson);
    expect(await apiSend(pim, 'POST', CATALOGS, { token, body: '"Store"' })).toEqual(invalidJson);
    expect(await apiSend(pim, 'POST', CATALOGS, { token, body: '{"name":"x"}', contentType: 'text/plain' })).toEqual({
      status: 415,
      body: {
        code: 415,
        message: '"text/plain" in "Content-Type" header is not valid. Only "application/json" is allowed.',
      },
    });
    expect(await apiSend(pim, 'POST', CATALOGS, { token, body: '{"name":"x"}', contentType: null })).toEqual({
      status: 415,
      body: {
        code: 415,
        message: 'The "Content-Type" header is missing. "application/json" has to be specified as value.',
      },
    });
    const json = { token, body: '{"name":"Charset"}', contentType: 'application/json; charset=utf-8' };
    expect((await apiSend(pim, 'POST', CATALOGS, json)).status).toBe(201);
    expect(pim.catalogs(app.clientId)).toHaveLength(count + 1);
  });

  it("lists the app's catalogs page by page in id order, with Akeneo's absolute links", async () => {
    const { pim: own, app: lister } = await startSandboxWithApp();
    try {
      const listerToken = (await connectApp(own, lister, 'write_catalogs')).access_token;
      const ids: string[] = [];
      for (const name of ['A', 'B', 'C', 'D', 'E']) {
        const { body } = await apiSend(own, 'POST', CATALOGS, { token: listerToken, json: { name } });
        ids.push((body as CatalogBody).id);
      }
      const sorted = [...ids].sort();
      const first = (await apiGet(own, `${CATALOGS}?limit=2`, listerToken)).body as CatalogList;
      expect(first).toEqual({
        _links: {
          self: { href: `${own.url}${CATALOGS}?page=1&limit=2` },
          first: { href: `${own.url}${CATALOGS}?page=1&limit=2` },
          next: { href: `${own.url}${CATALOGS}?page=2&limit=2` },
        },
        current_page: 1,
        _embedded: {
          items: sorted.slice(0, 2).map((id) => ({
            _links: { self: { href: `${own.url}${CATALOGS}/${id}` } },
            id,
            name: expect.any(String),
            enabled: false,
            managed_currencies: [],
            managed_locales: [],
          })),
        },
      });
      const last = (await apiGet(own, `${CATALOGS}?page=3&limit=2`, listerToken)).body as CatalogList;
      expect(last.current_page).toBe(3);
      expect(last._links.previous).toEqual({ href: `${own.url}${CATALOGS}?page=2&limit=2` });
      expect(last._links.next).toBeUndefined();
      expect(last._embedded.items.map((item) => item.id)).toEqual(sorted.slice(4));
      const all = (await apiGet(own, CATALOGS, listerToken)).body as CatalogList;
      expect(all._embedded.items.map((item) => item.id)).toEqual(sorted);
      expect(all._links.self).toEqual({ href: `${own.url}${CATALOGS}?page=1&limit=100` });
      expect(((await apiGet(own, `${CATALOGS}?page=4&limit=2`, listerToken)).body as CatalogList)._embedded).toEqual({
        items: [],
      });
      for (const query of ['limit=0', 'limit=101', 'limit=abc', 'page=0', 'page=-1']) {
        expect(await apiGet(own, `${CATALOGS}?${query}`, listerToken)).toEqual({
          status: 400,
          body: { code: 400, message: 'Bad Request' },
        });
      }
    } finally {
      await own.close();
    }
  });

  it("keeps each app's catalogs to itself: another app's token gets 404 everywhere and an empty list", async () => {
    const mine = await create('Mine');
    const otherToken = await connectOther('Other app', ALL_SCOPES);
    const path = `${CATALOGS}/${mine.id}`;
    expect(await apiGet(pim, path, otherToken)).toEqual({ status: 404, body: notFound(mine.id) });
    expect(await apiSend(pim, 'PATCH', path, { token: otherToken, json: { name: 'Stolen' } })).toEqual({
      status: 404,
      body: notFound(mine.id),
    });
    expect(await apiSend(pim, 'DELETE', path, { token: otherToken })).toEqual({ status: 404, body: notFound(mine.id) });
    for (const tail of ['products', 'product-uuids', 'mapped-products', `products/${UNKNOWN_ID}`]) {
      expect(await apiGet(pim, `${path}/${tail}`, otherToken)).toEqual({ status: 404, body: notFound(mine.id) });
    }
    expect(((await apiGet(pim, CATALOGS, otherToken)).body as CatalogList)._embedded.items).toEqual([]);
    expect((await apiGet(pim, path, token)).body).toEqual(mine);
  });

  it('answers 404 naming the id for an unknown id or one that is not a UUID', async () => {
    for (const id of [UNKNOWN_ID, 'not-a-uuid']) {
      expect(await apiGet(pim, `${CATALOGS}/${id}`, token)).toEqual({ status: 404, body: notFound(id) });
      expect(await apiGet(pim, `${CATALOGS}/${id}/product-uuids`, token)).toEqual({ status: 404, body: notFound(id) });
    }
  });

  it('answers 403 by ACL: read_catalogs to read, write_catalogs to write, delete_catalogs to delete', async () => {
    const owned = await create('Guarded');
    const readOnly = await connectOther('Reader', 'read_catalogs read_products');
    expect(await apiSend(pim, 'POST', CATALOGS, { token: readOnly, json: { name: 'No' } })).toEqual({
      status: 403,
      body: forbidden('edit app catalogs'),
    });
    expect(await apiSend(pim, 'PATCH', `${CATALOGS}/${owned.id}`, { token: readOnly, json: { name: 'No' } })).toEqual({
      status: 403,
      body: forbidden('edit app catalogs'),
    });
    const writer = await connectOther('Writer', 'write_catalogs');
    expect((await apiGet(pim, CATALOGS, writer)).status).toBe(200);
    expect(await apiSend(pim, 'DELETE', `${CATALOGS}/${owned.id}`, { token: writer })).toEqual({
      status: 403,
      body: forbidden('delete app catalogs'),
    });
    expect(await apiGet(pim, `${CATALOGS}/${owned.id}/products`, writer)).toEqual({
      status: 403,
      body: forbidden('access products'),
    });
    const productsOnly = await connectOther('Products only', 'read_products');
    for (const path of [CATALOGS, `${CATALOGS}/${owned.id}`, `${CATALOGS}/${owned.id}/product-uuids`]) {
      expect(await apiGet(pim, path, productsOnly)).toEqual({ status: 403, body: forbidden('access app catalogs') });
    }
    expect(await apiGet(pim, CATALOGS)).toEqual({
      status: 401,
      body: { code: 401, message: 'Authentication is required' },
    });
    expect((await apiGet(pim, `${CATALOGS}/${owned.id}`, token)).body).toEqual(owned);
  });

  it('deletes a catalog with 204: then it answers 404 and the PIM no longer has it', async () => {
    const doomed = await create('Doomed');
    expect(await apiSend(pim, 'DELETE', `${CATALOGS}/${doomed.id}`, { token })).toEqual({ status: 204, body: '' });
    expect(await apiGet(pim, `${CATALOGS}/${doomed.id}`, token)).toEqual({ status: 404, body: notFound(doomed.id) });
    expect(await apiSend(pim, 'DELETE', `${CATALOGS}/${doomed.id}`, { token })).toEqual({
      status: 404,
      body: notFound(doomed.id),
    });
    expect(pim.catalogs(app.clientId).some((catalog) => catalog.id === doomed.id)).toBe(false);
    const byThePim = await create('Deleted by the PIM');
    pim.deleteCatalog(byThePim.id);
    expect(await apiGet(pim, `${CATALOGS}/${byThePim.id}`, token)).toEqual({
      status: 404,
      body: notFound(byThePim.id),
    });
    expect(() => pim.deleteCatalog(byThePim.id)).toThrow(byThePim.id);
  });

  it("refuses an app's 201st catalog with Akeneo's message, and counts each app apart", async () => {
    const { pim: own, app: busy } = await startSandboxWithApp();
    try {
      const busyToken = (await connectApp(own, busy, 'write_catalogs')).access_token;
      for (let index = 0; index < 200; index += 1) {
        const { status } = await apiSend(own, 'POST', CATALOGS, { token: busyToken, json: { name: `Store ${index}` } });
        expect(status).toBe(201);
      }
      expect(await apiSend(own, 'POST', CATALOGS, { token: busyToken, json: { name: 'One too many' } })).toEqual({
        status: 422,
        body: invalid({ property: '', message: 'You can create up to 200 catalogs' }),
      });
      expect(own.catalogs(busy.clientId)).toHaveLength(200);
      const other = own.addApp({ name: 'Quiet app', activateUrl: ACTIVATE_URL, callbackUrl: CALLBACK_URL });
      const otherToken = (await connectApp(own, other, 'write_catalogs')).access_token;
      expect((await apiSend(own, 'POST', CATALOGS, { token: otherToken, json: { name: 'First' } })).status).toBe(201);
    } finally {
      await own.close();
    }
  });

  it('counts catalog calls in apiStats, per token, and applies queued faults to them', async () => {
    pim.resetApiStats();
    await apiGet(pim, CATALOGS, token);
    await apiSend(pim, 'POST', CATALOGS, { token, json: { name: 'Counted' } });
    pim.injectApiFaults([{ kind: 'rate-limit', retryAfterSeconds: 1 }]);
    expect((await apiGet(pim, CATALOGS, token)).status).toBe(429);
    expect(pim.apiStats.requests).toBe(3);
    expect(pim.apiStats.statuses).toEqual({ '200': 1, '201': 1, '429': 1 });
    expect(Object.values(pim.apiStats.maxConcurrentPerToken)).toEqual([1]);
  });

  it('keeps catalogs across a restart with a state file, and reads a state file written before catalogs', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'sandbox-catalogs-'));
    const stateFile = join(directory, 'state.json');
    const apps = [{ name: 'Kept app', activateUrl: ACTIVATE_URL, callbackUrl: CALLBACK_URL }];
    try {
      const first = await startSandboxPim({ stateFile, apps });
      const keptApp = first.findAppByName('Kept app') as SandboxApp;
      const keptToken = (await connectApp(first, keptApp, ALL_SCOPES)).access_token;
      const { body } = await apiSend(first, 'POST', CATALOGS, { token: keptToken, json: { name: 'Kept' } });
      const id = (body as CatalogBody).id;
      first.setCatalogSelection(id, { families: ['sneakers'], categories: ['shoes'], enabledOnly: true });
      first.enableCatalog(id, true);
      const before = first.catalogs(keptApp.clientId);
      await first.close();

      const second = await startSandboxPim({ stateFile, apps });
      expect(second.catalogs(keptApp.clientId)).toEqual(before);
      expect((await apiGet(second, `${CATALOGS}/${id}`, keptToken)).body).toMatchObject({ id, enabled: true });
      await second.close();

      const { catalogs: _catalogs, ...older } = JSON.parse(readFileSync(stateFile, 'utf8')) as Record<string, unknown>;
      writeFileSync(stateFile, JSON.stringify(older));
      const third = await startSandboxPim({ stateFile, apps });
      try {
        expect(third.catalogs(keptApp.clientId)).toEqual([]);
        expect((await apiSend(third, 'POST', CATALOGS, { token: keptToken, json: { name: 'New' } })).status).toBe(201);
      } finally {
        await third.close();
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
