import { decodeJwt, decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import type { IdTokenTamper, SandboxApp, SandboxPim } from '../../sandbox';
import { ACTIVATE_URL, CALLBACK_URL, connectApp, http, startSandboxWithApp } from './sandbox-helpers';

const CERTIFICATE_PEM = /^-----BEGIN CERTIFICATE-----\r\n([A-Za-z0-9+/=]{1,64}\r\n)+-----END CERTIFICATE-----$/;

describe('sandbox OpenID Connect', () => {
  let pim: SandboxPim;
  let app: SandboxApp;

  beforeAll(async () => {
    ({ pim, app } = await startSandboxWithApp({
      user: { username: 'ada', firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.com' },
    }));
  });

  afterAll(() => pim.close());

  async function publicKeyPem(): Promise<string> {
    const response = await http(`${pim.url}/connect/apps/v1/openid/public-key`);
    expect(response.status).toBe(200);
    return (JSON.parse(response.text) as { public_key: string }).public_key;
  }

  async function verify(idToken: string, clientId = app.clientId) {
    const key = await importX509(await publicKeyPem(), 'RS256');
    return jwtVerify(idToken, key, { issuer: pim.url, audience: clientId, algorithms: ['RS256'] });
  }

  it('serves a self-signed certificate PEM with CRLF line endings and no trailing newline', async () => {
    const pem = await publicKeyPem();
    expect(pem).toMatch(CERTIFICATE_PEM);
    expect(pem.replaceAll('\r\n', '')).not.toContain('\n');
  });

  it('issues an id_token that verifies, with the PIM header and claims in order', async () => {
    const token = await connectApp(pim, app, 'read_products openid profile email');
    expect(token.scope).toBe('email openid profile read_products');
    const idToken = token.id_token ?? '';
    expect(idToken.split('.')[0]).toBe('eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9');
    expect(decodeProtectedHeader(idToken)).toEqual({ typ: 'JWT', alg: 'RS256' });
    const { payload } = await verify(idToken);
    expect(Object.keys(payload)).toEqual([
      'iss',
      'jti',
      'sub',
      'aud',
      'iat',
      'exp',
      'firstname',
      'lastname',
      'email',
      'email_verified',
    ]);
    expect(payload).toMatchObject({
      iss: pim.url,
      aud: app.clientId,
      firstname: 'Ada',
      lastname: 'Lovelace',
      email: 'ada@example.com',
      email_verified: false,
    });
    expect(payload.exp).toBeCloseTo((payload.iat ?? 0) + 3600, 5);
    expect(payload.sub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('keeps sub stable per app and leaves out profile and email claims when not consented', async () => {
    const first = decodeJwt((await connectApp(pim, app, 'read_products openid profile email')).id_token ?? '');
    const onlyOpenId = await connectApp(pim, app, 'read_products openid');
    expect(onlyOpenId.scope).toBe('openid read_products');
    const second = decodeJwt(onlyOpenId.id_token ?? '');
    expect(second.sub).toBe(first.sub);
    expect(Object.keys(second)).toEqual(['iss', 'jti', 'sub', 'aud', 'iat', 'exp']);
  });

  it('gives no id_token without openid', async () => {
    const token = await connectApp(pim, app, 'read_products');
    expect(token.id_token).toBeUndefined();
  });

  it.each<[IdTokenTamper, RegExp]>([
    ['wrong-aud', /aud/],
    ['wrong-iss', /iss/],
    ['expired', /exp/],
    ['bad-signature', /signature/],
  ])('makes verification fail with the %s tamper', async (tamper, failure) => {
    pim.setIdTokenTamper(tamper);
    try {
      const token = await connectApp(pim, app, 'read_products openid');
      await expect(verify(token.id_token ?? '')).rejects.toThrow(failure);
    } finally {
      pim.setIdTokenTamper(undefined);
    }
  });

  it('rotates the key: old id_tokens stop verifying, new ones verify', async () => {
    const other = pim.addApp({ name: 'Rotation app', activateUrl: ACTIVATE_URL, callbackUrl: CALLBACK_URL });
    const before = (await connectApp(pim, other, 'openid')).id_token ?? '';
    pim.rotateOpenIdKey();
    await expect(verify(before, other.clientId)).rejects.toThrow(/signature/);
    const after = (await connectApp(pim, other, 'openid')).id_token ?? '';
    await expect(verify(after, other.clientId)).resolves.toBeDefined();
  });
});
