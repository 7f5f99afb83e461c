import { type SandboxPim, startSandboxPim } from '../../sandbox';
import { ACTIVATE_URL, CALLBACK_URL, connectApp, http, postForm } from './sandbox-helpers';

const CREATE = '/connect/app-store/custom-apps/create';
const PERMISSIONS = '/system/roles/ROLE_ADMINISTRATOR/permissions';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MESSAGES = {
  blank: 'This value should not be blank.',
  tooShort: 'This value is too short. It should have 3 characters or more.',
  tooLong: 'This value is too long. It should have 255 characters or less.',
  notUrl: 'This value is not a valid URL.',
};
const UNKNOWN_CLIENT_ID = '00000000-0000-4000-8000-000000000000';
const VALID = { name: 'My custom app', activate_url: ACTIVATE_URL, callback_url: CALLBACK_URL };

/** The text of the element with this data-testid (the sandbox renders no nested tags inside them). */
function testIdText(html: string, testId: string): string | undefined {
  const match = new RegExp(`data-testid="${testId}"[^>]*>([^<]*)<`).exec(html);
  return match?.[1]?.replaceAll('&amp;', '&');
}

function createApp(pim: SandboxPim, fields: Record<string, string>) {
  return postForm(`${pim.url}${CREATE}`, fields);
}

describe('sandbox custom-app screens without the permission', () => {
  let pim: SandboxPim;

  beforeAll(async () => {
    pim = await startSandboxPim({ customAppPermission: false });
  });

  afterAll(() => pim.close());

  it('hides Create an App and refuses the form until the role gets the permission', async () => {
    expect((await http(`${pim.url}/connect/app-store`)).text).not.toContain('data-testid="create-app"');
    expect((await http(`${pim.url}${CREATE}`)).status).toBe(403);
    expect((await createApp(pim, VALID)).status).toBe(403);
    const existing = pim.addApp({ name: 'Existing app', activateUrl: ACTIVATE_URL, callbackUrl: CALLBACK_URL });
    const credentials = await http(`${pim.url}/connect/app-store/custom-apps/${existing.clientId}/credentials`);
    expect(credentials.status).toBe(403);
    expect(credentials.text).not.toContain(existing.clientSecret);
    await connectApp(pim, existing, 'read_products');
    const connectedApps = (await http(`${pim.url}/connect/connected-apps`)).text;
    expect(connectedApps).toContain(`data-testid="disconnect-${existing.clientId}"`);
    expect(connectedApps).not.toContain(`data-testid="regenerate-${existing.clientId}"`);
    for (const path of ['regenerate', 'secret']) {
      expect((await http(`${pim.url}/connect/connected-apps/${existing.clientId}/${path}`)).status).toBe(403);
    }
    expect((await postForm(`${pim.url}/connect/connected-apps/${existing.clientId}/regenerate`, {})).status).toBe(403);
    expect(pim.getApp(existing.clientId)?.clientSecret).toBe(existing.clientSecret);

    const roles = await http(`${pim.url}/system/roles`);
    expect(roles.text).toContain('Administrator');
    expect(roles.text).toContain(`href="${PERMISSIONS}"`);
    const permissions = await http(`${pim.url}${PERMISSIONS}`);
    expect(permissions.text).toMatch(/<input type="checkbox" name="manage_custom_apps" value="1" data-testid/);
    expect(permissions.text).toContain('Create and delete custom apps');
    expect(permissions.text).toContain('data-testid="save-permissions"');

    const saved = await postForm(`${pim.url}${PERMISSIONS}`, { manage_custom_apps: '1' });
    expect(saved).toMatchObject({ status: 302, location: `${PERMISSIONS}?saved=1` });
    expect((await http(`${pim.url}${saved.location}`)).text).toContain('value="1" checked');
    const store = await http(`${pim.url}/connect/app-store`);
    expect(store.text).toContain(`href="${CREATE}" data-testid="create-app">Create an App<`);
    expect((await http(`${pim.url}${CREATE}`)).status).toBe(200);

    await postForm(`${pim.url}${PERMISSIONS}`, {});
    expect((await http(`${pim.url}/connect/app-store`)).text).not.toContain('data-testid="create-app"');
    expect((await http(`${pim.url}/system/roles/ROLE_OTHER/permissions`)).status).toBe(404);
  });
});

describe('sandbox custom-app screens with the permission (the default)', () => {
  let pim: SandboxPim;

  beforeAll(async () => {
    pim = await startSandboxPim();
  });

  afterAll(() => pim.close());

  it('shows Create an App', async () => {
    expect((await http(`${pim.url}/connect/app-store`)).text).toContain('data-testid="create-app"');
  });

  it.each([
    ['name', '', 'app-name-error', MESSAGES.blank],
    ['name', 'ab', 'app-name-error', MESSAGES.tooShort],
    ['name', 'n'.repeat(256), 'app-name-error', MESSAGES.tooLong],
    ['activate_url', '', 'activate-url-error', MESSAGES.blank],
    ['activate_url', 'not a url', 'activate-url-error', MESSAGES.notUrl],
    ['activate_url', 'ftp://app.example.com/activate', 'activate-url-error', MESSAGES.notUrl],
    ['activate_url', `https://app.example.com/${'a'.repeat(232)}`, 'activate-url-error', MESSAGES.tooLong],
    ['callback_url', '', 'callback-url-error', MESSAGES.blank],
    ['callback_url', 'app.example.com/callback', 'callback-url-error', MESSAGES.notUrl],
    ['callback_url', `https://app.example.com/${'c'.repeat(232)}`, 'callback-url-error', MESSAGES.tooLong],
  ])('rejects %s %j with 422, the message beside the field and the values kept', async (field, value, id, message) => {
    const fields = { ...VALID, [field]: value };
    const result = await createApp(pim, fields);
    expect(result.status).toBe(422);
    expect(testIdText(result.text, id)).toBe(message);
    expect(result.text.match(/class="field-error"/g)).toHaveLength(1);
    for (const [testId, name] of [
      ['app-name', 'name'],
      ['activate-url', 'activate_url'],
      ['callback-url', 'callback_url'],
    ] as const) {
      expect(result.text).toContain(
        `name="${name}" type="${name === 'name' ? 'text' : 'url'}" value="${fields[name]}"`,
      );
      expect(result.text).toContain(`data-testid="${testId}"`);
    }
    expect(pim.findAppByName(fields.name)).toBeUndefined();
  });

  it('accepts 3 and 255 characters and a 255-character URL, and shows every failing field at once', async () => {
    expect((await createApp(pim, { ...VALID, name: 'abc' })).status).toBe(303);
    const longUrl = `https://app.example.com/${'a'.repeat(231)}`;
    expect(longUrl).toHaveLength(255);
    expect((await createApp(pim, { ...VALID, name: 'x'.repeat(255), activate_url: longUrl })).status).toBe(303);
    const allWrong = await createApp(pim, { name: '', activate_url: 'nope', callback_url: '' });
    expect(allWrong.status).toBe(422);
    expect(testIdText(allWrong.text, 'app-name-error')).toBe(MESSAGES.blank);
    expect(testIdText(allWrong.text, 'activate-url-error')).toBe(MESSAGES.notUrl);
    expect(testIdText(allWrong.text, 'callback-url-error')).toBe(MESSAGES.blank);
  });

  it('stops at 20 custom apps', async () => {
    const full = await startSandboxPim();
    try {
      for (let index = 1; index <= 19; index += 1) {
        full.addApp({ name: `App ${index}`, activateUrl: ACTIVATE_URL, callbackUrl: CALLBACK_URL });
      }
      expect((await createApp(full, { ...VALID, name: 'Twentieth app' })).status).toBe(303);
      const refused = await createApp(full, { ...VALID, name: 'One too many' });
      expect(refused.status).toBe(422);
      expect(testIdText(refused.text, 'create-app-error')).toBe('You have reached the limit of 20 custom apps.');
      expect(refused.text).toContain('value="One too many"');
      expect(full.findAppByName('One too many')).toBeUndefined();
    } finally {
      await full.close();
    }
  });

  it('shows the credentials with the register command after a redirect, then lists the app with a working Connect', async () => {
    const form = await http(`${pim.url}${CREATE}`);
    for (const id of ['app-name', 'activate-url', 'callback-url', 'create-app-submit']) {
      expect(form.text).toContain(`data-testid="${id}"`);
    }
    expect(form.text).toContain('<label for="activate-url">Activate URL</label>');

    const posted = await createApp(pim, VALID);
    expect(posted.status).toBe(303);
    const credentialsPath = /^\/connect\/app-store\/custom-apps\/([0-9a-f-]{36})\/credentials$/.exec(
      posted.location ?? '',
    );
    expect(credentialsPath).not.toBeNull();
    const created = await http(`${pim.url}${posted.location}`);
    expect(created.status).toBe(200);
    const clientId = testIdText(created.text, 'client-id') ?? '';
    expect(clientId).toBe(credentialsPath?.[1]);
    const secret = testIdText(created.text, 'client-secret') ?? '';
    expect(clientId).toMatch(UUID_V4);
    expect(secret).toMatch(/^[0-9A-Za-z]{86}$/);
    expect(pim.getApp(clientId)).toMatchObject({ name: VALID.name, clientSecret: secret, activateUrl: ACTIVATE_URL });
    expect(testIdText(created.text, 'register-command')).toBe(
      `npm run pim -- add ${pim.url} --client-id ${clientId} --client-secret-stdin`,
    );
    expect(created.text).toContain('data-copy="client-secret"');
    expect(created.text).toContain('standard input');
    expect(created.text).toContain('href="/connect/app-store" data-testid="done"');

    const store = await http(`${pim.url}/connect/app-store`);
    expect(store.text).toContain('<h2>Custom apps</h2>');
    expect(store.text).toContain(`<span>${VALID.name}</span>`);
    const connect = new RegExp(`href="([^"]+)" data-testid="connect-${clientId}">Connect<`).exec(store.text)?.[1];
    expect(connect).toBe(`/connect/apps/${clientId}/activate`);
    const activate = await http(`${pim.url}${connect}`);
    expect(activate).toMatchObject({
      status: 302,
      location: `${ACTIVATE_URL}?pim_url=${encodeURIComponent(pim.url)}`,
    });
  });

  it('shows the created app again on reload, without creating another', async () => {
    const appsBefore = (await http(`${pim.url}/connect/app-store`)).text.match(/data-testid="connect-/g)?.length ?? 0;
    const posted = await createApp(pim, { ...VALID, name: 'Reloaded app' });
    const first = await http(`${pim.url}${posted.location}`);
    const reloaded = await http(`${pim.url}${posted.location}`);
    const appsAfter = (await http(`${pim.url}/connect/app-store`)).text.match(/data-testid="connect-/g)?.length ?? 0;

    expect(reloaded.status).toBe(200);
    expect(reloaded.text).toBe(first.text);
    expect(testIdText(reloaded.text, 'created-app-name')).toBe('Reloaded app');
    expect(appsAfter).toBe(appsBefore + 1);
    expect((await http(`${pim.url}/connect/app-store/custom-apps/${UNKNOWN_CLIENT_ID}/credentials`)).status).toBe(404);
  });

  it('offers Open app, Regenerate (with the rotate command) and Disconnect on Connected apps', async () => {
    const created = await http(`${pim.url}${(await createApp(pim, VALID)).location}`);
    const clientId = testIdText(created.text, 'client-id') ?? '';
    const app = pim.getApp(clientId);
    if (!app) throw new Error('The created app is missing');
    await connectApp(pim, app, 'read_products');
    const connected = await http(`${pim.url}/connect/connected-apps`);
    for (const id of [`open-${clientId}`, `regenerate-${clientId}`, `disconnect-${clientId}`]) {
      expect(connected.text).toContain(`data-testid="${id}"`);
    }
    const confirmed = await postForm(`${pim.url}/connect/connected-apps/${clientId}/regenerate`, {});
    expect(confirmed).toMatchObject({ status: 303, location: `/connect/connected-apps/${clientId}/secret` });
    const regenerated = await http(`${pim.url}${confirmed.location}`);
    const secret = testIdText(regenerated.text, 'client-secret');
    expect(secret).toMatch(/^[0-9A-Za-z]{86}$/);
    expect(secret).toBe(pim.getApp(clientId)?.clientSecret);
    expect(secret).not.toBe(app.clientSecret);
    expect(testIdText(regenerated.text, 'rotate-command')).toBe(
      `npm run pim -- rotate ${pim.url} --client-id ${clientId} --client-secret-stdin`,
    );
    const reloaded = await http(`${pim.url}${confirmed.location}`);
    expect(testIdText(reloaded.text, 'client-secret')).toBe(secret);
    expect(pim.getApp(clientId)?.clientSecret).toBe(secret);
  });

  it('asks before Regenerate and Disconnect, as Akeneo does: the buttons open a confirmation, nothing changes yet', async () => {
    const clientId =
      testIdText((await http(`${pim.url}${(await createApp(pim, VALID)).location}`)).text, 'client-id') ?? '';
    const app = pim.getApp(clientId);
    if (!app) throw new Error('The created app is missing');
    await connectApp(pim, app, 'read_products');
    const list = (await http(`${pim.url}/connect/connected-apps`)).text;

    for (const [action, confirm] of [
      ['regenerate', 'Regenerate the secret'],
      ['disconnect', 'Disconnect'],
    ] as const) {
      const path = `/connect/connected-apps/${clientId}/${action}`;
      expect(list).toContain(`href="${path}" data-testid="${action}-${clientId}"`);
      const confirmation = await http(`${pim.url}${path}`);
      expect(confirmation.status).toBe(200);
      expect(confirmation.text).toContain(`<form method="post" action="${path}"`);
      expect(testIdText(confirmation.text, `confirm-${action}`)).toBe(confirm);
      expect(confirmation.text).toContain('href="/connect/connected-apps" data-testid="cancel"');
    }
    expect(pim.getApp(clientId)?.clientSecret).toBe(app.clientSecret);
    expect(pim.connectedApp(clientId)).toBeDefined();
    expect((await http(`${pim.url}/connect/connected-apps/${UNKNOWN_CLIENT_ID}/disconnect`)).status).toBe(404);
  });
});
