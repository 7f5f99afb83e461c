import type { SandboxApp, SandboxPim } from '../../sandbox';
import { apiSend, connectApp, http, startSandboxWithApp } from './sandbox-helpers';

const CATALOGS = '/api/rest/v1/catalogs';
const PERMISSIONS = '/system/roles/ROLE_ADMINISTRATOR/permissions';

/** The text of the element with this data-testid (no nested tags inside them). */
function testIdText(html: string, testId: string): string | undefined {
  return new RegExp(`data-testid="${testId}"[^>]*>([^<]*)<`).exec(html)?.[1];
}

/** Whether the checkbox with this data-testid is checked. */
function isChecked(html: string, testId: string): boolean {
  const input = new RegExp(`<input[^>]*data-testid="${testId}"[^>]*>`).exec(html)?.[0];
  if (input === undefined) throw new Error(`No checkbox ${testId}`);
  return / checked[ >]/.test(input);
}

/** A form body with repeated fields, as a browser posts checkboxes. */
function form(fields: [string, string][]): string {
  return new URLSearchParams(fields).toString();
}

function postForm(url: string, fields: [string, string][]) {
  return http(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form(fields),
  });
}

describe('sandbox catalog page', () => {
  let pim: SandboxPim;
  let app: SandboxApp;
  let token: string;
  let id: string;
  let page: string;

  beforeAll(async () => {
    ({ pim, app } = await startSandboxWithApp({ productCount: 200 }));
    token = (await connectApp(pim, app, 'read_products read_catalogs write_catalogs')).access_token;
    const { body } = await apiSend(pim, 'POST', CATALOGS, { token, json: { name: 'Store <US>' } });
    id = (body as { id: string }).id;
    page = `${pim.url}/connect/apps/v1/catalogs/${id}`;
  });

  afterAll(() => pim.close());

  it('shows the new catalog disabled, with its selection form: families, categories and the status criterion', async () => {
    const shown = await http(page);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('Store &lt;US&gt;');
    expect(testIdText(shown.text, 'catalog-status')).toBe('Disabled');
    expect(shown.text).toContain(`<form method="post" action="/connect/apps/v1/catalogs/${id}"`);
    for (const family of ['tshirts', 'sneakers', 'backpacks', 'headphones']) {
      expect(isChecked(shown.text, `family-${family}`)).toBe(false);
    }
    for (const category of ['master', 'men_tshirts', 'shoes', 'bags', 'audio']) {
      expect(isChecked(shown.text, `category-${category}`)).toBe(false);
    }
    expect(isChecked(shown.text, 'enabled-only')).toBe(true);
    expect(shown.text).toContain('data-testid="enable-catalog"');
    expect(shown.text).not.toContain('data-testid="disable-catalog"');
    expect(shown.text).toContain('data-testid="save-catalog"');
    expect(shown.text).toContain('href="/connect/connected-apps"');
  });

  it('saves a selection and enables the catalog in one POST, then redirects to the page (303)', async () => {
    const posted = await postForm(page, [
      ['family', 'sneakers'],
      ['family', 'tshirts'],
      ['action', 'enable'],
    ]);
    expect(posted.status).toBe(303);
    expect(posted.location).toBe(`/connect/apps/v1/catalogs/${id}?done=enabled`);
    const [catalog] = pim.catalogs(app.clientId);
    expect(catalog).toMatchObject({
      enabled: true,
      selection: { families: ['sneakers', 'tshirts'], categories: [], enabledOnly: false },
    });
    const shown = await http(`${pim.url}${posted.location}`);
    expect(testIdText(shown.text, 'flash')).toBe('Catalog enabled.');
    expect(testIdText(shown.text, 'catalog-status')).toBe('Enabled');
    expect(isChecked(shown.text, 'family-sneakers')).toBe(true);
    expect(isChecked(shown.text, 'family-tshirts')).toBe(true);
    expect(isChecked(shown.text, 'family-backpacks')).toBe(false);
    expect(isChecked(shown.text, 'enabled-only')).toBe(false);
    expect(testIdText(shown.text, 'selected-count')).toBe(String(pim.catalogProductUuids(id).length));
    expect(shown.text).toContain('data-testid="disable-catalog"');
    const uuids = await apiSend(pim, 'GET', `${CATALOGS}/${id}/product-uuids?limit=1000`, { token });
    expect((uuids.body as { _embedded: { items: string[] } })._embedded.items).toEqual(pim.catalogProductUuids(id));
  });

  it('saves without changing the status, and disables with the selection posted along', async () => {
    const saved = await postForm(page, [
      ['category', 'bags'],
      ['enabled_only', '1'],
      ['action', 'save'],
    ]);
    expect(saved).toMatchObject({ status: 303, location: `/connect/apps/v1/catalogs/${id}?done=saved` });
    expect(testIdText((await http(`${pim.url}${saved.location}`)).text, 'flash')).toBe('Catalog saved.');
    expect(pim.catalogs(app.clientId)[0]).toMatchObject({
      enabled: true,
      selection: { families: [], categories: ['bags'], enabledOnly: true },
    });
    const disabled = await postForm(page, [
      ['family', 'backpacks'],
      ['action', 'disable'],
    ]);
    expect(disabled.location).toBe(`/connect/apps/v1/catalogs/${id}?done=disabled`);
    expect(pim.catalogs(app.clientId)[0]).toMatchObject({
      enabled: false,
      selection: { families: ['backpacks'], categories: [], enabledOnly: false },
    });
    const body = (await apiSend(pim, 'GET', `${CATALOGS}/${id}/products`, { token })).body;
    expect(body).toHaveProperty('error');
  });

  it('refuses an unknown family or category with a 422 page that says which, and changes nothing', async () => {
    const before = pim.catalogs(app.clientId)[0];
    const family = await postForm(page, [
      ['family', 'sneakers'],
      ['family', 'spaceships'],
      ['action', 'enable'],
    ]);
    expect(family.status).toBe(422);
    expect(testIdText(family.text, 'form-error')).toBe('At least one selected family does not exist.');
    // The form shows what was posted, so the user can fix it.
    expect(isChecked(family.text, 'family-sneakers')).toBe(true);
    const category = await postForm(page, [
      ['category', 'nowhere'],
      ['action', 'save'],
    ]);
    expect(category.status).toBe(422);
    expect(testIdText(category.text, 'form-error')).toBe(
      'The following categories do not exist anymore: nowhere. Please remove them from the criterion value.',
    );
    expect(pim.catalogs(app.clientId)[0]).toEqual(before);
  });

  it('links the connected app to its catalogs, and each catalog to its page', async () => {
    const connected = await http(`${pim.url}/connect/connected-apps`);
    const listPath = `/connect/connected-apps/${app.clientId}/catalogs`;
    expect(connected.text).toContain(`href="${listPath}" data-testid="catalogs-${app.clientId}"`);
    const list = await http(`${pim.url}${listPath}`);
    expect(list.status).toBe(200);
    expect(list.text).toContain(`href="/connect/apps/v1/catalogs/${id}" data-testid="catalog-${id}"`);
    expect(list.text).toContain('Store &lt;US&gt;');
    expect((await http(`${pim.url}/connect/connected-apps/unknown-app/catalogs`)).status).toBe(404);
  });

  it('answers 404 for an unknown or deleted catalog', async () => {
    expect((await http(`${pim.url}/connect/apps/v1/catalogs/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    const { body } = await apiSend(pim, 'POST', CATALOGS, { token, json: { name: 'Short-lived' } });
    const doomed = (body as { id: string }).id;
    expect((await http(`${pim.url}/connect/apps/v1/catalogs/${doomed}`)).status).toBe(200);
    pim.deleteCatalog(doomed);
    expect((await http(`${pim.url}/connect/apps/v1/catalogs/${doomed}`)).status).toBe(404);
    expect((await postForm(`${pim.url}/connect/apps/v1/catalogs/${doomed}`, [['action', 'enable']])).status).toBe(404);
  });

  it('is for a role that may manage apps: otherwise 403, and a POST changes nothing', async () => {
    const before = pim.catalogs(app.clientId)[0];
    await postForm(`${pim.url}${PERMISSIONS}`, []);
    try {
      expect((await http(page)).status).toBe(403);
      expect((await postForm(page, [['action', 'enable']])).status).toBe(403);
      expect((await http(`${pim.url}/connect/connected-apps/${app.clientId}/catalogs`)).status).toBe(403);
      expect(pim.catalogs(app.clientId)[0]).toEqual(before);
    } finally {
      await postForm(`${pim.url}${PERMISSIONS}`, [['manage_custom_apps', '1']]);
    }
    expect((await http(page)).status).toBe(200);
  });
});
