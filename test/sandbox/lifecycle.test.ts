import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startSandboxPim } from '../../sandbox';
import {
  ACTIVATE_URL,
  apiGet,
  authorizationCode,
  CALLBACK_URL,
  connectApp,
  http,
  postForm,
  requestToken,
  startSandboxWithApp,
  validTokenFields,
} from './sandbox-helpers';

const PRODUCTS = '/api/rest/v1/products-uuid';
const DISCONNECTED = {
  status: 401,
  body: { code: 401, message: 'The access token provided is invalid. Your app has been disconnected from that PIM.' },
};

describe('sandbox connected-app lifecycle', () => {
  it('keeps the token working after Regenerate; only the new secret proves the challenge', async () => {
    const { pim, app } = await startSandboxWithApp();
    try {
      const token = (await connectApp(pim, app, 'read_products')).access_token;
      const regenerated = await postForm(`${pim.url}/connect/connected-apps/${app.clientId}/regenerate`, {});
      const page = await http(`${pim.url}${regenerated.location}`);
      const newSecret = /data-testid="client-secret">([0-9A-Za-z]{86})</.exec(page.text)?.[1];
      expect(newSecret).toBe(pim.getApp(app.clientId)?.clientSecret);
      expect(newSecret).not.toBe(app.clientSecret);
      expect((await apiGet(pim, PRODUCTS, token)).status).toBe(200);

      const code = await authorizationCode(pim, app.clientId, 'read_products');
      const withOldSecret = await requestToken(pim, validTokenFields(app, code));
      expect(withOldSecret).toEqual({ status: 400, body: { error: 'invalid_client' } });
      const refreshed = pim.getApp(app.clientId);
      const withNewSecret = await requestToken(pim, validTokenFields(refreshed ?? app, code));
      expect(withNewSecret.body.access_token).toBe(token);

      expect(pim.regenerateSecret(app.clientId)).toMatch(/^[0-9A-Za-z]{86}$/);
      expect((await apiGet(pim, PRODUCTS, token)).status).toBe(200);
    } finally {
      await pim.close();
    }
  });

  it('revokes tokens on Disconnect (UI form or API) with the "disconnected" 401', async () => {
    const { pim, app } = await startSandboxWithApp();
    try {
      const token = (await connectApp(pim, app, 'read_products')).access_token;
      const list = await http(`${pim.url}/connect/connected-apps`);
      expect(list.text).toContain(`href="/connect/connected-apps/${app.clientId}/disconnect"`);
      const disconnected = await postForm(`${pim.url}/connect/connected-apps/${app.clientId}/disconnect`, {});
      expect(disconnected).toMatchObject({ status: 303, location: '/connect/connected-apps' });
      expect(await apiGet(pim, PRODUCTS, token)).toEqual(DISCONNECTED);
      expect(pim.connectedApp(app.clientId)).toBeUndefined();

      const second = pim.addApp({ name: 'Second app', activateUrl: ACTIVATE_URL, callbackUrl: CALLBACK_URL });
      const secondToken = (await connectApp(pim, second, 'read_products')).access_token;
      pim.disconnect(second.clientId);
      expect(await apiGet(pim, PRODUCTS, secondToken)).toEqual(DISCONNECTED);
    } finally {
      await pim.close();
    }
  });

  it('keeps apps, tokens and the OpenID key across a restart with a state file (mode 0600)', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'sandbox-pim-'));
    const stateFile = join(directory, 'state.json');
    const apps = [{ name: 'Persistent app', activateUrl: ACTIVATE_URL, callbackUrl: CALLBACK_URL }];
    try {
      const first = await startSandboxPim({ stateFile, apps });
      const clientId = /data-testid="connect-([0-9a-f-]{36})"/.exec(
        (await http(`${first.url}/connect/app-store`)).text,
      )?.[1];
      const app = first.getApp(clientId ?? '');
      if (!app) throw new Error('The persistent app is missing');
      const token = (await connectApp(first, app, 'read_products openid')).access_token;
      const publicKey = (await http(`${first.url}/connect/apps/v1/openid/public-key`)).text;
      await first.close();
      expect(statSync(stateFile).mode & 0o777).toBe(0o600);
      expect(readFileSync(stateFile, 'utf8')).toContain(token);

      const second = await startSandboxPim({ stateFile, apps });
      try {
        expect(second.getApp(app.clientId)).toEqual(app);
        expect((await apiGet(second, PRODUCTS, token)).status).toBe(200);
        expect((await http(`${second.url}/connect/apps/v1/openid/public-key`)).text).toBe(publicKey);
        expect((await connectApp(second, app, 'read_products openid')).access_token).toBe(token);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('leaves a token request hanging until close(), which ends it', async () => {
    const { pim, app } = await startSandboxWithApp();
    await connectApp(pim, app, 'read_products');
    pim.setTokenEndpointFault({ kind: 'hang' });
    const pending = request(`${pim.url}/connect/apps/v1/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(validTokenFields(app, 'x')).toString(),
    });
    const outcome = pending.then(
      () => 'answered',
      () => 'ended',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pim.tokenRequests.at(-1)).toEqual({ clientId: app.clientId, status: 0 });
    await pim.close();
    expect(await outcome).toBe('ended');
  });
});
