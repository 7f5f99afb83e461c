import type { SandboxApp, SandboxPim } from '../../sandbox';
import {
  ACTIVATE_URL,
  apiGet,
  authorizeThroughCallback,
  authorizeUrl,
  CALLBACK_URL,
  connectApp,
  hiddenInputs,
  http,
  isConsentPage,
  postForm,
  requestAuthorization,
  startSandboxWithApp,
} from './sandbox-helpers';

describe('sandbox authorize flow', () => {
  let pim: SandboxPim;
  let app: SandboxApp;

  beforeAll(async () => {
    ({ pim } = await startSandboxWithApp());
  });

  // A fresh app per test keeps the tests independent without paying for a new key pair each time.
  beforeEach(() => {
    app = pim.addApp({
      name: expect.getState().currentTestName ?? 'Test app',
      activateUrl: ACTIVATE_URL,
      callbackUrl: CALLBACK_URL,
    });
  });

  afterAll(() => pim.close());

  it('shows the consent page on first connect, with normalised scopes and the state', async () => {
    const scope = 'write_products unknown_scope read_products openid email read_products';
    const page = await requestAuthorization(pim, app.clientId, scope, 'a b/c');
    expect(isConsentPage(page)).toBe(true);
    expect(page.text).toContain('action="/connect/apps/v1/authorize/confirm"');
    expect(page.text).toContain('Your email address');
    expect(page.text).not.toContain('unknown_scope');
    expect(hiddenInputs(page.text)).toEqual({
      client_id: app.clientId,
      scope: 'email openid read_products write_products',
      state: 'a b/c',
    });
  });

  it('redirects to the registered callback with a PIM-format code and the state after Confirm', async () => {
    const callback = await authorizeThroughCallback(pim, app.clientId, 'read_products', 'a b/c');
    expect(`${callback.origin}${callback.pathname}`).toBe(CALLBACK_URL);
    expect(callback.searchParams.get('code')).toMatch(/^[0-9A-Za-z]{86}$/);
    expect(callback.searchParams.get('state')).toBe('a b/c');
    expect(callback.search).toContain('state=a+b%2Fc');
  });

  it('omits the state when the app sent none and appends to a callback that has a query', async () => {
    const other = pim.addApp({ name: 'Query app', activateUrl: ACTIVATE_URL, callbackUrl: `${CALLBACK_URL}?x=1` });
    const callback = await authorizeThroughCallback(pim, other.clientId, 'read_products');
    expect(callback.search).toMatch(/^\?x=1&code=[0-9A-Za-z]{86}$/);
  });

  it('drops unknown scopes and sorts the token scope', async () => {
    const token = await connectApp(pim, app, 'write_catalog_structure delete_products bogus read_association_types');
    expect(token.scope).toBe('delete_products read_association_types write_catalog_structure');
  });

  it('redirects straight to the callback when connected with the same scopes, and returns the same token', async () => {
    const first = await connectApp(pim, app, 'read_products openid');
    const again = await requestAuthorization(pim, app.clientId, 'openid read_products', 's2');
    expect(again.status).toBe(302);
    expect(again.location).toMatch(new RegExp(`^${CALLBACK_URL}\\?code=[0-9A-Za-z]{86}&state=s2$`));
    const second = await connectApp(pim, app, 'read_products openid');
    expect(second.access_token).toBe(first.access_token);
  });

  it('asks for consent again when new scopes are requested, then rotates the token', async () => {
    const first = await connectApp(pim, app, 'read_products');
    expect(isConsentPage(await requestAuthorization(pim, app.clientId, 'read_products read_catalogs'))).toBe(true);
    const second = await connectApp(pim, app, 'read_products read_catalogs');
    expect(second.access_token).not.toBe(first.access_token);
    expect(await apiGet(pim, '/api/rest/v1/products-uuid', first.access_token)).toEqual({
      status: 401,
      body: { code: 401, message: 'The access token provided is invalid.' },
    });
    expect((await apiGet(pim, '/api/rest/v1/products-uuid', second.access_token)).status).toBe(200);
  });

  it('treats implied scopes as already granted and silently shrinks the stored scopes', async () => {
    await connectApp(pim, app, 'write_products read_catalogs');
    const smaller = await requestAuthorization(pim, app.clientId, 'read_products');
    expect(smaller.status).toBe(302);
    expect(pim.connectedApp(app.clientId)?.scopes).toEqual(['read_products']);
  });

  it('asks for consent when profile or email is newly requested, but not for openid alone', async () => {
    await connectApp(pim, app, 'read_products');
    expect((await requestAuthorization(pim, app.clientId, 'read_products openid')).status).toBe(302);
    const page = await requestAuthorization(pim, app.clientId, 'read_products openid profile');
    expect(isConsentPage(page)).toBe(true);
    expect(page.text).toContain('Your first and last name');
  });

  it.each([
    ['an unknown client_id', { response_type: 'code', client_id: 'nope', scope: 'read_products', state: 's' }],
    ['an empty client_id', { response_type: 'code', client_id: '', scope: 'read_products', state: 's' }],
    ['a wrong response_type', { response_type: 'token', client_id: '<app>', scope: 'read_products', state: 's' }],
    [
      'a scope over 1000 characters',
      { response_type: 'code', client_id: '<app>', scope: 'x'.repeat(1001), state: 's' },
    ],
  ])('shows a PIM error page and never redirects to the app for %s', async (_case, params) => {
    const query = { ...params, client_id: params.client_id === '<app>' ? app.clientId : params.client_id };
    await connectApp(pim, app, 'read_products'); // even a connected app gets no redirect
    const result = await http(authorizeUrl(pim, query));
    expect([200, 400, 404]).toContain(result.status);
    expect(result.location).toBeUndefined();
    expect(result.contentType).toContain('text/html');
    expect(result.text).toContain('data-testid="pim-error"');
  });

  it('rejects a confirm for an unknown app without redirecting', async () => {
    const result = await postForm(`${pim.url}/connect/apps/v1/authorize/confirm`, { client_id: 'nope', scope: '' });
    expect(result.status).toBe(404);
    expect(result.location).toBeUndefined();
  });

  it('serves the App Store with Connect, then Open app, and activates with pim_url', async () => {
    expect((await http(`${pim.url}/`)).location).toBe('/connect/app-store');
    const store = await http(`${pim.url}/connect/app-store`);
    expect(store.text).toContain(`data-testid="connect-${app.clientId}"`);
    const activate = await http(`${pim.url}/connect/apps/${app.clientId}/activate`);
    expect(activate.status).toBe(302);
    expect(activate.location).toBe(`${ACTIVATE_URL}?pim_url=${encodeURIComponent(pim.url)}`);
    await connectApp(pim, app, 'read_products');
    expect((await http(`${pim.url}/connect/app-store`)).text).toContain(`data-testid="open-${app.clientId}"`);
  });
});
